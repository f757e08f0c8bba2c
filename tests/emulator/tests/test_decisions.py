"""One test (or pair: default + variant) per row of the decisions table in shared/providers/README.md."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta, timezone

import pytest

from tests.emulator.sshkeys import make_key

OFFSET_TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+0[12]:00$")
Z_TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$")
KEY_FIELDS = {"url", "public_key", "name", "id", "last_connection_time", "creation_time", "redirect_token",
              "bytes_this_month", "counter_reset_time"}


def new_key(seed=1, kind="ed25519"):
    return make_key(random.Random(seed), kind, comment="test@host")


# --------------------------------------------------------------------------- Openport

@pytest.mark.parametrize("status", [401, 403])
def test_openport_auth_failure(op, ctl, status):
    if status == 403:
        assert ctl.post("/config", json={"openport_auth_status": 403}).status_code == 200
    r = op.get("/keys/", params={"token": "not-the-token"})
    assert r.status_code == status
    assert r.json() == {"detail": "Invalid token."}
    assert ("WWW-Authenticate" in r.headers) is (status == 401)


def test_openport_post_key_requires_both_fields_and_answers_201(op):
    r = op.post("/keys/", json={})
    assert r.status_code == 400
    assert r.json() == {"public_key": ["This field is required."], "name": ["This field is required."]}
    r = op.post("/keys/", json={"public_key": new_key(), "name": "new-box"})
    assert r.status_code == 201
    body = r.json()
    assert set(body) == KEY_FIELDS
    assert body["name"] == "new-box" and body["public_key"] == new_key()
    assert body["last_connection_time"] is None and body["bytes_this_month"] == 0
    assert body["url"] == op.url(f"/keys/{body['id']}/")
    assert op.get(f"/keys/{body['id']}/").json() == body


def test_openport_public_key_unique_across_accounts(op, state):
    foreign = state["openport"]["foreign_keys"][0]["public_key"]
    r = op.post("/keys/", json={"public_key": foreign, "name": "stolen"})
    assert r.status_code == 400
    assert r.json() == {"public_key": ["key with this public key already exists."]}
    own = state["openport"]["keys"][0]["public_key"]
    # same key with another comment is still the same key
    r = op.post("/keys/", json={"public_key": own.rsplit(" ", 1)[0] + " other-comment", "name": "dup"})
    assert r.status_code == 400 and "public_key" in r.json()


def test_openport_name_unique_per_account(op):
    r = op.post("/keys/", json={"public_key": new_key(), "name": "root@HQ"})
    assert r.status_code == 400
    assert r.json() == {"name": ["key with this name already exists."]}


def test_openport_name_unique_variant_off(op, ctl):
    ctl.post("/config", json={"openport_name_unique": False})
    r = op.post("/keys/", json={"public_key": new_key(), "name": "root@HQ"})
    assert r.status_code == 201
    names = [k["name"] for k in op.get("/keys/").json()["results"]]
    assert names.count("root@HQ") == 2


def test_openport_key_updates(op):
    key = op.get("/keys/349/").json()
    r = op.patch("/keys/349/", json={"name": "root@HQ-renamed"})
    assert r.status_code == 200 and r.json()["name"] == "root@HQ-renamed"
    r = op.put("/keys/349/", json={"name": "root@HQ-2", "public_key": key["public_key"]})
    assert r.status_code == 200 and r.json()["name"] == "root@HQ-2"
    r = op.patch("/keys/349/", json={"public_key": new_key(7)})
    assert r.status_code == 400 and list(r.json()) == ["public_key"]
    assert op.get("/keys/349/").json()["public_key"] == key["public_key"]


def test_openport_page_size_default_100_no_max(op, ctl):
    ctl.post("/reset", json={"scale": {"openport_keys": 250}})
    body = op.get("/keys/").json()
    assert body["count"] == 256 and len(body["results"]) == 100
    assert body["next"] == op.url(f"/keys/?limit=100&offset=100&token={op.params['token']}")
    big = op.get("/keys/", params={"limit": 1000}).json()
    assert len(big["results"]) == 256 and big["next"] is None


def test_openport_page_size_variant_capped(op, ctl, http):
    ctl.post("/reset", json={"scale": {"openport_keys": 120}})
    ctl.post("/config", json={"openport_max_limit": 50})
    body = op.get("/keys/", params={"limit": 1000}).json()
    assert body["count"] == 126 and len(body["results"]) == 50
    assert "limit=50&offset=50" in body["next"]
    seen = []
    url = op.url(f"/keys/?token={op.params['token']}")
    while url:                                   # following `next` and trusting `count` still works
        page = http.get(url).json()
        seen += [k["id"] for k in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 126


@pytest.mark.parametrize("require", [False, True])
def test_openport_nodes_token(op, http, ctl, require):
    if require:
        ctl.post("/config", json={"openport_nodes_require_token": True})
    r = http.get(op.url("/nodes/"))
    if require:
        assert r.status_code == 401
        assert r.json() == {"detail": "Authentication credentials were not provided."}
    else:
        assert r.status_code == 200 and r.json()["count"] == 3
    assert op.get("/nodes/").status_code == 200


def test_openport_errors_drf_shapes_and_html_variant(op, ctl):
    r = op.get("/keys/999999/")
    assert r.status_code == 404 and r.json() == {"detail": "Not found."}
    ctl.post("/faults", json={"rules": [{"provider": "openport", "action": "html", "status": 502}]})
    r = op.get("/keys/")
    assert r.status_code == 502 and r.headers["Content-Type"].startswith("text/html")
    assert "<center>nginx</center>" in r.text
    with pytest.raises(ValueError):
        r.json()


def test_openport_timestamps_offset_and_z_variant(op, ctl):
    key = op.get("/keys/349/").json()
    assert OFFSET_TS.match(key["creation_time"]) and "." not in key["creation_time"]   # no zero fraction
    assert re.search(r"\.261628\+0[12]:00$", key["counter_reset_time"])
    clicks = op.get("/openforiplinkclicks/").json()["results"]
    assert all(OFFSET_TS.match(c["timestamp"]) for c in clicks)
    ctl.post("/config", json={"openport_timestamp_z": True})
    key = op.get("/keys/349/").json()
    assert Z_TS.match(key["creation_time"]) and Z_TS.match(key["last_connection_time"])


# --------------------------------------------------------------------------- Pinggy

@pytest.mark.parametrize("status", [401, 403])
def test_pinggy_auth_failure(pg, ctl, status):
    ctl.post("/config", json={"pinggy_auth_status": status})
    r = pg.get("/session/active", headers={"Authorization": "Bearer nope"})
    assert r.status_code == status
    assert r.json()["error_type"] == "unauthorized"
    assert pg.get("/session/active", headers={"Authorization": None}).status_code == status


def _day(days_ago):
    return (datetime.now(timezone.utc) - timedelta(days=days_ago)).date().isoformat()


@pytest.mark.parametrize("frm,to", [(_day(61), _day(0)), (_day(1), _day(2)), ("2025-1-01", _day(0)),
                                    ("2025-02-30", "2025-03-01")])
def test_pinggy_history_window_errors(pg, frm, to):
    r = pg.get(f"/session/history/{frm}/{to}")
    assert r.status_code == 400
    body = r.json()
    assert set(body) == {"error_type", "errors"} and body["error_type"] == "invalid_date_range"
    assert len(body["errors"]) == 1 and isinstance(body["errors"][0], str)


def test_pinggy_history_window_spring_variant(pg, ctl):
    ctl.post("/config", json={"pinggy_error_shape": "spring"})
    r = pg.get(f"/session/history/{_day(61)}/{_day(0)}")
    assert r.status_code == 400
    body = r.json()
    assert set(body) == {"timestamp", "status", "error", "path"}
    assert body["status"] == 400 and body["error"] == "Bad Request"
    assert body["path"].endswith(f"/session/history/{_day(61)}/{_day(0)}")


def test_pinggy_history_window_edge_is_60_days(pg):
    assert pg.get(f"/session/history/{_day(60)}/{_day(0)}").status_code == 200


def test_pinggy_history_paging_defaults_and_max(pg, ctl):
    ctl.post("/reset", json={"scale": {"pinggy_history": 3000}})
    url = f"/session/history/{_day(60)}/{_day(0)}"
    first = pg.get(url).json()
    assert first["number"] == 0 and first["size"] == 20 and first["first"] is True
    assert first["pageable"] == {"pageNumber": 0, "pageSize": 20, "offset": 0, "paged": True, "unpaged": False,
                                 "sort": {"empty": True, "sorted": False, "unsorted": True}}
    big = pg.get(url, params={"size": 5000}).json()
    assert big["size"] == 2000 and big["numberOfElements"] == 2000
    assert big["totalPages"] == -(-big["totalElements"] // 2000)


def test_pinggy_history_paging_variant_lower_max(pg, ctl):
    ctl.post("/config", json={"pinggy_max_size": 10})
    url = f"/session/history/{_day(60)}/{_day(0)}"
    page = pg.get(url, params={"size": 100}).json()
    assert page["size"] == 10 and page["numberOfElements"] == 10
    rows, n = [], 0
    while n < page["totalPages"]:                  # following totalPages gets every row once
        rows += pg.get(url, params={"size": 100, "page": n}).json()["content"]
        n += 1
    assert len(rows) == page["totalElements"]


def test_pinggy_history_day_bounds_inclusive_utc_on_start_time(pg, ctl):
    ctl.post("/reset", json={"seed": "empty"})
    day = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=3)
    starts = [day - timedelta(milliseconds=1), day, day + timedelta(hours=23, minutes=59, seconds=59.999),
              day + timedelta(days=1)]
    items = [{"start_time": s.isoformat(), "end_time": (s + timedelta(hours=5)).isoformat()} for s in starts]
    assert ctl.post("/seed/pinggy/history", json={"items": items}).json()["added"] == 4
    d = day.date().isoformat()
    rows = pg.get(f"/session/history/{d}/{d}").json()["content"]
    assert [r["start_time"] for r in rows] == [f"{d}T00:00:00.000+00:00", f"{d}T23:59:59.999+00:00"]


# --------------------------------------------------------------------------- ngrok

def test_ngrok_auth_failures_default_403(ng):
    r = ng.get("/credentials", headers={"Authorization": None})
    assert r.status_code == 403 and r.json()["error_code"] == "ERR_NGROK_200"
    r = ng.get("/credentials", headers={"Authorization": "Bearer not-a-key"})
    assert r.status_code == 403 and r.json()["error_code"] == "ERR_NGROK_202"
    r = ng.get("/credentials", headers={"Authorization": "Bearer 32ELEgPmoXjxGJ3MXfoPBbZKrfD_59G1nFjCYtpoGt8Fp41Fm"})
    assert r.status_code == 403 and r.json()["error_code"] == "ERR_NGROK_203"
    assert "WWW-Authenticate" not in r.headers


def test_ngrok_auth_failure_variant_401(ng, ctl):
    ctl.post("/config", json={"ngrok_auth_status": 401})
    r = ng.get("/credentials", headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and r.json()["status_code"] == 401 and r.json()["error_code"] == "ERR_NGROK_202"


def test_ngrok_rate_limit_default_no_retry_after(ng, emu):
    for dummy in range(120):
        assert ng.get("/api_keys").status_code == 200
    r = ng.get("/api_keys")
    assert r.status_code == 429
    body = r.json()
    assert body["error_code"] == "ERR_NGROK_226" and body["status_code"] == 429
    assert body["msg"] == "Your account is rate limited to 120 API requests per 1m0s."
    assert "Retry-After" not in r.headers


def test_ngrok_rate_limit_variant_retry_after(ng, ctl):
    ctl.post("/config", json={"ngrok_rate_limit": 3, "ngrok_rate_window": 30, "ngrok_retry_after": 7})
    codes = [ng.get("/api_keys").status_code for dummy in range(4)]
    assert codes == [200, 200, 200, 429]
    r = ng.get("/api_keys")
    assert r.headers["Retry-After"] == "7" and "30s" in r.json()["msg"]


def test_ngrok_list_pages(ng, ctl, http):
    ctl.post("/reset", json={"scale": {"ngrok_credentials": 247}})
    r = ng.get("/credentials", params={"limit": 101})
    assert r.status_code == 400 and r.json()["error_code"] == "ERR_NGROK_215"
    page = ng.get("/credentials").json()
    assert len(page["credentials"]) == 100 and page["uri"] == ng.url("/credentials")
    ids, url = [], ng.url("/credentials")
    while url:
        body = http.get(url, headers=ng.headers).json()
        assert url.startswith(ng.base)                                        # points back at us
        ids += [c["id"] for c in body["credentials"]]
        url = body["next_page_uri"]
    assert len(ids) == 250 == len(set(ids)) and ids == sorted(ids, reverse=True)   # newest first


def test_ngrok_list_pages_variant_empty_last_page(ng, ctl, http):
    ctl.post("/reset", json={"seed": "empty", "scale": {"ngrok_credentials": 200}})
    ctl.post("/config", json={"ngrok_empty_last_page": True})
    second = http.get(ng.get("/credentials").json()["next_page_uri"], headers=ng.headers).json()
    assert len(second["credentials"]) == 100 and second["next_page_uri"]
    third = http.get(second["next_page_uri"], headers=ng.headers).json()
    assert third["credentials"] == [] and third["next_page_uri"] is None


def test_ngrok_tunnel_session_actions(ng, state):
    sessions = {s["agent_version"]: s["id"] for s in state["ngrok"]["tunnel_sessions"]}
    live, gone = sessions["3.22.1"], sessions["3.19.0"]
    r = ng.post(f"/tunnel_sessions/{live}/stop")
    assert r.status_code == 400 and r.json()["error_code"] == "ERR_NGROK_216"
    r = ng.post(f"/tunnel_sessions/{live}/stop", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["error_code"] == "ERR_NGROK_213"
    r = ng.post(f"/tunnel_sessions/{live}/stop", json={})
    assert r.status_code == 204 and r.content == b""
    # the agent leaves asynchronously: still listed for a moment, and a second stop answers 404
    assert ng.get(f"/tunnel_sessions/{live}").status_code == 200
    r = ng.post(f"/tunnel_sessions/{live}/stop", json={})
    assert r.status_code == 404 and "error_code" not in r.json()
    r = ng.post(f"/tunnel_sessions/{gone}/stop", json={})
    assert r.status_code == 400 and r.json()["error_code"] == "ERR_NGROK_810"
