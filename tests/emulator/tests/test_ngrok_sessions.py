"""Tunnel-session actions as strict as the real agent (issue 16.2, 16.3; the decisions table's last row)."""

from __future__ import annotations

import time

import pytest


def sessions_by_version(state):
    return {s["agent_version"]: s for s in state["ngrok"]["tunnel_sessions"]}


def seed_session(ctl, **fields):
    ids = ctl.post("/seed/ngrok/tunnel_sessions", json={"items": [fields]}).json()["ids"]
    return ids[0]


def error_code(r):
    return r.status_code, r.json().get("error_code")


def test_update_refused_when_no_update_is_available(ng, state):
    live = sessions_by_version(state)["3.22.1"]
    assert live["_update"] == "none"
    r = ng.post(f"/tunnel_sessions/{live['id']}/update", json={})
    assert error_code(r) == (400, "ERR_NGROK_809")
    assert "no update is available" in r.json()["msg"]
    assert ng.get(f"/tunnel_sessions/{live['id']}").status_code == 200      # the agent is still there


@pytest.mark.parametrize("flag,reason", [("disabled", "disabled update checks"), ("running", "already updating"),
                                         ("updated", "has not been restarted")])
def test_update_refused_per_agent_state(ng, ctl, flag, reason):
    sid = seed_session(ctl, _update=flag)
    r = ng.post(f"/tunnel_sessions/{sid}/update", json={})
    assert error_code(r) == (400, "ERR_NGROK_809") and reason in r.json()["msg"]


def test_update_accepted_once_then_refused_until_a_restart(ng, ctl):
    sid = seed_session(ctl, _update="available", agent_version="3.20.0")
    assert ng.post(f"/tunnel_sessions/{sid}/update", json={}).status_code == 204
    state = {s["id"]: s for s in ctl.get("/state").json()["ngrok"]["tunnel_sessions"]}
    assert state[sid]["_update"] == "updated"
    r = ng.post(f"/tunnel_sessions/{sid}/update", json={})
    assert error_code(r) == (400, "ERR_NGROK_809") and "has not been restarted" in r.json()["msg"]
    assert ng.post(f"/tunnel_sessions/{sid}/restart", json={}).status_code == 204
    new = ng.get("/tunnel_sessions").json()["tunnel_sessions"][0]
    assert new["id"] != sid
    r = ng.post(f"/tunnel_sessions/{new['id']}/update", json={})        # restarted: nothing more to update
    assert error_code(r) == (400, "ERR_NGROK_809") and "no update is available" in r.json()["msg"]


def test_update_refusal_status_variant(ng, ctl, state):
    ctl.post("/config", json={"ngrok_action_refused_status": 500})
    r = ng.post(f"/tunnel_sessions/{sessions_by_version(state)['3.22.1']['id']}/update", json={})
    assert error_code(r) == (500, "ERR_NGROK_809") and r.json()["status_code"] == 500


def test_restart_of_a_windows_agent_is_refused(ng, ctl):
    sid = seed_session(ctl, os="windows")
    r = ng.post(f"/tunnel_sessions/{sid}/restart", json={})
    assert error_code(r) == (400, "ERR_NGROK_804") and "Windows" in r.json()["msg"]
    assert ng.get(f"/tunnel_sessions/{sid}").status_code == 200
    assert ng.post(f"/tunnel_sessions/{sid}/stop", json={}).status_code == 204       # stop works on Windows


def test_ssh_reverse_tunnel_sessions_refuse_update_and_restart(ng, ctl):
    sid = seed_session(ctl, transport="ssh", _update="available")
    assert ng.get(f"/tunnel_sessions/{sid}").json()["transport"] == "ssh"
    assert error_code(ng.post(f"/tunnel_sessions/{sid}/update", json={})) == (400, "ERR_NGROK_1121")
    assert error_code(ng.post(f"/tunnel_sessions/{sid}/restart", json={})) == (400, "ERR_NGROK_1122")
    assert ng.post(f"/tunnel_sessions/{sid}/stop", json={}).status_code == 204


def test_a_gone_agent_answers_810_to_any_action(ng, state):
    gone = sessions_by_version(state)["3.19.0"]
    assert gone["_gone"] and gone["os"] == "windows"
    assert error_code(ng.post(f"/tunnel_sessions/{gone['id']}/restart", json={})) == (400, "ERR_NGROK_810")
    assert ng.get(f"/tunnel_sessions/{gone['id']}").status_code == 404


def test_checks_off_gives_the_lenient_answers(ng, ctl, state):
    ctl.post("/config", json={"ngrok_session_checks": False})
    sid = seed_session(ctl, os="windows", transport="ssh")
    assert ng.post(f"/tunnel_sessions/{sid}/update", json={}).status_code == 204
    assert ng.post(f"/tunnel_sessions/{sid}/restart", json={}).status_code == 204


def test_stop_lingers_then_the_session_and_its_tunnels_go(ng, ctl, state):
    ctl.post("/config", json={"ngrok_stop_linger_seconds": 0.5})
    live = sessions_by_version(state)["3.22.1"]["id"]
    tunnels = [t["id"] for t in ng.get("/tunnels").json()["tunnels"] if t["tunnel_session"]["id"] == live]
    assert tunnels
    assert ng.post(f"/tunnel_sessions/{live}/stop", json={}).status_code == 204
    # still listed and readable for the moment the agent takes to leave
    assert live in [s["id"] for s in ng.get("/tunnel_sessions").json()["tunnel_sessions"]]
    assert ng.get(f"/tunnel_sessions/{live}").status_code == 200
    assert set(tunnels) <= {t["id"] for t in ng.get("/tunnels").json()["tunnels"]}
    assert [s["_leaving"] for s in ctl.get("/state").json()["ngrok"]["tunnel_sessions"] if s["id"] == live] == [True]
    # a second stop (or any action) in that moment: 404, as the decisions table says
    r = ng.post(f"/tunnel_sessions/{live}/stop", json={})
    assert r.status_code == 404 and r.json()["msg"] == "Resource not found" and "error_code" not in r.json()
    assert ng.post(f"/tunnel_sessions/{live}/restart", json={}).status_code == 404
    time.sleep(0.6)
    assert ng.get(f"/tunnel_sessions/{live}").status_code == 404
    assert not set(tunnels) & {t["id"] for t in ng.get("/tunnels").json()["tunnels"]}
    assert all(e.get("tunnel_session", {}).get("id") != live for e in ng.get("/endpoints").json()["endpoints"])


def test_stop_linger_expires_in_the_control_state_too(ng, ctl, state):
    ctl.post("/config", json={"ngrok_stop_linger_seconds": 0.3})
    live = sessions_by_version(state)["3.22.1"]["id"]
    ng.post(f"/tunnel_sessions/{live}/stop", json={})
    time.sleep(0.4)
    assert live not in [s["id"] for s in ctl.get("/state").json()["ngrok"]["tunnel_sessions"]]


def test_stop_without_linger_removes_at_once(ng, ctl, state):
    ctl.post("/config", json={"ngrok_stop_linger_seconds": 0})
    live = sessions_by_version(state)["3.22.1"]["id"]
    assert ng.post(f"/tunnel_sessions/{live}/stop", json={}).status_code == 204
    assert ng.get(f"/tunnel_sessions/{live}").status_code == 404
    assert ng.post(f"/tunnel_sessions/{live}/stop", json={}).status_code == 404


def test_update_flag_is_checked_on_seed(ctl):
    r = ctl.post("/seed/ngrok/tunnel_sessions", json={"items": [{"_update": "maybe"}]})
    assert r.status_code == 400 and "_update" in r.json()["error"]
    r = ctl.post("/reset", json={"items": {"ngrok/tunnel_sessions": [{"_update": "available", "transport": "ssh"}]}})
    assert r.status_code == 200 and len(r.json()["ids"]["ngrok/tunnel_sessions"]) == 1
