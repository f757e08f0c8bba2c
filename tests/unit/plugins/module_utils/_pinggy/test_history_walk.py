# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pinggy's history pages promise no order ("sort": {"unsorted": true}) (issue 16.8): rows that move between
pages while they are read are returned once (their id, else start_time, client_ip and domains), and the
module says the list moved."""

from __future__ import annotations

import datetime

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.pagination import Walk
from ansible_collections.tunnelops.tunnels.plugins.module_utils._pinggy.client import history_key
from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions import history as hist
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils._http.fake_http import Reply, query_of
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils._pinggy.test_history_boundary import (
    TODAY, client_for)


def row(n):
    return {"start_time": "2026-12-0%dT10:%02d:00.000+00:00" % (1 + n % 4, n), "client_ip": "[192.0.2.%d]:40%02d"
            % (n, n), "domains": ["h%d.a.pinggy.link" % n], "mode": "tcp", "token_value": "SECRET"}


class Moving:
    """Spring pages whose order changes after the first page: the rows it served come again later."""

    def __init__(self, rows):
        self.rows = rows
        self.asked = 0

    def __call__(self, request):
        size, page = int(query_of(request)["size"]), int(query_of(request)["page"])
        self.asked += 1
        rows = self.rows if self.asked == 1 else list(reversed(self.rows))
        pages = -(-len(rows) // size)
        return Reply(200, {"content": rows[page * size:(page + 1) * size], "totalElements": len(rows),
                           "totalPages": pages, "number": page, "size": size, "last": page >= pages - 1})


def test_the_natural_key_of_a_history_row():
    assert history_key({"id": "h-1", "start_time": "x"}) == "h-1"
    assert history_key(row(1)) == ("2026-12-02T10:01:00.000+00:00", "[192.0.2.1]:4001", ("h1.a.pinggy.link",))
    assert history_key({"domains": None}) == (None, None, ())


def test_rows_that_move_between_pages_are_returned_once_with_a_warning():
    rows = [row(n) for n in range(6)]
    client = client_for(Moving(rows), page_size=2)
    warnings = []
    entries, errors = hist.collect_history({"pinggy": client}, datetime.date(2026, 12, 1), TODAY, today=TODAY,
                                           warnings=warnings)
    assert errors == []
    starts = [e["started_at"] for e in entries]
    assert len(starts) == len(set(starts)), "a row was returned twice"
    assert warnings and all(w.startswith("Pinggy history: ") for w in warnings), warnings


def test_a_walk_of_a_still_list_has_no_warning():
    client = client_for(Moving([row(0)]), page_size=2)
    walk = Walk(key=history_key, label="Pinggy history")
    assert len(list(client.iter_history(datetime.date(2026, 12, 1), TODAY, walk=walk, today=TODAY))) == 1
    assert walk.warnings == []
