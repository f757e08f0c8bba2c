# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The openport_link_click_info module: the open-for-IP link clicks, filtered while they stream in."""

from __future__ import annotations

from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport.clicks import (
    click_filter, click_walk, select_clicks)


def run(tm):
    p = tm.params
    matches = click_filter(p["since"], p["until"], p["ports"], p["key_names"], p["source_ips"])
    if p["limit"] is not None:
        select_clicks((), matches, p["limit"])  # validates the limit before any request
    walk = click_walk()
    clicks, scanned, reached = select_clicks(tm.client("openport").link_clicks.iter(walk), matches, p["limit"])
    result = {"changed": False, "clicks": clicks, "scanned": scanned, "limit_reached": reached}
    if walk.warnings:  # a list that moved while it was read (none when the walk stopped at the limit)
        result["warnings"] = list(walk.warnings)
    return result
