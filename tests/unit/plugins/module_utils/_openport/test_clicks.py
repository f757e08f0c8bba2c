# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import datetime
import tracemalloc

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport.clicks import click_filter, select_clicks
from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.timestamps import parse_iso, parse_time_option

ROWS = [
    {"port": 6260, "source_ip": "198.51.100.7", "timestamp": "2026-11-20T10:00:00+01:00", "key_name": "root@HQ"},
    {"port": 6260, "source_ip": "203.0.113.66", "timestamp": "2026-11-21T10:00:00.5+01:00", "key_name": "root@HQ"},
    {"port": 31022, "source_ip": "198.51.100.9", "timestamp": "2026-11-22T09:00:00Z", "key_name": "nas"},
    {"port": 40497, "source_ip": "2001:db8::5", "timestamp": "2026-11-23T00:00:00.123456+00:00", "key_name": "ci"},
]


def pick(**filters):
    kept, scanned, reached = select_clicks(iter(ROWS), click_filter(**filters), filters.pop("limit", None))
    return [ROWS.index(r) for r in kept]


@pytest.mark.parametrize("filters, expected", [
    ({}, [0, 1, 2, 3]),
    ({"ports": [6260]}, [0, 1]),
    ({"key_names": ["nas", "ci"]}, [2, 3]),
    ({"source_ips": ["198.51.100.0/24"]}, [0, 2]),
    ({"source_ips": ["203.0.113.66", "2001:db8::/32"]}, [1, 3]),
    ({"since": "2026-11-21T09:00:00Z"}, [1, 2, 3]),
    ({"since": "2026-11-21T09:00:00.5Z"}, [1, 2, 3]),
    ({"since": "2026-11-21T09:00:00.6Z"}, [2, 3]),
    ({"until": "2026-11-22T09:00:00Z"}, [0, 1]),
    ({"since": "2026-11-21", "until": "2026-11-23"}, [1, 2]),
    ({"ports": [6260], "source_ips": ["198.51.100.0/24"]}, [0]),
])
def test_filters(filters, expected):
    assert pick(**filters) == expected


def test_limit_stops_reading():
    read = []

    def stream():
        for row in ROWS * 1000:
            read.append(row)
            yield row

    kept, scanned, reached = select_clicks(stream(), click_filter(ports=[31022]), limit=2)
    assert len(kept) == 2 and reached
    assert scanned == len(read) == 7


@pytest.mark.parametrize("filters, message", [
    ({"source_ips": ["10.0.0.300"]}, "source_ips: '10.0.0.300' is not an IP address or a CIDR network"),
    ({"ports": [70000]}, "ports: 70000 is not a TCP port (1-65535)"),
    ({"since": "last week"}, "since: 'last week' is not a date (YYYY-MM-DD) or an ISO 8601 timestamp"),
    ({"since": "2026-11-23", "until": "2026-11-22"}, "since: must be earlier than until"),
])
def test_bad_filters_name_the_option(filters, message):
    with pytest.raises(TunnelConfigError) as err:
        click_filter(**filters)
    assert str(err.value).startswith(message)


def test_bad_limit():
    with pytest.raises(TunnelConfigError) as err:
        select_clicks(iter(()), click_filter(), limit=0)
    assert str(err.value) == "limit: must be 1 or more (leave it out for no limit), got 0"


def test_memory_stays_flat_on_a_large_stream():
    def stream(n):
        base = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
        for i in range(n):
            yield {"port": 1000 + i % 50, "source_ip": "198.51.%d.%d" % (i % 200, i % 250),
                   "timestamp": (base + datetime.timedelta(seconds=i)).isoformat(), "key_name": "k%d" % (i % 300)}

    matches = click_filter(ports=[1007], source_ips=["198.51.7.0/24"])
    tracemalloc.start()
    kept, scanned, reached = select_clicks(stream(150000), matches)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert scanned == 150000 and len(kept) == 750  # i % 200 == 7
    # 150,000 rows held at once would take tens of megabytes; the stream keeps well under one.
    assert peak < 1024 * 1024


def test_parse_iso_variants():
    assert parse_iso("2026-01-31") == datetime.datetime(2026, 1, 31, tzinfo=datetime.timezone.utc)
    assert parse_iso("2026-01-31T08:00:00+01:00") == parse_iso("2026-01-31T07:00:00Z")
    assert parse_iso("2026-01-31T07:00:00.123456789z").microsecond == 123456
    assert parse_iso("2026-01-31T07:00") == parse_iso("2026-01-31T07:00:00+00:00")
    assert parse_iso("2026-02-30") is None and parse_iso("yesterday") is None and parse_iso(None) is None
    assert parse_time_option("x", datetime.date(2026, 1, 31)) == parse_iso("2026-01-31")
    assert parse_time_option("x", "") is None
