"""ngrok API v2 (api.ngrok.com): routing, auth, version header, rate limit, errors, paging.

The per-resource logic lives in ngrok_resources.py. Order of checks for a request:
unknown path (404 "Not Found", no auth needed) -> auth -> rate limit (per account) -> ngrok-version.
"""

from __future__ import annotations

import json
import re
import time
from collections import deque

from .common import Response, json_response, op_id

BASE = "/ngrok"
LIST_KEYS = {"api_keys": "keys", "credentials": "credentials", "ssh_credentials": "ssh_credentials",
             "tunnel_sessions": "tunnel_sessions", "tunnels": "tunnels", "endpoints": "endpoints"}
PREFIXES = {"api_keys": "ak_", "credentials": "cr_", "ssh_credentials": "sshcr_",
            "tunnel_sessions": "ts_", "tunnels": "tn_", "endpoints": "ep_"}
WRITABLE = {"api_keys", "credentials", "ssh_credentials", "endpoints"}
ACTIONS = ("stop", "restart", "update")
MAX_LIMIT = 100
_ROUTE = re.compile(r"^/(?P<coll>[a-z_]+)(?:/(?P<id>[^/]+)(?:/(?P<action>[a-z]+))?)?$")
VERSION_MISSING = ("Your request has not specified an API version. Please include the version you wish to use "
                   "in the Ngrok-Version header. Supported versions: 2.")


class NgrokError(Exception):
    """An API error; code=None gives the 404 shape without error_code."""

    def __init__(self, status, code, msg, headers=None):
        super().__init__(msg)
        self.status, self.code, self.msg, self.headers = status, code, msg, headers or []

    def response(self):
        body = {"error_code": f"ERR_NGROK_{self.code}"} if self.code else {}
        body.update({"status_code": self.status, "msg": self.msg, "details": {"operation_id": op_id()}})
        return json_response(self.status, body, self.headers)


def not_found():
    return NgrokError(404, None, "Resource not found")


def base_url(req):
    return req.origin + BASE


def _route(sub, method):
    """(collection, id, action) for a known path and method, else None (-> 404 Not Found)."""
    m = _ROUTE.match(sub)
    if not m or m["coll"] not in LIST_KEYS:
        return None
    coll, rid, action = m["coll"], m["id"], m["action"]
    writable = coll in WRITABLE
    if action:
        ok = coll == "tunnel_sessions" and action in ACTIONS and method == "POST"
    elif rid:
        ok = method in ("GET", "HEAD") or (writable and method in ("PATCH", "DELETE"))
    else:
        ok = method in ("GET", "HEAD") or (writable and method == "POST")
    return (coll, rid, action) if ok else None


def handle(core, req) -> Response:
    from . import ngrok_resources, ngrok_sessions   # local import: these modules use this one
    ngrok_sessions.expire_leaving(core)
    route = _route(req.subpath, req.method)
    if route is None:
        return json_response(404, {"status_code": 404, "msg": "Not Found", "details": {"path": req.subpath or "/"}})
    try:
        _rate_limit(core, _authenticate(core, req))
        _check_version(req)
        resp = ngrok_resources.dispatch(core, req, *route)
    except NgrokError as exc:
        resp = exc.response()
    resp.headers.append(("ngrok-operation-id", op_id()))
    return resp


def _authenticate(core, req):
    """The scope the request's rate window counts in: the account, or (variant) the API key itself.

    Every live API key of the account authenticates: the one given at start and each one created
    through POST /api_keys (its token, shown once). A deleted key is revoked, so it gets
    ERR_NGROK_203 ("does not exist or has been revoked"), the key given at start included.
    """
    status = core.config["ngrok_auth_status"]
    header = req.header("Authorization")
    if not header:
        raise NgrokError(status, 200, "Authentication failed: the request has no Authorization header. "
                                      "Send an ngrok API key as a Bearer token.")
    scheme, dummy, cred = header.strip().partition(" ")
    cred = cred.strip()
    if scheme.lower() not in ("bearer", "basic") or not cred:
        raise NgrokError(status, 201, "Authentication failed: the Authorization header could not be parsed.")
    n = core.state.ngrok
    revoked = cred in n.revoked_tokens
    if not revoked and (cred == core.creds["ngrok_api_key"] or _live_api_key(n, cred)):
        return n.owner_id if core.config["ngrok_rate_limit_scope"] == "account" else cred
    if revoked or re.fullmatch(r"[0-9A-Za-z]{20,}_[0-9A-Za-z]{10,}", cred):
        raise NgrokError(status, 203, "The API key you specified is well-formed but invalid: it does not exist "
                                      "or has been revoked.")
    # Like the real service, the rejected credential is echoed back: clients must mask it.
    raise NgrokError(status, 202, f"The authentication you specified, '{cred}', is not a valid API key.")


def _live_api_key(n, cred) -> bool:
    """A token of an API key of this account. Tokens read '<key id without ak_>_<secret>' (ngrok's own
    format), so the key is found by id; a raw seeded key with a token of another form is searched for."""
    rec = n.api_keys.get("ak_" + cred.partition("_")[0])
    if rec is not None:
        return rec["token"] == cred
    return any(r["token"] == cred for r in n.api_keys.items.values())


def go_duration(seconds) -> str:
    """Go's time.Duration String(): 60 -> '1m0s', 90 -> '1m30s', 0.5 -> '500ms'."""
    if seconds < 1:
        return f"{seconds * 1000:g}ms"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    secs = f"{secs:g}s"
    if hours:
        return f"{int(hours)}h{int(minutes)}m{secs}"
    return f"{int(minutes)}m{secs}" if minutes else secs


def _rate_limit(core, scope):
    """Rolling window per account (ERR_NGROK_226: "Your account is rate limited"), so every API key of
    the account shares it; per key with `ngrok_rate_limit_scope: key`. Only accepted requests fill it."""
    limit, window = core.config["ngrok_rate_limit"], core.config["ngrok_rate_window"]
    now = time.monotonic()
    calls = core.ngrok_calls.setdefault(scope, deque())
    while calls and calls[0] <= now - window:
        calls.popleft()
    if len(calls) >= limit:
        retry = core.config["ngrok_retry_after"]
        headers = [("Retry-After", str(retry))] if retry is not None else []
        raise NgrokError(429, 226, f"Your account is rate limited to {limit} API requests per "
                                   f"{go_duration(window)}.", headers)
    calls.append(now)


def _check_version(req):
    version = req.header("ngrok-version")
    if version is None:
        raise NgrokError(400, 218, VERSION_MISSING)
    if version.strip() != "2":
        raise NgrokError(400, 217, f"The provided API version `{version}` is invalid or unsupported. "
                                   "Supported versions: 2.")


# --------------------------------------------------------------------------- bodies and lists

def json_body(req, allowed, required_body=True) -> dict:
    """The JSON object a POST/PATCH carries, with ngrok's 216/210/213/214 refusals."""
    if not req.header("Content-Type"):
        raise NgrokError(400, 216, "The request did not specify a Content-Type. Requests with a body must "
                                   "send 'Content-Type: application/json'.")
    if req.content_type() != "application/json":
        raise NgrokError(400, 210, f"The Content-Type '{req.header('Content-Type')}' is not supported. "
                                   "Use 'application/json'.")
    try:
        data = json.loads(req.body)
    except ValueError as exc:
        raise NgrokError(400, 213, f"The 'application/json' request body could not be parsed: {exc}.") from None
    if not isinstance(data, dict):
        raise NgrokError(400, 213, "The 'application/json' request body could not be parsed: "
                                   "expected a JSON object.")
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise NgrokError(400, 214, f"The request body contains the unknown parameter '{unknown[0]}'. "
                                   f"Supported parameters are: {', '.join(sorted(allowed))}.")
    return data


def parse_limit(req) -> int:
    raw = req.param("limit")
    if raw in (None, ""):
        return MAX_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise NgrokError(400, 215, f"The value '{raw}' for parameter 'limit' is invalid: it must be an "
                                   f"integer between 1 and {MAX_LIMIT}.")
    return int(raw)


def list_page(core, req, coll, render, where=None):
    """Newest first; `before_id` cursor; absolute next_page_uri pointing back at us."""
    limit = parse_limit(req)
    before = req.param("before_id") or None
    items = core.state.ngrok.collection(coll)
    if where is None:
        page = items.before(before, limit)
        more = bool(page) and bool(items.before(page[-1]["id"], 1))
    else:
        rows = [r for r in reversed(items.values()) if where(r) and (before is None or r["id"] < before)]
        page, more = rows[:limit], len(rows) > limit
    if core.config["ngrok_empty_last_page"]:
        more = len(page) == limit       # a full last page still links to an (empty) next page
    base = base_url(req)
    nxt = f"{base}/{coll}?before_id={page[-1]['id']}&limit={limit}" if more and page else None
    return json_response(200, {LIST_KEYS[coll]: [render(r) for r in page], "uri": f"{base}/{coll}",
                               "next_page_uri": nxt})


def check_id(coll, rid):
    prefix = PREFIXES[coll]
    if not rid.startswith(prefix):
        raise NgrokError(400, 227, f"Expected an ID with a prefix of `{prefix}`, got `{rid}`.")
