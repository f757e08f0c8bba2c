"""Openport machines: v1 client endpoints, sessions with real forwards, IP link protection, key lifecycle."""

from __future__ import annotations

import random
import re
import socket
from datetime import datetime, timedelta

import pytest

from machines_util import eventually, refused, talk
from tests.emulator.sshkeys import make_key

FAST = 0.05                # retry interval of the agents in these tests (seconds)


def new_key(seed):
    return make_key(random.Random(seed), "ed25519", comment=f"box{seed}@test")


def start(ctl, **spec):
    spec = {"name": "box", "provider": "openport", "retry_interval": FAST, **spec}
    r = ctl.post("/machines", json={"machines": [spec]})
    assert r.status_code == 200, r.text
    return r.json()["machines"][0]


def machine(ctl, name="box"):
    return ctl.get(f"/machines/{name}").json()


def session_of(op, port):
    return next((s for s in op.get("/sessions/").json()["results"] if s["port"] == port), None)


def test_registered_key_gets_a_session_whose_forward_reaches_the_machine(op, ctl, echo):
    key = op.post("/keys/", json={"public_key": new_key(1), "name": "box"}).json()
    m = start(ctl, public_key=new_key(1), local_port=echo.port, ip_link_protection=False)
    assert m["status"] == "connected" and m["forward_port"] and m["public_host"] == "127.0.0.1"
    port = m["forward_port"]
    s = session_of(op, port)
    link = re.fullmatch(r"(?P<site>https?://[^/]+/openport)/l/(?P<port>\d+)/(?P<secret>EMUSECRET\w+)",
                        s["open_port_for_ip_link"])
    assert link and int(link["port"]) == port
    assert s["key"] == key["url"] and s["local_port"] == echo.port and s["server"] == "127.0.0.1"
    assert s["redirect_url"] == f"{link['site']}/r/{key['redirect_token']}/{echo.port}"
    assert talk(port, b"hello") == b"sshd:hello"
    assert op.get(f"/keys/{key['id']}/").json()["last_connection_time"] is not None
    assert eventually(lambda: machine(ctl)["connections"] == {"accepted": 1, "refused": 0, "open": 0})


def test_unregistered_key_gets_no_session_and_its_agent_retries_until_registered(op, ctl, echo):
    before = op.get("/sessions/").json()["count"]
    m = start(ctl, public_key=new_key(2), local_port=echo.port)
    assert m["status"] == "connecting" and m["forward_port"] is None and m["session"] is None
    assert "not linked to an account" in m["last_error"]
    assert eventually(lambda: machine(ctl)["attempts"] >= 3)          # it keeps trying
    assert op.get("/sessions/").json()["count"] == before
    op.post("/keys/", json={"public_key": new_key(2), "name": "box"})  # key_provision's job
    m = eventually(lambda: (m := machine(ctl))["status"] == "connected" and m)
    assert m and session_of(op, m["forward_port"])["local_port"] == echo.port


def test_request_port_over_http_answers_the_port_response(op, ctl, http, echo):
    site = op.base.rsplit("/api/v2", 1)[0]
    form = {"public_key": new_key(3), "local_port": echo.port, "request_port": -1, "ip_link_protection": "False"}
    r = http.post(site + "/api/v1/request-port", data=form)
    assert r.status_code == 200 and r.json() == {"error": r.json()["error"], "fatal_error": False}
    key = op.post("/keys/", json={"public_key": new_key(3), "name": "http-agent"}).json()
    body = http.post(site + "/api/v1/request-port", data=form).json()
    assert {"server_ip", "server_port", "session_token", "session_id", "open_port_for_ip_link", "key_id",
            "account_id", "message", "error", "fatal_error", "fallback_ssh_server_ip", "fallback_ssh_server_port",
            "session_max_bytes", "session_end_time", "http_forward_address"} == set(body)
    assert body["error"] == "" and body["fatal_error"] is False and body["key_id"] == key["id"]
    assert body["open_port_for_ip_link"] == session_of(op, body["server_port"])["open_port_for_ip_link"]
    assert talk(body["server_port"]) == b"sshd:ping"
    bad = http.post(site + "/api/v1/kill-session", data={"port": body["server_port"], "session_token": "nope"})
    assert bad.status_code == 404 and session_of(op, body["server_port"])
    kill = {"port": body["server_port"], "session_token": body["session_token"]}
    r = http.post(site + "/api/v1/kill-session", data=kill)
    assert r.status_code == 200 and session_of(op, body["server_port"]) is None and refused(body["server_port"])
    fatal = http.post(site + "/api/v1/request-port", data={"public_key": "not a key", "local_port": 22}).json()
    assert fatal["fatal_error"] is True
    assert http.get(site + "/api/v1/request-port").status_code == 405


def test_ip_link_protection_refuses_until_the_link_is_opened_then_24_hours(op, ctl, http, echo):
    op.post("/keys/", json={"public_key": new_key(4), "name": "guarded"})
    port = start(ctl, public_key=new_key(4), local_port=echo.port)["forward_port"]
    assert talk(port) == b""                                       # closed at once: protected
    link = session_of(op, port)["open_port_for_ip_link"]
    clicks_before = op.get("/openforiplinkclicks/").json()["count"]
    r = http.get(link)
    assert r.status_code == 200 and "is now available" in r.text
    assert talk(port) == b"sshd:ping"
    assert talk(port, source="127.0.0.2") == b""                   # another address was not admitted
    clicks = op.get("/openforiplinkclicks/").json()
    assert clicks["count"] == clicks_before + 1
    assert {k: clicks["results"][-1][k] for k in ("port", "source_ip", "key_name")} == {
        "port": port, "source_ip": "127.0.0.1", "key_name": "guarded"}
    assert machine(ctl)["connections"]["refused"] == 2
    stamp = datetime.fromisoformat(clicks["results"][-1]["timestamp"])
    assert ctl.post("/clock", json={"advance_seconds": 24 * 3600 - 60}).json() == {"advanced_seconds": 86340}
    assert talk(port) == b"sshd:ping"                              # still within 24 hours
    ctl.post("/clock", json={"advance_seconds": 61})
    assert talk(port) == b""                                       # expired
    moved = datetime.fromisoformat(op.get("/openforiplinkclicks/").json()["results"][-1]["timestamp"])
    assert stamp - moved == timedelta(seconds=86401)               # the log ages with the clock
    assert http.get(link).status_code == 200 and talk(port) == b"sshd:ping"


def test_the_clock_ages_the_keys_connection_times_with_the_clicks(op, ctl, http, echo):
    # A client compares a click with its session's start (the key's last_connection_time): when time
    # passes for the clicks, it passes for the sessions that were already there too.
    op.post("/keys/", json={"public_key": new_key(7), "name": "aging"})
    port = start(ctl, public_key=new_key(7), local_port=echo.port)["forward_port"]
    http.get(session_of(op, port)["open_port_for_ip_link"])
    key = next(k for k in op.get("/keys/").json()["results"] if k["name"] == "aging")
    click = op.get("/openforiplinkclicks/").json()["results"][-1]
    ctl.post("/clock", json={"advance_seconds": 3600})
    aged = next(k for k in op.get("/keys/").json()["results"] if k["name"] == "aging")
    for field in ("last_connection_time", "creation_time"):
        assert datetime.fromisoformat(key[field]) - datetime.fromisoformat(aged[field]) == timedelta(hours=1)
    later = op.get("/openforiplinkclicks/").json()["results"][-1]
    assert datetime.fromisoformat(later["timestamp"]) >= datetime.fromisoformat(aged["last_connection_time"])
    assert datetime.fromisoformat(click["timestamp"]) - datetime.fromisoformat(later["timestamp"]) == timedelta(hours=1)


def test_wrong_or_missing_secret_is_not_a_link(op, ctl, http, echo):
    op.post("/keys/", json={"public_key": new_key(5), "name": "guarded"})
    port = start(ctl, public_key=new_key(5), local_port=echo.port)["forward_port"]
    link = session_of(op, port)["open_port_for_ip_link"]
    count = op.get("/openforiplinkclicks/").json()["count"]
    for bad in (link.rsplit("/", 1)[0] + "/", link + "x", link.replace(f"/l/{port}/", "/l/1/")):
        assert http.get(bad).status_code == 404
    assert http.post(link).status_code == 405
    assert talk(port) == b"" and op.get("/openforiplinkclicks/").json()["count"] == count


def test_protection_off_per_key_and_per_session(op, ctl, echo):
    key = op.post("/keys/", json={"public_key": new_key(6), "name": "open-key"}).json()
    r = ctl.post(f"/openport/keys/{key['id']}/settings", json={"ip_link_protection": False})
    assert r.json() == {"id": key["id"], "name": "open-key", "ip_link_protection": False}
    assert ctl.get(f"/openport/keys/{key['id']}/settings").json()["ip_link_protection"] is False
    port = start(ctl, public_key=new_key(6), local_port=echo.port)["forward_port"]
    assert talk(port) == b"sshd:ping"
    op.post("/keys/", json={"public_key": new_key(7), "name": "protected-key"})
    m = start(ctl, name="box2", public_key=new_key(7), local_port=echo.port, ip_link_protection=False)
    assert m["session"]["ip_link_protection"] is False and talk(m["forward_port"]) == b"sshd:ping"
    assert ctl.post("/openport/keys/999999/settings", json={"ip_link_protection": False}).status_code == 404
    assert ctl.post(f"/openport/keys/{key['id']}/settings", json={"ip_link_protection": "no"}).status_code == 400


def test_switch_strips_the_secret_from_the_sessions_list(op, ctl, http, echo):
    op.post("/keys/", json={"public_key": new_key(8), "name": "box"})
    port = start(ctl, public_key=new_key(8), local_port=echo.port)["forward_port"]
    ctl.post("/config", json={"openport_link_secret": False})
    link = session_of(op, port)["open_port_for_ip_link"]
    assert link.endswith(f"/openport/l/{port}/")                   # as the docs' sample shows it
    assert all(s["open_port_for_ip_link"].endswith(f"/l/{s['port']}/") for s in op.get("/sessions/").json()["results"])
    assert http.get(link).status_code == 404 and talk(port) == b""


def test_deleting_the_key_ends_its_sessions_and_closes_their_forwards(op, ctl, echo):
    key = op.post("/keys/", json={"public_key": new_key(9), "name": "box"}).json()
    m = start(ctl, public_key=new_key(9), local_port=echo.port, ip_link_protection=False)
    port = m["forward_port"]
    live = socket.create_connection(("127.0.0.1", port), timeout=3)
    live.sendall(b"a")
    assert live.recv(100) == b"sshd:a"
    assert op.delete(f"/keys/{key['id']}/").status_code == 204
    assert session_of(op, port) is None and refused(port)
    assert live.recv(100) == b""                                   # the open connection is cut too
    live.close()
    m = machine(ctl)
    assert m["status"] == "connecting" and m["forward_port"] is None
    op.post("/keys/", json={"public_key": new_key(9), "name": "box"})
    assert eventually(lambda: machine(ctl)["status"] == "connected")


def test_deleting_a_seeded_key_ends_its_seeded_session(op):
    assert session_of(op, 6260) is not None
    op.delete("/keys/349/")
    assert session_of(op, 6260) is None


def test_move_restarts_on_another_port_and_the_redirect_follows(op, ctl, http, echo):
    op.post("/keys/", json={"public_key": new_key(10), "name": "box"})
    m = start(ctl, public_key=new_key(10), local_port=echo.port, ip_link_protection=False)
    old, redirect = m["forward_port"], session_of(op, m["forward_port"])["redirect_url"]
    r = http.get(redirect, allow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"] == f"http://127.0.0.1:{old}/"
    moved = ctl.post("/machines/box/move").json()
    new = moved["forward_port"]
    assert new != old and refused(old) and talk(new) == b"sshd:ping"
    assert session_of(op, old) is None and session_of(op, new)["redirect_url"] == redirect
    assert http.get(redirect, allow_redirects=False).headers["Location"] == f"http://127.0.0.1:{new}/"
    assert http.get(redirect.rsplit("/", 1)[0] + "/1", allow_redirects=False).status_code == 404


def test_a_key_of_another_account_gets_a_session_this_account_does_not_see(op, ctl, state, echo):
    foreign = state["openport"]["foreign_keys"][0]
    m = start(ctl, public_key=foreign["public_key"], local_port=echo.port, ip_link_protection=False)
    assert m["status"] == "connected" and m["session"]["account"] == "other"
    assert session_of(op, m["forward_port"]) is None and talk(m["forward_port"]) == b"sshd:ping"


def test_request_log_masks_the_link_secret_and_the_redirect_token(op, ctl, http, echo):
    op.post("/keys/", json={"public_key": new_key(11), "name": "box"})
    port = start(ctl, public_key=new_key(11), local_port=echo.port)["forward_port"]
    s = session_of(op, port)
    http.get(s["open_port_for_ip_link"])
    http.get(s["redirect_url"], allow_redirects=False)
    paths = [e["path"] for e in ctl.get("/requests").json()["requests"] if e["provider"] == "openport"]
    assert f"/openport/l/{port}/********" in paths and any(re.match(r"^/openport/r/\*{8}/\d+$", p) for p in paths)
    secret = s["open_port_for_ip_link"].rsplit("/", 1)[1]
    assert secret in ctl.get("/secrets").json()["secrets"] and not any(secret in p for p in paths)


@pytest.mark.parametrize("spec, message", [
    ({"provider": "openport", "local_port": 0}, "local_port"),
    ({"provider": "sftp", "local_port": 22}, "provider"),
    ({"provider": "openport", "local_port": 22, "public_key": "ssh-rsa nope"}, "public_key"),
    ({"provider": "openport", "local_port": 22, "colour": "red"}, "unknown fields"),
    ({"provider": "pinggy", "local_port": 22, "public_key": "x"}, "take no key"),
])
def test_bad_specs_are_refused_naming_the_field(ctl, spec, message):
    r = ctl.post("/machines", json={"machines": [{"name": "bad", **spec}]})
    assert r.status_code == 400 and message in r.json()["error"] and ctl.get("/machines").json()["machines"] == []
