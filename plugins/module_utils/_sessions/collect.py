# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every provider's active sessions at once, normalized, joined in memory.

One listing per provider and collection, walked side by side, never a request
per session; a provider that fails is reported in ``errors`` and the others still count.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.providers import PROVIDERS
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError, TunnelError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.masking import mask_text
from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions.normalize import (
    normalize_ngrok_sessions, normalize_openport_session, normalize_pinggy_session)


def _both(first, second):
    """Run two listings side by side; the first error wins."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        a, b = pool.submit(first), pool.submit(second)
        return a.result(), b.result()


def fetch_openport_sessions(client):
    records, keys = _both(client.sessions.list, client.keys.list)
    keys_by_id = dict((k.get("id"), k) for k in keys if isinstance(k, dict))
    return [normalize_openport_session(r, keys_by_id) for r in records]


def fetch_ngrok_sessions(client):
    lists = client.list_many(["tunnel_sessions", "tunnels", "credentials", "ssh_credentials"])
    return normalize_ngrok_sessions(lists["tunnel_sessions"], lists["tunnels"],
                                    list(lists["credentials"]) + list(lists["ssh_credentials"]))


def fetch_pinggy_sessions(client):
    return [normalize_pinggy_session(r) for r in client.list_active_sessions()]


FETCHERS = {
    "openport": fetch_openport_sessions,
    "ngrok": fetch_ngrok_sessions,
    "pinggy": fetch_pinggy_sessions,
}


def provider_error(provider, exc):
    """The ``errors`` entry of a provider that failed: masked, never a secret."""
    if isinstance(exc, TunnelApiError):
        return {"provider": provider, "message": mask_text(str(exc)), "status": exc.status, "code": exc.code}
    if isinstance(exc, TunnelError):
        return {"provider": provider, "message": mask_text(str(exc)), "status": None, "code": None}
    return {"provider": provider, "status": None, "code": None,
            "message": mask_text("%s API: could not read the answer (%s: %s)"
                                 % (provider, exc.__class__.__name__, exc))}


def collect_per_provider(clients, fetchers, workers=None):
    """Call ``fetchers[provider](client)`` for each client at once.

    Returns ``(results, errors)``: the concatenated results in provider order,
    and an error entry for each provider that failed (the others still count).
    """
    order = [p for p in PROVIDERS if p in clients] + [p for p in clients if p not in PROVIDERS]
    if not order:
        return [], []
    outcomes = {}
    with ThreadPoolExecutor(max_workers=workers or len(order)) as pool:
        futures = dict((p, pool.submit(fetchers[p], clients[p])) for p in order)
        for provider, future in futures.items():
            try:
                outcomes[provider] = (future.result(), None)
            except Exception as exc:  # one provider's failure must not hide the others
                outcomes[provider] = (None, provider_error(provider, exc))
    results, errors = [], []
    for provider in order:
        items, error = outcomes[provider]
        if error is not None:
            errors.append(error)
        else:
            results.extend(items)
    return results, errors


def collect_sessions(clients, workers=None):
    """Active sessions of every client in ``clients`` (provider name -> client).

    Returns ``(sessions, errors)``; see ``collect_per_provider``.
    """
    return collect_per_provider(clients, FETCHERS, workers)
