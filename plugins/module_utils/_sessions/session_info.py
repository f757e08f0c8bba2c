# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tunnel_session_info module: every active session of the chosen providers, normalized."""

from __future__ import annotations

from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.providers import PROVIDERS
from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions.collect import collect_sessions
from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions.info import info_result, prepare_info
from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions.query import check_filters, filter_sessions


def run(tm):
    p = tm.params
    filters = check_filters(protocols=p["protocols"], key_names=p["key_names"], ports=p["ports"])
    clients, query = prepare_info(tm, PROVIDERS)
    found, errors = collect_sessions(clients)
    return info_result(tm, clients, "sessions", filter_sessions(found, **filters), errors, query)
