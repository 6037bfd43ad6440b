#!/usr/bin/env bash
# A throwaway Synapse homeserver on 127.0.0.1 for the Matrix tests.
#   tests/synapse/synapse.sh start   installs Synapse into a venv (first time),
#                                    writes its config, starts it, waits for it
#   tests/synapse/synapse.sh stop    stops it by its pid file
#   tests/synapse/synapse.sh register USER PASSWORD
#                                    registers an account (for trying the bot by hand)
# Tests register their own users through the shared-secret admin API.
# Settings: SYNAPSE_DIR (default target/synapse), SYNAPSE_PORT (8008),
# SYNAPSE_SECRET (must match RAPPORT_TEST_SYNAPSE_SECRET in the tests).
set -euo pipefail
cd "$(dirname "$0")/../.."
DIR=${SYNAPSE_DIR:-$PWD/target/synapse}
VENV=${SYNAPSE_VENV:-$DIR/venv}
PORT=${SYNAPSE_PORT:-8008}
SECRET=${SYNAPSE_SECRET:-rapport-test-shared-secret}
URL=http://127.0.0.1:$PORT

case ${1:-start} in
start)
  mkdir -p "$DIR"
  if ! [ -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import synapse' 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q matrix-synapse
  fi
  if curl -fs -o /dev/null "$URL/_matrix/client/versions"; then
    echo "synapse already up at $URL"; exit 0
  fi
  cat > "$DIR/homeserver.yaml" <<YAML
server_name: "localhost"
public_baseurl: "$URL/"
pid_file: $DIR/homeserver.pid
listeners:
  - port: $PORT
    bind_addresses: ["127.0.0.1"]
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
database:
  name: sqlite3
  args:
    database: $DIR/homeserver.db
media_store_path: $DIR/media_store
signing_key_path: $DIR/localhost.signing.key
log_config: $DIR/log.config
report_stats: false
registration_shared_secret: "$SECRET"
enable_registration: false
federation_domain_whitelist: []
trusted_key_servers: []
suppress_key_server_warning: true
presence:
  enabled: false
rc_message:            {per_second: 1000, burst_count: 1000}
rc_registration:       {per_second: 1000, burst_count: 1000}
rc_login:
  address:             {per_second: 1000, burst_count: 1000}
  account:             {per_second: 1000, burst_count: 1000}
  failed_attempts:     {per_second: 1000, burst_count: 1000}
rc_joins:
  local:               {per_second: 1000, burst_count: 1000}
  remote:              {per_second: 1000, burst_count: 1000}
rc_joins_per_room:     {per_second: 1000, burst_count: 1000}
rc_invites:
  per_room:            {per_second: 1000, burst_count: 1000}
  per_user:            {per_second: 1000, burst_count: 1000}
  per_issuer:          {per_second: 1000, burst_count: 1000}
rc_room_creation:      {per_second: 1000, burst_count: 1000}
rc_key_requests:       {per_second: 1000, burst_count: 1000}
rc_admin_redaction:    {per_second: 1000, burst_count: 1000}
rc_profile:            {per_second: 1000, burst_count: 1000}
rc_media_create:       {per_second: 1000, burst_count: 1000}
YAML
  cat > "$DIR/log.config" <<YAML
version: 1
formatters:
  precise: {format: '%(asctime)s - %(name)s - %(levelname)s - %(request)s - %(message)s'}
handlers:
  file: {class: logging.FileHandler, formatter: precise, filename: $DIR/homeserver.log}
root: {level: INFO, handlers: [file]}
disable_existing_loggers: false
YAML
  "$VENV/bin/python" -m synapse.app.homeserver -c "$DIR/homeserver.yaml" --generate-keys
  "$VENV/bin/python" -m synapse.app.homeserver -c "$DIR/homeserver.yaml" --daemonize
  for _ in $(seq 1 300); do curl -fs -o /dev/null "$URL/_matrix/client/versions" && break; sleep 0.1; done
  curl -fsS -o /dev/null "$URL/_matrix/client/versions"   # fail loudly if still not up
  echo "synapse up at $URL (pid $(cat "$DIR/homeserver.pid"))"
  ;;
register)
  [ $# -eq 3 ] || { echo "usage: $0 register USER PASSWORD" >&2; exit 2; }
  # Shared-secret registration: HMAC-SHA1 over nonce\0user\0password\0notadmin.
  nonce=$(curl -fsS "$URL/_synapse/admin/v1/register" | sed -E 's/.*"nonce":"([^"]+)".*/\1/')
  mac=$(printf '%s\0%s\0%s\0notadmin' "$nonce" "$2" "$3" | openssl dgst -sha1 -hmac "$SECRET" | awk '{print $NF}')
  curl -fsS -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"nonce\":\"$nonce\",\"username\":\"$2\",\"password\":\"$3\",\"admin\":false,\"mac\":\"$mac\"}" \
    "$URL/_synapse/admin/v1/register"
  echo "registered @$2:localhost"
  ;;
stop)

  [ -f "$DIR/homeserver.pid" ] || exit 0
  pid=$(cat "$DIR/homeserver.pid"); kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.1; done
  echo "synapse did not stop in 10s, killing" >&2; kill -KILL "$pid"
  ;;
*)
  echo "usage: $0 start|stop|register USER PASSWORD" >&2; exit 2
  ;;
esac
