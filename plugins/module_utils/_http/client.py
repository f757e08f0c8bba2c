# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the three provider clients share: one HTTP core set up from the connection options.

A provider client names its provider, how its credential is sent, how its error
bodies read, and (where the provider has one) its rate limit; everything else,
retries, time-outs, TLS, secrets that are always masked, is set up here once.
"""

from __future__ import annotations

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover
    from urllib import quote

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.core import HttpCore, RetryPolicy
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.masking import register_secret, register_secrets_of
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.pagination import DEFAULT_WORKERS


class BaseClient:
    """A provider API client over one :class:`HttpCore`.

    Subclasses set ``provider`` and may override ``authenticate`` (default: a bearer
    token), ``parse_error``, ``retry_policy``, ``make_pacer`` and ``headers``.
    """

    provider = None
    headers = None

    def __init__(self, credential, base_url, timeout=30.0, validate_certs=True, ca_path=None,
                 retries=5, workers=DEFAULT_WORKERS, sleep=None, credential_names=None):
        register_secret(credential)
        self._credential = credential
        self.workers = workers
        kwargs = {} if sleep is None else {"sleep": sleep}
        self.pacer = self.make_pacer()
        self.core = HttpCore(self.provider, base_url, auth=self.authenticate, error_parser=self.parse_error,
                             timeout=timeout, validate_certs=validate_certs, ca_path=ca_path,
                             retry=self.retry_policy(retries), pacer=self.pacer, secrets=(credential,),
                             headers=self.headers, pool_size=workers + 2, credential_names=credential_names,
                             **kwargs)

    def authenticate(self, headers, params):
        headers["Authorization"] = "Bearer %s" % self._credential

    @staticmethod
    def parse_error(status, data, text):
        """``(code, message)`` from an error answer; ``(None, None)`` leaves it to the core."""
        return None, None

    def retry_policy(self, retries):
        return RetryPolicy(retries=retries)

    def make_pacer(self):
        """A pacer that keeps the client under the provider's rate limit, or None."""
        return None

    def request(self, method, path, **kwargs):
        return self.core.request(method, path, **kwargs)

    @property
    def stats(self):
        return self.core.stats


class Collection:
    """One REST collection of a provider: list, get, create, update, delete.

    ``stream(walk)`` yields the records page by page (the provider's pagination; ``walk``
    is a pagination.Walk or None); ``lister()``, where given, lists them whole in a way
    that streaming cannot (walked again when the list moved meanwhile).  ``item_path``
    is the path of one record, with ``%s`` for its id.
    """

    def __init__(self, client, path, item_path, stream, lister=None):
        self.client = client
        self.path = path
        self.item_path = item_path
        self._stream = stream
        self._lister = lister

    def url_of(self, item_id):
        """The path of one record; the id is quoted, so that it can never name another path."""
        return self.item_path % quote(str(item_id), safe="")

    def iter(self, walk=None):
        return self._stream(walk)

    def list(self):
        return self._lister() if self._lister else list(self._stream(None))

    def get(self, item_id):
        return self.client.request("GET", self.url_of(item_id)).data

    def get_or_none(self, item_id):
        """The record, or None when the API answers 404."""
        try:
            return self.get(item_id)
        except TunnelApiError as exc:
            if exc.status == 404:
                return None
            raise

    def create(self, body, find_existing=None):
        """POST a record; ``(record, recovered)``. ``find_existing()`` finds it again if the answer is lost."""
        resp = self.client.request("POST", self.path, json_body=body, verify_write=find_existing)
        register_secrets_of(resp.data)
        return resp.data, resp.recovered

    def update(self, item_id, body):
        return self.client.request("PATCH", self.url_of(item_id), json_body=body).data

    def delete(self, item_id):
        """DELETE a record; False when the API answers 404 (it was gone already)."""
        try:
            self.client.request("DELETE", self.url_of(item_id))
        except TunnelApiError as exc:
            if exc.status == 404:
                return False
            raise
        return True
