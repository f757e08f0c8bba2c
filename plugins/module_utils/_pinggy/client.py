# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pinggy Pro API client: active sessions and session history."""

from __future__ import annotations

import datetime

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.client import BaseClient
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError, TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.pagination import Walk, iter_spring

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


def utc_today():
    return datetime.datetime.now(datetime.timezone.utc).date()


def oldest_history_day(today=None):
    """The first day of Pinggy's 60 days, counted as today - 60 in UTC (see ``iter_history`` on its edge)."""
    return (today or utc_today()) - datetime.timedelta(days=HISTORY_DAYS)


def check_history_start(start, today=None, option="history_from"):
    """Refuse, before any request, a window that starts before Pinggy's 60 days."""
    oldest = oldest_history_day(today)
    if start < oldest:
        raise TunnelConfigError(option, "%s is more than %d days ago; Pinggy keeps no history before %s"
                                % (start.isoformat(), HISTORY_DAYS, oldest.isoformat()))


class PinggyClient(BaseClient):
    """Pinggy's Pro API: active sessions and the session history (Spring pages)."""

    provider = PROVIDER
    parse_error = staticmethod(parse_pinggy_error)

    def __init__(self, api_key, base_url, page_size=HISTORY_PAGE_SIZE, **options):
        self.page_size = page_size
        super().__init__(api_key, base_url, **options)

    def list_active_sessions(self):
        data = self.request("GET", "session/active").data
        if data is None:
            return []
        if isinstance(data, dict):
            # Tolerate a wrapped list, should the API ever add an envelope.
            for key in ("content", "sessions", "results", "data"):
                if isinstance(data.get(key), list):
                    return data[key]
        if not isinstance(data, list):
            raise TunnelApiError(PROVIDER, "session/active did not answer with a list",
                                 method="GET", url=self.core.mask(self.core.url_for("session/active")))
        return data

    def iter_history(self, date_from, date_to=None, walk=None, today=None):
        """Every history row of the whole UTC days ``date_from`` to ``date_to`` (default today).

        Pinggy documents only "no older than 60 days"; the collection counts today - 60 in UTC.
        A server that counts from now, or in a time zone ahead of UTC, refuses that first day:
        a 400 for a window that starts within a day of that edge is asked again once from the
        next day, and the walk's ``warnings`` say which day is missing.
        """
        today = today or utc_today()
        start = parse_history_date("history_from", date_from)
        end = parse_history_date("history_to", date_to) if date_to is not None else today
        check_history_start(start, today)
        walk = walk if walk is not None else Walk()
        rows = self._history_pages(start, end, walk)
        try:
            first = next(rows, None)
        except TunnelApiError as exc:
            if exc.status != 400 or start > oldest_history_day(today) + datetime.timedelta(days=1):
                raise
            later = start + datetime.timedelta(days=1)
            add_warning(walk, edge_warning(start, later, end))
            if later > end:
                return
            rows = self._history_pages(later, end, walk)
            first = next(rows, None)
        if first is not None:
            yield first
            yield from rows

    def _history_pages(self, start, end, walk):
        path = "session/history/%s/%s" % (start.isoformat(), end.isoformat())
        return iter_spring(self.core, path, size=self.page_size, workers=self.workers, walk=walk)


def edge_warning(refused, later, end):
    read = ("The history was read from %s" % later.isoformat()) if later <= end else "The window holds no other day"
    return ("Pinggy refused the history from %s, the first of the %d days it keeps as the collection counts them "
            "(today - %d, UTC); it counts them from a later moment (from now, or in another time zone). %s: the "
            "sessions of %s are missing." % (refused.isoformat(), HISTORY_DAYS, HISTORY_DAYS, read,
                                             refused.isoformat()))


def add_warning(walk, text):
    """A warning in the walk's ``warnings`` (pagination.Walk), which the modules return in their own."""
    if getattr(walk, "warnings", None) is None:  # until pagination.Walk has its own list
        walk.warnings = []
    walk.warnings.append(text)
