# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tunnel_sessions inventory's examples: each source, as its header comment names it, run by a real
ansible-inventory with the credentials and URLs in the environment, as an AWX inventory source gets them."""

from __future__ import annotations

import os
import re

from examples_lib import expect
from tests.support.inventory import expected_names, expected_sessions

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


def entries_of(state, provider, protocols=None):
    """The sessions the inventory must show (tests.support.inventory), of one provider."""
    return [e for e in expected_sessions(state)
            if e["provider"] == provider and (protocols is None or e["protocol"] in protocols)]


def by_url(inventory):
    return dict((hv["tunnel_public_url"], hv) for hv in hostvars(inventory).values())


def openport_source(run, text):
    # a session of a key the account does not list: no key name, so named by its id
    run.reset(items={"openport/sessions": [{"key": 999999, "port": 41005}]})
    entries = entries_of(run.ctl.state(), "openport")
    inventory, _folder = run.inventory("openport.tunnel_sessions.yml", text)
    wanted = sorted("%s-%s" % (e["key_name"], e["record"]["port"]) if e["key_name"] else e["id"] for e in entries)
    expect(sorted(hostvars(inventory)) == wanted and len(entries) == 5, "Openport's sessions, named "
           "<key name>-<port>, else by id", sorted(hostvars(inventory)), wanted)
    expect(asked(run) == [("openport", "GET")], "only Openport was asked", asked(run))


def ngrok_source(run, text):
    run.reset()
    tcp = entries_of(run.ctl.state(), "ngrok", ("tcp",))
    # the source reads its API key from NGROK_KEY_PROD: NGROK_API_KEY is not set
    inventory, _folder = run.inventory("ngrok.tunnel_sessions.yml", text,
                                       env={"NGROK_KEY_PROD": run.config["ngrok_api_key"], "NGROK_API_KEY": ""})
    found = by_url(inventory)
    expect(sorted(found) == sorted(e["public_url"] for e in tcp) and tcp, "ngrok's TCP tunnels", sorted(found))
    for entry in tcp:
        hv = found[entry["public_url"]]
        expect((hv["tunnel_key_name"], hv["tunnel_region"]) == (entry["key_name"], entry["region"]),
               "named by the credential's description, in its region", hv)
        expect(any(h in members(inventory, "ngrok_region_" + entry["region"]) for h in hostvars(inventory)),
               "the region's group", sorted(inventory))
    expect(asked(run) == [("ngrok", "GET")], "only ngrok was asked", asked(run))


def ngrok_agents_source(run, text):
    run.reset()
    entries = entries_of(run.ctl.state(), "ngrok")
    inventory, _folder = run.inventory("ngrok_agents.tunnel_sessions.yml", text)
    found = by_url(inventory)
    expect(sorted(found) == sorted(e["public_url"] for e in entries), "every ngrok tunnel", sorted(found))
    for entry in entries:
        hv, record = found[entry["public_url"]], entry["record"]
        expect((hv["agent_os"], hv["forwards_to"]) == (record["session"]["os"], record["tunnel"]["forwards_to"]),
               "the composed variables of " + entry["public_url"], hv)
        expect("tunnel_raw" not in hv, "the raw record is not a host variable")
    transports = sorted(set("transport_" + re.sub(r"[^A-Za-z0-9_]", "_", e["record"]["session"]["transport"])
                            for e in entries))
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
    leaked = [s for s in run.ctl.all_secrets() if s in output]
    expect(not leaked, "no secret in the records", [s[:4] + "..." for s in leaked])


def pinggy_source(run, text):
    run.reset()
    entries = entries_of(run.ctl.state(), "pinggy")
    inventory, _folder = run.inventory("pinggy.tunnel_sessions.yml", text)
    found = hostvars(inventory)
    expect(sorted(by_url(inventory)) == sorted(e["public_url"] for e in entries), "Pinggy's active sessions",
           sorted(found))
    expect(all(hv["app_url"] == hv["tunnel_public_url"] for hv in found.values()), "app_url is the public URL")
    web = sorted(h for h, hv in found.items() if hv["tunnel_protocol"] == "http")
    expect(members(inventory, "web") == web and web, "the web group holds the HTTP tunnels", members(inventory, "web"))
    expect(asked(run) == [("pinggy", "GET")], "only Pinggy was asked", asked(run))


def all_source(run, text):
    # a session of a tmp- key (left out), and one without a key name (named by its id, never "pinggy-")
    run.reset(items={"pinggy/active": [{"mode": "tcp", "tokenName": "tmp-laptop"}, {"mode": "tcp", "port": 41006}]})
    entries = [e for e in expected_sessions(run.ctl.state()) if e["protocol"] in ("tcp", "tlstcp")
               and not (e["key_name"] or "").startswith("tmp-")]
    inventory, folder = run.inventory("all.tunnel_sessions.yml", text)
    found = hostvars(inventory)
    wanted = expected_names([dict(e, name="%s-%s" % (e["provider"], e["key_name"]) if e["key_name"] else None)
                             for e in entries], "name")
    expect(sorted(found) == sorted(wanted) and any(not e["key_name"] for e in entries), "TCP and TLS-TCP sessions "
           "but the tmp- keys', named <provider>-<key name>, else by id", sorted(found), sorted(wanted))
    expect(all(hv["ansible_user"] == "deploy" for hv in found.values()), "ansible_user from compose")
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
