"""Control API: request log (masked), counters, state, secrets, reset, config, raw seeding."""

from __future__ import annotations

import json
import random

import pytest

from conftest import NG_KEY, OP_TOKEN, PG_KEY
from tests.emulator.sshkeys import make_key


def test_request_log_entries_are_masked(op, ng, ctl):
    op.get("/keys/", params={"limit": 2})
    ng.post("/credentials", json={"description": "logged"})
    entries = ctl.get("/requests").json()["requests"]
    assert [e["seq"] for e in entries] == [1, 2]
    first, second = entries
    assert set(first) == {"seq", "provider", "method", "path", "status", "write", "fault", "headers", "body"}
    assert first["provider"] == "openport" and first["method"] == "GET" and first["write"] is False
    assert first["path"] == "/openport/api/v2/keys/?token=********&limit=2"
    assert first["status"] == 200 and first["fault"] is None and first["body"] is None
    assert second["headers"]["Authorization"] == "Bearer ********"
    assert second["headers"]["ngrok-version"] == "2"
    assert second["body"] == {"description": "logged"} and second["write"] is True and second["status"] == 201


def test_no_secret_in_the_log(op, ng, pg, ctl):
    op.get("/sessions/")
    created = ng.post("/credentials", json={}).json()
    ng.get("/credentials", headers={"Authorization": f"Bearer {created['token']}"})
    pg.get("/session/active")
    log = json.dumps(ctl.get("/requests").json())
    secrets = ctl.get("/secrets").json()["secrets"]
    assert created["token"] in secrets
    for secret in secrets:
        assert secret not in log


def test_requests_since(op, ctl):
    for dummy in range(3):
        op.get("/nodes/")
    assert [e["seq"] for e in ctl.get("/requests", params={"since": 2}).json()["requests"]] == [3]


def test_counters_and_clear(op, ng, pg, ctl):
    op.get("/keys/")
    op.post("/keys/", json={})
    ng.delete("/credentials/cr_" + "0" * 27)
    pg.get("/session/active")
    c = ctl.get("/counters").json()
    assert c["openport"] == {"reads": 1, "writes": 1, "requests": 2, "status": {"200": 1, "400": 1}}
    assert c["ngrok"] == {"reads": 0, "writes": 1, "requests": 1, "status": {"404": 1}}
    assert c["total"]["requests"] == 4 and c["total"]["writes"] == 2
    assert ctl.post("/log/clear").status_code == 200
    assert ctl.get("/counters").json()["total"]["requests"] == 0
    assert ctl.get("/requests").json()["requests"] == []
    assert op.get("/keys/").json()["count"] == 6              # state kept


def test_control_calls_are_not_counted(ctl):
    ctl.get("/state")
    assert ctl.get("/counters").json()["total"]["requests"] == 0


def test_state_shows_everything(state):
    assert set(state) == {"seed", "openport", "ngrok", "pinggy"}
    assert set(state["openport"]) == {"keys", "foreign_keys", "sessions", "openforiplinkclicks", "nodes"}
    assert all(c["token"] for c in state["ngrok"]["credentials"])           # secrets shown here, tests only
    assert any(s["_gone"] for s in state["ngrok"]["tunnel_sessions"])
    assert {k["_account"] for k in state["openport"]["foreign_keys"]} == {"other"}


def test_secrets_list(ng, ctl, state):
    secrets = ctl.get("/secrets").json()["secrets"]
    assert {OP_TOKEN, NG_KEY, PG_KEY} <= set(secrets)
    assert all(c["token"] in secrets for c in state["ngrok"]["credentials"])
    assert [r["token_value"] for r in state["pinggy"]["history"] if r["token_value"]][0] in secrets
    key = ng.post("/api_keys", json={}).json()
    assert key["token"] in ctl.get("/secrets").json()["secrets"]
    minted = set(secrets) - {OP_TOKEN, NG_KEY, PG_KEY}
    assert minted and all("EMUSECRET" in s for s in minted) and len(secrets) == len(set(secrets))


def test_reset_restores_everything(op, ctl):
    ctl.post("/config", json={"openport_auth_status": 403})
    ctl.post("/faults", json={"rules": [{"action": "html"}]})
    op.delete("/keys/349/")
    r = ctl.post("/reset", json={"seed": "default"})
    assert r.status_code == 200
    assert ctl.get("/config").json()["config"]["openport_auth_status"] == 401
    assert ctl.get("/faults").json()["rules"] == []
    assert op.get("/keys/349/").status_code == 200
    assert ctl.get("/counters").json()["total"]["requests"] == 1


def test_reset_is_deterministic(ctl):
    def stable(st):
        n = st["ngrok"]
        return ([(k["id"], k["public_key"], k["redirect_token"]) for k in st["openport"]["keys"]],
                [(c["id"], c["token"]) for c in n["credentials"]], [s["id"] for s in n["tunnel_sessions"]],
                [t["public_url"] for t in n["tunnels"]], [r["client_ip"] for r in st["pinggy"]["history"]])
    first = stable(ctl.get("/state").json())
    ctl.post("/reset", json={})
    assert stable(ctl.get("/state").json()) == first


def test_reset_empty_keeps_credentials(op, ng, pg, ctl):
    ctl.post("/reset", json={"seed": "empty"})
    assert op.get("/keys/").json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert op.get("/sessions/").json()["count"] == 0 and op.get("/nodes/").json()["count"] == 0
    for coll, key in [("api_keys", "keys"), ("credentials", "credentials"), ("tunnel_sessions", "tunnel_sessions")]:
        assert ng.get(f"/{coll}").json()[key] == []
    assert pg.get("/session/active").json() == []


def test_reset_with_config(ctl):
    ctl.post("/config", json={"openport_auth_status": 403})
    r = ctl.post("/reset", json={"seed": "empty", "config": {"ngrok_rate_limit": 6000, "ngrok_rate_window": 1.5}})
    assert r.status_code == 200 and r.json()["config"]["ngrok_rate_limit"] == 6000
    cfg = ctl.get("/config").json()["config"]
    assert (cfg["ngrok_rate_limit"], cfg["ngrok_rate_window"], cfg["openport_auth_status"]) == (6000, 1.5, 401)
    assert ctl.get("/state").json()["seed"] == "empty"
    ctl.post("/reset", json={})
    assert ctl.get("/config").json()["config"]["ngrok_rate_limit"] == 120


def test_reset_with_items(op, ng, ctl):
    r = ctl.post("/reset", json={"seed": "empty", "items": {
        "openport/keys": [{"id": 101, "name": "a"}, {"name": "b"}],
        "openport/sessions": [{"key": 101, "port": 6260, "server": "openport.io"}],
        "ngrok/ssh_credentials": [{"description": "c"}]}})
    assert r.status_code == 200
    ids = r.json()["ids"]
    assert ids["openport/keys"][0] == 101 and len(ids["openport/keys"]) == 2
    assert [k["name"] for k in op.get("/keys/").json()["results"]] == ["a", "b"]
    assert op.get("/sessions/").json()["count"] == 1
    assert [c["id"] for c in ng.get("/ssh_credentials").json()["ssh_credentials"]] == ids["ngrok/ssh_credentials"]
    assert ctl.get("/counters").json()["total"]["requests"] == 3  # seeding is not logged


@pytest.mark.parametrize("body", [{"seed": "huge"}, {"scale": {"openport_pets": 3}}, {"colour": 1},
                                  {"config": {"ngrok_rate_limit": 0}}, {"config": {"colour": 1}},
                                  {"items": {"openport/pets": [{}]}}, {"items": {"openport/keys": [{"colour": 1}]}},
                                  {"items": {"openport/keys": {}}}, {"items": []}])
def test_reset_refuses_bad_bodies(ctl, body):
    ctl.post("/faults", json={"rules": [{"action": "html"}]})
    assert ctl.post("/reset", json=body).status_code == 400
    assert len(ctl.get("/faults").json()["rules"]) == 1  # nothing was reset


def test_config_get_and_validation(ctl):
    cfg = ctl.get("/config").json()
    assert cfg["config"]["ngrok_rate_limit"] == 120 and cfg["defaults"]["pinggy_max_size"] == 2000
    for bad in [{"nope": 1}, {"openport_auth_status": 500}, {"pinggy_error_shape": "xml"}, {"latency_ms": -1},
                {"openport_timestamp_z": "yes"}]:
        r = ctl.post("/config", json=bad)
        assert r.status_code == 400 and r.json()["error"], bad
    r = ctl.post("/config", json={"openport_max_limit": 10, "ngrok_retry_after": None})
    assert r.json()["config"]["openport_max_limit"] == 10


def test_seed_raw_items(op, ng, ctl):
    foreign = make_key(random.Random(77), "ed25519")
    r = ctl.post("/seed/openport/keys", json={"items": [{"public_key": foreign, "name": "theirs", "_account": "other"},
                                                        {"name": "ours", "last_connection_time": None}]})
    assert r.status_code == 200 and r.json()["added"] == 2
    assert op.post("/keys/", json={"public_key": foreign, "name": "mine"}).status_code == 400
    assert "ours" in [k["name"] for k in op.get("/keys/").json()["results"]]
    r = ctl.post("/seed/ngrok/tunnel_sessions", json={"items": [{"agent_version": "3.1.0", "_gone": True}]})
    sid = r.json()["ids"][0]
    assert ng.post(f"/tunnel_sessions/{sid}/stop", json={}).json()["error_code"] == "ERR_NGROK_810"
    ctl.post("/seed/ngrok/foreign_ssh_keys", json={"items": [foreign]})
    assert ng.post("/ssh_credentials", json={"public_key": foreign}).json()["error_code"] == "ERR_NGROK_610"


@pytest.mark.parametrize("path,body", [("/seed/ngrok/pets", {"items": [{}]}),
                                       ("/seed/openport/keys", {"items": [{"colour": "red"}]}),
                                       ("/seed/openport/keys", {"items": "nope"}),
                                       ("/seed/openport/keys", {"items": [{"public_key": "ssh-rsa AAAA"}]})])
def test_seed_raw_refusals(ctl, path, body):
    r = ctl.post(path, json=body)
    assert r.status_code == 400 and r.json()["error"]


def test_unknown_control_endpoint(ctl, http, emu):
    assert ctl.get("/nope").status_code == 404
    assert ctl.get("/").json()["urls"] == emu.urls
    assert http.get(emu.urls["control"].rsplit("/", 1)[0] + "/elsewhere").status_code == 404
