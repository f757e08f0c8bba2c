# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input to every module and both roles: a clear error naming the option, and zero writes.

(The inventory's bad sources are in test_inventory.py.) Every case runs as a real task of a
generated playbook; the emulator's request log after it must hold no write.
"""

from __future__ import annotations

import datetime
import os

import pytest

import cases as C
import harness

KEY = C.NEW_KEYS["rel-created"]
KEY2 = C.NEW_KEYS["rel-bulk-1"]
# The file name a hostile key_audit_report_name aims at (18.8): it must not appear anywhere.
ESCAPED = "escaped-reliability-report"
TODAY = datetime.datetime.now(datetime.timezone.utc).date()


def m(module, **args):
    return {"tunnelops.tunnels." + module: args}


def role(name, **variables):
    return {"ansible.builtin.include_role": {"name": "tunnelops.tunnels." + name}, "vars": variables}


# (id, task, text the error must hold, is a role)
BAD = [
    # openport_key
    ("openport_key-public_key-not-a-key", m("openport_key", public_key="not a key", name="x"), "public_key", 0),
    ("openport_key-public_key-truncated", m("openport_key", public_key="ssh-rsa AAAAB3NzaC1yc2E= x", name="x"),
     "public_key", 0),
    ("openport_key-name-blank", m("openport_key", public_key=KEY, name="   "), "name", 0),
    ("openport_key-present-without-name", m("openport_key", public_key=KEY), "name", 0),
    ("openport_key-absent-without-key-or-name", m("openport_key", state="absent"), "public_key, name", 0),
    ("openport_key-state-unknown", m("openport_key", public_key=KEY, name="x", state="gone"), "state", 0),
    ("openport_key-name-taken (conflict)", m("openport_key", public_key=KEY, name="root@HQ"), "name", 0),
    ("openport_key-timeout-negative", m("openport_key_info", timeout=-1), "timeout", 0),
    ("openport_key-retries-not-int", m("openport_key_info", retries="many"), "retries", 0),
    ("openport_key-url-not-http", m("openport_key_info", openport_api_url="ftp://example.com/api"),
     "openport_api_url", 0),
    ("openport_key-missing-credential", m("openport_key_info", openport_token=""), "openport_token", 0),
    ("openport_key-public_key-empty (an empty .pub file)", m("openport_key", public_key="", name="x"),
     "public_key", 0),
    ("openport_key-name-100kB", m("openport_key", public_key=KEY, name="n" * 100000), "name", 0),
    ("openport_key-name-two-lines", m("openport_key", public_key=KEY, name="web\n1"), "name", 0),
    # openport_keys
    ("openport_keys-keys-not-a-list", m("openport_keys", keys="notalist"), "option 'keys'", 0),
    ("openport_keys-every-problem-of-an-item", m("openport_keys", keys=[{"public_key": "", "name": ""}]),
     "keys[0].name", 0),
    ("openport_keys-empty-exclusive", m("openport_keys", keys=[], exclusive=True), "exclusive", 0),
    ("openport_keys-same-key-twice", m("openport_keys", keys=[{"public_key": KEY, "name": "a"},
                                                              {"public_key": KEY, "name": "b"}]), "keys", 0),
    ("openport_keys-unknown-field", m("openport_keys", keys=[{"public_key": KEY, "name": "a", "colour": "red"}]),
     "colour", 0),
    ("openport_keys-item-without-key", m("openport_keys", keys=[{"name": "a"}]), "public_key", 0),
    # openport_key_info, openport_link_click_info
    ("openport_key_info-bad-date", m("openport_key_info", last_connection_before="yesterday-ish"),
     "last_connection_before", 0),
    ("openport_key_info-window-reversed", m("openport_key_info", last_connection_after="2026-05-01",
                                            last_connection_before="2026-01-01"), "last_connection_", 0),
    ("openport_link_click_info-bad-date", m("openport_link_click_info", since="32/13/2026"), "since", 0),
    ("openport_link_click_info-negative-limit", m("openport_link_click_info", limit=-5), "limit", 0),
    ("openport_link_click_info-ports-not-int", m("openport_link_click_info", ports=["ssh"]), "ports", 0),
    # ngrok_credential, ngrok_api_key
    ("ngrok_credential-description-oversize", m("ngrok_credential", description="d" * 300), "description", 0),
    ("ngrok_credential-metadata-oversize", m("ngrok_credential", description="x", metadata="m" * 5000),
     "metadata", 0),
    ("ngrok_credential-metadata-wrong-type", m("ngrok_credential", description="x", metadata=12), "metadata", 0),
    ("ngrok_credential-acl-invalid", m("ngrok_credential", description="x", acl=["allow:*"]), "acl", 0),
    ("ngrok_credential-unknown-id", m("ngrok_credential", id="cr_doesnotexist"), "id", 0),
    ("ngrok_credential-owner-blank", m("ngrok_credential", description="x", owner_id="  "), "owner_id", 0),
    ("ngrok_credential-no-id-no-description", m("ngrok_credential", metadata="x"), "id, description", 0),
    ("ngrok_api_key-description-oversize-utf8", m("ngrok_api_key", description="\u00e9" * 128), "description", 0),
    ("ngrok_api_key-rate-window-zero", m("ngrok_api_key", description="x", ngrok_rate_window=0),
     "ngrok_rate_window", 0),
    # ngrok_ssh_credential(s)
    ("ngrok_ssh_credential-public_key-broken", m("ngrok_ssh_credential", public_key="ssh-ed25519 AAAA"),
     "public_key", 0),
    ("ngrok_ssh_credential-acl-empty-bind", m("ngrok_ssh_credential", public_key=KEY, acl=["bind:"]), "acl", 0),
    ("ngrok_ssh_credential-no-key-no-id", m("ngrok_ssh_credential", description="x"), "public_key, id", 0),
    ("ngrok_ssh_credentials-empty-exclusive", m("ngrok_ssh_credentials", credentials=[], exclusive=True),
     "exclusive", 0),
    ("ngrok_ssh_credentials-item-without-key", m("ngrok_ssh_credentials", credentials=[{"description": "a"}]),
     "public_key", 0),
    # ngrok_tunnel_session, ngrok_info
    ("ngrok_tunnel_session-action-unknown", m("ngrok_tunnel_session", action="pause", id=["ts_x"]), "action", 0),
    ("ngrok_tunnel_session-stop-nothing-named", m("ngrok_tunnel_session", action="stop"), "id", 0),
    ("ngrok_tunnel_session-restart-unknown-id", m("ngrok_tunnel_session", action="restart", id=["ts_nope"]),
     "id", 0),
    ("ngrok_info-resource-unknown", m("ngrok_info", resources=["agents"]), "resources", 0),
    # tunnel_session_info, tunnel_session_history_info
    ("tunnel_session_info-unknown-provider", m("tunnel_session_info", providers=["localtunnel"]), "providers", 0),
    ("tunnel_session_info-bad-query", m("tunnel_session_info", query="sessions[?"), "query", 0),
    ("tunnel_session_info-ports-not-int", m("tunnel_session_info", ports=["x"]), "ports", 0),
    ("tunnel_session_info-protocol-never-matches", m("tunnel_session_info", protocols=["ssh"]), "protocols", 0),
    ("tunnel_session_info-ports-out-of-range", m("tunnel_session_info", ports=[-5, 99999]), "ports", 0),
    ("tunnel_session_info-missing-credential", m("tunnel_session_info", providers=["pinggy"], pinggy_api_key=""),
     "pinggy_api_key", 0),
    ("tunnel_session_history_info-too-old", m("tunnel_session_history_info", providers=["pinggy"],
                                              history_from=(TODAY - datetime.timedelta(days=90)).isoformat()),
     "history_from", 0),
    ("tunnel_session_history_info-reversed", m("tunnel_session_history_info", history_from=TODAY.isoformat(),
                                               history_to=(TODAY - datetime.timedelta(days=3)).isoformat()),
     "history_to", 0),
    ("tunnel_session_history_info-wholly-in-the-future", m(
        "tunnel_session_history_info", history_from=(TODAY + datetime.timedelta(days=15)).isoformat(),
        history_to=(TODAY + datetime.timedelta(days=26)).isoformat()), "history_from", 0),
    ("tunnel_session_history_info-not-a-date", m("tunnel_session_history_info", history_from="not-a-date"),
     "history_from", 0),
    ("tunnel_session_history_info-no-history-provider", m("tunnel_session_history_info", providers=["ngrok"]),
     "providers", 0),
    # key_audit_findings
    ("key_audit_findings-now-not-a-date", m("key_audit_findings", now="tomorrow"), "now", 0),
    ("key_audit_findings-stale-days-not-int", m("key_audit_findings", policy={"stale_days": "abc"}),
     "stale_days", 0),
    # roles
    ("key_provision-key-without-public_key", role("key_provision", key_provision_keys=[{"name": "x"}]),
     "public_key", 1),
    ("key_provision-unknown-provider", role("key_provision", key_provision_providers=["pinggy"]),
     "key_provision_providers", 1),
    ("key_provision-empty-exclusive", role("key_provision", key_provision_openport_exclusive=True,
                                           key_provision_providers=["openport"]),
     "key_provision_openport_exclusive", 1),
    ("key_provision-bad-public-key", role("key_provision", key_provision_keys=[
        {"name": "x", "public_key": "ssh-ed25519 nope"}], key_provision_providers=["openport"]), "public_key", 1),
    ("key_audit-window-too-long", role("key_audit", key_audit_window_days=90), "key_audit_window_days", 1),
    ("key_audit-unknown-severity", role("key_audit", key_audit_fail_severity="urgent"),
     "key_audit_fail_severity", 1),
    ("key_audit-unknown-provider", role("key_audit", key_audit_providers=["localtunnel"]), "key_audit_providers", 1),
    # hostile role input (issues 16.14, 18.7, 18.8): refused before any request at all (HOSTILE below)
    ("key_provision-bad-ngrok-acl-after-good-openport-part", role("key_provision", key_provision_keys=[
        {"name": "a", "public_key": KEY}, {"name": "b", "public_key": KEY2, "ngrok_acl": ["allow:*"]}]),
     "key_provision_keys[1].ngrok_acl", 1),
    ("key_provision-same-key-other-ngrok-settings", role("key_provision", key_provision_keys=[
        {"name": "a", "public_key": KEY, "ngrok_acl": ["bind:a.example.com"]},
        {"name": "a", "public_key": KEY, "ngrok_acl": ["bind:b.example.com"]}]),
     "key_provision_keys[0] and key_provision_keys[1]", 1),
    ("key_audit-now-garbage", role("key_audit", key_audit_now="garbage"), "key_audit_now", 1),
    ("key_audit-now-offset-out-of-range", role("key_audit", key_audit_now="2026-12-05T10:00:00+2500"),
     "key_audit_now", 1),
    ("key_audit-now-not-a-day", role("key_audit", key_audit_now="2026-02-30"), "key_audit_now", 1),
    ("key_audit-window-huge", role("key_audit", key_audit_providers=["openport"], key_audit_window_days=10 ** 9),
     "key_audit_window_days", 1),
    ("key_audit-no-provider", role("key_audit", key_audit_providers=[]), "key_audit_providers", 1),
    ("key_audit-severity-unknown", role("key_audit", key_audit_severities={"stale_key": "urgent"}),
     "key_audit_severities.stale_key", 1),
    ("key_audit-severity-of-no-rule", role("key_audit", key_audit_severities={"'; rm -rf /": "high"}),
     "key_audit_severities", 1),
    ("key_audit-rule-unknown", role("key_audit", key_audit_disabled_rules=["old_agents"]),
     "key_audit_disabled_rules", 1),
    ("key_audit-cidr-bad", role("key_audit", key_audit_allowed_cidrs=["10.0.0.0/33"]), "key_audit_allowed_cidrs", 1),
    ("key_audit-stale-days-negative", role("key_audit", key_audit_stale_days=-5), "key_audit_stale_days", 1),
    ("key_audit-version-bad", role("key_audit", key_audit_min_agent_version="latest"),
     "key_audit_min_agent_version", 1),
    ("key_audit-approved-key-bad", role("key_audit", key_audit_approved_keys=[{"name": "x", "public_key": "nope"}]),
     "key_audit_approved_keys[0]", 1),
    ("key_audit-report-name-climbs-out", role("key_audit", key_audit_report_name="../../" + ESCAPED),
     "key_audit_report_name", 1),
    ("key_audit-report-name-absolute", role("key_audit", key_audit_report_name="/tmp/" + ESCAPED),
     "key_audit_report_name", 1),
    ("key_audit-report-name-parent", role("key_audit", key_audit_report_name=".."), "key_audit_report_name", 1),
]
# Cases that must fail before any request at all (not only before any write).
HOSTILE = [name for name, _task, _needle, _role in BAD if name.startswith((
    "key_provision-bad-ngrok-acl", "key_provision-same-key", "key_audit-now-", "key_audit-window-huge",
    "key_audit-no-provider", "key_audit-severity-", "key_audit-rule-", "key_audit-cidr-", "key_audit-stale-",
    "key_audit-version-", "key_audit-approved-", "key_audit-report-name-"))]


def _cases():
    return [{"id": "bad-%d" % i, "task": task, "block": bool(is_role)} for i, (_n, task, _t, is_role) in
            enumerate(BAD)]


@pytest.fixture(scope="session")
def bad_records(workspace):
    return harness.run_case_chunks(workspace, _cases(), "bad", workers=2, verbosity="-v")


@pytest.mark.parametrize("index", range(len(BAD)), ids=[b[0] for b in BAD])
def test_bad_input(index, bad_records):
    harness.tally("bad_inputs")
    name, _task, needle, _role = BAD[index]
    record = bad_records["bad-%d" % index]
    assert not record.get("missing"), record.get("tail")
    result = record["result"]
    msg = str(result.get("msg") or "")
    assert result.get("failed"), "bad input was accepted: %s" % name
    assert needle in msg, "the error does not name %r: %s" % (needle, msg)
    assert "MODULE FAILURE" not in msg and "Traceback" not in msg, msg
    assert not harness.writes(record["requests"]), "bad input led to writes: %s" % harness.writes(record["requests"])
    assert "EMUSECRET" not in msg


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_role_input_sends_no_request(name, bad_records):
    index = [b[0] for b in BAD].index(name)
    record = bad_records["bad-%d" % index]
    assert not record.get("missing"), record.get("tail")
    assert record["result"].get("failed"), "hostile input was accepted: %s" % name
    assert record["requests"] == [], "hostile input reached a provider: %s" % [
        "%s %s" % (r["method"], r["path"]) for r in record["requests"]]


def test_no_report_was_written_outside_the_report_directory(bad_records, workspace):
    # the case playbooks run in the workspace: "../../<name>" from their default report directory lands in it
    escaped = [os.path.join(root, f) for root, _dirs, files in os.walk(workspace.root)
               for f in files if f.startswith(ESCAPED)]
    assert escaped == []
