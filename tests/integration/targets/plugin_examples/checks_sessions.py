# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The examples of the modules over all providers: sessions, history and the key audit."""

from __future__ import annotations

import datetime

from checks_ngrok import key_file
from checks_openport import WEB1, parse_time
from examples_lib import expect
from tests.support.inventory import expected_sessions

UTC = datetime.timezone.utc


def ago(**delta):
    return (datetime.datetime.now(UTC) - datetime.timedelta(**delta)).isoformat()


def reads_only(run, providers):
    requests = run.ctl.requests()
    expect(not [r for r in requests if r["write"]], "the examples only read", [r for r in requests if r["write"]])
    expect(set(r["provider"] for r in requests) == set(providers), "the providers asked",
           sorted(set(r["provider"] for r in requests)))


def check_tunnel_session_info(run, examples):
    run.reset(items={"openport/keys": [{"id": 5001, "name": "web-1", "public_key": WEB1}],
                     "openport/sessions": [{"key": 5001, "port": 41001, "local_port": 22}],
                     "pinggy/active": [{"mode": "tcp", "tokenName": "web-2", "port": 41002},
                                       {"mode": "http", "tokenName": "web-3"}]})
    entries = expected_sessions(run.ctl.state())
    got, _folder = run.play("tunnel_session_info", examples)
    found = sorted((s["provider"], s["id"]) for s in got["found"]["sessions"])
    expect(found == sorted((e["provider"], e["id"]) for e in entries) and got["found"]["errors"] == [],
           "every active session of the three providers", found)
    web = sorted((s["provider"], s["key_name"], s["public_port"]) for s in got["web"]["sessions"])
    expect(web == [("openport", "web-1", 41001), ("pinggy", "web-2", 41002)], "the web keys' TCP sessions", web)
    ssh = sorted(e["public_url"] for e in entries if e["local_port"] == 22)
    expect(sorted(got["ssh"]["query_result"]) == ssh and len(ssh) >= 3, "the URLs of the sessions to port 22",
           got["ssh"]["query_result"], ssh)
    reads_only(run, ("openport", "ngrok", "pinggy"))


def history_days(state, start, end):
    """Pinggy history rows and Openport clicks that start on a UTC day from ``start`` to ``end``."""
    def within(stamp):
        return start <= parse_time(stamp).astimezone(UTC).date() <= end
    rows = [r for r in state["pinggy"]["history"] if within(r["start_time"])]
    clicks = [c for c in state["openport"]["openforiplinkclicks"] if within(c["timestamp"])]
    return rows, clicks


def check_tunnel_session_history_info(run, examples):
    run.reset()
    state = run.ctl.state()
    today = datetime.datetime.now(UTC).date()
    got, _folder = run.play("tunnel_session_history_info", examples)
    rows, clicks = history_days(state, today - datetime.timedelta(days=6), today)
    week = got["week"]
    expect((len([e for e in week["history"] if e["provider"] == "pinggy"]),
            len([e for e in week["history"] if e["provider"] == "openport"])) == (len(rows), len(clicks))
           and rows and clicks and week["errors"] == [], "a week of both providers' history",
           week["window"], len(week["history"]), len(rows), len(clicks))
    rows, _clicks = history_days(state, today - datetime.timedelta(days=2), today)
    recent = got["recent_pinggy"]["query_result"]
    expect(sorted(e["ip"] for e in recent) == sorted(r["client_ip"].split("]")[0].strip("[") for r in rows)
           and rows, "Pinggy's sessions of the last three days with their addresses", recent, rows)
    _rows, clicks = history_days(state, today, today)
    opened = sorted(c["source_ip"] for c in clicks if c["port"] == 6260)
    expect(sorted(got["port_6260"]["query_result"]) == opened and opened, "who opened port 6260 today",
           got["port_6260"]["query_result"], opened)
    reads_only(run, ("openport", "pinggy"))


def check_key_audit_findings(run, examples):
    alice, bob = key_file("keys/alice.pub"), key_file("keys/bob.pub")
    run.reset(seed="empty", items={
        "openport/keys": [{"name": "alice", "public_key": alice, "last_connection_time": ago(days=2)}],
        "openport/openforiplinkclicks": [{"port": 41003, "key_name": "alice", "source_ip": "203.0.113.9",
                                          "timestamp": ago(hours=1)}],
        "ngrok/credentials": [{"id": "cr_2AuditCredential00000000000", "description": "office agents"}],
        "ngrok/ssh_credentials": [{"public_key": alice, "description": "alice"},
                                  {"public_key": bob, "description": "bob"}],
        "ngrok/tunnel_sessions": [{"credential": "cr_2AuditCredential00000000000", "agent_version": "3.1.0",
                                   "ip": "192.0.2.10"}]})
    got, _folder = run.play("key_audit_findings", examples)
    audit = got["audit"]
    found = sorted((f["rule"], f["severity"]) for f in audit["findings"])
    expect(found == [("click_outside_cidr", "medium"), ("old_agent", "medium")], "the findings of this fleet", found)
    expect(audit["counts"]["at_or_above"]["high"] == 0, "no high finding: the last example passed", audit["counts"])
    reads_only(run, ("openport", "ngrok", "pinggy"))


CHECKS = {
    ("module", "tunnel_session_info"): check_tunnel_session_info,
    ("module", "tunnel_session_history_info"): check_tunnel_session_history_info,
    ("module", "key_audit_findings"): check_key_audit_findings,
}
