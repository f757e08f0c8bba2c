# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filtering Openport's open-for-IP link clicks while they stream in.

An account easily holds 100,000+ clicks and the API filters nothing, so rows are
tested one by one as pages arrive: memory holds the pages in flight and the
rows kept, never the whole list.  With a limit, reading stops once it is reached.
"""

from __future__ import annotations

from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.addresses import inside, parse_ip, parse_networks
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.pagination import Walk
from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.timestamps import (
    check_window, parse_iso, parse_time_option)


def click_key(row):
    """A click's natural key: the list has no id and its order is unconfirmed (a walk de-duplicates on this)."""
    return (row.get("port"), row.get("source_ip"), row.get("timestamp"), row.get("key_name"))


def click_walk():
    """The walk of a click listing: each click once, and what did not add up in ``walk.warnings``."""
    return Walk(key=click_key, label="Openport link clicks")


def _ports(option, values):
    for port in values or ():
        if not 1 <= port <= 65535:
            raise TunnelConfigError(option, "%s is not a TCP port (1-65535)" % port)
    return set(values or ())


def click_filter(since=None, until=None, ports=None, key_names=None, source_ips=None):
    """A predicate ``row -> bool`` built from validated module options (raises TunnelConfigError)."""
    start = parse_time_option("since", since)
    end = parse_time_option("until", until)
    check_window(start, end, "since", "until")
    port_set = _ports("ports", ports)
    names = set(key_names or ())
    networks = parse_networks("source_ips", source_ips)

    def matches(row):
        if port_set and row.get("port") not in port_set:
            return False
        if names and row.get("key_name") not in names:
            return False
        if networks:
            address = parse_ip(row.get("source_ip"))
            if address is None or not inside(address, networks):
                return False
        if start is not None or end is not None:
            when = parse_iso(row.get("timestamp"))
            if when is None or (start is not None and when < start) or (end is not None and when >= end):
                return False
        return True

    return matches


def select_clicks(rows, matches, limit=None):
    """``(kept, scanned, limit_reached)``: the matching rows of a stream, stopping at ``limit``."""
    if limit is not None and limit < 1:
        raise TunnelConfigError("limit", "must be 1 or more (leave it out for no limit), got %s" % limit)
    kept, scanned = [], 0
    for row in rows:
        scanned += 1
        if matches(row):
            kept.append(row)
            if limit is not None and len(kept) >= limit:
                return kept, scanned, True
    return kept, scanned, False
