"""Pinggy: active sessions array, history Spring Page envelope and paging, routing."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

ACTIVE_FIELDS = ["id", "userId", "tokenId", "token", "tokenName", "virtualToken", "virtualTokenName", "subdomain",
                 "customdomain", "mode", "modeUdp", "port", "creationTimestamp", "lastUpdateTimestamp"]
HISTORY_FIELDS = ["start_time", "end_time", "user_email", "token_value", "virtual_token_value", "domains", "mode",
                  "mode_udp", "client_ip", "port"]
ENVELOPE = ["totalElements", "totalPages", "size", "content", "number", "sort", "pageable", "numberOfElements",
            "first", "last", "empty"]
MS_TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$")


def window(days=60):
    today = datetime.now(timezone.utc).date()
    return f"/session/history/{(today - timedelta(days=days)).isoformat()}/{today.isoformat()}"


def test_active_sessions(pg):
    r = pg.get("/session/active")
    assert r.status_code == 200
    rows = r.json()
    assert isinstance(rows, list) and len(rows) == 3
    for row in rows:
        assert list(row) == ACTIVE_FIELDS and row["token"] is None
        assert MS_TS.match(row["creationTimestamp"]) and MS_TS.match(row["lastUpdateTimestamp"])
    assert [(r["mode"], r["modeUdp"]) for r in rows] == [("tcp", ""), ("http", ""), ("tlstcp", "udp")]
    assert rows[0]["virtualToken"] == f"sJsufpgMMl-{rows[0]['port']}"


def test_history_envelope_and_rows(pg):
    body = pg.get(window(), params={"size": 100}).json()
    assert list(body) == ENVELOPE
    assert body["sort"] == {"empty": True, "sorted": False, "unsorted": True}
    rows = body["content"]
    assert body["numberOfElements"] == len(rows) == body["totalElements"] > 10
    for row in rows:
        assert list(row) == HISTORY_FIELDS
        assert re.fullmatch(r"\[\d+\.\d+\.\d+\.\d+\]:\d+", row["client_ip"])
        assert MS_TS.match(row["start_time"]) and row["mode"] in {"http", "tcp", "tls", "tlstcp"}
        assert (row["port"] is None) == (row["mode"] == "http")
    assert [r["start_time"] for r in rows] == sorted(r["start_time"] for r in rows)
    tokens = [r["token_value"] for r in rows if r["token_value"]]
    assert len(tokens) == 1 and "EMUSECRET" in tokens[0]


def test_history_older_rows_exist_beyond_window(state):
    oldest = datetime.fromisoformat(state["pinggy"]["history"][0]["start_time"])
    assert datetime.now(timezone.utc) - oldest > timedelta(days=60)


def test_history_page_beyond_end(pg):
    body = pg.get(window(), params={"page": 99, "size": 10}).json()
    assert body["content"] == [] and body["empty"] is True and body["last"] is True and body["first"] is False
    assert body["number"] == 99 and body["pageable"]["offset"] == 990


@pytest.mark.parametrize("page,size,want_page,want_size", [("-1", "10", 0, 10), ("x", "0", 0, 20),
                                                           ("1", "abc", 1, 20), ("2", "5", 2, 5)])
def test_history_paging_params(pg, page, size, want_page, want_size):
    body = pg.get(window(), params={"page": page, "size": size}).json()
    assert body["number"] == want_page and body["size"] == want_size


def test_history_pages_cover_rows_once(pg):
    total = pg.get(window()).json()["totalElements"]
    seen = []
    for page in range(-(-total // 7)):
        seen += [r["start_time"] for r in pg.get(window(), params={"page": page, "size": 7}).json()["content"]]
    assert len(seen) == total == len(set(seen))


def test_unknown_path_and_method(pg):
    r = pg.get("/session/unknown")
    assert r.status_code == 404 and set(r.json()) == {"timestamp", "status", "error", "path"}
    r = pg.post("/session/active", json={})
    assert r.status_code == 405 and r.json()["status"] == 405


def test_auth_checked_before_routing(pg):
    assert pg.get("/session/unknown", headers={"Authorization": "Bearer bad"}).status_code == 401
