"""Openport: DRF LimitOffset pagination, keys CRUD and validation, sessions, clicks, nodes, routing."""

from __future__ import annotations

import random
from datetime import datetime

import pytest

from conftest import OP_TOKEN
from tests.emulator.sshkeys import make_key

SESSION_FIELDS = ["key", "port", "local_port", "server", "http_forwarding_address", "open_port_for_ip_link",
                  "redirect_url"]


@pytest.fixture
def many_keys(ctl):
    ctl.post("/reset", json={"scale": {"openport_keys": 244}})      # 250 keys in all


def test_first_page_links(op, many_keys):
    body = op.get("/keys/", params={"limit": 100}).json()
    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] == 250 and body["previous"] is None
    assert body["next"] == op.url(f"/keys/?limit=100&offset=100&token={OP_TOKEN}")


def test_previous_drops_offset_on_first_page(op, many_keys):
    body = op.get("/keys/", params={"limit": 100, "offset": 100}).json()
    assert body["previous"] == op.url(f"/keys/?limit=100&token={OP_TOKEN}")
    assert body["next"] == op.url(f"/keys/?limit=100&offset=200&token={OP_TOKEN}")
    body = op.get("/keys/", params={"limit": 50, "offset": 150}).json()
    assert body["previous"] == op.url(f"/keys/?limit=50&offset=100&token={OP_TOKEN}")


def test_last_page_and_beyond(op, many_keys):
    body = op.get("/keys/", params={"offset": 200}).json()
    assert len(body["results"]) == 50 and body["next"] is None
    body = op.get("/keys/", params={"offset": 900}).json()
    assert body["results"] == [] and body["next"] is None and body["count"] == 250
    assert body["previous"] == op.url(f"/keys/?limit=100&offset=800&token={OP_TOKEN}")


def test_links_keep_other_params_sorted(op, many_keys):
    body = op.get("/keys/", params={"zeta": "1", "alpha": "x y"}).json()
    assert body["next"] == op.url(f"/keys/?alpha=x+y&limit=100&offset=100&token={OP_TOKEN}&zeta=1")


@pytest.mark.parametrize("limit,offset,want_len,want_first", [
    ("abc", "0", 100, 0), ("0", "0", 100, 0), ("-5", "0", 100, 0), ("10", "-1", 10, 0), ("10", "zz", 10, 0),
    ("10", "5", 10, 5)])
def test_bad_limit_offset_fall_back(op, many_keys, limit, offset, want_len, want_first):
    all_ids = [k["id"] for k in op.get("/keys/", params={"limit": 1000}).json()["results"]]
    body = op.get("/keys/", params={"limit": limit, "offset": offset}).json()
    assert len(body["results"]) == want_len
    assert body["results"][0]["id"] == all_ids[want_first]


def test_links_use_the_request_host(op, http):
    r = http.get(op.url("/openforiplinkclicks/"), params={"token": OP_TOKEN, "limit": 2},
                 headers={"Host": "openport.test:8443"})
    assert r.json()["next"].startswith("http://openport.test:8443/openport/api/v2/openforiplinkclicks/?")


def test_walk_all_pages_no_gaps(op, http, many_keys):
    url, ids = op.url(f"/keys/?limit=33&token={OP_TOKEN}"), []
    while url:
        body = http.get(url).json()
        ids += [k["id"] for k in body["results"]]
        url = body["next"]
    assert ids == sorted(ids) and len(set(ids)) == 250


def test_sessions_shape(op):
    body = op.get("/sessions/").json()
    assert body["count"] == 4
    for s in body["results"]:
        assert list(s) == SESSION_FIELDS
        assert s["key"].startswith(op.url("/keys/")) and s["key"].endswith("/")
        assert s["redirect_url"].endswith(f"/{s['local_port']}")
    assert 22 in {s["local_port"] for s in body["results"]}
    fwd = [s for s in body["results"] if s["http_forwarding_address"]]
    assert len(fwd) == 1 and fwd[0]["http_forwarding_address"].endswith(".u.openport.io")
    key_url = body["results"][0]["key"]
    assert op.s.get(key_url, params={"token": OP_TOKEN}).json()["id"] == 349


def test_link_clicks(op):
    rows = op.get("/openforiplinkclicks/").json()["results"]
    assert all(list(r) == ["port", "source_ip", "timestamp", "key_name"] for r in rows)
    stamps = [datetime.fromisoformat(r["timestamp"]) for r in rows]
    assert stamps == sorted(stamps)
    outside = [r for r in rows if not r["source_ip"].startswith("198.51.100.")]
    assert len(outside) == 1 and outside[0]["key_name"] == "root@HQ"


def test_nodes_as_documented(op, http):
    body = http.get(op.url("/nodes/")).json()
    assert body["count"] == 3 and body["next"] is None
    assert body["results"][0] == {"name": "us", "public_ip": "104.131.142.252", "status": "active",
                                  "public_dns_name": "us.openport.io"}


def test_delete_then_404(op):
    r = op.delete("/keys/15372/")
    assert r.status_code == 204 and r.content == b""
    assert op.get("/keys/15372/").json() == {"detail": "Not found."}
    assert op.delete("/keys/15372/").status_code == 404
    assert op.get("/keys/abc/").status_code == 404
    # its public key is free again
    assert op.get("/keys/").json()["count"] == 5


def test_deleted_public_key_can_be_registered_again(op, state):
    key = [k for k in state["openport"]["keys"] if k["id"] == 15372][0]
    op.delete("/keys/15372/")
    r = op.post("/keys/", json={"public_key": key["public_key"], "name": "again"})
    assert r.status_code == 201 and r.json()["id"] > 15380


@pytest.mark.parametrize("bad", ["ssh-foo AAAA", "ssh-rsa not*base64", "ssh-ed25519 AAAAC3NzaC1yc2E=", "justtext"])
def test_invalid_public_key(op, bad):
    r = op.post("/keys/", json={"public_key": bad, "name": "x"})
    assert r.status_code == 400 and list(r.json()) == ["public_key"]


def test_blank_and_wrong_type_fields(op):
    r = op.post("/keys/", json={"public_key": "  ", "name": 5})
    assert r.json() == {"public_key": ["This field may not be blank."], "name": ["Not a valid string."]}


def test_form_encoded_post_and_bad_bodies(op):
    key = make_key(random.Random(5), "ecdsa")
    r = op.post("/keys/", data={"public_key": key, "name": "form-box"})
    assert r.status_code == 201 and r.json()["public_key"] == key
    r = op.post("/keys/", data=b"{nope", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["detail"].startswith("JSON parse error")
    r = op.post("/keys/", data=b"x", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415 and r.json() == {"detail": 'Unsupported media type "text/plain" in request.'}


def test_put_requires_all_fields(op):
    r = op.put("/keys/349/", json={"name": "only-name"})
    assert r.status_code == 400 and r.json() == {"public_key": ["This field is required."]}


def test_method_not_allowed(op):
    r = op.post("/sessions/", json={})
    assert r.status_code == 405 and r.json() == {"detail": 'Method "POST" not allowed.'}
    assert "GET" in r.headers["Allow"]


def test_append_slash_redirect_and_unknown_path(op):
    r = op.get("/keys", allow_redirects=False)
    assert r.status_code == 301 and r.headers["Location"].endswith(f"/openport/api/v2/keys/?token={OP_TOKEN}")
    r = op.get("/nope/")
    assert r.status_code == 404 and "<h1>Not Found</h1>" in r.text


def test_missing_token(op, http):
    r = http.get(op.url("/keys/"))
    assert r.status_code == 401 and r.json() == {"detail": "Authentication credentials were not provided."}


@pytest.mark.parametrize("utc,want", [
    ("2023-03-26T00:59:59+00:00", "2023-03-26T01:59:59+01:00"), ("2023-03-26T01:00:00+00:00", "2023-03-26T03:00:00+02:00"),
    ("2023-10-29T00:59:59+00:00", "2023-10-29T02:59:59+02:00"), ("2023-10-29T01:00:00+00:00", "2023-10-29T02:00:00+01:00"),
    ("2023-04-11T04:17:26.261628+00:00", "2023-04-11T06:17:26.261628+02:00")])
def test_brussels_offsets_follow_eu_summer_time(utc, want):
    from tests.emulator.common import fmt_openport
    assert fmt_openport(datetime.fromisoformat(utc)) == want
    assert fmt_openport(datetime.fromisoformat(utc), z=True) == utc.replace("+00:00", "Z")
