# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Past sessions: Pinggy's session history and Openport's open-for-IP link clicks.

Both become the normalized history entry documented in docs/docsite/rst/session_schema.rst.
The date window is checked before any request: Pinggy keeps 60 days, and a
window whose end is before its start is refused for every provider.
"""

from __future__ import annotations

import datetime

from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.addresses import split_client_address
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.masking import redact
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport.clicks import click_filter, select_clicks
from ansible_collections.tunnelops.tunnels.plugins.module_utils._pinggy.client import (
    HISTORY_DAYS, check_history_window, parse_history_date)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.timestamps import to_utc
from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions.collect import collect_per_provider
from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions.normalize import (
    as_int, as_str, pinggy_protocol)

HISTORY_PROVIDERS = ("openport", "pinggy")
HISTORY_FIELDS = (
    "provider", "kind", "started_at", "ended_at", "client_ip", "client_port", "public_host",
    "public_hosts", "public_port", "protocol", "udp", "key_name", "raw",
)
DEFAULT_DAYS = 7


def _entry(provider, kind, **fields):
    entry = dict((name, None) for name in HISTORY_FIELDS)
    entry.update(provider=provider, kind=kind, udp=False, public_hosts=[], raw={})
    entry.update(fields)
    return entry


def normalize_pinggy_history(row):
    """A row of Pinggy's ``session/history`` (snake_case; carries ``token_value``, a secret)."""
    protocol, udp = pinggy_protocol(row.get("mode"), row.get("mode_udp"))
    ip, port = split_client_address(row.get("client_ip"))
    domains = [str(d) for d in row.get("domains") or () if d]
    return _entry(
        "pinggy", "session", started_at=to_utc(row.get("start_time")), ended_at=to_utc(row.get("end_time")),
        client_ip=ip, client_port=port, public_host=domains[0] if domains else None, public_hosts=domains,
        public_port=as_int(row.get("port")), protocol=protocol, udp=udp,
        key_name=as_str(row.get("token_name") or row.get("tokenName")), raw=redact(row))


def normalize_openport_click(row):
    """A row of Openport's ``/openforiplinkclicks/``: someone opened a port for their address."""
    ip, port = split_client_address(row.get("source_ip"))
    return _entry(
        "openport", "link_click", started_at=to_utc(row.get("timestamp")), client_ip=ip, client_port=port,
        public_port=as_int(row.get("port")), key_name=as_str(row.get("key_name")),
        raw=redact(row))


def history_window(date_from=None, date_to=None, providers=HISTORY_PROVIDERS, today=None,
                   from_option="history_from", to_option="history_to"):
    """``(start, end)`` dates of a history window, checked before any request.

    ``date_to`` defaults to today (UTC), ``date_from`` to ``DEFAULT_DAYS`` days
    before it.  A start before ``date_to`` always fails; Pinggy's 60-day limit
    applies when Pinggy is asked.
    """
    today = today or datetime.datetime.now(datetime.timezone.utc).date()
    end = parse_history_date(to_option, date_to) if date_to is not None else today
    start = parse_history_date(from_option, date_from) if date_from is not None \
        else end - datetime.timedelta(days=DEFAULT_DAYS - 1)
    if end < start:
        raise TunnelConfigError(to_option, "%s is before %s %s; give a window whose end is not before its start"
                                % (end.isoformat(), from_option, start.isoformat()))
    if "pinggy" in providers:
        if date_from is None and start < today - datetime.timedelta(days=HISTORY_DAYS):
            raise TunnelConfigError(to_option, "%s is more than %d days ago; Pinggy keeps no history before %s"
                                    % (end.isoformat(), HISTORY_DAYS,
                                       (today - datetime.timedelta(days=HISTORY_DAYS)).isoformat()))
        start, end = check_history_window(start, end, today=today, from_option=from_option, to_option=to_option)
    return start, end


def history_fetchers(start, end, today=None):
    """Per-provider callables for collect_per_provider over the window ``[start, end]``."""

    def pinggy(client):
        return [normalize_pinggy_history(row) for row in client.iter_history(start, end, today=today)]

    def openport(client):
        # No documented server-side filter: every click is read, the window applied as rows stream in.
        in_window = click_filter(since=start, until=end + datetime.timedelta(days=1))
        rows, _scanned, _limited = select_clicks(client.link_clicks.iter(), in_window)
        return [normalize_openport_click(row) for row in rows]

    return {"pinggy": pinggy, "openport": openport}


def collect_history(clients, start, end, workers=None, today=None):
    """``(entries, errors)``: the history of every client in ``clients``, oldest first."""
    entries, errors = collect_per_provider(clients, history_fetchers(start, end, today=today), workers)
    entries.sort(key=lambda e: (e.get("started_at") or "", e.get("provider")))
    return entries, errors
