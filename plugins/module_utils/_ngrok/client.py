# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ngrok API v2 client: API keys, credentials, SSH credentials, tunnel sessions, tunnels, endpoints."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError, TunnelError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.client import BaseClient, Collection, prefixed_ids
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.core import RetryPolicy
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.pacing import SlidingWindowPacer
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.pagination import iter_cursor

PROVIDER = "ngrok"
PAGE_LIMIT = 100

# The list key of each collection; /api_keys lists under "keys".
LIST_KEYS = {
    "api_keys": "keys",
    "credentials": "credentials",
    "ssh_credentials": "ssh_credentials",
    "tunnel_sessions": "tunnel_sessions",
    "tunnels": "tunnels",
    "endpoints": "endpoints",
    "reserved_domains": "reserved_domains",
    "reserved_addrs": "reserved_addrs",
}

# The id prefix of each collection's objects (ids are the prefix and base62 characters).
ID_PREFIXES = {
    "api_keys": "ak_",
    "credentials": "cr_",
    "ssh_credentials": "sshcr_",
    "tunnel_sessions": "ts_",
    "tunnels": "tn_",
    "endpoints": "ep_",
    "reserved_domains": "rd_",
    "reserved_addrs": "ra_",
}

# ngrok error codes whose meaning is clearer with a word of advice.
ERROR_ADVICE = {
    "ERR_NGROK_200": "no API key was sent; set ngrok_api_key or NGROK_API_KEY",
    "ERR_NGROK_202": "the value sent does not look like an ngrok API key; check ngrok_api_key",
    "ERR_NGROK_203": "the API key is not valid; check ngrok_api_key",
    "ERR_NGROK_206": "an agent authtoken was sent instead of an API key",
    "ERR_NGROK_207": "an agent authtoken was sent instead of an API key",
    "ERR_NGROK_208": "the API key's ID was sent instead of its token",
    "ERR_NGROK_215": "a parameter has an invalid value",
    "ERR_NGROK_218": "the ngrok-version header is missing (a proxy may strip it)",
    "ERR_NGROK_226": "the account's API rate limit was exceeded; lower the parallelism or ngrok_rate_limit",
    "ERR_NGROK_600": "an ACL rule must be '*' or start with 'bind:'",
    "ERR_NGROK_609": "this public key is already registered on the account",
    "ERR_NGROK_610": "this public key is registered on another ngrok account",
    "ERR_NGROK_204": "the account is not allowed to use the API",
    "ERR_NGROK_213": "the request body could not be parsed",
    "ERR_NGROK_214": "the API does not know one of the fields sent; the collection may be newer than the API",
    "ERR_NGROK_216": "the request had no Content-Type header",
    "ERR_NGROK_217": "the API version sent in the ngrok-version header is not supported",
    "ERR_NGROK_220": "the API key may not be used from this IP address (API IP restrictions)",
    "ERR_NGROK_225": "too many simultaneous API requests; lower the parallelism",
    "ERR_NGROK_227": "the id has the wrong prefix for this kind of object",
    "ERR_NGROK_601": "the account's own authtoken cannot be deleted, only rotated in the dashboard",
    "ERR_NGROK_602": "the account has the maximum number of authtokens",
    "ERR_NGROK_603": "the account has the maximum number of API keys",
    "ERR_NGROK_604": "the description is too long (at most 255 bytes)",
    "ERR_NGROK_605": "the metadata is too long (at most 4096 bytes)",
    "ERR_NGROK_606": "the update carried no values",
    "ERR_NGROK_607": "SSH tunnels are not enabled on this account",
    "ERR_NGROK_608": "the account has the maximum number of SSH credentials",
    "ERR_NGROK_611": "the public key is missing or empty",
    "ERR_NGROK_612": "the public key is not a valid SSH public key",
    "ERR_NGROK_613": "the account has the maximum number of API keys",
    "ERR_NGROK_614": "too many API keys were created recently; wait and try again",
    "ERR_NGROK_615": "the account has the maximum number of authtokens",
    "ERR_NGROK_617": "the account has the maximum number of SSH credentials",
    "ERR_NGROK_619": "ACL rules are not available on the account's plan",
    "ERR_NGROK_620": "ACL rules are not available on the account's plan",
    "ERR_NGROK_622": "ACL rules on SSH credentials need a pay-as-you-go plan",
    "ERR_NGROK_627": "owner_id cannot be changed in place; the object must be replaced",
    "ERR_NGROK_628": "owner_id cannot be changed in place; the object must be replaced",
    "ERR_NGROK_629": "owner_id cannot be changed in place; the object must be replaced",
    "ERR_NGROK_804": "this agent does not support remote restart",
    "ERR_NGROK_805": "this agent does not support remote stop",
    "ERR_NGROK_806": "this agent does not support remote update",
    "ERR_NGROK_807": "the agent failed to stop",
    "ERR_NGROK_808": "the agent failed to restart",
    "ERR_NGROK_809": ("the agent failed to update (no update available, update checks off, an update in progress, "
                      "or updated and not restarted yet)"),
    "ERR_NGROK_810": "a networking error while the agent was exiting or reconnecting",
    "ERR_NGROK_1121": "SSH tunnel sessions cannot be updated",
    "ERR_NGROK_1122": "SSH tunnel sessions cannot be restarted",
    "ERR_NGROK_18012": "the description is too long (at most 255 bytes)",
    "ERR_NGROK_18013": "the metadata is too long (at most 4096 bytes)",
}


def parse_ngrok_error(status, data, text):
    if isinstance(data, dict):
        code = data.get("error_code")
        message = data.get("msg") or data.get("message")
        if message and code in ERROR_ADVICE:
            message = "%s (%s)" % (message.rstrip("."), ERROR_ADVICE[code])
        elif not message and code in ERROR_ADVICE:
            message = ERROR_ADVICE[code]
        if status == 404 and not code:
            message = message or "Not Found"
            path = (data.get("details") or {}).get("path")
            if path:
                message = "%s (no such API path: %s; check ngrok_api_url)" % (message, path)
        return code, message
    return None, None


class NgrokClient(BaseClient):
    """ngrok's API v2: a bearer API key, the ``ngrok-version: 2`` header, cursor pages, and a
    rate limit that the client paces itself under."""

    provider = PROVIDER
    parse_error = staticmethod(parse_ngrok_error)
    headers = {"ngrok-version": "2"}

    def __init__(self, api_key, base_url, rate_limit=120, rate_window=60.0, workers=4, rate_scope=None, **options):
        self.rate_limit, self.rate_window = rate_limit, rate_window
        # The limit is per account, shared by all its API keys: paced per base URL, or per named scope.
        super().__init__(api_key, base_url, workers=workers, scope=rate_scope and "scope:" + rate_scope, **options)
        for name in LIST_KEYS:
            setattr(self, name, self._collection(name))

    def retry_policy(self, retries):
        # The rate limit is a window of a minute: waiting it out beats giving up.
        return RetryPolicy(retries=retries, backoff=1.0, backoff_max=max(30.0, float(self.rate_window) / 2),
                           rate_window=self.rate_window)

    def make_pacer(self):
        if not self.rate_limit:
            return None
        return SlidingWindowPacer(self.rate_limit, self.rate_window, scope=self.scope)

    def _collection(self, name):
        def stream(walk):
            return iter_cursor(self.core, name, LIST_KEYS[name], limit=PAGE_LIMIT, walk=walk, alt_keys=(name,))
        return Collection(self, name, name + "/%s", stream, ids=prefixed_ids(ID_PREFIXES[name], "ngrok's " + name))

    def collection(self, name):
        """The collection called ``name`` (``ssh_credentials``, ``tunnel_sessions``, ...)."""
        return getattr(self, name)

    def list_many(self, names):
        """Walk several collections side by side; cursors only allow one page at a time each."""
        names = list(names)
        if len(names) <= 1:
            return dict((name, self.collection(name).list()) for name in names)
        with ThreadPoolExecutor(max_workers=min(self.workers, len(names))) as pool:
            futures = dict((name, pool.submit(self.collection(name).list)) for name in names)
            return dict((name, future.result()) for name, future in futures.items())

    def session_action(self, session_id, action):
        """stop, restart or update an agent session: ``"done"``, ``"exited"`` or ``"gone"``, else TunnelApiError.

        The API needs ``Content-Type: application/json`` and a ``{}`` body.  On stop,
        ERR_NGROK_810 (a networking error while the agent was exiting) counts as
        done (``"exited"``), and a 404 "Resource not found" means the agent had already
        left (``"gone"``): agents exit asynchronously, so a session being stopped may
        still be listed for a moment.  A 404 that names a path is a wrong API URL, not a
        gone session.  Every other refusal is raised with its code for the caller to judge.
        """
        if action not in ("stop", "restart", "update"):
            raise ValueError("unknown tunnel session action %r" % action)

        def gone():
            # A lost or unreadable answer to stop: the session being gone proves it took effect; its being
            # listed proves nothing (an agent that was told to stop is listed for a moment while it exits).
            if self.tunnel_sessions.get_or_none(session_id) is None:
                return {"id": session_id}
            raise TunnelError("the session is still listed, as an agent is for a moment after a stop")

        path = "%s/%s" % (self.tunnel_sessions.url_of(session_id), action)
        try:
            self.request("POST", path, json_body={}, verify_write=gone if action == "stop" else None)
            return "done"
        except TunnelApiError as exc:
            if action != "stop":
                raise
            # A 404 after an attempt whose answer was lost (the core sent it again): that attempt made the
            # agent leave.  (Attempts refused with 429 count too; someone else's stop in between is rarer.)
            answer = _stop_answer(exc, ours=exc.attempts > 1)
            if answer:
                return answer
            if exc.outcome != "unknown":
                raise
        # A stop whose outcome is unknown (a time-out while the agent is still listed, leaving or not)
        # is sent once more: stopping an agent twice does no harm, and a 404 shows the first one took.
        try:
            self.request("POST", path, json_body={})
        except TunnelApiError as exc:
            answer = _stop_answer(exc, ours=True)
            if answer:
                return answer
            raise
        return "done"


def _stop_answer(exc, ours):
    """What a refused stop means: ``"exited"`` (810), ``"done"`` or ``"gone"`` (404, ours or not), else None."""
    if exc.code == "ERR_NGROK_810":
        return "exited"
    if exc.status == 404 and not exc.code and not exc.details.get("path"):
        return "done" if ours else "gone"
    return None
