# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What tunnel_session_info and tunnel_session_history_info share: providers, query, result."""

from __future__ import annotations

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelResultError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions.query import compile_query, query_sessions
from ansible_collections.tunnelops.tunnels.plugins.module_utils.connection import select_providers


def prepare_info(tm, supported, option="providers"):
    """``(clients, compiled query)`` for an info module, every check done before any request."""
    params = tm.params
    query = compile_query(params["query"]) if params.get("query") is not None else None
    chosen = select_providers(params, params.get(option), supported, option)
    return dict((provider, tm.client(provider)) for provider in chosen), query


def info_result(tm, clients, name, items, errors, query=None):
    """The result of an info module: ``name`` holds the items; a failure when ``strict`` and a provider failed."""
    result = {
        "changed": False,
        name: items,
        "errors": errors,
        "providers": list(clients),
        "api_requests": dict((p, c.stats["requests"]) for p, c in clients.items()),
    }
    if errors and tm.params.get("strict"):
        raise TunnelResultError("strict is true and %d of %d providers failed: %s" % (
            len(errors), len(clients), " | ".join(e["message"] for e in errors)), result)
    if query is not None:
        result["query_result"] = query_sessions(items, query)
    return result
