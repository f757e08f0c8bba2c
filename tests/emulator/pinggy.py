"""Pinggy dashboard API (dashboard.pinggy.io/backend/api/v1): a Spring Boot service.

`session/active` is a bare camelCase array; `session/history/<from>/<to>` is a
Spring Data Page of snake_case rows. Spring Security runs before routing, so auth
is checked first, even for unknown paths.
"""

from __future__ import annotations

import random
import re
from bisect import bisect_left
from datetime import date, datetime, time, timedelta

from .common import UTC, fmt_pinggy, json_response, utcnow

BASE = "/pinggy/backend/api/v1"
DEFAULT_SIZE = 20
HISTORY_DAYS = 60
_HISTORY = re.compile(r"^/session/history/(?P<frm>[^/]+)/(?P<to>[^/]+)/?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed"}


def spring_error(req, status):
    """Spring Boot's default error body."""
    return json_response(status, {"timestamp": fmt_pinggy(utcnow()), "status": status,
                                  "error": REASONS.get(status, "Error"), "path": req.path})


def _error(core, req, status, error_type, message):
    if core.config["pinggy_error_shape"] == "spring":
        return spring_error(req, status)
    return json_response(status, {"error_type": error_type, "errors": [message]})


def handle(core, req):
    status = core.config["pinggy_auth_status"]
    scheme, dummy, key = (req.header("Authorization") or "").strip().partition(" ")
    if scheme.lower() != "bearer" or key.strip() != core.creds["pinggy_api_key"]:
        return _error(core, req, status, "unauthorized", "Unauthorized. Please enter a valid token.")
    sub = req.subpath
    history = _HISTORY.match(sub)
    if sub.rstrip("/") != "/session/active" and not history:
        return spring_error(req, 404)
    if req.method not in ("GET", "HEAD"):
        return spring_error(req, 405)
    if history:
        return _history(core, req, history["frm"], history["to"])
    return json_response(200, [render_active(r) for r in core.state.pinggy.active])


def render_active(rec):
    out = dict(rec)
    out["creationTimestamp"] = fmt_pinggy(rec["creationTimestamp"])
    out["lastUpdateTimestamp"] = fmt_pinggy(rec["lastUpdateTimestamp"])
    return out


def render_history(rec):
    out = dict(rec)
    out["start_time"] = fmt_pinggy(rec["start_time"])
    out["end_time"] = fmt_pinggy(rec["end_time"])
    out["domains"] = list(rec["domains"])
    return out


def _parse_date(text):
    if not _DATE.match(text):
        raise ValueError(f"Invalid date '{text}': expected YYYY-MM-DD.")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"Invalid date '{text}': no such day.") from None


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _oldest_allowed(core):
    """The first `from` the 60-day rule accepts ("You can query data no older than 60 days", pinggy-api.md;
    how the server counts is UNCONFIRMED, openport-pinggy-api-notes.md §2.2), per `pinggy_history_boundary`:
    `utc_day` today (UTC) - 60 days; `now` the first midnight (UTC) at or after now - 60 days, counted to
    the second; `tz` the server's today - 60 days in a zone `pinggy_history_tz_hours` from UTC (+14: its
    today may be tomorrow in UTC)."""
    now = utcnow()
    rule = core.config["pinggy_history_boundary"]
    if rule == "now":
        limit = now - timedelta(days=HISTORY_DAYS)
        day = limit.date()
        return day if limit == datetime.combine(day, time(0), tzinfo=UTC) else day + timedelta(days=1)
    if rule == "tz":
        now += timedelta(hours=core.config["pinggy_history_tz_hours"])
    return now.date() - timedelta(days=HISTORY_DAYS)


def _history(core, req, frm, to):
    try:
        start, end = _parse_date(frm), _parse_date(to)
        if start > end:
            raise ValueError(f"The from date {frm} is after the to date {to}.")
        oldest = _oldest_allowed(core)
        if start < oldest:
            raise ValueError(f"The from date {frm} is older than {HISTORY_DAYS} days; the oldest allowed is "
                             f"{oldest.isoformat()}.")
    except ValueError as exc:
        return _error(core, req, 400, "invalid_date_range", str(exc))
    # Spring's Pageable resolver: junk or negative page -> 0; junk or < 1 size -> default; over max -> max.
    page = max(_int(req.param("page"), 0), 0)
    size = _int(req.param("size"), DEFAULT_SIZE)
    size = DEFAULT_SIZE if size < 1 else min(size, core.config["pinggy_max_size"])
    rows = core.state.pinggy.ordered_history()
    # Whole UTC days, both inclusive, on start_time.
    lo = datetime.combine(start, time(0), tzinfo=UTC)
    hi = datetime.combine(end + timedelta(days=1), time(0), tzinfo=UTC)
    first = bisect_left(rows, lo, key=lambda r: r["start_time"])
    last = bisect_left(rows, hi, key=lambda r: r["start_time"])
    chunk = _page_rows(core.config["pinggy_history_order"], rows, first, last, page, size)
    return json_response(200, page_envelope([render_history(r) for r in chunk], last - first, page, size))


def _page_rows(order, rows, first, last, page, size):
    """One page of rows[first:last] in the `pinggy_history_order`: the envelope says
    `"sort": {"unsorted": true}` (pinggy-api.md), so no order is promised. `shuffled` draws a new order
    for every request: stable within one page, not across the pages of a walk."""
    if order == "shuffled":
        window = rows[first:last]
        random.Random().shuffle(window)
        return window[page * size:(page + 1) * size]
    if order == "desc":                     # newest first: new rows arrive at the front
        top = last - page * size
        return rows[max(first, top - size):max(first, top)][::-1]
    return rows[min(first + page * size, last):min(first + (page + 1) * size, last)]


def page_envelope(content, total, page, size):
    """Spring Data PageImpl as Jackson writes it (key order as in Pinggy's docs)."""
    pages = -(-total // size)
    sort = {"empty": True, "sorted": False, "unsorted": True}
    return {
        "totalElements": total,
        "totalPages": pages,
        "size": size,
        "content": content,
        "number": page,
        "sort": dict(sort),
        "pageable": {"pageNumber": page, "pageSize": size, "sort": dict(sort), "offset": page * size,
                     "paged": True, "unpaged": False},
        "numberOfElements": len(content),
        "first": page == 0,
        "last": page >= pages - 1,
        "empty": not content,
    }
