# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The three pagination styles, walked with as few round trips as each allows.

- Offset (Openport, Django REST Framework ``limit``/``offset`` with ``count``):
  the first page tells how many items there are and how large a page the server
  really serves, so every later page is fetched in parallel.
- Cursor (ngrok ``next_page_uri``): each page names the next, so pages follow
  one another; several collections are walked side by side instead.
- Spring pages (Pinggy history, ``page``/``size`` with ``totalPages``): like
  offsets, the pages after the first are fetched in parallel.

Results keep the API's order.  Pages are fetched through a bounded window so
that a walk over 100,000 rows keeps memory flat when the caller streams.
"""

from __future__ import annotations

import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor

try:
    from urllib.parse import parse_qsl, urlsplit
except ImportError:  # pragma: no cover
    from urlparse import parse_qsl, urlsplit

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError

DEFAULT_WORKERS = 8
CREDENTIAL_PARAMS = frozenset(("token",))


class Walk:
    """What a walk saw besides its items, and what it makes of a list that moved while it was read.

    ``key`` (a function row -> natural key) de-duplicates the rows of a list with no stable order
    (a row that moves from one page to the next while the pages are read comes twice): a repeat is
    yielded once and counted in ``duplicates``.  At the end of a walk read to its end, the rows are
    checked against the API's own count (``count``, ``totalElements``), and what does not add up is
    said in ``warnings``: human-readable texts that start with ``label`` (default: the list's path),
    for a module's ``warnings``.
    """

    def __init__(self, key=None, label=None):
        self.key = key
        self.label = label
        self.pages = 0
        self._lock = threading.Lock()
        self.total = None
        # The count of the last page read; differs from ``total`` when the list moved.
        self.final_total = None
        # False when the collection changed while it was walked (count moved).
        self.consistent = True
        self.rows = 0
        self.duplicates = 0
        self.warnings = []
        self._seen = set()

    def page_done(self):
        with self._lock:
            self.pages += 1

    def counted(self, total):
        """A page's count of the whole list (pages are counted in order)."""
        if not isinstance(total, int) or isinstance(total, bool):
            return
        if self.total is None:
            self.total = total
        elif total != self.total:
            self.consistent = False
        self.final_total = total

    def fresh(self, rows):
        """The rows not seen before in this walk (all of them without ``key``)."""
        for row in rows:
            if self.key is not None:
                ident = self.key(row)
                if ident in self._seen:
                    self.duplicates += 1
                    continue
                self._seen.add(ident)
            self.rows += 1
            yield row

    def finish(self, where):
        """The walk read the list to its end: say what did not add up."""
        self._seen = set()
        label = self.label or where
        if self.duplicates:
            self.warnings.append("%s: %d rows were listed twice (the list moved while it was read) and are "
                                 "counted once" % (label, self.duplicates))
        if self.total is not None and self.final_total is not None and self.final_total != self.total:
            self.warnings.append("%s: the list changed while it was read (%d rows when the walk began, %d at its "
                                 "end): rows that moved between pages may be missing; run again for an exact list"
                                 % (label, self.total, self.final_total))
        elif self.final_total is not None and self.rows != self.final_total:
            self.warnings.append("%s: %d rows were read but the API counts %d: rows may be %s (the list moved while "
                                 "it was read); run again for an exact list" % (
                                     label, self.rows, self.final_total,
                                     "missing" if self.rows < self.final_total else "listed twice"))


def records(core, path, items):
    """``items`` when every one is a record (a JSON object); an answer of another shape is an error."""
    for item in items:
        if not isinstance(item, dict):
            raise TunnelApiError(core.provider, "the list answer holds an item that is not a record: %s"
                                 % core.mask(repr(item)[:80]), method="GET", url=core.mask(core.url_for(path)))
    return items


def _query_of(url, drop=CREDENTIAL_PARAMS):
    return dict((k, v) for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True) if k not in drop)


def _bounded_parallel(fetch, args, workers):
    """Yield fetch(arg) for each arg, in order, with at most ``workers`` in flight."""
    args = list(args)
    if not args:
        return
    if workers <= 1 or len(args) == 1:
        for arg in args:
            yield fetch(arg)
        return
    with ThreadPoolExecutor(max_workers=min(workers, len(args))) as pool:
        pending = deque()
        it = iter(args)
        for arg in it:
            pending.append(pool.submit(fetch, arg))
            if len(pending) >= workers:
                break
        try:
            while pending:
                result = pending.popleft().result()
                for arg in it:
                    pending.append(pool.submit(fetch, arg))
                    break
                yield result
        finally:
            for future in pending:
                future.cancel()


def iter_offset(core, path, params=None, page_size=1000, workers=DEFAULT_WORKERS, walk=None):
    """Yield every item of a limit/offset list (Django REST Framework envelope); see Walk for ``walk``."""
    walk = walk if walk is not None else Walk()
    params = dict(params or {})

    def fetch(offset):
        return fetch_query(core, path, dict(params, limit=page_size, offset=offset), walk)

    first = fetch(0)
    count = first.get("count")
    results = first["results"]
    walk.counted(count)
    yield from walk.fresh(results)
    last = first
    if first.get("next") and results and isinstance(count, int):
        # A server may cap the page size below what was asked: trust what it served.
        served = len(results)
        for page in _bounded_parallel(fetch, range(served, count, served), workers):
            walk.counted(page.get("count"))
            yield from walk.fresh(page["results"])
            last = page
        if last.get("next"):
            # Items were added while walking: the last page still points further.
            walk.consistent = False
    # Without a count (or after growth) the links are followed one by one.
    seen_next = set()
    while last.get("next") and last.get("results"):
        nxt = last["next"]
        if nxt in seen_next:
            break
        seen_next.add(nxt)
        last = fetch_query(core, path, dict(params, **_query_of(nxt)), walk)
        walk.counted(last.get("count"))
        yield from walk.fresh(last["results"])
    walk.finish(path)


def fetch_query(core, path, query, walk):
    data = core.request("GET", path, params=query, listing=True).data
    walk.page_done()
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise TunnelApiError(core.provider, "the list answer has no 'results' array",
                             method="GET", url=core.mask(core.url_for(path)))
    records(core, path, data["results"])
    return data


def list_offset(core, path, params=None, page_size=1000, workers=DEFAULT_WORKERS, key=None, attempts=2):
    """All items of a limit/offset list, de-duplicated by ``key``.

    When the count moves during the walk (objects added or removed meanwhile),
    offsets shift and an item could be missed: the list is walked again, up to
    ``attempts`` times, and the last walk is returned.
    """
    for dummy in range(max(1, attempts)):
        walk = Walk()
        items = list(iter_offset(core, path, params, page_size, workers, walk))
        if walk.consistent:
            break
    if key is not None:
        seen = set()
        unique = []
        for item in items:
            ident = item.get(key) if isinstance(item, dict) else None
            if ident is not None and ident in seen:
                continue
            seen.add(ident)
            unique.append(item)
        items = unique
    return items


def iter_cursor(core, path, list_key, params=None, limit=100, walk=None, alt_keys=()):
    """Yield every item of an ngrok-style list, page after page.

    The next request is rebuilt from the ``before_id`` of ``next_page_uri``
    against the configured base URL, so a proxy or gateway in front of the API
    is used for every page, whatever host the API names.
    """
    walk = walk if walk is not None else Walk()
    query = dict(params or {})
    query["limit"] = limit
    seen_cursors = set()
    while True:
        data = core.request("GET", path, params=query, listing=True).data
        walk.page_done()
        if not isinstance(data, dict):
            raise TunnelApiError(core.provider, "the list answer is not an object",
                                 method="GET", url=core.mask(core.url_for(path)))
        items = None
        for key in (list_key,) + tuple(alt_keys):
            if isinstance(data.get(key), list):
                items = data[key]
                break
        if items is None:
            raise TunnelApiError(core.provider, "the list answer has no '%s' array" % list_key,
                                 method="GET", url=core.mask(core.url_for(path)))
        yield from records(core, path, items)
        nxt = data.get("next_page_uri")
        if not nxt or not items:
            return
        cursor = _query_of(nxt).get("before_id") or items[-1].get("id")
        if not cursor or cursor in seen_cursors:
            return
        seen_cursors.add(cursor)
        query = dict(query, before_id=cursor)


def iter_spring(core, path, params=None, size=1000, workers=DEFAULT_WORKERS, walk=None):
    """Yield every item of a Spring Data page list (``content``/``totalPages``); see Walk for ``walk``."""
    walk = walk if walk is not None else Walk()
    params = dict(params or {})

    def fetch(page):
        data = core.request("GET", path, params=dict(params, page=page, size=size), listing=True).data
        if not isinstance(data, dict) or not isinstance(data.get("content"), list):
            raise TunnelApiError(core.provider, "the page answer has no 'content' array",
                                 method="GET", url=core.mask(core.url_for(path)))
        records(core, path, data["content"])
        walk.page_done()
        return data

    first = fetch(0)
    walk.counted(first.get("totalElements"))
    yield from walk.fresh(first["content"])
    total_pages = first.get("totalPages")
    if not isinstance(total_pages, int):
        total_pages = 1 if first.get("last", True) else None
    last = first
    if total_pages is not None and total_pages > 1:
        for page in _bounded_parallel(fetch, range(1, total_pages), workers):
            walk.counted(page.get("totalElements"))
            yield from walk.fresh(page["content"])
            last = page
    # Rows added while paging: keep going while the server says there is more.
    number = last.get("number", total_pages - 1 if total_pages else 0)
    while last.get("last") is False and last.get("content"):
        number += 1
        last = fetch(number)
        walk.consistent = False
        walk.counted(last.get("totalElements"))
        yield from walk.fresh(last["content"])
    walk.finish(path)
