#!/usr/bin/env bash
# Checks the Debian package without a second build: packages the binary the
# tests already built (cargo deb --no-build --profile dev), unpacks it into
# a throwaway root and checks owners and modes, the conffile, `rapport
# check-config` run from there, `systemd-analyze verify` of the unit in that
# root, and the maintainer scripts on their own (DPKG_ROOT, with a PATH that
# holds no systemd helper, so nothing touches this machine).
set -euo pipefail
cd "$(dirname "$0")/../.."

CARGO_DEB_VERSION=3.8.0
tools="target/tools"
if ! "$tools/bin/cargo-deb" --version 2>/dev/null | grep -qF "$CARGO_DEB_VERSION"; then
    cargo install cargo-deb --locked --version "$CARGO_DEB_VERSION" --root "$tools" --quiet
fi
test -x target/debug/rapport || { echo "build rapport first (cargo test does)" >&2; exit 1; }

out="target/package"
rm -rf "$out" && mkdir -p "$out"
# The dev profile: the binary the tests ran, not a release build of its own.
deb=$("$tools/bin/cargo-deb" --no-build --profile dev --no-strip --output "$out/" 2>/dev/null | tail -n 1)
test -f "$deb" || { echo "cargo deb made no package" >&2; exit 1; }

fail() { echo "package check: $*" >&2; exit 1; }

# Owners and modes, as dpkg will install them.
listing=$(dpkg-deb -c "$deb")
expect_entry() { # mode owner path
    grep -qE "^$1 $2 +[0-9]+ [0-9-]+ [0-9:]+ \./$3\$" <<<"$listing" || fail "$3 is not $1, owned by root ($2)"
}
expect_entry '-rwxr-xr-x' '0/0' 'usr/bin/rapport'
expect_entry '-rw-r-----' '0/0' 'etc/rapport/rapport.toml'
expect_entry '-rw-r--r--' '0/0' 'usr/lib/systemd/system/rapport.service'
expect_entry '-rw-r--r--' '0/0' 'usr/share/doc/rapport/README.md'

control=$(mktemp -d)
root=$(mktemp -d)
trap 'rm -rf "$control" "$root"' EXIT
dpkg-deb -e "$deb" "$control"
grep -qxF /etc/rapport/rapport.toml "$control/conffiles" || fail "rapport.toml is not a conffile"
dpkg-deb -x "$deb" "$root"

# The packaged binary reads the packaged configuration (its store moved into
# the throwaway root, so nothing is written outside it).
RAPPORT_STORE__URL="sqlite://$root/var/lib/rapport/rapport.db" \
    "$root/usr/bin/rapport" check-config --config "$root/etc/rapport/rapport.toml" >/dev/null \
    || fail "check-config refuses the packaged configuration"

# The unit, verified in that root beside the targets it depends on.
cp -an /usr/lib/systemd/system/. "$root/usr/lib/systemd/system/"
systemd-analyze verify --man=no --root="$root" /usr/lib/systemd/system/rapport.service \
    || fail "systemd-analyze verify refuses the unit"
for setting in 'User=rapport' 'StateDirectory=rapport' 'StateDirectoryMode=0700' \
    'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' 'NoNewPrivileges=yes' \
    'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' 'Restart=on-failure' \
    'EnvironmentFile=-/etc/rapport/secrets.env'; do
    grep -qxF "$setting" "$root/usr/lib/systemd/system/rapport.service" || fail "the unit lacks $setting"
done

# The maintainer scripts on the throwaway root: only the tools they need
# are on PATH (no deb-systemd-helper, no systemctl).
mkdir -p "$root/etc" "$root/var/lib/rapport" "$control/bin"
for file in passwd group shadow gshadow login.defs; do
    if [ -e "/etc/$file" ]; then cp "/etc/$file" "$root/etc/"; fi
done
for tool in sh grep cut printf rm rmdir chmod chgrp chown cat useradd groupadd; do
    ln -s "$(command -v "$tool")" "$control/bin/$tool"
done
# Their notes (and the missing helpers' complaints) go to a log shown on failure.
run_script() {
    env -i PATH="$control/bin" DPKG_ROOT="$root" sh "$control/$1" "$2" \
        >>"$control/scripts.log" 2>&1 || { cat "$control/scripts.log" >&2; fail "$1 $2 failed"; }
}
run_script postinst configure
run_script postinst configure # again, as on an upgrade
grep -q '^rapport:' "$root/etc/passwd" || fail "postinst made no rapport user"
group_id=$(grep '^rapport:' "$root/etc/group" | cut -d: -f3)
[ "$(stat -c '%a %u %g' "$root/etc/rapport/rapport.toml")" = "640 0 $group_id" ] \
    || fail "rapport.toml is not 0640 root:rapport"
[ "$(stat -c '%a %u %g' "$root/etc/rapport")" = "750 0 $group_id" ] \
    || fail "/etc/rapport is not 0750 root:rapport"
[ "$(stat -c '%a %u %g' "$root/etc/rapport/secrets.env")" = "600 0 0" ] \
    || fail "secrets.env is not 0600 root:root"
echo 'RAPPORT_DISCORD__TOKEN=kept' >>"$root/etc/rapport/secrets.env"
run_script postinst configure
grep -qxF 'RAPPORT_DISCORD__TOKEN=kept' "$root/etc/rapport/secrets.env" \
    || fail "postinst overwrote the admin's secrets"
run_script postrm remove
[ -e "$root/etc/rapport/secrets.env" ] || fail "remove (not purge) deleted the secrets"
run_script postrm purge
[ ! -e "$root/etc/rapport/secrets.env" ] || fail "purge kept the secrets"
[ ! -e "$root/var/lib/rapport" ] || fail "purge kept the state directory"
echo "package check: $deb is fine"
