# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import struct

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._audit import rules as audit
from ansible_collections.tunnelops.tunnels.plugins.module_utils._audit.records import (
    parse_time, version_tuple)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.addresses import parse_ip

NOW = datetime.datetime(2026, 11, 25, 12, 0, 0, tzinfo=datetime.timezone.utc)
RECENT = "2026-11-20T10:00:00+01:00"
OLD = "2025-10-01T09:00:00+02:00"


def _string(data):
    return struct.pack(">I", len(data)) + data


def _mpint(value):
    raw = value.to_bytes((value.bit_length() + 8) // 8, "big")
    return _string(raw)


def _odd(seed, bits):
    digest = b"".join(hashlib.sha256(("%s-%d" % (seed, i)).encode()).digest() for i in range(bits // 256 + 1))
    return int.from_bytes(digest, "big") % (1 << bits) | (1 << (bits - 1)) | 1


def ed25519(seed):
    blob = _string(b"ssh-ed25519") + _string(hashlib.sha256(seed.encode()).digest())
    return "ssh-ed25519 " + base64.b64encode(blob).decode() + " " + seed


def rsa(seed, bits):
    blob = _string(b"ssh-rsa") + _mpint(65537) + _mpint(_odd(seed, bits))
    return "ssh-rsa " + base64.b64encode(blob).decode()


def dsa(seed):
    sizes = (("p", 1024), ("q", 160), ("g", 1024), ("y", 1024))
    blob = _string(b"ssh-dss") + b"".join(_mpint(_odd(seed + n, b)) for n, b in sizes)
    return "ssh-dss " + base64.b64encode(blob).decode()


def op_key(ident, name, public_key, last=RECENT, created="2024-01-01T00:00:00+01:00"):
    return {"id": ident, "url": "https://x/api/v2/keys/%d/" % ident, "name": name, "public_key": public_key,
            "last_connection_time": last, "creation_time": created, "redirect_token": "SECRETREDIRECT"}


def ng_key(ident, description, public_key):
    return {"id": ident, "description": description, "public_key": public_key, "created_at": "2024-01-01T00:00:00Z",
            "acl": [], "uri": "https://x/ssh_credentials/" + ident}


def clean_data():
    return {
        "openport_keys": [op_key(1, "alice", ed25519("alice")), op_key(2, "bob", rsa("bob", 3072))],
        "ngrok_ssh_credentials": [ng_key("sshcr_alice", "alice", ed25519("alice"))],
        "ngrok_credentials": [{"id": "cr_1", "description": "ci", "token": None}],
        "sessions": [
            {"provider": "ngrok", "id": "tn_1", "session_id": "ts_1", "key_id": "cr_1", "key_name": "ci",
             "key_known": True, "client_ip": "10.1.2.3", "agent_version": "3.19.0",
             "public_url": "tcp://0.tcp.ngrok.io:1"},
            {"provider": "openport", "id": "openport-x-1", "session_id": "openport-x-1", "key_id": "1",
             "key_name": "alice", "key_known": True, "client_ip": None, "agent_version": None},
        ],
        "session_history": [{"start_time": "2026-11-24T10:00:00.000+00:00", "client_ip": "[10.9.9.9]:4000",
                             "token_value": "HISTTOKEN123", "domains": ["a.pinggy.link"], "mode": "tcp"}],
        "link_clicks": [{"port": 1, "source_ip": "10.0.0.7", "timestamp": RECENT, "key_name": "alice"}],
        "approved_keys": [{"name": "alice", "public_key": ed25519("alice"), "providers": ["openport", "ngrok"]},
                          {"name": "bob", "public_key": rsa("bob", 3072), "providers": ["openport"]}],
    }


POLICY = {"allowed_cidrs": ["10.0.0.0/8"], "min_agent_version": "3.2.0", "stale_days": 90}


def rules_of(findings):
    return sorted((f["rule"], f["provider"], str(f["object"]["id"])) for f in findings)


def test_clean_fleet_has_no_findings():
    assert audit.audit(clean_data(), POLICY, NOW) == []


def test_each_rule_fires_once_on_its_case():
    data = clean_data()
    data["openport_keys"] += [
        op_key(3, "weak", rsa("weak", 1024)),
        op_key(4, "dsa", dsa("dsa")),
        op_key(5, "stale", ed25519("stale"), last=OLD),
        op_key(6, "never", ed25519("never"), last=None),
        op_key(7, "broken", "ssh-ed25519 AAAA-not-base64"),
        op_key(8, "alice-laptop", ed25519("alice")),
    ]
    data["ngrok_ssh_credentials"].append(ng_key("sshcr_rogue", "rogue", ed25519("rogue")))
    data["approved_keys"] += [{"name": "carol", "public_key": ed25519("carol"), "providers": ["ngrok"]}]
    data["approved_keys"] += [{"name": k, "public_key": v, "providers": ["openport"]} for k, v in (
        ("weak", rsa("weak", 1024)), ("dsa", dsa("dsa")), ("stale", ed25519("stale")), ("never", ed25519("never")))]
    data["sessions"] += [
        {"provider": "ngrok", "id": "tn_2", "session_id": "ts_2", "key_id": "cr_gone", "key_name": None,
         "key_known": False, "client_ip": "10.1.1.1", "agent_version": "3.19.0"},
        {"provider": "ngrok", "id": "tn_3", "session_id": "ts_3", "key_id": "cr_1", "key_known": True,
         "client_ip": "203.0.113.5", "agent_version": "2.3.40"},
        {"provider": "ngrok", "id": "tn_4", "session_id": "ts_3", "key_id": "cr_1", "key_known": True,
         "client_ip": "203.0.113.5", "agent_version": "2.3.40"},
    ]
    data["link_clicks"] += [{"port": 9, "source_ip": "198.51.100.7", "timestamp": RECENT, "key_name": "alice"},
                            {"port": 9, "source_ip": "198.51.100.7", "timestamp": OLD, "key_name": "alice"}]
    data["session_history"].append({"start_time": "2026-11-24T11:00:00.000+00:00",
                                    "client_ip": "[192.0.2.44]:1234", "token_value": "HISTTOKEN456",
                                    "domains": ["b.pinggy.link"]})
    findings = audit.audit(data, POLICY, NOW)
    dup = [f for f in findings if f["rule"] == "duplicate_key"][0]
    assert rules_of(findings) == sorted([
        ("weak_key", "openport", "3"), ("weak_key", "openport", "4"), ("stale_key", "openport", "5"),
        ("never_used_key", "openport", "6"), ("unparseable_key", "openport", "7"),
        ("duplicate_key", "multiple", dup["object"]["id"]),
        ("unapproved_key", "ngrok", "sshcr_rogue"), ("missing_key", "ngrok", findings_fp(findings, "carol")),
        ("unknown_credential", "ngrok", "ts_2"), ("client_outside_cidr", "ngrok", "ts_3"),
        ("old_agent", "ngrok", "ts_3"), ("click_outside_cidr", "openport", "198.51.100.7"),
        ("client_outside_cidr", "pinggy", "192.0.2.44"),
    ])
    assert dup["evidence"]["names"] == ["alice", "alice-laptop"]
    assert [h["id"] for h in dup["evidence"]["holders"]] == ["sshcr_alice", "1", "8"]
    click = [f for f in findings if f["rule"] == "click_outside_cidr"][0]
    assert click["evidence"]["count"] == 2 and click["evidence"]["ports"] == [9]
    assert click["evidence"]["first_seen"] == "2025-10-01T07:00:00Z"
    assert [f["evidence"]["weakness"] for f in findings if f["rule"] == "weak_key"] == [
        "RSA key of 1024 bits is below the minimum of 2048", "DSA keys are deprecated and insecure"]
    stale = [f for f in findings if f["rule"] == "stale_key"][0]
    assert stale["evidence"]["last_used"] == "2025-10-01T07:00:00Z"
    assert stale["evidence"]["days_since_last_use"] == 420
    assert [f["severity"] for f in findings] == sorted(
        (f["severity"] for f in findings), key=audit.SEVERITIES.index)


def findings_fp(findings, name):
    return [f for f in findings if f["object"]["name"] == name][0]["object"]["id"]


def test_no_secret_or_raw_field_reaches_findings():
    data = clean_data()
    data["session_history"][0]["client_ip"] = "[192.0.2.1]:5"
    data["link_clicks"][0]["source_ip"] = "192.0.2.2"
    data["openport_keys"][0]["last_connection_time"] = None
    text = json.dumps(audit.audit(data, POLICY, NOW))
    assert "HISTTOKEN123" not in text and "SECRETREDIRECT" not in text
    assert "token_value" not in text and "redirect_token" not in text


def test_ids_are_stable_and_order_is_deterministic():
    data = clean_data()
    data["openport_keys"] += [op_key(10, "w1", rsa("w1", 1024)), op_key(9, "w2", rsa("w2", 1024))]
    first = audit.audit(data, POLICY, NOW)
    data["openport_keys"].reverse()
    second = audit.audit(data, POLICY, NOW)
    assert first == second
    weak = [f for f in first if f["rule"] == "weak_key"]
    assert [f["object"]["id"] for f in weak] == ["9", "10"]
    assert len(set(f["id"] for f in first)) == len(first) == 4
    assert all(f["id"].startswith(f["rule"] + "-") for f in first)


def test_never_used_grace_and_ngrok_not_judged_on_use():
    data = {"openport_keys": [op_key(1, "new", ed25519("new"), last=None, created="2026-11-25T00:00:00Z")],
            "ngrok_ssh_credentials": [ng_key("sshcr_1", "x", ed25519("x"))]}
    assert audit.audit(data, {}, NOW) == []
    found = audit.audit(data, {"never_used_grace_days": 0}, NOW)
    assert rules_of(found) == [("never_used_key", "openport", "1")]


def test_same_name_on_two_providers_is_not_a_duplicate_unless_asked():
    data = {"openport_keys": [op_key(1, "alice", ed25519("a"))],
            "ngrok_ssh_credentials": [ng_key("sshcr_1", "alice", ed25519("a"))]}
    assert audit.audit(data, {}, NOW) == []
    found = audit.audit(data, {"duplicates_across_providers": True}, NOW)
    assert [f["rule"] for f in found] == ["duplicate_key"]


def test_drift_reasons_and_absent_entries():
    data = {"openport_keys": [op_key(1, "a", ed25519("a")), op_key(2, "b", ed25519("b"))],
            "ngrok_ssh_credentials": [ng_key("sshcr_1", "a", ed25519("a"))],
            "approved_keys": [{"name": "a", "public_key": ed25519("a"), "providers": ["openport"]},
                              {"name": "b", "public_key": ed25519("b"), "state": "absent"}]}
    found = audit.audit(data, {}, NOW)
    assert [(f["object"]["id"], f["evidence"]["reason"]) for f in found] == [
        ("sshcr_1", "the key is approved only for openport"), ("2", "the approved list marks this key absent")]
    # without an approved list there is no drift at all
    del data["approved_keys"]
    assert audit.audit(data, {}, NOW) == []


def test_missing_only_for_collected_providers():
    data = {"openport_keys": [], "approved_keys": [{"name": "a", "public_key": ed25519("a")}]}
    found = audit.audit(data, {}, NOW, collected=("openport",))
    assert rules_of(found) == [("missing_key", "openport", found[0]["object"]["id"])]
    assert found[0]["object"]["id"].startswith("SHA256:")


def test_unknown_credential_from_raw_ngrok_sessions():
    data = {"ngrok_credentials": [{"id": "cr_ok"}],
            "sessions": [{"id": "ts_a", "credential": {"id": "cr_ok"}, "ip": "1.1.1.1"},
                         {"id": "ts_b", "credential": {"id": "cr_gone"}, "ip": "1.1.1.1"}]}
    assert rules_of(audit.audit(data, {}, NOW)) == [("unknown_credential", "ngrok", "ts_b")]


def test_policy_overrides_disable_and_since():
    data = clean_data()
    data["openport_keys"].append(op_key(3, "weak", rsa("weak", 1024)))
    data["link_clicks"].append({"port": 1, "source_ip": "198.51.100.1", "timestamp": OLD, "key_name": "x"})
    policy = dict(POLICY, severities={"weak_key": "critical"}, since="2026-01-01")
    found = audit.audit(data, policy, NOW)
    assert [(f["rule"], f["severity"]) for f in found] == [("weak_key", "critical"), ("unapproved_key", "high")]
    policy["disabled_rules"] = ["unapproved_key"]
    assert [f["rule"] for f in audit.audit(data, policy, NOW)] == ["weak_key"]
    assert [f["rule"] for f in audit.audit(data, dict(policy, min_rsa_bits=1024), NOW)] == []


@pytest.mark.parametrize("policy, message", [
    ({"stale_days": -1}, "policy.stale_days must be a whole number"),
    ({"allowed_cidrs": ["10.0.0.0/33"]}, "policy.allowed_cidrs: '10.0.0.0/33' is not an IP address or a CIDR network"),
    ({"min_agent_version": "latest"}, "policy.min_agent_version: 'latest' is not a version"),
    ({"severities": {"weak_key": "urgent"}}, "policy.severities.weak_key: 'urgent' is not one of"),
    ({"severities": {"nope": "low"}}, "policy.severities: 'nope' is not a rule"),
    ({"disabled_rules": ["nope"]}, "policy.disabled_rules: nope not a rule"),
    ({"since": "yesterday"}, "policy.since: 'yesterday' is not an ISO 8601"),
    ({"colour": 1}, "policy.colour is not a policy setting"),
])
def test_bad_policy_names_the_setting(policy, message):
    with pytest.raises(audit.AuditPolicyError, match=message.replace(".", r"\.").replace("(", r"\(")):
        audit.audit({}, policy, NOW)


def test_unparseable_approved_key_is_an_error():
    with pytest.raises(audit.AuditPolicyError, match=r"approved_keys\[0\] \(x\): "):
        audit.audit({"approved_keys": [{"name": "x", "public_key": "ssh-rsa"}]}, {}, NOW)


def test_counts_and_summary():
    findings = [{"severity": "high", "rule": "weak_key", "provider": "openport"},
                {"severity": "low", "rule": "never_used_key", "provider": "openport"},
                {"severity": "high", "rule": "unknown_credential", "provider": "ngrok"}]
    counts = audit.count_findings(findings)
    assert counts["total"] == 3
    assert counts["by_severity"] == {"critical": 0, "high": 2, "medium": 0, "low": 1, "info": 0}
    assert counts["at_or_above"] == {"critical": 0, "high": 2, "medium": 2, "low": 3, "info": 3}
    assert counts["by_rule"]["weak_key"] == 1 and counts["by_rule"]["stale_key"] == 0
    assert counts["by_provider"] == {"ngrok": 1, "openport": 2}
    summary = audit.summarize_data(clean_data())
    assert summary == {"openport_keys": 2, "ngrok_ssh_credentials": 1, "ngrok_credentials": 1, "sessions": 2,
                       "session_history": 1, "link_clicks": 1, "sessions_openport": 1, "sessions_ngrok": 1,
                       "sessions_pinggy": 0, "approved_keys": 2}


def test_readers():
    assert parse_time("2016-11-13T00:18:19+01:00").isoformat() == "2016-11-12T23:18:19+00:00"
    assert parse_time("2023-04-11T06:17:26.261628+02:00").microsecond == 261628
    assert parse_time("2025-09-04T10:11:14Z").hour == 10
    assert parse_time("2026-11-01").day == 1
    assert parse_time("garbage") is None and parse_time(None) is None
    assert str(parse_ip("[5.7.152.215]:48696")) == "5.7.152.215"
    assert str(parse_ip("1.2.3.4:80")) == "1.2.3.4"
    assert str(parse_ip("[2001:db8::1]:80")) == "2001:db8::1"
    assert parse_ip("not an ip") is None
    assert version_tuple("3.4.0-beta") == (3, 4) and version_tuple("2.3.40") == (2, 3, 40)
    assert version_tuple("3") < version_tuple("3.0.1")


def test_an_out_of_range_offset_is_unreadable_not_a_crash():
    # audit's own copy of the timestamp parser raised ValueError from datetime.timezone() here.
    assert parse_time("2026-11-01T10:00:00+2500") is None
    keys = [{"id": 1, "name": "a", "public_key": clean_data()["openport_keys"][0]["public_key"],
             "last_connection_time": "2026-11-01T10:00:00+2500", "creation_time": "2026-11-01T10:00:00+25:00"}]
    assert [f["rule"] for f in audit.audit({"openport_keys": keys}, {}, NOW)] == ["never_used_key"]


def test_normalized_history_entries_split_into_clicks_and_sessions():
    history = [
        {"provider": "openport", "kind": "link_click", "started_at": "2026-11-24T10:00:00Z", "client_ip": "192.0.2.9",
         "public_port": 6260, "key_name": "alice", "raw": {"source_ip": "192.0.2.9"}},
        {"provider": "pinggy", "kind": "session", "started_at": "2026-11-24T11:00:00.5Z", "client_ip": "192.0.2.8",
         "client_port": 4000, "public_host": "a.pinggy.link", "raw": {"client_ip": "[192.0.2.8]:4000"}},
        {"provider": "pinggy", "kind": "session", "started_at": "2026-11-24T11:00:00Z", "client_ip": "10.0.0.1"},
    ]
    found = audit.audit({"history": history}, POLICY, NOW)
    assert rules_of(found) == [("click_outside_cidr", "openport", "192.0.2.9"),
                               ("client_outside_cidr", "pinggy", "192.0.2.8")]
    assert found[0]["evidence"]["ports"] == [6260] and found[0]["object"]["name"] == "alice"
    assert found[1]["evidence"]["hosts"] == ["a.pinggy.link"]
    assert found[1]["evidence"]["first_seen"] == "2026-11-24T11:00:00Z"
    summary = audit.summarize_data({"history": history})
    assert (summary["link_clicks"], summary["session_history"]) == (1, 2)
