# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pinggy Pro API client: active sessions and session history."""

from __future__ import annotations

import datetime

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.client import BaseClient
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError, TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.pagination import iter_spring, records

PROVIDER = "pinggy"
HISTORY_DAYS = 60
HISTORY_PAGE_SIZE = 1000


def parse_pinggy_error(status, data, text):
    """Pinggy's ``{"error_type", "errors"}`` or Spring Boot's ``{"status", "error", "message", "path"}``."""
    if isinstance(data, dict):
        if data.get("errors") or data.get("error_type"):
            errors = data.get("errors") or []
            if not isinstance(errors, list):
                errors = [errors]
            return data.get("error_type"), "; ".join(str(e) for e in errors) or str(data.get("error_type"))
        if data.get("error") or data.get("message"):
            message = data.get("message") or data.get("error")
            return None, str(message)
    return None, None


def parse_history_date(option, value):
    """A YYYY-MM-DD date (a date object or a string), or TunnelConfigError naming ``option``."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.datetime.strptime(str(value).strip(), "%Y-%m-%d").date()
    except ValueError:
        raise TunnelConfigError(option, "%r is not a date in the form YYYY-MM-DD" % (value,))


def check_history_window(date_from, date_to, today=None, from_option="history_from", to_option="history_to"):
    """Validate a history window against Pinggy's 60-day limit before any request."""
    today = today or datetime.datetime.now(datetime.timezone.utc).date()
    start = parse_history_date(from_option, date_from)
    end = parse_history_date(to_option, date_to if date_to is not None else today)
    oldest = today - datetime.timedelta(days=HISTORY_DAYS)
    if start < oldest:
        raise TunnelConfigError(from_option, "%s is more than %d days ago; Pinggy keeps history from %s on"
                                % (start.isoformat(), HISTORY_DAYS, oldest.isoformat()))
    if end < start:
        raise TunnelConfigError(to_option, "%s is before %s %s" % (end.isoformat(), from_option, start.isoformat()))
    if end > today:
        end = today
    return start, end


class PinggyClient(BaseClient):
    """Pinggy's Pro API: active sessions and the session history (Spring pages)."""

    provider = PROVIDER
    parse_error = staticmethod(parse_pinggy_error)

    def __init__(self, api_key, base_url, page_size=HISTORY_PAGE_SIZE, **options):
        self.page_size = page_size
        super().__init__(api_key, base_url, **options)

    def list_active_sessions(self):
        """The active sessions; an answer that is not a list of records (an empty body) is an error, never none."""
        data = self.request("GET", "session/active", listing=True).data
        if isinstance(data, dict):
            # Tolerate a wrapped list, should the API ever add an envelope.
            for key in ("content", "sessions", "results", "data"):
                if isinstance(data.get(key), list):
                    return records(self.core, "session/active", data[key])
        if not isinstance(data, list):
            raise TunnelApiError(PROVIDER, "session/active did not answer with a list%s"
                                 % (" (the answer was empty)" if data is None else ""),
                                 method="GET", url=self.core.mask(self.core.url_for("session/active")))
        return records(self.core, "session/active", data)

    def iter_history(self, date_from, date_to=None, walk=None, today=None):
        start, end = check_history_window(date_from, date_to, today=today)
        path = "session/history/%s/%s" % (start.isoformat(), end.isoformat())
        return iter_spring(self.core, path, size=self.page_size, workers=self.workers, walk=walk)
