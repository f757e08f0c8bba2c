"""Lists with no promised order and rows arriving during a walk (issue 16.7, 16.8)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest


def utc_today():
    return datetime.now(timezone.utc).date()


def history_url(frm, to=None):
    return f"/session/history/{frm.isoformat()}/{(to or utc_today()).isoformat()}"


def add_rule(ctl, **rule):
    assert ctl.post("/faults", json={"rules": [rule]}).status_code == 200


def walk_offsets(api, path, limit, pages, key="results"):
    """Pages fetched by offset one after the other, as a parallel walk fetches them (offsets fixed up front)."""
    bodies = [api.get(path, params={"limit": limit, "offset": i * limit}).json() for i in range(pages)]
    return [row for body in bodies for row in body[key]], bodies


def click_key(row):
    return (row["timestamp"], row["source_ip"], row["port"])


# --------------------------------------------------------------------------- Pinggy's 60-day boundary

def test_boundary_utc_day_default(pg):
    assert pg.get(history_url(utc_today() - timedelta(days=60))).status_code == 200
    r = pg.get(history_url(utc_today() - timedelta(days=61)))
    assert r.status_code == 400 and r.json()["error_type"] == "invalid_date_range"


def test_boundary_now_counts_to_the_second(pg, ctl):
    ctl.post("/config", json={"pinggy_history_boundary": "now"})
    r = pg.get(history_url(utc_today() - timedelta(days=60)))        # midnight of today-60 is before now-60d
    assert r.status_code == 400 and "older than 60 days" in r.json()["errors"][0]
    assert (utc_today() - timedelta(days=59)).isoformat() in r.json()["errors"][0]
    assert pg.get(history_url(utc_today() - timedelta(days=59))).status_code == 200


def test_boundary_in_a_time_zone_ahead_of_utc(pg, ctl):
    ctl.post("/config", json={"pinggy_history_boundary": "tz"})           # UTC+14 by default
    server_today = (datetime.now(timezone.utc) + timedelta(hours=14)).date()
    assert pg.get(history_url(server_today - timedelta(days=60))).status_code == 200
    assert pg.get(history_url(server_today - timedelta(days=61))).status_code == 400
    expected = 400 if server_today > utc_today() else 200                 # from 10:00 UTC its today is tomorrow
    assert pg.get(history_url(utc_today() - timedelta(days=60))).status_code == expected


def test_boundary_tz_offset_makes_today_tomorrow(pg, ctl):
    """An offset that puts the server past midnight now: UTC's today - 60 is refused."""
    now = datetime.now(timezone.utc)
    hours = 24 - now.hour if now.hour >= 10 else None
    if hours is None:                                                     # before 10:00 UTC no zone is a day ahead
        pytest.skip("no time zone (at most UTC+14) is in tomorrow before 10:00 UTC")
    ctl.post("/config", json={"pinggy_history_boundary": "tz", "pinggy_history_tz_hours": min(hours, 14)})
    assert pg.get(history_url(utc_today() - timedelta(days=60))).status_code == 400
    assert pg.get(history_url(utc_today() - timedelta(days=59))).status_code == 200


def test_boundary_config_checks(ctl):
    assert ctl.post("/config", json={"pinggy_history_boundary": "local"}).status_code == 400
    assert ctl.post("/config", json={"pinggy_history_tz_hours": 15}).status_code == 400
    assert ctl.post("/config", json={"pinggy_history_tz_hours": -12}).status_code == 200


# --------------------------------------------------------------------------- Pinggy history order

def starts(pg, url, **params):
    return [r["start_time"] for r in pg.get(url, params=params).json()["content"]]


def test_history_order_asc_default_and_desc(pg, ctl):
    url = history_url(utc_today() - timedelta(days=60))
    asc = starts(pg, url, size=100)
    assert asc == sorted(asc) and len(asc) > 10
    ctl.post("/config", json={"pinggy_history_order": "desc"})
    assert starts(pg, url, size=100) == asc[::-1]
    assert starts(pg, url, size=5, page=1) == asc[::-1][5:10]
    assert starts(pg, url, size=5, page=99) == []


def test_history_order_shuffled_differs_across_requests(pg, ctl):
    ctl.post("/reset", json={"scale": {"pinggy_history": 200}, "config": {"pinggy_history_order": "shuffled"}})
    url = history_url(utc_today() - timedelta(days=60))
    whole = [starts(pg, url, size=2000) for dummy in range(3)]
    assert sorted(whole[0]) == sorted(whole[1]) and len(set(map(tuple, whole))) > 1
    body = pg.get(url, params={"size": 2000}).json()
    assert body["sort"]["unsorted"] is True
    # a page walk sees duplicates and misses rows: the client must not trust the pages to partition the list
    pages = -(-body["totalElements"] // 10)
    walked = [s for page in range(pages) for s in starts(pg, url, size=10, page=page)]
    assert len(walked) == body["totalElements"] and len(set(walked)) < len(walked)


# --------------------------------------------------------------------------- Openport link click order

def test_clicks_order_asc_default_and_desc(op, ctl):
    asc = op.get("/openforiplinkclicks/").json()["results"]
    assert [r["timestamp"] for r in asc] == sorted(r["timestamp"] for r in asc)
    ctl.post("/config", json={"openport_clicks_order": "desc"})
    assert op.get("/openforiplinkclicks/").json()["results"] == asc[::-1]
    assert op.get("/openforiplinkclicks/", params={"limit": 3, "offset": 3}).json()["results"] == asc[::-1][3:6]
    assert op.get("/openforiplinkclicks/", params={"offset": 8}).json()["results"] == []


# --------------------------------------------------------------------------- rows arriving during a walk

def test_clicks_arriving_newest_first_shift_an_offset_walk(op, ctl):
    ctl.post("/reset", json={"seed": "empty", "scale": {"openport_clicks": 30},
                             "config": {"openport_clicks_order": "desc"}})
    first = op.get("/openforiplinkclicks/", params={"limit": 10}).json()
    add_rule(ctl, provider="openport", path="/openforiplinkclicks/$", action="add_items", count=4, nth=1)
    rows, bodies = walk_offsets(op, "/openforiplinkclicks/", 10, 3)
    rows = first["results"] + rows[10:]                     # page 0 before the arrivals, pages 1-2 after them
    assert first["count"] == 30 and [b["count"] for b in bodies] == [34, 34, 34]
    keys = [click_key(r) for r in rows]
    assert len(keys) == 30 and len(set(keys)) == 26         # 4 rows of page 0 seen again on page 1 ...
    assert len(set(keys) ^ {click_key(r) for r in walk_offsets(op, "/openforiplinkclicks/", 100, 1)[0]}) == 8
    # ... and the 4 new rows and the 4 oldest rows never seen: a walk that trusts offsets misses them


def test_clicks_arriving_in_ascending_order_only_grow_the_count(op, ctl):
    ctl.post("/reset", json={"seed": "empty", "scale": {"openport_clicks": 30}})
    first = op.get("/openforiplinkclicks/", params={"limit": 10}).json()
    add_rule(ctl, provider="openport", path="/openforiplinkclicks/$", action="add_items", count=4)
    rows, bodies = walk_offsets(op, "/openforiplinkclicks/", 10, 4)
    keys = [click_key(r) for r in first["results"] + rows[10:]]
    assert len(keys) == len(set(keys)) == 34 and bodies[-1]["count"] == 34


def test_pinggy_rows_arriving_at_the_front_shift_pages(pg, ctl):
    ctl.post("/reset", json={"seed": "empty", "scale": {"pinggy_history": 25},
                             "config": {"pinggy_history_order": "desc"}})
    url = history_url(utc_today() - timedelta(days=60))
    page0 = pg.get(url, params={"size": 10, "page": 0}).json()
    add_rule(ctl, provider="pinggy", path="/session/history/", action="add_items", count=3)
    page1 = pg.get(url, params={"size": 10, "page": 1}).json()
    assert page1["totalElements"] == page0["totalElements"] + 3
    seen = [r["start_time"] for r in page0["content"] + page1["content"]]
    assert len(set(seen)) == len(seen) - 3                  # the last 3 rows of page 0 again at the top of page 1


def test_ngrok_rows_arriving_at_the_front_do_not_move_a_cursor_walk(ng, ctl, http):
    ctl.post("/reset", json={"seed": "empty", "scale": {"ngrok_credentials": 30}})
    page0 = ng.get("/credentials", params={"limit": 10}).json()
    add_rule(ctl, provider="ngrok", path="/credentials", action="add_items", count=3)
    page1 = http.get(page0["next_page_uri"], headers=ng.headers).json()
    ids = [c["id"] for c in page0["credentials"] + page1["credentials"]]
    assert len(set(ids)) == 20                              # before_id cursors are immune; new ids sort first
    assert len(ng.get("/credentials").json()["credentials"]) == 33
