"""Cuts Discord's published OpenAPI document down to what the fake Discord
in tests/it/discord checks: the operations the adapter uses and every schema
they reach. Run it when Discord publishes a new document:

    python3 tests/discord/extract_openapi.py path/to/openapi.json > tests/discord/openapi.json
"""

import json
import sys

OPERATIONS = [
    ("/gateway", "get"),
    ("/gateway/bot", "get"),
    ("/oauth2/applications/@me", "get"),
    ("/applications/{application_id}/commands", "get"),
    ("/applications/{application_id}/commands", "put"),
    ("/applications/{application_id}/guilds/{guild_id}/commands", "get"),
    ("/applications/{application_id}/guilds/{guild_id}/commands", "put"),
    ("/interactions/{interaction_id}/{interaction_token}/callback", "post"),
    ("/webhooks/{webhook_id}/{webhook_token}", "post"),
    ("/webhooks/{webhook_id}/{webhook_token}/messages/@original", "patch"),
    ("/webhooks/{webhook_id}/{webhook_token}/messages/@original", "delete"),
    ("/users/@me/channels", "post"),
    ("/channels/{channel_id}/messages", "post"),
    ("/channels/{channel_id}/messages/{message_id}", "delete"),
    ("/channels/{channel_id}/messages/{message_id}", "patch"),
    ("/channels/{channel_id}", "get"),
    ("/channels/{channel_id}/threads", "post"),
    ("/channels/{channel_id}/thread-members", "get"),
    ("/channels/{channel_id}/thread-members/{user_id}", "put"),
]


def refs(node, found):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref not in found:
            found.add(ref)
        for value in node.values():
            refs(value, found)
    elif isinstance(node, list):
        for value in node:
            refs(value, found)


def resolve(document, ref):
    node = document
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


def main():
    document = json.load(open(sys.argv[1]))
    paths = {}
    for path, method in OPERATIONS:
        paths.setdefault(path, {})[method] = document["paths"][path][method]
    found, done = set(), set()
    refs(paths, found)
    while found - done:
        ref = sorted(found - done)[0]
        done.add(ref)
        refs(resolve(document, ref), found)
    components = {}
    for ref in sorted(done):
        _, section, name = ref.lstrip("#/").split("/", 2)
        components.setdefault(section, {})[name] = resolve(document, ref)
    subset = {
        "openapi": document["openapi"],
        "info": document["info"],
        "paths": paths,
        "components": components,
    }
    json.dump(subset, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


main()
