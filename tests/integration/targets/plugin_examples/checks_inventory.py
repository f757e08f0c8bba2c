# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tunnel_sessions inventory's examples: each source, as its header comment names it, run by a real
ansible-inventory with the credentials and URLs in the environment, as an AWX inventory source gets them."""

from __future__ import annotations

import os
import re

from examples_lib import expect

HEADER = re.compile(r"^# (\S+\.tunnel_sessions\.ya?ml):", re.M)


def split_sources(examples):
    """{file name: source text} of the examples, each starting at its '# <name>.tunnel_sessions.yml:' line."""
    starts = [(m.start(), m.group(1)) for m in HEADER.finditer(examples)]
    expect(starts and not examples[:starts[0][0]].strip(), "every example starts with its file name in a comment",
           examples[:200])
    ends = [start for start, _name in starts[1:]] + [len(examples)]
    return dict((name, examples[start:end]) for (start, name), end in zip(starts, ends))


def hostvars(inventory):
    return inventory["_meta"]["hostvars"]


def members(inventory, group):
    return sorted((inventory.get(group) or {}).get("hosts", []))


def asked(run):
    """(provider, method) of every request since the reset."""
    return sorted(set((r["provider"], r["method"]) for r in run.ctl.requests()))


def ngrok_entries(state):
    """Each ngrok tunnel with its session and its credential's description."""
    ngrok = state["ngrok"]
    sessions = dict((s["id"], s) for s in ngrok["tunnel_sessions"])
    names = dict((c["id"], c.get("description") or None) for c in ngrok["credentials"])
    for tunnel in ngrok["tunnels"]:
        session = sessions[tunnel["tunnel_session"]["id"]]
        yield tunnel, session, names.get(session["credential"]["id"])


def openport_source(run, text):
    run.reset()
    state = run.ctl.state()
    inventory, _folder = run.inventory("openport.tunnel_sessions.yml", text)
    keys = dict((k["url"], k["name"]) for k in state["openport"]["keys"])
    wanted = sorted("%s-%s" % (keys[s["key"]], s["port"]) for s in state["openport"]["sessions"])
    expect(sorted(hostvars(inventory)) == wanted, "Openport's sessions, named <key name>-<port>",
           sorted(hostvars(inventory)), wanted)
    expect(asked(run) == [("openport", "GET")], "only Openport was asked", asked(run))


def ngrok_source(run, text):
    run.reset()
    state = run.ctl.state()
    # the source reads its API key from NGROK_KEY_PROD: NGROK_API_KEY is not set
    inventory, _folder = run.inventory("ngrok.tunnel_sessions.yml", text,
                                       env={"NGROK_KEY_PROD": run.config["ngrok_api_key"], "NGROK_API_KEY": ""})
    tcp = [(t, s, name) for t, s, name in ngrok_entries(state) if t["proto"] == "tcp"]
    found = dict((hv["tunnel_public_url"], hv) for hv in hostvars(inventory).values())
    expect(sorted(found) == sorted(t["public_url"] for t, _s, _n in tcp) and tcp, "ngrok's TCP tunnels",
           sorted(found))
    for tunnel, session, name in tcp:
        expect(found[tunnel["public_url"]]["tunnel_key_name"] == name, "named by the credential's description", name)
        group = "ngrok_region_" + found[tunnel["public_url"]]["tunnel_region"]
        expect(any(h in members(inventory, group) for h in hostvars(inventory)), "the region's group " + group,
               sorted(inventory))
        expect(found[tunnel["public_url"]]["tunnel_region"] in (tunnel.get("region"), session["region"]),
               "the tunnel's region", tunnel)
    expect(asked(run) == [("ngrok", "GET")], "only ngrok was asked", asked(run))


def ngrok_agents_source(run, text):
    run.reset()
    state = run.ctl.state()
    inventory, _folder = run.inventory("ngrok_agents.tunnel_sessions.yml", text)
    found = dict((hv["tunnel_public_url"], hv) for hv in hostvars(inventory).values())
    entries = list(ngrok_entries(state))
    expect(sorted(found) == sorted(t["public_url"] for t, _s, _n in entries), "every ngrok tunnel", sorted(found))
    for tunnel, session, _name in entries:
        hv = found[tunnel["public_url"]]
        expect((hv["agent_os"], hv["forwards_to"]) == (session["os"], tunnel["forwards_to"]),
               "the composed variables of " + tunnel["public_url"], hv)
        expect("tunnel_raw" not in hv, "the raw record is not a host variable")
    transports = sorted(set("transport_" + re.sub(r"[^A-Za-z0-9_]", "_", s["transport"]) for _t, s, _n in entries))
    expect(all(members(inventory, g) for g in transports), "the transport groups", transports, sorted(inventory))


def debug_source(run, text):
    run.reset()
    inventory, folder = run.inventory("debug.tunnel_sessions.yml", text)
    found = hostvars(inventory)
    expect(found and all(isinstance(hv.get("tunnel_raw"), dict) for hv in found.values()),
           "every host has the provider's record as tunnel_raw", sorted(found))
    expect(set(hv["tunnel_provider"] for hv in found.values()) == {"openport", "ngrok", "pinggy"},
           "the three providers (credentials from the environment)", sorted(found))
    with open(os.path.join(folder, "output.txt"), encoding="utf-8") as handle:
        output = handle.read()
    leaked = [s for s in run.ctl.secrets() if len(s) >= 6 and s in output]
    expect(not leaked, "no secret in the records", [s[:4] + "..." for s in leaked])


def pinggy_source(run, text):
    run.reset()
    state = run.ctl.state()
    inventory, _folder = run.inventory("pinggy.tunnel_sessions.yml", text)
    found = hostvars(inventory)
    expect(len(found) == len(state["pinggy"]["active"]) and all(hv["tunnel_provider"] == "pinggy"
                                                                for hv in found.values()),
           "Pinggy's active sessions", sorted(found))
    expect(all(hv["app_url"] == hv["tunnel_public_url"] for hv in found.values()), "app_url is the public URL")
    web = sorted(h for h, hv in found.items() if hv["tunnel_protocol"] == "http")
    expect(members(inventory, "web") == web and web, "the web group holds the HTTP tunnels", members(inventory, "web"))
    expect(asked(run) == [("pinggy", "GET")], "only Pinggy was asked", asked(run))


def all_source(run, text):
    run.reset(items={"pinggy/active": [{"mode": "tcp", "tokenName": "tmp-laptop"}]})
    inventory, folder = run.inventory("all.tunnel_sessions.yml", text)
    found = hostvars(inventory)
    expect(found and all(hv["tunnel_protocol"] in ("tcp", "tlstcp") for hv in found.values()),
           "only TCP and TLS-TCP sessions", sorted((h, hv["tunnel_protocol"]) for h, hv in found.items()))
    expect(not [hv for hv in found.values() if (hv["tunnel_key_name"] or "").startswith("tmp-")],
           "sessions of tmp- keys are left out", sorted(found))
    expect(all(hv["ansible_user"] == "deploy" for hv in found.values()), "ansible_user from compose")
    for host, hv in found.items():
        if hv["tunnel_key_name"]:
            expect(host.startswith(hv["tunnel_provider"] + "-"), "named <provider>-<key name>: " + host)
    expect(members(inventory, "proto_tcp") and members(inventory, "provider_openport"), "the groups", sorted(inventory))
    cache = os.path.join(folder, "home", ".cache")
    expect(os.path.isdir(cache) and any(files for _d, _s, files in os.walk(cache)), "the cache is under the user's "
           "home", cache)
    requests = len(run.ctl.requests())
    again, _folder = run.inventory("all.tunnel_sessions.yml", text, again=True)
    expect(len(run.ctl.requests()) == requests and sorted(hostvars(again)) == sorted(found),
           "the second run within five minutes reads the cache", len(run.ctl.requests()) - requests)


SOURCES = {
    "openport.tunnel_sessions.yml": openport_source,
    "ngrok.tunnel_sessions.yml": ngrok_source,
    "ngrok_agents.tunnel_sessions.yml": ngrok_agents_source,
    "debug.tunnel_sessions.yml": debug_source,
    "pinggy.tunnel_sessions.yml": pinggy_source,
    "all.tunnel_sessions.yml": all_source,
}


def check_tunnel_sessions(run, examples):
    sources = split_sources(examples)
    expect(sorted(sources) == sorted(SOURCES), "a check for every example source (SOURCES here)", sorted(sources))
    for name, text in sources.items():
        SOURCES[name](run, text)


CHECKS = {("inventory", "tunnel_sessions"): check_tunnel_sessions}
