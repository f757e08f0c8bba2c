# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ngrok API v2 client: API keys, credentials, SSH credentials, tunnel sessions, tunnels, endpoints."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.core import HttpCore, RetryPolicy
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.masking import register_secret
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

# ngrok error codes whose meaning is clearer with a word of advice.
ERROR_ADVICE = {
    "ERR_NGROK_200": "no API key was sent; set ngrok_api_key or NGROK_API_KEY",
    "ERR_NGROK_202": "check ngrok_api_key: an agent authtoken or another credential is not an API key",
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
    "ERR_NGROK_807": "the agent failed to restart",
    "ERR_NGROK_808": "the agent failed to stop",
    "ERR_NGROK_809": "the agent failed to update (no update available, update checks off, or one in progress)",
    "ERR_NGROK_810": "the agent went away while it was exiting",
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


class NgrokClient:
    provider = PROVIDER

    def __init__(self, api_key, base_url, timeout=30.0, validate_certs=True, ca_path=None,
                 retries=5, rate_limit=120, rate_window=60.0, sleep=None, workers=4):
        register_secret(api_key)
        self.workers = workers

        def auth(headers, params):
            headers["Authorization"] = "Bearer %s" % api_key

        kwargs = {}
        if sleep is not None:
            kwargs["sleep"] = sleep
        pacer = SlidingWindowPacer(rate_limit, rate_window, scope="ngrok|%s|%s" % (base_url, api_key)) \
            if rate_limit else None
        self.pacer = pacer
        # The rate limit is a window of a minute: waiting it out beats giving up.
        retry = RetryPolicy(retries=retries, backoff=1.0, backoff_max=max(30.0, float(rate_window) / 2))
        self.core = HttpCore(PROVIDER, base_url, auth=auth, error_parser=parse_ngrok_error,
                             timeout=timeout, validate_certs=validate_certs, ca_path=ca_path,
                             retry=retry, pacer=pacer, secrets=(api_key,),
                             headers={"ngrok-version": "2"}, pool_size=8, **kwargs)

    # -- generic resource operations --------------------------------------

    def iter(self, collection, params=None, walk=None):
        list_key = LIST_KEYS.get(collection, collection)
        return iter_cursor(self.core, collection, list_key, params=params, limit=PAGE_LIMIT,
                           walk=walk, alt_keys=(collection,))

    def list(self, collection, params=None):
        return list(self.iter(collection, params))

    def list_many(self, collections):
        """Walk several collections side by side; cursors only allow one page at a time each."""
        collections = list(collections)
        if len(collections) <= 1:
            return dict((c, self.list(c)) for c in collections)
        with ThreadPoolExecutor(max_workers=min(self.workers, len(collections))) as pool:
            futures = dict((c, pool.submit(self.list, c)) for c in collections)
            return dict((c, f.result()) for c, f in futures.items())

    def get(self, collection, item_id):
        return self.core.request("GET", "%s/%s" % (collection, item_id)).data

    def get_or_none(self, collection, item_id):
        """The record, or None when the API answers 404."""
        try:
            return self.get(collection, item_id)
        except TunnelApiError as exc:
            if exc.status == 404:
                return None
            raise

    def create(self, collection, body, find_existing=None):
        """POST a resource.  ``find_existing()`` finds it again if the answer is lost."""
        resp = self.core.request("POST", collection, json_body=body, verify_write=find_existing)
        record = resp.data
        if isinstance(record, dict) and record.get("token"):
            register_secret(record["token"])
        return record, resp.recovered

    def update(self, collection, item_id, body):
        return self.core.request("PATCH", "%s/%s" % (collection, item_id), json_body=body).data

    def delete(self, collection, item_id):
        try:
            self.core.request("DELETE", "%s/%s" % (collection, item_id))
        except TunnelApiError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    # -- tunnel session actions ------------------------------------------------

    def session_action(self, session_id, action):
        """stop, restart or update an agent session.

        The API needs ``Content-Type: application/json`` and a ``{}`` body.  On
        stop, ERR_NGROK_810 (the agent went away while exiting) counts as done.
        Returns ``"done"`` or ``"already_gone"``.
        """
        if action not in ("stop", "restart", "update"):
            raise ValueError("unknown tunnel session action %r" % action)
        path = "tunnel_sessions/%s/%s" % (session_id, action)

        def gone():
            # A lost answer to stop: the session being gone proves it took effect.
            try:
                self.get("tunnel_sessions", session_id)
            except TunnelApiError as exc:
                if exc.status == 404:
                    return {"id": session_id}
                raise
            return None

        try:
            self.core.request("POST", path, json_body={}, verify_write=gone if action == "stop" else None)
        except TunnelApiError as exc:
            if action == "stop" and exc.code == "ERR_NGROK_810":
                return "already_gone"
            raise
        return "done"

    @property
    def stats(self):
        return self.core.stats
