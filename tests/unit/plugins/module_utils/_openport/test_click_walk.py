# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Link clicks read while new ones arrive (issue 16.8): the list's order is unconfirmed, and newest first
a click that arrives during the walk pushes the rows already read onto the next page. Each click is
returned once (its natural key: port, source_ip, timestamp, key_name) and the module says the list moved."""

from __future__ import annotations

import threading

from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport import link_click_info
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport.client import OpenportClient
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport.clicks import click_key
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils._http.fake_http import (
    Reply, query_of, session_with)
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils.fake_module import FakeTM

BASE = "https://openport.example.test/api/v2"


def click(n):
    return {"port": 6000 + n % 3, "source_ip": "198.51.100.%d" % n, "timestamp": "2026-12-01T10:%02d:00+01:00" % n,
            "key_name": "root@HQ"}


class NewestFirst:
    """``/openforiplinkclicks/`` newest first; ``arriving`` new clicks land before the page at ``offset`` is read."""

    def __init__(self, rows, arriving=(), at_offset=3):
        self.rows = sorted(rows, key=lambda r: r["timestamp"], reverse=True)
        self.arriving, self.at_offset = list(arriving), at_offset
        self.lock = threading.Lock()

    def __call__(self, request):
        q = query_of(request)
        limit, offset = int(q.get("limit", 100)), int(q.get("offset", 0))
        with self.lock:
            if offset == self.at_offset and self.arriving:
                self.rows[:0], self.arriving = self.arriving, []
            rows = list(self.rows)
        nxt = "%s/openforiplinkclicks/?limit=%d&offset=%d" % (BASE, limit, offset + limit) \
            if offset + limit < len(rows) else None
        return Reply(200, {"count": len(rows), "next": nxt, "previous": None, "results": rows[offset:offset + limit]})


def run(server, **params):
    client = OpenportClient("op-unit-token", BASE, page_size=3, workers=1, retries=0)
    client.core.session = session_with(server)[0]
    params = dict({"since": None, "until": None, "ports": None, "key_names": None, "source_ips": None,
                   "limit": None}, **params)
    return link_click_info.run(FakeTM(client, params))


def test_the_natural_key_of_a_click():
    assert click_key(click(1)) == (6001, "198.51.100.1", "2026-12-01T10:01:00+01:00", "root@HQ")
    assert click_key({"port": 1}) == (1, None, None, None)


def test_a_still_list_is_read_once_without_a_word():
    result = run(NewestFirst([click(n) for n in range(7)]))
    assert len(result["clicks"]) == 7 and result["scanned"] == 7 and "warnings" not in result


def test_clicks_arriving_during_the_walk_are_returned_once_and_the_module_says_so():
    old = [click(n) for n in range(7)]
    result = run(NewestFirst(old, arriving=[click(50), click(51)]))
    keys = [click_key(c) for c in result["clicks"]]
    assert len(keys) == len(set(keys)), "a click was returned twice"
    assert set(click_key(c) for c in old) <= set(keys)
    assert result["warnings"] and all(w.startswith("Openport link clicks: ") for w in result["warnings"])
    assert any("listed twice" in w for w in result["warnings"]), result["warnings"]


def test_a_walk_stopped_at_the_limit_says_nothing():
    result = run(NewestFirst([click(n) for n in range(7)], arriving=[click(50)]), limit=2)
    assert result["limit_reached"] and len(result["clicks"]) == 2 and "warnings" not in result
