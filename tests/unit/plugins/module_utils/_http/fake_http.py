# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A scripted requests transport for unit tests of the HTTP core (no sockets)."""

from __future__ import annotations

import json
import re
import threading

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict


class Reply:
    def __init__(self, status=200, body=None, headers=None, text=None, raises=None):
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.text = text
        self.raises = raises


class FakeAdapter(BaseAdapter):
    """Answers requests from a handler ``(request) -> Reply`` and records them."""

    def __init__(self, handler):
        super().__init__()
        self.handler = handler
        self.requests = []
        self.lock = threading.Lock()

    def send(self, request, **kwargs):
        with self.lock:
            self.requests.append(request)
        reply = self.handler(request)
        if reply.raises is not None:
            raise reply.raises
        resp = requests.Response()
        resp.status_code = reply.status
        resp.headers = CaseInsensitiveDict(reply.headers)
        if reply.text is not None:
            resp._content = reply.text.encode("utf-8")
        elif reply.body is not None:
            resp._content = json.dumps(reply.body).encode("utf-8")
            resp.headers.setdefault("Content-Type", "application/json")
        else:
            resp._content = b""
        resp.url = request.url
        resp.request = request
        return resp

    def close(self):
        pass


def session_with(handler):
    adapter = FakeAdapter(handler)
    session = requests.Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session, adapter


def script(*replies):
    """A handler that answers with the given replies in turn (the last one repeats)."""
    replies = list(replies)
    state = {"i": 0}
    lock = threading.Lock()

    def handler(request):
        with lock:
            i = min(state["i"], len(replies) - 1)
            state["i"] += 1
        return replies[i]
    return handler


def query_of(request):
    from urllib.parse import parse_qsl, urlsplit
    return dict(parse_qsl(urlsplit(request.url).query))


def path_of(request):
    from urllib.parse import urlsplit
    return urlsplit(request.url).path


def matches(request, method, pattern):
    return request.method == method and re.search(pattern, path_of(request)) is not None
