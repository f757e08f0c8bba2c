# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Openport API v2 client: keys, sessions, open-for-IP link clicks, server nodes."""

from __future__ import annotations

import re

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.core import HttpCore, RetryPolicy
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.masking import register_secret
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.pagination import (
    DEFAULT_WORKERS, iter_offset, list_offset)

PROVIDER = "openport"
PAGE_SIZE = 1000
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


def key_id_from_url(url):
    """The numeric id at the end of a key hyperlink (``.../keys/349/``)."""
    match = _KEY_URL_ID.search(url or "")
    return int(match.group(1)) if match else None


class OpenportClient:
    """Thin client over the HTTP core; methods return the API's records."""

    provider = PROVIDER

    def __init__(self, token, base_url, timeout=30.0, validate_certs=True, ca_path=None,
                 retries=5, page_size=PAGE_SIZE, workers=DEFAULT_WORKERS, sleep=None):
        register_secret(token)
        self.token = token
        self.page_size = page_size
        self.workers = workers

        def auth(headers, params):
            params["token"] = token

        kwargs = {}
        if sleep is not None:
            kwargs["sleep"] = sleep
        self.core = HttpCore(PROVIDER, base_url, auth=auth, error_parser=parse_openport_error,
                             timeout=timeout, validate_certs=validate_certs, ca_path=ca_path,
                             retry=RetryPolicy(retries=retries), secrets=(token,),
                             pool_size=workers + 2, **kwargs)

    # -- keys -------------------------------------------------------------

    def list_keys(self):
        return list_offset(self.core, "keys/", page_size=self.page_size, workers=self.workers, key="id")

    def get_key(self, key_id):
        return self.core.request("GET", "keys/%s/" % int(key_id)).data

    def create_key(self, public_key, name, find_existing=None):
        """POST a key.  ``find_existing()`` looks the key up again when the answer is lost."""
        body = {"public_key": public_key, "name": name}
        resp = self.core.request("POST", "keys/", json_body=body, verify_write=find_existing)
        return resp.data

    def update_key(self, key_id, name):
        return self.core.request("PATCH", "keys/%s/" % int(key_id), json_body={"name": name}).data

    def delete_key(self, key_id):
        self.core.request("DELETE", "keys/%s/" % int(key_id))

    # -- sessions, clicks, nodes -------------------------------------------

    def list_sessions(self):
        return list_offset(self.core, "sessions/", page_size=self.page_size, workers=self.workers)

    def iter_link_clicks(self, walk=None):
        """Stream the open-for-IP link clicks page by page (178k rows is a normal account)."""
        return iter_offset(self.core, "openforiplinkclicks/", page_size=self.page_size,
                           workers=self.workers, walk=walk)

    def list_nodes(self):
        return list_offset(self.core, "nodes/", page_size=self.page_size, workers=self.workers)

    @property
    def stats(self):
        return self.core.stats
