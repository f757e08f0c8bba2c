"""Openport API v2 (api.openport.io/api/v2): a Django REST Framework service.

DRF conventions throughout: LimitOffset pagination with absolute, alphabetically
sorted next/previous links; `{"detail": ...}` and `{"field": [...]}` errors;
trailing slashes (APPEND_SLASH redirects the bare path); token in `?token=`.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlencode

from . import factories
from .common import empty_response, fmt_openport, html_response, json_response, Response, utcnow
from .sshkeys import SshKeyError, parse_key

BASE = "/openport/api/v2"
SITE = "/openport"        # the host root (api.openport.io): open-for-IP links, redirects, the v1 client API
DEFAULT_LIMIT = 100
ROUTES = [
    (re.compile(r"^/sessions/$"), "sessions", ("GET",)),
    (re.compile(r"^/keys/$"), "keys", ("GET", "POST")),
    (re.compile(r"^/keys/(?P<id>[^/]+)/$"), "key", ("GET", "PUT", "PATCH", "DELETE")),
    (re.compile(r"^/openforiplinkclicks/$"), "clicks", ("GET",)),
    (re.compile(r"^/nodes/$"), "nodes", ("GET",)),
]
DJANGO_404 = ("<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n"
              "  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n")


def _detail(status, text, headers=None):
    return json_response(status, {"detail": text}, headers)


def _route(sub):
    for rx, name, methods in ROUTES:
        m = rx.match(sub)
        if m:
            return name, methods, m.groupdict()
    return None, (), {}


def handle(core, req) -> Response:
    name, methods, args = _route(req.subpath)
    if name is None:
        # Django's APPEND_SLASH: a known route without its slash is redirected (query kept).
        if not req.subpath.endswith("/") and _route(req.subpath + "/")[0]:
            target = req.path + "/" + ("?" + req.query if req.query else "")
            return Response(301, b"", [("Location", target)], content_type="text/html; charset=utf-8")
        return html_response(404, DJANGO_404)
    cfg = core.config
    if name != "nodes" or cfg["openport_nodes_require_token"]:
        denied = _authenticate(core, req)
        if denied:
            return denied
    method = "GET" if req.method == "HEAD" else req.method
    if method not in methods:
        allow = ", ".join(methods + ("HEAD", "OPTIONS"))
        return _detail(405, f'Method "{req.method}" not allowed.', [("Allow", allow)])
    return VIEWS[name](core, req, method, **args)


def _authenticate(core, req):
    token = req.param("token")
    status = core.config["openport_auth_status"]
    # DRF only sends WWW-Authenticate with a 401 (with 403 the class has no auth header)
    headers = [("WWW-Authenticate", "Token")] if status == 401 else []
    if token is None:
        return _detail(status, "Authentication credentials were not provided.", headers)
    if token != core.creds["openport_token"]:
        return _detail(status, "Invalid token.", headers)
    return None


# --------------------------------------------------------------------------- pagination

def _positive_int(value, strict=False, cutoff=None):
    """DRF's pagination._positive_int: ValueError on junk, negatives and (strict) zero."""
    n = int(value)
    if n < 0 or (n == 0 and strict):
        raise ValueError(value)
    return min(n, cutoff) if cutoff else n


def _page_params(core, req):
    max_limit = core.config["openport_max_limit"]
    try:
        limit = _positive_int(req.param("limit"), strict=True, cutoff=max_limit)
    except (TypeError, ValueError):
        limit = min(DEFAULT_LIMIT, max_limit) if max_limit else DEFAULT_LIMIT
    try:
        offset = _positive_int(req.param("offset"))
    except (TypeError, ValueError):
        offset = 0
    return limit, offset


def _link(req, **changes):
    """DRF replace_query_param/remove_query_param: every other param kept, keys sorted."""
    query = parse_qs(req.query, keep_blank_values=True)
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = [str(value)]
    qs = urlencode(sorted(query.items()), doseq=True)
    return f"{req.origin}{req.path}" + ("?" + qs if qs else "")


def paginate(core, req, count, fetch, render):
    """Envelope {count, next, previous, results}; fetch(offset, limit) gives the records."""
    limit, offset = _page_params(core, req)
    rows = fetch(offset, limit) if count and offset <= count else []
    nxt = None if offset + limit >= count else _link(req, limit=limit, offset=offset + limit)
    if offset <= 0:
        prev = None
    elif offset - limit <= 0:
        prev = _link(req, limit=limit, offset=None)
    else:
        prev = _link(req, limit=limit, offset=offset - limit)
    return json_response(200, {"count": count, "next": nxt, "previous": prev,
                               "results": [render(r) for r in rows]})


# --------------------------------------------------------------------------- renderers

def render_key(core, req, rec):
    z = core.config["openport_timestamp_z"]
    return {
        "url": f"{req.origin}{BASE}/keys/{rec['id']}/",
        "public_key": rec["public_key"],
        "name": rec["name"],
        "id": rec["id"],
        "last_connection_time": fmt_openport(rec["last_connection_time"], z),
        "creation_time": fmt_openport(rec["creation_time"], z),
        "redirect_token": rec["redirect_token"],
        "bytes_this_month": rec["bytes_this_month"],
        "counter_reset_time": fmt_openport(core.state.openport.counter_reset_time or rec["creation_time"], z),
    }


def render_session(core, req, rec):
    """Links on the API's own host, as in the docs' first sample; the link's secret unless switched off."""
    key = core.state.openport.keys.get(rec["key_id"])
    token = key["redirect_token"] if key else "xxxxxxxx"
    site = req.origin + SITE
    secret = rec.get("_secret", "") if core.config["openport_link_secret"] else ""
    return {
        "key": f"{req.origin}{BASE}/keys/{rec['key_id']}/",
        "port": rec["port"],
        "local_port": rec["local_port"],
        "server": rec["server"],
        "http_forwarding_address": rec["http_forwarding_address"],
        "open_port_for_ip_link": f"{site}/l/{rec['port']}/{secret}",
        "redirect_url": f"{site}/r/{token}/{rec['local_port']}",
    }


def render_click(core, rec):
    return {"port": rec["port"], "source_ip": rec["source_ip"],
            "timestamp": fmt_openport(rec["timestamp"], core.config["openport_timestamp_z"]),
            "key_name": rec["key_name"]}


# --------------------------------------------------------------------------- views

def _sessions(core, req, method):
    rows = core.state.openport.sessions
    return paginate(core, req, len(rows), lambda o, n: rows[o:o + n], lambda r: render_session(core, req, r))


def _clicks(core, req, method):
    """The docs' sample runs in ascending time; the order is UNCONFIRMED (openport-pinggy-api-notes.md §1.4),
    so `openport_clicks_order: desc` serves newest first, where new clicks arrive at the front."""
    rows = core.state.openport.ordered_clicks()
    if core.config["openport_clicks_order"] == "desc":
        def fetch(o, n):
            return rows[max(len(rows) - o - n, 0):len(rows) - o][::-1]
    else:
        def fetch(o, n):
            return rows[o:o + n]
    return paginate(core, req, len(rows), fetch, lambda r: render_click(core, r))


def _nodes(core, req, method):
    rows = core.state.openport.nodes
    return paginate(core, req, len(rows), lambda o, n: rows[o:o + n], dict)


def _keys(core, req, method):
    keys = core.state.openport.keys
    if method == "GET":
        return paginate(core, req, len(keys), keys.slice, lambda r: render_key(core, req, r))
    data, error = _body(req)
    if error:
        return error
    errors = _validate(core, data, None, partial=False)
    if errors:
        return json_response(400, errors)
    rec = factories.op_key(core.state, name=data["name"].strip(), public_key=data["public_key"].strip(),
                           creation_time=utcnow(), last_connection_time=None)
    return json_response(201, render_key(core, req, rec), [("Location", render_key(core, req, rec)["url"])])


def _key(core, req, method, id):
    o = core.state.openport
    rec = o.keys.get(int(id)) if id.isdigit() else None
    if rec is None:
        return _detail(404, "Not found.")
    if method == "GET":
        return json_response(200, render_key(core, req, rec))
    if method == "DELETE":
        o.keys.remove(rec["id"])
        o.pub_index.pop(rec["_ident"], None)
        core.machines.openport_key_deleted(rec["id"])       # its sessions end with it
        return empty_response(204)
    data, error = _body(req)
    if error:
        return error
    errors = _validate(core, data, rec, partial=method == "PATCH")
    if errors:
        return json_response(400, errors)
    if "name" in data:
        rec["name"] = data["name"].strip()
    return json_response(200, render_key(core, req, rec))


def _body(req):
    """DRF's JSON and form parsers; other media types are refused with 415."""
    ctype = req.content_type()
    if not req.body:
        return {}, None
    if ctype == "application/json":
        try:
            data = json.loads(req.body)
        except ValueError as exc:
            return None, _detail(400, f"JSON parse error - {exc}")
        if not isinstance(data, dict):
            return None, json_response(400, {"non_field_errors": ["Invalid data. Expected a dictionary, but got "
                                                                  f"{type(data).__name__}."]})
        return data, None
    if ctype in ("application/x-www-form-urlencoded", ""):
        return {k: v[-1] for k, v in parse_qs(req.body.decode(errors="replace")).items()}, None
    return None, _detail(415, f'Unsupported media type "{ctype}" in request.')


def _validate(core, data, rec, partial):
    """DRF ModelSerializer-like checks; returns {field: [messages]} (empty when valid)."""
    o = core.state.openport
    errors = {}
    for field in ("public_key", "name"):
        if field not in data:
            if not partial:
                errors[field] = ["This field is required."]
            continue
        value = data[field]
        if not isinstance(value, str):
            errors[field] = ["Not a valid string."]
        elif not value.strip():
            errors[field] = ["This field may not be blank."]
    if errors:
        return errors
    if "public_key" in data:
        try:
            ktype, b64, dummy = parse_key(data["public_key"])
        except SshKeyError as exc:
            errors["public_key"] = [f"Enter a valid SSH public key ({exc})."]
        else:
            owner = o.pub_index.get((ktype, b64))
            if rec is not None and owner != rec["id"]:
                errors["public_key"] = ["The public key of an existing key cannot be changed."]
            elif rec is None and owner is not None:
                errors["public_key"] = ["key with this public key already exists."]
    if "name" in data and core.config["openport_name_unique"]:
        name = data["name"].strip()
        if any(k["name"] == name and (rec is None or k["id"] != rec["id"]) for k in o.keys.items.values()):
            errors["name"] = ["key with this name already exists."]
    return errors


VIEWS = {"sessions": _sessions, "keys": _keys, "key": _key, "clicks": _clicks, "nodes": _nodes}
