# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pinggy's 60-day edge (issue 16.7): the client counts today - 60 in UTC; a server that counts from
now, or in a time zone ahead of UTC, refuses that day. The client asks again from the next day, once,
and says so in the walk's warnings."""

from __future__ import annotations

import datetime
import re

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError, TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.pagination import Walk
from ansible_collections.tunnelops.tunnels.plugins.module_utils._pinggy.client import PinggyClient
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils._http.fake_http import (
    Reply, query_of, session_with)

TODAY = datetime.date(2026, 12, 5)
EDGE = TODAY - datetime.timedelta(days=60)        # 2026-10-06: the client's first day
NEXT = EDGE + datetime.timedelta(days=1)
_WINDOW = re.compile(r"/session/history/(\d{4}-\d\d-\d\d)/(\d{4}-\d\d-\d\d)")


def edge(what_was_read):
    return ("Pinggy refused the history from 2026-10-06, the first of the 60 days it keeps as the collection counts "
            "them (today - 60, UTC); it counts them from a later moment (from now, or in another time zone). %s: the "
            "sessions of 2026-10-06 are missing." % what_was_read)


def row(day, n=0):
    return {"start_time": "%sT10:00:%02d.000+00:00" % (day.isoformat(), n), "end_time": None,
            "client_ip": "[192.0.2.%d]:4000" % (n + 1), "domains": ["a.pinggy.link"], "mode": "tcp",
            "token_value": "SECRET"}


class HistoryServer:
    """Pinggy's history over ``rows``; a ``from`` before ``oldest`` is answered 400 (``shape`` of the body)."""

    def __init__(self, rows, oldest, shape="pinggy"):
        self.rows, self.oldest, self.shape = rows, oldest, shape
        self.windows = []

    def __call__(self, request):
        frm, to = (datetime.date.fromisoformat(d) for d in _WINDOW.search(request.url).groups())
        self.windows.append((frm, to))
        if frm < self.oldest:
            if self.shape == "spring":
                return Reply(400, {"timestamp": "x", "status": 400, "error": "Bad Request", "path": "/h"})
            return Reply(400, {"error_type": "invalid_date_range", "errors": ["The from date is too old."]})
        kept = [r for r in self.rows if frm.isoformat() <= r["start_time"][:10] <= to.isoformat()]
        size, page = int(query_of(request)["size"]), int(query_of(request)["page"])
        content = kept[page * size:(page + 1) * size]
        pages = -(-len(kept) // size)
        return Reply(200, {"content": content, "totalElements": len(kept), "totalPages": pages, "number": page,
                           "size": size, "last": page >= pages - 1, "sort": {"unsorted": True}})


def client_for(server, page_size=1000):
    client = PinggyClient("pinggy-unit-key", "https://pinggy.example.test/backend/api/v1", page_size=page_size,
                          retries=0)
    client.core.session = session_with(server)[0]
    return client


ROWS = [row(EDGE, 0), row(NEXT, 1), row(TODAY, 2)]


@pytest.mark.parametrize("shape", ["pinggy", "spring"])
def test_a_server_whose_60_days_start_a_day_later_is_asked_again_from_the_next_day(shape):
    server = HistoryServer(ROWS, oldest=NEXT, shape=shape)
    walk = Walk()
    got = list(client_for(server).iter_history(EDGE, TODAY, walk=walk, today=TODAY))
    assert got == ROWS[1:]
    assert server.windows == [(EDGE, TODAY), (NEXT, TODAY)]
    assert walk.warnings == [edge("The history was read from 2026-10-07")]


def test_a_server_that_agrees_is_asked_once_and_nothing_is_said():
    server = HistoryServer(ROWS, oldest=EDGE)
    walk = Walk()
    assert list(client_for(server).iter_history(EDGE, TODAY, walk=walk, today=TODAY)) == ROWS
    assert server.windows == [(EDGE, TODAY)] and not getattr(walk, "warnings", None)


def test_a_refusal_away_from_the_edge_is_an_error_and_is_not_retried():
    server = HistoryServer(ROWS, oldest=TODAY)
    start = TODAY - datetime.timedelta(days=10)
    with pytest.raises(TunnelApiError) as err:
        list(client_for(server).iter_history(start, TODAY, walk=Walk(), today=TODAY))
    assert err.value.status == 400 and server.windows == [(start, TODAY)]


def test_the_retry_is_made_once():
    server = HistoryServer(ROWS, oldest=TODAY)
    with pytest.raises(TunnelApiError) as err:
        list(client_for(server).iter_history(EDGE, TODAY, walk=Walk(), today=TODAY))
    assert err.value.status == 400 and server.windows == [(EDGE, TODAY), (NEXT, TODAY)]


def test_a_window_of_the_refused_day_alone_gives_nothing_and_says_so():
    server = HistoryServer(ROWS, oldest=NEXT)
    walk = Walk()
    assert list(client_for(server).iter_history(EDGE, EDGE, walk=walk, today=TODAY)) == []
    assert server.windows == [(EDGE, EDGE)]
    assert walk.warnings == [edge("The window holds no other day")]


def test_a_start_before_the_60_days_is_refused_before_any_request():
    server = HistoryServer(ROWS, oldest=EDGE)
    with pytest.raises(TunnelConfigError) as err:
        list(client_for(server).iter_history(EDGE - datetime.timedelta(days=1), TODAY, today=TODAY))
    assert err.value.option == "history_from" and server.windows == []
