# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Openport API v2 client: keys, sessions, open-for-IP link clicks, server nodes."""

from __future__ import annotations

import re
import threading

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.client import INTEGER_IDS, BaseClient, Collection
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.core import HttpCore
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.pagination import iter_offset, list_offset

PROVIDER = "openport"
PAGE_SIZE = 1000
# Open-for-IP links are opened side by side; the link pages' connection pool holds this many.
LINK_POOL = 64
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
_KEY_URL_ID = re.compile(r"/keys/(\d+)/?$")


def parse_openport_error(status, data, text):
    """Django REST Framework error bodies: {"detail": ...} or {"field": ["..."]}."""
    if isinstance(data, dict):
        if isinstance(data.get("detail"), str):
            return None, data["detail"]
        parts = []
        for field, problems in sorted(data.items()):
            if isinstance(problems, list):
                problems = " ".join(str(p) for p in problems)
            label = "" if field == "non_field_errors" else "%s: " % field
            parts.append("%s%s" % (label, problems))
        if parts:
            return None, "; ".join(parts)
    if isinstance(data, list) and data:
        return None, " ".join(str(p) for p in data)
    return None, None


def refused_fields(exc):
    """``{field: problem}`` of a Django REST Framework validation error (HTTP 400) that names fields."""
    fields = {}
    if getattr(exc, "status", None) != 400 or not exc.message:
        return fields
    for part in exc.message.split("; "):
        field, sep, problem = part.partition(": ")
        if sep and field.replace("_", "").isalnum():
            fields[field] = problem
    return fields


def session_id(server, port):
    """The id the collection gives an Openport session (the API gives none): ``openport-<server>-<port>``."""
    return "openport-%s-%s" % (server or "unknown", port if port is not None else "unknown")


def key_id_from_url(url):
    """The numeric id at the end of a key hyperlink (``.../keys/349/``)."""
    match = _KEY_URL_ID.search(url or "")
    return int(match.group(1)) if match else None


class OpenportClient(BaseClient):
    """Openport's v2 API: the token rides in the query string (and is masked wherever a URL is shown)."""

    provider = PROVIDER
    parse_error = staticmethod(parse_openport_error)

    def __init__(self, token, base_url, page_size=PAGE_SIZE, **options):
        self.page_size = page_size
        super().__init__(token, base_url, **options)
        self.keys = self._collection("keys/", key="id")
        self.sessions = self._collection("sessions/")
        self.link_clicks = self._collection("openforiplinkclicks/")
        self.nodes = self._collection("nodes/")
        self._pages = None
        self._pages_lock = threading.Lock()

    def authenticate(self, headers, params):
        params["token"] = self._credential

    def open_link(self, url):
        """GET an open-for-IP link (``https://<openport host>/l/<port>/<secret>``) and return the page's text.

        The link lives on the Openport host, outside the API: it is sent through a core of its own, with
        the API's TLS settings, time-out and retries but never the token (``authenticate`` is not called).
        """
        return self._page_core().request("GET", url, expect="text").data

    def _page_core(self):
        with self._pages_lock:
            if self._pages is None:
                core = self.core
                verify = core.session.verify
                self._pages = HttpCore(PROVIDER, core.base_url, auth=None, timeout=core.timeout,
                                       validate_certs=verify is not False,
                                       ca_path=verify if isinstance(verify, str) else None, retry=core.retry,
                                       secrets=core.secrets, headers={"Accept": PAGE_ACCEPT},
                                       pool_size=LINK_POOL, sleep=core.sleep)
        return self._pages

    def _collection(self, path, key=None):
        def stream(walk):
            return iter_offset(self.core, path, page_size=self.page_size, workers=self.workers, walk=walk)

        def lister():
            return list_offset(self.core, path, page_size=self.page_size, workers=self.workers, key=key)
        return Collection(self, path, path + "%s/", stream, lister, ids=INTEGER_IDS)
