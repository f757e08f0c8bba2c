# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Openport modules' examples: what they return, what the emulator holds and received afterwards."""

from __future__ import annotations

import collections
import datetime
import sys

from examples_lib import expect

# The keys the examples name inline (openport_key, openport_keys, openport_key_info).
WEB1 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKp90n2MjYJqlSWICdbyZbJ7YYmz+ovher++L8Etsi1e deploy@web-1"
WEB1_NEW = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIgAswxZ+Ee2+8EWvRT/kjgGvwfcS7NSdvKRlS/h7zVB deploy@web-1"
BACKUP = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMcwfV1W/NukHT72n5oo7ZyVkepQqWIV3+G5WGuwnMlm deploy@backup"


def key_data(text):
    return " ".join(text.split()[:2])


def keys_by_data(state):
    return dict((key_data(k["public_key"]), k) for k in state["openport"]["keys"])


def methods(writes):
    return sorted(method for method, _provider, _path in writes)


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def check_openport_key(run, examples):
    run.reset()
    before = keys_by_data(run.ctl.state())
    got, _folder = run.play("openport_key", examples)
    after = keys_by_data(run.ctl.state())
    expect(got["web1_key"]["changed"] and got["web1_key"]["key"]["name"] == "web-1", "the key was registered",
           got["web1_key"])
    expect(after == before, "the account holds the keys it held before (registered, renamed, replaced, removed)",
           sorted(set(after) ^ set(before)))
    # create, rename, the new key created and the old one deleted, then the removal by name
    writes = run.writes()
    expect(methods(writes) == ["DELETE", "DELETE", "PATCH", "POST", "POST"], "the writes", writes)
    expect(all(provider == "openport" for _m, provider, _p in writes), "only Openport was written to", writes)


def check_openport_keys(run, examples):
    run.reset()
    before = run.ctl.state()["openport"]["keys"]
    got, _folder = run.play("openport_keys", examples)
    after = keys_by_data(run.ctl.state())
    expect(got["fleet"]["counts"] == {"created": 2, "updated": 0, "removed": 0, "unchanged": 0}, "the fleet's counts",
           got["fleet"]["counts"])
    # check mode: every key but web-1 would be removed, backup-1 included; nothing was
    expect(got["stale"]["changed"] and sorted(k["name"] for k in got["stale"]["removed"])
           == sorted([k["name"] for k in before] + ["backup-1"]), "the check run's removals", got["stale"]["removed"])
    expect(after[key_data(WEB1)]["name"] == "web-1" and key_data(BACKUP) not in after
           and len(after) == len(before) + 1, "web-1 stays, backup-1 is gone, the others are kept", sorted(after))
    expect(methods(run.writes()) == ["DELETE", "POST", "POST"], "two creates and one delete, none in check mode",
           run.writes())


def check_openport_key_info(run, examples):
    run.reset(items={"openport/keys": [{"name": "web-1", "public_key": WEB1}]})
    state = run.ctl.state()
    got, _folder = run.play("openport_key_info", examples)
    names = sorted(k["name"] for k in state["openport"]["keys"])
    expect(sorted(k["name"] for k in got["all_keys"]["ssh_keys"]) == names, "all keys", got["all_keys"]["ssh_keys"])
    limit = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=90)
    stale = sorted(k["name"] for k in state["openport"]["keys"]
                   if k["last_connection_time"] and parse_time(k["last_connection_time"]) < limit)
    expect(sorted(k["name"] for k in got["stale"]["ssh_keys"]) == stale == ["Pi London"], "keys unused for 90 days",
           got["stale"]["ssh_keys"], stale)
    expect([k["name"] for k in got["found"]["ssh_keys"]] == ["web-1"], "the key found by its public key",
           got["found"]["ssh_keys"])
    expect(run.writes() == [], "an info module writes nothing", run.writes())


def check_openport_node_info(run, examples):
    run.reset()
    got, folder = run.play("openport_node_info", examples)
    nodes = run.ctl.state()["openport"]["nodes"]
    expect(got["nodes"]["nodes"] == nodes, "the nodes as the API lists them", got["nodes"]["nodes"], nodes)
    active = [n["public_dns_name"] for n in nodes if n["status"] == "active"]
    with open(folder + "/output.txt", encoding="utf-8") as handle:
        output = handle.read()
    expect(active and all(name in output for name in active), "the debug task shows the active nodes' names", active)


def check_openport_link_click_info(run, examples):
    run.reset()
    clicks = run.ctl.state()["openport"]["openforiplinkclicks"]
    got, _folder = run.play("openport_link_click_info", examples)
    since = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1)
    recent = [c for c in clicks if parse_time(c["timestamp"]) >= since]
    expect(len(got["recent"]["clicks"]) == len(recent) == 4, "the clicks of the last 24 hours",
           got["recent"]["clicks"], recent)
    office = [c for c in clicks if c["key_name"] == "root@HQ" and c["source_ip"].startswith("198.51.100.")]
    expect(sorted(c["source_ip"] for c in got["office_clicks"]["clicks"]) == sorted(c["source_ip"] for c in office)
           and len(office) == 3, "root@HQ's clicks from the office", got["office_clicks"]["clicks"], office)
    expect(run.writes() == [], "an info module writes nothing", run.writes())


# The hosts the examples run on, as a play's pre_tasks run: the account's Openport sessions, through the
# inventory, with a local connection (this test reaches no machine; tests/e2e does, over real SSH).
IP_LINK_SOURCE = """plugin: tunnelops.tunnels.tunnel_sessions
providers: [openport]
compose:
  ansible_connection: "'local'"
  ansible_python_interpreter: "'%s'"
"""


def clicks_of(state):
    """The click log as a multiset of ports (rows have no id)."""
    return collections.Counter(c["port"] for c in state["openport"]["openforiplinkclicks"])


def check_openport_ip_link(run, examples):
    run.reset()
    state = run.ctl.state()
    ports = sorted(s["port"] for s in state["openport"]["sessions"])
    before = clicks_of(state)
    got, _folder = run.play("openport_ip_link", examples,
                            inventory=("openport.tunnel_sessions.yml", IP_LINK_SOURCE % sys.executable))
    clicks = clicks_of(run.ctl.state()) - before
    expect(sorted(clicks.elements()) == sorted(ports * 2) and len(ports) == 4,
           "every session's link opened by the play's task, then again for the known address 203.0.113.10 "
           "(the other tasks find the ports open)", sorted(clicks.elements()), ports)
    plan = got["plan"]
    expect(not plan["changed"] and [link["action"] for link in plan["links"]] == ["unchanged", "unchanged"]
           and [link["port"] for link in plan["links"]] == [6260, 31022], "the check run would open nothing",
           plan)
    expect(run.writes() == [], "the links are not API writes", run.writes())


CHECKS = {
    ("module", "openport_ip_link"): check_openport_ip_link,
    ("module", "openport_key"): check_openport_key,
    ("module", "openport_keys"): check_openport_keys,
    ("module", "openport_key_info"): check_openport_key_info,
    ("module", "openport_node_info"): check_openport_node_info,
    ("module", "openport_link_click_info"): check_openport_link_click_info,
}
