"""Fault injection (each action, nth/rate/times, apply) and latency."""

from __future__ import annotations

import random
import time

import pytest
import requests

from tests.emulator.sshkeys import make_key


def add(ctl, **rule):
    r = ctl.post("/faults", json={"rules": [rule]})
    assert r.status_code == 200, r.text
    return r.json()


def codes(api, path, n):
    return [api.get(path).status_code for dummy in range(n)]


def test_status_with_retry_after_and_body(op, ctl):
    add(ctl, provider="openport", action="status", status=503, retry_after=4, body={"oops": True})
    r = op.get("/keys/")
    assert r.status_code == 503 and r.headers["Retry-After"] == "4" and r.json() == {"oops": True}
    assert op.get("/keys/").status_code == 200                      # times defaults to 1


@pytest.mark.parametrize("provider,keys", [("openport", {"detail"}), ("pinggy", {"error_type", "errors"}),
                                           ("ngrok", {"status_code", "msg", "details"})])
def test_status_default_bodies(op, ng, pg, ctl, provider, keys):
    add(ctl, provider=provider, action="status", status=500)
    api, path = {"openport": (op, "/keys/"), "ngrok": (ng, "/credentials"), "pinggy": (pg, "/session/active")}[provider]
    r = api.get(path)
    assert r.status_code == 500 and set(r.json()) == keys
    assert "Retry-After" not in r.headers


def test_ngrok_429_fault_looks_like_rate_limit(ng, ctl):
    add(ctl, provider="ngrok", action="status", status=429, retry_after=2)
    r = ng.get("/credentials")
    assert r.status_code == 429 and r.json()["error_code"] == "ERR_NGROK_226" and r.headers["Retry-After"] == "2"


def test_drop(op, ctl):
    add(ctl, provider="openport", action="drop")
    with pytest.raises(requests.ConnectionError):
        op.get("/keys/")
    assert op.get("/keys/").status_code == 200
    last = ctl.get("/requests").json()["requests"][-2]
    assert last["status"] is None and last["fault"] == "drop"
    assert ctl.get("/counters").json()["openport"]["status"] == {"dropped": 1, "200": 1}


def test_stall(op, ctl):
    add(ctl, provider="openport", action="stall", stall_seconds=0.6)
    with pytest.raises(requests.Timeout):
        op.s.get(op.url("/keys/"), params=op.params, timeout=0.2)
    start = time.monotonic()
    add(ctl, provider="openport", action="stall", stall_seconds=0.3)
    r = op.get("/keys/")
    assert r.status_code == 200 and time.monotonic() - start >= 0.3      # answers normally after the stall


def test_malformed(ng, ctl):
    add(ctl, provider="ngrok", action="malformed")
    r = ng.get("/credentials")
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/json"
    with pytest.raises(ValueError):
        r.json()


def test_html(pg, ctl):
    add(ctl, provider="pinggy", action="html", status=504)
    r = pg.get("/session/active")
    assert r.status_code == 504 and r.headers["Server"] == "nginx"
    assert "<title>504 Gateway Timeout</title>" in r.text


def test_add_items_openport_offsets_shift(op, ctl):
    first = op.get("/keys/", params={"limit": 3}).json()
    add(ctl, provider="openport", path="/keys/$", action="add_items", count=4)
    second = op.get("/keys/", params={"limit": 3, "offset": 3}).json()
    assert first["count"] == 6 and second["count"] == 10
    assert [k["name"] for k in op.get("/keys/", params={"offset": 6}).json()["results"]][0].startswith("added-key-")


def test_add_items_ngrok_newest_first(ng, ctl):
    add(ctl, provider="ngrok", path="/credentials", action="add_items", count=2)
    creds = ng.get("/credentials").json()["credentials"]
    assert len(creds) == 5 and [c["description"] for c in creds[:2]] == ["added 1", "added 0"]


def test_add_items_pinggy(pg, ctl):
    add(ctl, provider="pinggy", path="active", action="add_items", count=5)
    assert len(pg.get("/session/active").json()) == 8


def test_nth_and_times(op, ctl):
    add(ctl, provider="openport", action="status", status=502, nth=3, times=2)
    assert codes(op, "/keys/", 6) == [200, 200, 502, 502, 200, 200]
    rule = ctl.get("/faults").json()["rules"][0]
    assert rule["hits"] == 2 and rule["matched"] == 6 and rule["nth"] == 3


def test_times_null_is_unlimited(op, ctl):
    add(ctl, provider="openport", action="status", status=500, times=None)
    assert codes(op, "/keys/", 4) == [500] * 4


def test_rate(op, ctl):
    add(ctl, provider="openport", action="status", status=503, rate=0.5, times=None, seed=42)
    got = codes(op, "/nodes/", 100)
    assert 30 <= got.count(503) <= 70 and got.count(200) == 100 - got.count(503)
    ctl.delete("/faults")
    add(ctl, provider="openport", action="status", status=503, rate=0, times=None)
    assert set(codes(op, "/nodes/", 20)) == {200}


def test_filters_provider_method_path(op, ng, ctl):
    add(ctl, provider="ngrok", method="POST", path=r"/credentials$", action="status", status=500, times=None)
    assert ng.get("/credentials").status_code == 200
    assert op.post("/keys/", json={}).status_code == 400
    assert ng.post("/credentials", json={}).status_code == 500
    assert ng.post("/ssh_credentials", json={}).status_code == 400


def test_apply_false_request_has_no_effect(op, ctl):
    add(ctl, provider="openport", method="POST", action="status", status=503)
    key = make_key(random.Random(21))
    assert op.post("/keys/", json={"public_key": key, "name": "maybe"}).status_code == 503
    assert "maybe" not in [k["name"] for k in op.get("/keys/").json()["results"]]


def test_apply_true_request_takes_effect(op, ctl):
    add(ctl, provider="openport", method="POST", action="status", status=503, apply=True)
    key = make_key(random.Random(22))
    assert op.post("/keys/", json={"public_key": key, "name": "landed"}).status_code == 503
    assert "landed" in [k["name"] for k in op.get("/keys/").json()["results"]]
    # a blind retry now clashes: the write had happened
    assert op.post("/keys/", json={"public_key": key, "name": "landed"}).status_code == 400


def test_apply_true_with_drop(ng, ctl):
    add(ctl, provider="ngrok", method="POST", action="drop", apply=True)
    with pytest.raises(requests.ConnectionError):
        ng.post("/credentials", json={"description": "ghost write"})
    assert ng.get("/credentials").json()["credentials"][0]["description"] == "ghost write"


def test_faults_list_and_clear(ctl):
    add(ctl, provider="pinggy", action="html")
    listed = ctl.get("/faults").json()["rules"]
    assert len(listed) == 1 and listed[0]["hits"] == 0 and listed[0]["action"] == "html"
    assert ctl.delete("/faults").json() == {"rules": []}
    assert ctl.get("/faults").json()["rules"] == []


@pytest.mark.parametrize("rule", [{"action": "explode"}, {"provider": "aws"}, {"nth": 0}, {"rate": 2},
                                  {"nth": 1, "rate": 0.5}, {"times": 0}, {"path": "("}, {"colour": "red"}])
def test_bad_rules_are_refused(ctl, rule):
    r = ctl.post("/faults", json={"rules": [rule]})
    assert r.status_code == 400 and r.json()["error"]
    assert ctl.get("/faults").json()["rules"] == []


def timed(api, path, n=3):
    times = []
    for dummy in range(n):
        start = time.monotonic()
        api.get(path)
        times.append(time.monotonic() - start)
    return times


def test_latency_and_jitter(pg, ctl):
    ctl.post("/config", json={"latency_ms": 150, "jitter_ms": 100})
    assert all(0.15 <= t < 1.5 for t in timed(pg, "/session/active"))    # generous top: busy CI machines
    ctl.post("/config", json={"latency_ms": 0, "jitter_ms": 0})
    assert min(timed(pg, "/session/active")) < 0.15


def test_latency_does_not_apply_to_control(ctl):
    ctl.post("/config", json={"latency_ms": 500})
    assert min(timed(ctl, "/counters")) < 0.4


def test_latency_at_start():
    from tests.emulator import start_emulator
    with start_emulator(latency_ms=120) as emu:
        start = time.monotonic()
        requests.get(emu.urls["openport"] + "/nodes/", timeout=5)
        assert time.monotonic() - start >= 0.12
