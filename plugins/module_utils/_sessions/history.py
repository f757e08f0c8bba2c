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
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.pagination import Walk
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport.clicks import click_filter, select_clicks
from ansible_collections.tunnelops.tunnels.plugins.module_utils._pinggy.client import (
    HISTORY_DAYS, check_history_start, oldest_history_day, parse_history_date, utc_today)
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
    before it.  The end is clamped to today (the future holds no history), and the
    window is checked after that: a start after today, or after the end, fails for
    every provider, naming the option that set it; Pinggy's 60-day limit applies
    when Pinggy is asked.
    """
    today = today or utc_today()
    end = parse_history_date(to_option, date_to) if date_to is not None else today
    if date_from is not None:
        start = parse_history_date(from_option, date_from)
    else:
        start = end - datetime.timedelta(days=DEFAULT_DAYS - 1)
    if end < start:
        raise TunnelConfigError(to_option, "%s is before %s %s; give a window whose end is not before its start"
                                % (end.isoformat(), from_option, start.isoformat()))
    _check_start(date_from is not None, start, end, today, providers, (from_option, to_option))
    return start, min(end, today)


def _check_start(given, start, end, today, providers, options):
    """A start after today, or (with Pinggy) before its 60 days; the message names the option that set it."""
    from_option, to_option = options
    default = "the default window of %d days ending on %s starts on %s" % (
        DEFAULT_DAYS, end.isoformat(), start.isoformat())
    if start > today:
        if given:
            raise TunnelConfigError(from_option, "%s is after today (%s, UTC), so the window holds no history yet; "
                                    "give a %s of today or earlier" % (start.isoformat(), today.isoformat(),
                                                                       from_option))
        raise TunnelConfigError(to_option, "%s, after today (%s, UTC), so it holds no history yet; set %s, or a "
                                "%s of today or earlier" % (default, today.isoformat(), from_option, to_option))
    if "pinggy" not in providers:
        return
    if given:
        check_history_start(start, today, from_option)
    elif start < oldest_history_day(today):
        raise TunnelConfigError(to_option, "%s, more than %d days ago; Pinggy keeps no history before %s: set %s, "
                                "or a later %s" % (default, HISTORY_DAYS, oldest_history_day(today).isoformat(),
                                                   from_option, to_option))


def history_fetchers(start, end, today=None, warnings=None):
    """Per-provider callables for collect_per_provider over the window ``[start, end]``.

    What a walk warns of (rows that moved while it was read, Pinggy's 60-day edge) is added to ``warnings``.
    """
    warnings = warnings if warnings is not None else []

    def pinggy(client):
        walk = Walk()
        rows = [normalize_pinggy_history(row) for row in client.iter_history(start, end, walk=walk, today=today)]
        warnings.extend(getattr(walk, "warnings", None) or ())
        return rows

    def openport(client):
        # No documented server-side filter: every click is read, the window applied as rows stream in.
        in_window = click_filter(since=start, until=end + datetime.timedelta(days=1))
        walk = Walk()
        rows, _scanned, _limited = select_clicks(client.link_clicks.iter(walk), in_window)
        warnings.extend(getattr(walk, "warnings", None) or ())
        return [normalize_openport_click(row) for row in rows]

    return {"pinggy": pinggy, "openport": openport}


def collect_history(clients, start, end, workers=None, today=None, warnings=None):
    """``(entries, errors)``: the history of every client in ``clients``, oldest first; the walks'
    warnings are added to ``warnings`` (a list) when it is given."""
    fetchers = history_fetchers(start, end, today=today, warnings=warnings)
    entries, errors = collect_per_provider(clients, fetchers, workers)
    entries.sort(key=lambda e: (e.get("started_at") or "", e.get("provider")))
    return entries, errors
