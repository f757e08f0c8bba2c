"""The naive way, as a user without this collection would write it: one request after another.

Openport and Pinggy with ``requests`` in a loop (following ``next`` with the API's default
page size), ngrok with the official ``ngrok-api`` SDK, which walks its cursor pages itself.

    python naive.py inventory OUT.json      list every active session of the three providers
    python naive.py ngrok-ssh KEYS.json     create each SSH credential; on HTTP 429 wait 1 s and retry

The connection settings come from the environment (the same variables the collection reads).
Prints one JSON line: what was done and how many HTTP 429 answers the user saw.
"""

from __future__ import annotations

import json
import os
import sys
import time

import ngrok
import requests


def openport_list(session, base, path):
    url, params, items = "%s/%s" % (base, path), {"token": os.environ["OPENPORT_TOKEN"]}, []
    while url:
        page = session.get(url, params=params, timeout=60)
        page.raise_for_status()
        data = page.json()
        items.extend(data["results"])
        url, params = data.get("next"), None   # ``next`` carries the token and the offset
    return items


def inventory(out_path):
    session = requests.Session()
    openport_base = os.environ["OPENPORT_API_URL"].rstrip("/")
    op_sessions = openport_list(session, openport_base, "sessions/")
    op_keys = openport_list(session, openport_base, "keys/")

    client = ngrok.Client(os.environ["NGROK_API_KEY"], base_url=os.environ["NGROK_API_BASE_URL"])
    ng_sessions = [{"id": s.id, "credential": s.credential.id if s.credential else None, "region": s.region,
                    "ip": s.ip, "agent_version": s.agent_version} for s in client.tunnel_sessions.list()]
    ng_tunnels = [{"id": t.id, "public_url": t.public_url, "proto": t.proto, "forwards_to": t.forwards_to,
                   "region": t.region, "started_at": t.started_at,
                   "tunnel_session": t.tunnel_session.id if t.tunnel_session else None}
                  for t in client.tunnels.list()]
    ng_creds = [{"id": c.id, "description": c.description} for c in client.credentials.list()]
    ng_ssh = [{"id": c.id, "description": c.description} for c in client.ssh_credentials.list()]

    pinggy = session.get(os.environ["PINGGY_API_URL"].rstrip("/") + "/session/active", timeout=60,
                         headers={"Authorization": "Bearer " + os.environ["PINGGY_API_KEY"]})
    pinggy.raise_for_status()
    pg_sessions = pinggy.json()

    with_tunnels = set(t["tunnel_session"] for t in ng_tunnels)
    entries = len(op_sessions) + len(ng_tunnels) + len(pg_sessions) + \
        sum(1 for s in ng_sessions if s.get("id") not in with_tunnels)
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump({"openport": {"sessions": op_sessions, "keys": op_keys},
                   "ngrok": {"tunnel_sessions": ng_sessions, "tunnels": ng_tunnels, "credentials": ng_creds,
                             "ssh_credentials": ng_ssh},
                   "pinggy": pg_sessions}, handle)
    return {"entries": entries, "http_429": 0}


def ngrok_ssh(keys_path):
    with open(keys_path, encoding="utf-8") as handle:
        keys = json.load(handle)
    client = ngrok.Client(os.environ["NGROK_API_KEY"], base_url=os.environ["NGROK_API_BASE_URL"])
    created = refused = 0
    for item in keys:
        while True:
            try:
                client.ssh_credentials.create(public_key=item["public_key"], description=item["description"])
                created += 1
                break
            except ngrok.Error as exc:
                if getattr(exc, "http_status_code", None) != 429:
                    raise
                refused += 1
                time.sleep(1)
    return {"created": created, "http_429": refused}


def main(argv):
    if len(argv) != 2 or argv[0] not in ("inventory", "ngrok-ssh"):
        print(__doc__, file=sys.stderr)
        return 2
    result = inventory(argv[1]) if argv[0] == "inventory" else ngrok_ssh(argv[1])
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
