# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check mode: every module and role makes zero writes, and reports the same ``changed`` (or, for
a role, the same plan) as the real run from the same state."""

from __future__ import annotations

import pytest

import cases as C
import harness

KEY = C.NEW_KEYS["rel-check"]


def m(module, **args):
    return {"tunnelops.tunnels." + module: args}


def _targets(seed):
    fresh = [k for k in seed["openport"]["keys"] if k["id"] == C.FRESH_LAPTOP_ID][0]
    alice = [c for c in seed["ngrok"]["ssh_credentials"] if c.get("description") == C.ALICE][0]
    live = [s for s in seed["ngrok"]["tunnel_sessions"] if s["agent_version"] == C.LIVE_SESSION_AGENT][0]
    keep = [{"public_key": k["public_key"], "name": k["name"]} for k in seed["openport"]["keys"][:3]]
    # (id, task, result_expr for roles)
    return [
        ("openport_key-create", m("openport_key", public_key=KEY, name="check-new"), None),
        ("openport_key-rename", m("openport_key", public_key=fresh["public_key"], name="check-renamed"), None),
        ("openport_key-unchanged", m("openport_key", public_key=fresh["public_key"], name=fresh["name"]), None),
        ("openport_key-delete", m("openport_key", name="fresh-laptop", state="absent"), None),
        ("openport_key-delete-missing", m("openport_key", name="no-such-key", state="absent"), None),
        ("openport_key-replace-name", m("openport_key", public_key=KEY, name="root@HQ",
                                        replace_conflicting_name=True), None),
        ("openport_keys-exclusive", m("openport_keys", keys=keep + [{"public_key": KEY, "name": "check-bulk"}],
                                      exclusive=True), None),
        ("ngrok_credential-create", m("ngrok_credential", description="check-cred"), None),
        ("ngrok_credential-update", m("ngrok_credential", description=C.CI_RUNNER, acl=["bind:check.example.com"]),
         None),
        ("ngrok_credential-unchanged", m("ngrok_credential", description=C.CI_RUNNER), None),
        ("ngrok_credential-rotate", m("ngrok_credential", description=C.CI_RUNNER, rotate=True), None),
        ("ngrok_credential-delete", m("ngrok_credential", description=C.CI_RUNNER, state="absent"), None),
        ("ngrok_api_key-create", m("ngrok_api_key", description="check-api-key"), None),
        ("ngrok_ssh_credential-create", m("ngrok_ssh_credential", public_key=KEY, description="check-ssh"), None),
        ("ngrok_ssh_credential-update", m("ngrok_ssh_credential", public_key=alice["public_key"],
                                          metadata="check"), None),
        ("ngrok_ssh_credential-delete", m("ngrok_ssh_credential", public_key=alice["public_key"], state="absent"),
         None),
        ("ngrok_ssh_credentials-exclusive", m("ngrok_ssh_credentials", exclusive=True, credentials=[
            {"public_key": alice["public_key"], "description": C.ALICE}, {"public_key": KEY}]), None),
        ("ngrok_tunnel_session-stop", m("ngrok_tunnel_session", action="stop", id=[live["id"]]), None),
        ("ngrok_tunnel_session-restart", m("ngrok_tunnel_session", action="restart",
                                           agent_version=C.LIVE_SESSION_AGENT), None),
        ("ngrok_info", m("ngrok_info"), None),
        ("openport_key_info", m("openport_key_info"), None),
        ("openport_node_info", m("openport_node_info"), None),
        ("openport_link_click_info", m("openport_link_click_info"), None),
        ("tunnel_session_info", m("tunnel_session_info"), None),
        ("tunnel_session_history_info", m("tunnel_session_history_info"), None),
        ("key_audit_findings", m("key_audit_findings"), None),
        ("role-key_provision", {"ansible.builtin.include_role": {"name": "tunnelops.tunnels.key_provision"},
                                "vars": {"key_provision_keys": [{"name": "check-role", "public_key": KEY}],
                                         "key_provision_ngrok_exclusive": True}},
         "{{ key_provision_summary }}"),
        ("role-key_audit", {"ansible.builtin.include_role": {"name": "tunnelops.tunnels.key_audit"},
                            "vars": {"key_audit_fail_severity": "none", "key_audit_report_dir": "{{ playbook_dir }}/r"}},
         "{{ key_audit_result.counts }}"),
    ]


TARGETS = _targets(harness.seed_state())


READ_ONLY = ("ngrok_info", "openport_key_info", "openport_node_info", "openport_link_click_info",
             "tunnel_session_info", "tunnel_session_history_info", "key_audit_findings", "role-key_audit")


def _cases():
    cases = []
    for name, task, expr in TARGETS:
        # A read-only module or role never changes anything: its real run is not needed.
        for check in (True,) if name in READ_ONLY else (True, False):
            case = {"id": "%s-%s" % (name, "check" if check else "real"), "task": task, "check": check}
            if expr:
                case["result_expr"] = expr
            cases.append(case)
    return cases


@pytest.fixture(scope="session")
def check_records(workspace):
    return harness.run_case_chunks(workspace, _cases(), "check", workers=2, verbosity="-v")


@pytest.mark.parametrize("target", TARGETS, ids=[t[0] for t in TARGETS])
def test_check_mode(target, check_records):
    name, _task, expr = target
    check = check_records[name + "-check"]
    real = check_records.get(name + "-real") or {"result": {"changed": False}, "requests": [], "read_only": True}
    assert not check.get("missing") and not real.get("missing"), (check.get("tail"), real.get("tail"))
    writes = harness.writes(check["requests"])
    harness.tally("check_writes", len(writes))
    assert not writes, "check mode wrote: %s" % ["%s %s" % (w["method"], w["path"]) for w in writes]
    assert check["state"] == check["before"], "check mode changed the emulator's state"
    assert not check["result"].get("failed"), check["result"].get("msg")
    assert not real["result"].get("failed"), real["result"].get("msg")
    if real.get("read_only"):
        assert not check["result"].get("changed", False), "a read-only module or role reports a change"
    elif expr:
        assert check["result"] == real["result"], "the role's plan differs from what it did"
    else:
        said, did = check["result"].get("changed"), real["result"].get("changed")
        assert said == did, "check mode says changed=%s, the real run %s" % (said, did)
        if real["result"].get("changed"):
            assert harness.writes(real["requests"]) or name.startswith(("ngrok_tunnel_session",)), \
                "the real run reports a change but sent no write"
