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
    """What a walk saw besides its items."""

    def __init__(self):
        self.pages = 0
        self._lock = threading.Lock()
        self.total = None
        # False when the collection changed while it was walked (count moved).
        self.consistent = True

    def page_done(self):
        with self._lock:
            self.pages += 1


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
    """Yield every item of a limit/offset list (Django REST Framework envelope)."""
    walk = walk if walk is not None else Walk()
    params = dict(params or {})

    def fetch(offset):
        return fetch_query(core, path, dict(params, limit=page_size, offset=offset), walk)

    first = fetch(0)
    count = first.get("count")
    results = first["results"]
    walk.total = count
    yield from results
    last = first
    if first.get("next") and results and isinstance(count, int):
        # A server may cap the page size below what was asked: trust what it served.
        served = len(results)
        for page in _bounded_parallel(fetch, range(served, count, served), workers):
            if page.get("count") != count:
                walk.consistent = False
            yield from page["results"]
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
        yield from last["results"]


def fetch_query(core, path, query, walk):
    data = core.request("GET", path, params=query).data
    walk.page_done()
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise TunnelApiError(core.provider, "the list answer has no 'results' array",
                             method="GET", url=core.mask(core.url_for(path)))
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
        data = core.request("GET", path, params=query).data
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
        yield from items
        nxt = data.get("next_page_uri")
        if not nxt or not items:
            return
        cursor = _query_of(nxt).get("before_id") or items[-1].get("id")
        if not cursor or cursor in seen_cursors:
            return
        seen_cursors.add(cursor)
        query = dict(query, before_id=cursor)


def iter_spring(core, path, params=None, size=1000, workers=DEFAULT_WORKERS, walk=None):
    """Yield every item of a Spring Data page list (``content``/``totalPages``)."""
    walk = walk if walk is not None else Walk()
    params = dict(params or {})

    def fetch(page):
        data = core.request("GET", path, params=dict(params, page=page, size=size)).data
        if not isinstance(data, dict) or not isinstance(data.get("content"), list):
            raise TunnelApiError(core.provider, "the page answer has no 'content' array",
                                 method="GET", url=core.mask(core.url_for(path)))
        walk.page_done()
        return data

    first = fetch(0)
    walk.total = first.get("totalElements")
    yield from first["content"]
    total_pages = first.get("totalPages")
    if not isinstance(total_pages, int):
        total_pages = 1 if first.get("last", True) else None
    last = first
    if total_pages is not None and total_pages > 1:
        for page in _bounded_parallel(fetch, range(1, total_pages), workers):
            yield from page["content"]
            last = page
    # Rows added while paging: keep going while the server says there is more.
    number = last.get("number", total_pages - 1 if total_pages else 0)
    while last.get("last") is False and last.get("content"):
        number += 1
        last = fetch(number)
        walk.consistent = False
        yield from last["content"]
