# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hostile input (issues 16.4, 16.20, 18.4, 18.7): ids that would name another path, credentials and URLs
that cannot be sent, a CA file that does not exist, a wrong API prefix with ``state: absent``.

Each is a real task against the emulator. It must fail with a message naming the option and no traceback,
and the emulator must have seen no write (for the inputs checked before any request: no request at all).
"""

from __future__ import annotations

import pytest

import cases as C
import harness

SEED = harness.seed_state()
CI = [c for c in SEED["ngrok"]["credentials"] if c.get("description") == C.CI_RUNNER][0]
API_KEY = SEED["ngrok"]["api_keys"][0]
ALICE = [c for c in SEED["ngrok"]["ssh_credentials"] if c.get("description") == C.ALICE][0]
LIVE = [s for s in SEED["ngrok"]["tunnel_sessions"] if s["agent_version"] == C.LIVE_SESSION_AGENT][0]


def m(module, **args):
    return {"tunnelops.tunnels." + module: args}


# (id, task, the option the error must name, no request at all)
HOSTILE = [
    # ids that would reach another path (18.4)
    ("credential-id-traverses-to-api-keys", m("ngrok_credential", id="../api_keys/" + API_KEY["id"], state="absent"),
     "id", True),
    ("credential-id-of-an-api-key", m("ngrok_credential", id=API_KEY["id"], state="absent"), "id", True),
    ("credential-id-with-a-query", m("ngrok_credential", id=CI["id"] + "?x=1", metadata="x"), "id", True),
    ("api-key-id-of-a-credential", m("ngrok_api_key", id=CI["id"], state="absent"), "id", True),
    ("ssh-credential-id-traverses", m("ngrok_ssh_credential", id=ALICE["id"] + "/../../credentials/" + CI["id"],
                                      state="absent"), "id", True),
    ("tunnel-session-id-names-an-action", m("ngrok_tunnel_session", action="restart", id=[LIVE["id"] + "/stop"]),
     "id", True),
    ("tunnel-session-id-traverses", m("ngrok_tunnel_session", action="stop",
                                      id=[LIVE["id"], "../api_keys/" + API_KEY["id"]]), "id", True),
    # connection inputs (18.7)
    ("ngrok-api-key-not-latin-1", m("ngrok_info", ngrok_api_key="ngrok-\u00e9\u20ac-\u4e2d-key"), "ngrok_api_key",
     True),
    ("ngrok-api-key-line-break", m("ngrok_api_key", description="x", ngrok_api_key="ngrok-key\r\nX-Evil: 1"),
     "ngrok_api_key", True),
    ("pinggy-api-key-newline", m("tunnel_session_info", providers=["pinggy"], pinggy_api_key="pinggy-key\nX: 1"),
     "pinggy_api_key", True),
    ("openport-token-space", m("openport_key_info", openport_token="op token"), "openport_token", True),
    ("ngrok-url-70-kilobytes", m("ngrok_info", ngrok_api_url="https://api.ngrok.com/" + "a" * 70000),
     "ngrok_api_url", True),
    ("openport-url-without-host", m("openport_key_info", openport_api_url="https:///api/v2"), "openport_api_url",
     True),
    ("ca-path-missing-over-https", m("openport_key_info", openport_api_url="https://127.0.0.1:9/api/v2",
                                     ca_path="/nonexistent/tunnelops-ca.pem"), "ca_path", True),
    # a wrong API prefix is a wrong URL, never "absent" (16.4)
    ("absent-by-id-under-a-wrong-ngrok-prefix", "wrong-ngrok-prefix", "ngrok_api_url", False),
    ("absent-by-name-under-a-wrong-openport-prefix", "wrong-openport-prefix", "openport_api_url", False),
]


def _task(task, control):
    """Tasks that need the emulator's URLs are built once it runs (the URL prefix cases)."""
    base = control.rsplit("/_emulator", 1)[0]
    if task == "wrong-ngrok-prefix":
        return m("ngrok_credential", id=CI["id"], state="absent", ngrok_api_url=base + "/ngrok/v1")
    if task == "wrong-openport-prefix":
        return m("openport_key", name="fresh-laptop", state="absent", openport_api_url=base + "/openport/api/v2/v3")
    return task


@pytest.fixture(scope="session")
def hostile_records(workspace):
    emu = harness.Emu()
    try:
        cases = [{"id": "hostile-%d" % i, "task": _task(task, emu.urls["control"])}
                 for i, (_n, task, _o, _none) in enumerate(HOSTILE)]
        # An empty option falls back to the environment (16.20): this one must pass.
        cases.append({"id": "empty-token-falls-back", "task": dict(
            m("openport_key_info", openport_token=""), environment={"OPENPORT_TOKEN": emu.creds["openport_token"]})})
        return harness.run_cases_on(workspace, emu, cases, "hostile", "-v")[3]
    finally:
        emu.stop()


@pytest.mark.parametrize("index", range(len(HOSTILE)), ids=[h[0] for h in HOSTILE])
def test_hostile_input_fails_naming_the_option(index, hostile_records):
    harness.tally("hostile_inputs")
    name, _task, option, no_request = HOSTILE[index]
    record = hostile_records["hostile-%d" % index]
    assert record, "the case did not run"
    result = record["result"]
    msg = str(result.get("msg") or "")
    assert result.get("failed"), "hostile input was accepted: %s %s" % (name, result)
    assert option in msg and "MODULE FAILURE" not in msg and "Traceback" not in msg, msg
    assert len(msg) < 2000, "the message repeats the input"
    assert not harness.writes(record["requests"]), "writes after hostile input: %s" % harness.writes(record["requests"])
    if no_request:
        assert record["requests"] == [], "requests before the input was checked: %s" % [
            (r["method"], r["path"]) for r in record["requests"]]
    else:
        assert result.get("option") == option
        assert record["state"] == record["before"], "the wrong URL changed something"


def test_an_empty_token_option_falls_back_to_the_environment(hostile_records):
    harness.tally("hostile_inputs")
    result = hostile_records["empty-token-falls-back"]["result"]
    assert not result.get("failed"), result.get("msg")
    assert result["ssh_keys"], "no key listed"
