# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import random
import threading

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.core import HttpCore, RetryPolicy
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.pagination import (
    Walk, iter_cursor, iter_offset, iter_spring, list_offset)
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils._http.fake_http import (
    Reply, path_of, query_of, session_with)

BASE = "https://api.example.test/v2"


def make_core(handler, retries=2):
    session, adapter = session_with(handler)
    core = HttpCore("openport", BASE, retry=RetryPolicy(retries=retries, rng=random.Random(3)),
                    sleep=lambda s: None, session=session)
    return core, adapter


class OffsetServer:
    """A DRF limit/offset list over ``items``, optionally capping the page size."""

    def __init__(self, items, max_limit=None):
        self.items = list(items)
        self.max_limit = max_limit
        self.fail = {}
        self.lock = threading.Lock()
        self.on_request = None

    def __call__(self, request):
        q = query_of(request)
        limit = int(q.get("limit", 100))
        if self.max_limit:
            limit = min(limit, self.max_limit)
        offset = int(q.get("offset", 0))
        with self.lock:
            if self.on_request:
                self.on_request(offset)
            if self.fail.get(offset):
                self.fail[offset] -= 1
                return Reply(503, text="busy")
            items = list(self.items)
        page = items[offset:offset + limit]
        nxt = None
        if offset + limit < len(items):
            nxt = "%s/keys/?limit=%d&offset=%d&token=t" % (BASE, limit, offset + limit)
        return Reply(200, {"count": len(items), "next": nxt, "previous": None, "results": page})


def ids(n, start=0):
    return [{"id": i} for i in range(start, start + n)]


def test_offset_walk_in_parallel_keeps_order():
    server = OffsetServer(ids(2500))
    core, adapter = make_core(server)
    walk = Walk()
    items = list(iter_offset(core, "keys/", page_size=1000, workers=4, walk=walk))
    assert [i["id"] for i in items] == list(range(2500))
    assert len(adapter.requests) == 3 and walk.pages == 3
    offsets = sorted(int(query_of(r)["offset"]) for r in adapter.requests)
    assert offsets == [0, 1000, 2000]


def test_offset_walk_trusts_a_capped_page_size():
    server = OffsetServer(ids(250), max_limit=100)
    core, adapter = make_core(server)
    items = list(iter_offset(core, "keys/", page_size=1000))
    assert [i["id"] for i in items] == list(range(250))
    assert sorted(int(query_of(r)["offset"]) for r in adapter.requests) == [0, 100, 200]


def test_offset_walk_short_and_empty_results():
    core, adapter = make_core(OffsetServer([]))
    assert list(iter_offset(core, "keys/")) == []
    assert len(adapter.requests) == 1
    core, adapter = make_core(OffsetServer(ids(1001)))
    assert len(list(iter_offset(core, "keys/", page_size=1000))) == 1001
    assert len(adapter.requests) == 2


def test_offset_page_failing_mid_walk_is_retried():
    server = OffsetServer(ids(300))
    server.fail = {100: 2}
    core, adapter = make_core(server, retries=2)
    items = list(iter_offset(core, "keys/", page_size=100))
    assert [i["id"] for i in items] == list(range(300))
    assert len(adapter.requests) == 5


def test_offset_page_failing_for_good_raises():
    server = OffsetServer(ids(300))
    server.fail = {200: 10}
    core, adapter = make_core(server, retries=1)
    with pytest.raises(TunnelApiError) as err:
        list(iter_offset(core, "keys/", page_size=100))
    assert "offset=200" in str(err.value) and "HTTP 503" in str(err.value)


def test_offset_count_growing_during_walk_is_followed():
    server = OffsetServer(ids(200))

    def grow(offset):
        if offset == 100 and len(server.items) == 200:
            server.items.extend(ids(50, start=200))
    server.on_request = grow
    core, adapter = make_core(server)
    walk = Walk()
    items = list(iter_offset(core, "keys/", page_size=100, workers=1, walk=walk))
    assert [i["id"] for i in items] == list(range(250))
    assert walk.consistent is False


def test_list_offset_rewalks_when_items_vanish_mid_walk():
    server = OffsetServer(ids(300))
    state = {"removed": False}

    def shrink(offset):
        if offset == 200 and not state["removed"]:
            state["removed"] = True
            del server.items[0:10]
    server.on_request = shrink
    core, adapter = make_core(server)
    items = list_offset(core, "keys/", page_size=100, workers=1, key="id")
    assert [i["id"] for i in items] == list(range(10, 300))


class CursorServer:
    def __init__(self, items, empty_last_page=False):
        self.items = items  # newest first
        self.empty_last_page = empty_last_page

    def __call__(self, request):
        q = query_of(request)
        limit = int(q.get("limit", 100))
        items = self.items
        if q.get("before_id"):
            idx = [i["id"] for i in items].index(q["before_id"])
            items = items[idx + 1:]
        page = items[:limit]
        more = len(items) > limit or (self.empty_last_page and page)
        nxt = "https://elsewhere.example/ssh_credentials?before_id=%s&limit=%d" % (page[-1]["id"], limit) if more else None
        return Reply(200, {"ssh_credentials": page, "uri": "x", "next_page_uri": nxt})


def test_cursor_walk_follows_before_id_against_configured_base():
    items = [{"id": "sshcr_%03d" % i} for i in range(250, 0, -1)]
    core, adapter = make_core(CursorServer(items))
    got = list(iter_cursor(core, "ssh_credentials", "ssh_credentials", limit=100))
    assert got == items
    assert len(adapter.requests) == 3
    assert all(r.url.startswith(BASE + "/ssh_credentials") for r in adapter.requests)
    assert query_of(adapter.requests[1])["before_id"] == "sshcr_151"


def test_cursor_full_last_page_leading_to_empty_page():
    items = [{"id": "cr_%d" % i} for i in range(200, 0, -1)]
    core, adapter = make_core(CursorServer(items, empty_last_page=True))
    got = list(iter_cursor(core, "ssh_credentials", "ssh_credentials", limit=100))
    assert len(got) == 200 and len(adapter.requests) == 3


def test_cursor_missing_list_key_is_an_error():
    core, adapter = make_core(lambda r: Reply(200, {"uri": "x", "next_page_uri": None}))
    with pytest.raises(TunnelApiError) as err:
        list(iter_cursor(core, "api_keys", "keys"))
    assert "no 'keys' array" in str(err.value)


class SpringServer:
    def __init__(self, rows, max_size=2000):
        self.rows = rows
        self.max_size = max_size

    def __call__(self, request):
        q = query_of(request)
        size = min(int(q.get("size", 20)), self.max_size)
        page = int(q.get("page", 0))
        content = self.rows[page * size:(page + 1) * size]
        total_pages = (len(self.rows) + size - 1) // size
        return Reply(200, {"content": content, "totalElements": len(self.rows), "totalPages": total_pages,
                           "size": size, "number": page, "last": page >= total_pages - 1,
                           "first": page == 0, "empty": not content})


def test_spring_walk_parallel_and_capped_size():
    rows = [{"n": i} for i in range(450)]
    core, adapter = make_core(SpringServer(rows, max_size=100))
    got = list(iter_spring(core, "session/history/a/b", size=1000, workers=4))
    assert got == rows
    assert sorted(int(query_of(r)["page"]) for r in adapter.requests) == [0, 1, 2, 3, 4]
    assert all(path_of(r).endswith("session/history/a/b") for r in adapter.requests)


def test_spring_single_and_empty():
    core, adapter = make_core(SpringServer([]))
    assert list(iter_spring(core, "h")) == [] and len(adapter.requests) == 1


# -- walks over lists that move: de-duplication, totals, warnings (issue 16.8) ---------------------

def test_a_consistent_walk_has_no_warnings():
    core, adapter = make_core(OffsetServer(ids(250)))
    walk = Walk(key=lambda row: row["id"])
    assert len(list(iter_offset(core, "openforiplinkclicks/", page_size=100, workers=3, walk=walk))) == 250
    assert walk.warnings == [] and walk.consistent


def test_rows_arriving_at_the_front_during_an_offset_walk_are_not_counted_twice():
    # Newest first: two rows arrive after the first page, so the next pages repeat two rows each.
    server = OffsetServer(ids(300, start=1000)[::-1])

    def arrive(offset):
        if offset == 100 and len(server.items) == 300:
            server.items[0:0] = ids(2, start=5000)
    server.on_request = arrive
    core, adapter = make_core(server)
    walk = Walk(key=lambda row: row["id"])
    rows = list(iter_offset(core, "openforiplinkclicks/", page_size=100, workers=1, walk=walk))
    keys = [row["id"] for row in rows]
    assert len(keys) == len(set(keys)) == 300, "a row was yielded twice"
    assert walk.consistent is False and walk.duplicates == 2
    text = " ".join(walk.warnings)
    assert "openforiplinkclicks/" in text and "2 rows were listed twice" in text
    assert "300 rows when the walk began, 302 at its end" in text


def test_rows_leaving_during_an_offset_walk_say_that_rows_may_be_missing():
    server = OffsetServer(ids(300))

    def leave(offset):
        if offset == 200 and len(server.items) == 300:
            del server.items[0:5]
    server.on_request = leave
    core, adapter = make_core(server)
    walk = Walk(key=lambda row: row["id"])
    rows = list(iter_offset(core, "openforiplinkclicks/", page_size=100, workers=1, walk=walk))
    assert len(rows) == 295
    assert any("may be missing" in w for w in walk.warnings), walk.warnings


def test_a_walk_that_reads_fewer_rows_than_its_count_warns():
    def short(request):
        return Reply(200, {"count": 5, "next": None, "previous": None, "results": ids(3)})
    core, adapter = make_core(short)
    walk = Walk(key=lambda row: row["id"], label="Openport link clicks")
    assert len(list(iter_offset(core, "openforiplinkclicks/", walk=walk))) == 3
    assert walk.warnings == ["Openport link clicks: 3 rows were read but the API counts 5: rows may be missing "
                             "(the list moved while it was read); run again for an exact list"]


class MovingSpringServer(SpringServer):
    """Unsorted history: rows arrive at the front while the pages are read."""

    def __init__(self, rows, arrive_on_page=1, count=3):
        super().__init__(rows, max_size=100)
        self.arrive_on_page, self.count, self.arrived = arrive_on_page, count, False
        self.lock = threading.Lock()

    def __call__(self, request):
        with self.lock:
            if int(query_of(request).get("page", 0)) == self.arrive_on_page and not self.arrived:
                self.arrived = True
                self.rows[0:0] = [{"n": 10000 + i} for i in range(self.count)]
            return super().__call__(request)


def test_rows_arriving_during_a_spring_walk_are_de_duplicated_and_reported():
    server = MovingSpringServer([{"n": i} for i in range(300)])
    core, adapter = make_core(server)
    walk = Walk(key=lambda row: row["n"], label="Pinggy history")
    rows = list(iter_spring(core, "session/history/a/b", size=100, workers=1, walk=walk))
    keys = [row["n"] for row in rows]
    assert len(keys) == len(set(keys))
    assert walk.duplicates == 3 and walk.consistent is False
    assert any(w.startswith("Pinggy history: 3 rows were listed twice") for w in walk.warnings), walk.warnings


def test_a_spring_walk_checks_total_elements():
    def short(request):
        return Reply(200, {"content": [{"n": 1}], "totalElements": 4, "totalPages": 1, "number": 0, "last": True})
    core, adapter = make_core(short)
    walk = Walk(key=lambda row: row["n"])
    assert len(list(iter_spring(core, "h", walk=walk))) == 1
    assert walk.warnings and "the API counts 4" in walk.warnings[0]


# -- items that are not records (issue 18.3) ---------------------------------------------------------

@pytest.mark.parametrize("walker, body", [
    (lambda core: iter_offset(core, "keys/"), {"count": 1, "next": None, "previous": None, "results": ["x"]}),
    (lambda core: iter_cursor(core, "credentials", "credentials"), {"credentials": ["x"], "next_page_uri": None}),
    (lambda core: iter_cursor(core, "credentials", "credentials"), {"credentials": [None], "next_page_uri": None}),
    (lambda core: iter_spring(core, "h"), {"content": [1, 2], "totalPages": 1, "last": True}),
])
def test_a_list_whose_items_are_not_records_is_an_error(walker, body):
    core, adapter = make_core(lambda r: Reply(200, body))
    with pytest.raises(TunnelApiError) as err:
        list(walker(core))
    assert "not a record" in str(err.value)


@pytest.mark.parametrize("body", [["x"], "text", {"results": "x"}, {"count": 1}])
def test_an_offset_answer_without_its_envelope_is_an_error(body):
    core, adapter = make_core(lambda r: Reply(200, body))
    with pytest.raises(TunnelApiError):
        list(iter_offset(core, "keys/"))


@pytest.mark.parametrize("walker", [lambda core: iter_offset(core, "keys/"),
                                    lambda core: iter_cursor(core, "credentials", "credentials"),
                                    lambda core: iter_spring(core, "h")])
def test_a_404_on_a_list_names_the_url_option(walker):
    # A list is never "not found": any 404 on it means the base URL is wrong, whatever its body says.
    core, adapter = make_core(lambda r: Reply(404, {"error": "no API here"}))
    with pytest.raises(TunnelApiError) as err:
        list(walker(core))
    assert err.value.option == "openport_api_url" and "openport_api_url" in str(err.value)
