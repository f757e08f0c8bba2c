# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The openport_key_info module: every key, filtered on the listing (the API filters nothing)."""

from __future__ import annotations

from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.sshkey import parse_key_option, record_identity
from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.timestamps import (
    check_window, parse_iso, parse_time_option)


def run(tm):
    params = tm.params
    pk = parse_key_option("public_key", params["public_key"]) if params.get("public_key") else None
    before = parse_time_option("last_connection_before", params.get("last_connection_before"))
    after = parse_time_option("last_connection_after", params.get("last_connection_after"))
    check_window(after, before, "last_connection_after", "last_connection_before")
    names = set(params.get("name") or ())
    keys = []
    for record in tm.client("openport").keys.list():
        if names and record.get("name") not in names:
            continue
        if pk is not None and record_identity(record) != pk.identity:
            continue
        if before is not None or after is not None:
            when = parse_iso(record.get("last_connection_time"))
            if when is None or (before is not None and when >= before) or (after is not None and when < after):
                continue
        keys.append(record)
    return {"changed": False, "ssh_keys": keys}
