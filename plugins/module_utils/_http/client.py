# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the three provider clients share: one HTTP core set up from the connection options.

A provider client names its provider, how its credential is sent, how its error
bodies read, and (where the provider has one) its rate limit; everything else,
retries, time-outs, TLS, secrets that are always masked, is set up here once.
"""

from __future__ import annotations

import re

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover
    from urllib import quote

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.core import (
    NO_CONTENT, RECORD, HttpCore, RetryPolicy)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError, TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.locks import FileLock
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.masking import register_secret, register_secrets_of
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.pagination import DEFAULT_WORKERS


class BaseClient:
    """A provider API client over one :class:`HttpCore`.

    Subclasses set ``provider`` and may override ``authenticate`` (default: a bearer
    token), ``parse_error``, ``retry_policy``, ``make_pacer`` and ``headers``.
    ``scope`` names the account on this controller (default: the provider and its base URL,
    never the credential): what its rate budget and its locks are shared by.
    """

    provider = None
    headers = None

    def __init__(self, credential, base_url, timeout=30.0, validate_certs=True, ca_path=None,
                 retries=5, workers=DEFAULT_WORKERS, sleep=None, scope=None, credential_names=None):
        register_secret(credential)
        self._credential = credential
        self.workers = workers
        self.scope = "%s|%s" % (self.provider, scope or base_url.rstrip("/"))
        kwargs = {} if sleep is None else {"sleep": sleep}
        self.pacer = self.make_pacer()
        self.core = HttpCore(self.provider, base_url, auth=self.authenticate, error_parser=self.parse_error,
                             timeout=timeout, validate_certs=validate_certs, ca_path=ca_path,
                             retry=self.retry_policy(retries), pacer=self.pacer, secrets=(credential,),
                             headers=self.headers, pool_size=workers + 2, url_option="%s_api_url" % self.provider,
                             credential_names=credential_names,
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

    def lock(self, name, what="this object"):
        """A lock of this account on this host (every process of the user): ``with client.lock(...):``."""
        return FileLock("%s|lock|%s" % (self.scope, name), what=what)

    @property
    def stats(self):
        return self.core.stats


class IdForm:
    """What the ids of one collection look like; checked before an id goes into a URL path."""

    def __init__(self, pattern, text):
        self.pattern = re.compile(r"^(?:%s)$" % pattern)
        self.text = text

    def check(self, value, option="id"):
        text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
        if text is None or not self.pattern.match(text):
            shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
            raise TunnelConfigError(option, "%s is not %s" % (shown, self.text))
        return value


def prefixed_ids(prefix, what):
    """ngrok's ids: a prefix and base62 letters and digits (``cr_2RfSBcv0nsy71XCHWOegjx1OoKh``)."""
    return IdForm(re.escape(prefix) + "[A-Za-z0-9]+", "the id of %s (%s followed by letters and digits)"
                  % (what, prefix))


# Openport's ids: whole numbers (``/keys/349/``).
INTEGER_IDS = IdForm("[0-9]+", "an Openport id (a whole number)")


class Collection:
    """One REST collection of a provider: list, get, create, update, delete.

    ``stream(walk)`` yields the records page by page (the provider's pagination; ``walk``
    is a pagination.Walk or None); ``lister()``, where given, lists them whole in a way
    that streaming cannot (walked again when the list moved meanwhile).  ``item_path``
    is the path of one record, with ``%s`` for its id.
    """

    def __init__(self, client, path, item_path, stream, lister=None, ids=None):
        self.client = client
        self.path = path
        self.item_path = item_path
        self._stream = stream
        self._lister = lister
        self.ids = ids

    def check_id(self, item_id, option="id"):
        """``item_id`` when it has the form of this collection's ids, else TunnelConfigError naming ``option``."""
        return self.ids.check(item_id, option) if self.ids else item_id

    def url_of(self, item_id):
        """The path of one record; the id is checked and quoted, so that it can never name another path."""
        return self.item_path % quote(str(self.check_id(item_id)), safe="")

    def iter(self, walk=None):
        return self._stream(walk)

    def list(self):
        return self._lister() if self._lister else list(self._stream(None))

    def get(self, item_id):
        """The record; an answer that is not a record is an error."""
        return self.client.request("GET", self.url_of(item_id), accept=RECORD).data

    def get_or_none(self, item_id):
        """The record, or None when the API answers 404."""
        try:
            return self.get(item_id)
        except TunnelApiError as exc:
            if exc.is_not_found:
                return None
            raise

    def create(self, body, find_existing=None):
        """POST a record; ``(record, recovered)``. ``find_existing()`` finds it again when the answer is lost or
        is not a record (an HTML page, JSON of another shape): a create is never believed without a record."""
        resp = self.client.request("POST", self.path, json_body=body, verify_write=find_existing, accept=RECORD)
        register_secrets_of(resp.data)
        return resp.data, resp.recovered

    def update(self, item_id, body):
        """PATCH a record; its answer must be the record, or the error's outcome is unknown (verify it)."""
        return self.client.request("PATCH", self.url_of(item_id), json_body=body, accept=RECORD).data

    def delete(self, item_id):
        """DELETE a record; False when the API answers 404 (it was gone already). An answer that cannot be
        read (a proxy's page) is an error whose outcome is unknown (verify it)."""
        try:
            self.client.request("DELETE", self.url_of(item_id), accept=NO_CONTENT)
        except TunnelApiError as exc:
            if exc.is_not_found:
                return False
            raise
        return True
