"""ngrok and Pinggy machines: sessions and tunnels in the API, real forwards, stop/restart, credentials."""

from __future__ import annotations

import random

from machines_util import eventually, refused, talk
from tests.emulator.sshkeys import make_key

FAST = 0.05


def new_key(seed):
    return make_key(random.Random(seed), "ed25519", comment=f"agent{seed}@test")


def start(ctl, **spec):
    spec = {"name": "agent", "retry_interval": FAST, **spec}
    r = ctl.post("/machines", json={"machines": [spec]})
    assert r.status_code == 200, r.text
    return r.json()["machines"][0]


def machine(ctl, name="agent"):
    return ctl.get(f"/machines/{name}").json()


def listed(ng, coll, **match):
    return [x for x in ng.get(f"/{coll}").json()[coll] if all(x.get(k) == v for k, v in match.items())]


def action(ng, sid, name):
    return ng.post(f"/tunnel_sessions/{sid}/{name}", json={})


def test_ssh_key_machine_has_a_session_and_a_tcp_tunnel_to_its_forward(ng, ctl, echo):
    cred = ng.post("/ssh_credentials", json={"public_key": new_key(1), "description": "agent"}).json()
    m = start(ctl, provider="ngrok", public_key=new_key(1), local_port=echo.port)
    port = m["forward_port"]
    assert m["status"] == "connected"
    (session,) = listed(ng, "tunnel_sessions", id=m["session"]["id"])
    assert session["transport"] == "ssh" and session["credential"]["id"] == cred["id"]
    (tunnel,) = listed(ng, "tunnels", public_url=f"tcp://127.0.0.1:{port}")
    assert tunnel["proto"] == "tcp" and tunnel["forwards_to"] == f"localhost:{echo.port}"
    assert tunnel["tunnel_session"]["id"] == session["id"]
    assert talk(port) == b"sshd:ping"


def test_unregistered_ssh_key_retries_until_the_credential_exists(ng, ctl, echo):
    m = start(ctl, provider="ngrok", public_key=new_key(2), local_port=echo.port)
    assert m["status"] == "connecting" and "not an SSH credential" in m["last_error"]
    ng.post("/ssh_credentials", json={"public_key": new_key(2)})
    assert eventually(lambda: machine(ctl)["status"] == "connected")


def test_deleting_the_credential_ends_the_session_and_the_agent_retries(ng, ctl, echo):
    cred = ng.post("/ssh_credentials", json={"public_key": new_key(3)}).json()
    m = start(ctl, provider="ngrok", public_key=new_key(3), local_port=echo.port)
    assert ng.delete(f"/ssh_credentials/{cred['id']}").status_code == 204
    assert not listed(ng, "tunnel_sessions", id=m["session"]["id"]) and refused(m["forward_port"])
    assert not listed(ng, "tunnels", public_url=f"tcp://127.0.0.1:{m['forward_port']}")
    assert machine(ctl)["status"] == "connecting"
    ng.post("/ssh_credentials", json={"public_key": new_key(3)})
    assert eventually(lambda: machine(ctl)["status"] == "connected")


def test_deleting_a_seeded_credential_ends_its_seeded_sessions(ng, state):
    cred = state["ngrok"]["tunnel_sessions"][0]["credential"]["id"]
    assert listed(ng, "tunnel_sessions", credential=state["ngrok"]["tunnel_sessions"][0]["credential"])
    ng.delete(f"/credentials/{cred}")
    assert not [s for s in ng.get("/tunnel_sessions").json()["tunnel_sessions"] if s["credential"]["id"] == cred]


def test_stop_closes_the_forward_and_the_agent_exits(ng, ctl, echo):
    ctl.post("/config", json={"ngrok_stop_linger_seconds": 0.5})   # not the default 3 s: polled under the rate limit
    ng.post("/ssh_credentials", json={"public_key": new_key(4)})
    m = start(ctl, provider="ngrok", public_key=new_key(4), local_port=echo.port)
    assert action(ng, m["session"]["id"], "stop").status_code == 204
    assert eventually(lambda: refused(m["forward_port"]))
    assert eventually(lambda: not listed(ng, "tunnel_sessions", id=m["session"]["id"]))
    assert machine(ctl)["status"] == "stopped" and machine(ctl)["attempts"] == 1


def test_restart_reopens_the_forward_on_the_same_port_with_a_new_session(ng, ctl, echo):
    cred = ng.post("/credentials", json={"description": "agent"}).json()
    m = start(ctl, provider="ngrok", authtoken=cred["token"], local_port=echo.port)
    old, port = m["session"]["id"], m["forward_port"]
    assert listed(ng, "tunnel_sessions", id=old)[0]["transport"] == "ngrok/2"
    assert action(ng, old, "restart").status_code == 204
    new = eventually(lambda: (s := machine(ctl)["session"]) and s["id"] != old and s["id"])
    assert new and machine(ctl)["forward_port"] == port and machine(ctl)["status"] == "connected"
    assert listed(ng, "tunnels", public_url=f"tcp://127.0.0.1:{port}")[0]["tunnel_session"]["id"] == new
    assert talk(port) == b"sshd:ping"


def test_authtoken_by_credential_id_and_an_unknown_one(ng, ctl, echo):
    cred = ng.post("/credentials", json={}).json()
    assert start(ctl, provider="ngrok", credential=cred["id"], local_port=echo.port)["status"] == "connected"
    m = start(ctl, name="other", provider="ngrok", authtoken="nope_nope", local_port=echo.port)
    assert m["status"] == "connecting" and m["last_error"].startswith("ERR_NGROK_107")


def test_pinggy_tcp_session_leads_to_the_forward(pg, ctl, echo):
    m = start(ctl, provider="pinggy", local_port=echo.port)
    (s,) = [s for s in pg.get("/session/active").json() if s["id"] == m["session"]["id"]]
    assert s["mode"] == "tcp" and s["subdomain"] == "127.0.0.1" and s["tokenName"] == "agent"
    assert talk(s["port"]) == b"sshd:ping"
    assert ctl.delete("/machines/agent").json()["status"] == "stopped"
    assert not [x for x in pg.get("/session/active").json() if x["id"] == s["id"]] and refused(s["port"])


def test_control_api_lists_stops_and_reset_stops_every_machine(ctl, ng, echo):
    ng.post("/ssh_credentials", json={"public_key": new_key(5)})
    started = ctl.post("/machines", json={"machines": [
        {"name": "p1", "provider": "pinggy", "local_port": echo.port},
        {"name": "n1", "provider": "ngrok", "public_key": new_key(5), "local_port": echo.port},
        {"name": "o1", "provider": "openport", "local_port": echo.port, "register": True}]}).json()["machines"]
    assert [m["status"] for m in started] == ["connected"] * 3
    listing = ctl.get("/machines").json()
    assert [m["name"] for m in listing["machines"]] == ["p1", "n1", "o1"] and listing["clock"] == {
        "advanced_seconds": 0}
    r = ctl.post("/machines", json={"machines": [{"name": "p1", "provider": "pinggy", "local_port": 1}]})
    assert r.status_code == 400 and "running" in r.json()["error"]
    assert ctl.get("/machines/nobody").status_code == 404 and ctl.delete("/machines/nobody").status_code == 404
    assert ctl.post("/machines/p1/move").status_code == 400            # only Openport ports are volatile
    assert ctl.delete("/machines/p1").status_code == 200 and refused(started[0]["forward_port"])
    ctl.post("/reset", json={"seed": "empty"})
    assert ctl.get("/machines").json()["machines"] == []
    assert all(refused(m["forward_port"]) for m in started)


def test_reset_with_machines_starts_them_after_its_items(ctl, op, echo):
    key = new_key(6)
    r = ctl.post("/reset", json={"seed": "empty", "items": {"openport/keys": [{"name": "k", "public_key": key}]},
                                 "machines": [{"name": "o", "provider": "openport", "public_key": key,
                                               "local_port": echo.port, "ip_link_protection": False}]})
    (m,) = r.json()["machines"]
    assert m["status"] == "connected" and talk(m["forward_port"]) == b"sshd:ping"
    assert op.get("/sessions/").json()["count"] == 1


def test_in_process_api(emu, echo):
    (m,) = emu.start_machines([{"name": "py", "provider": "openport", "local_port": echo.port, "register": True,
                                "ip_link_protection": False}])
    assert emu.machine("py")["forward_port"] == m["forward_port"] and talk(m["forward_port"]) == b"sshd:ping"
    assert emu.advance_clock(10) == 10
    moved = emu.move_machine("py")
    assert moved["forward_port"] != m["forward_port"]
    assert emu.stop_machines() == ["py"] and emu.machines() == [] and refused(moved["forward_port"])
