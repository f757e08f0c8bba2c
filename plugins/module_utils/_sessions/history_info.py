# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tunnel_session_history_info module: past sessions of Pinggy and link clicks of Openport over a window."""

from __future__ import annotations

from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions.history import HISTORY_PROVIDERS, collect_history, history_window
from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions.info import info_result, prepare_info
from ansible_collections.tunnelops.tunnels.plugins.module_utils.connection import select_providers


def run(tm):
    p = tm.params
    chosen = select_providers(p, p["providers"], HISTORY_PROVIDERS)
    start, end = history_window(p["history_from"], p["history_to"], providers=chosen)
    clients, query = prepare_info(tm, HISTORY_PROVIDERS)
    warnings = []
    entries, errors = collect_history(clients, start, end, warnings=warnings)
    result = info_result(tm, clients, "history", entries, errors, query)
    result["window"] = {"from": start.isoformat(), "to": end.isoformat()}
    if warnings:
        result["warnings"] = warnings
    return result
