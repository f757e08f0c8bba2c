"""Openport's host outside the v2 API: the client (v1) endpoints, open-for-IP links and redirects.

Served under `<origin>/openport` (the emulator's stand-in for `https://api.openport.io`, whose
v2 API is `<origin>/openport/api/v2`; the docs' sessions sample puts the links on the API's host):

- `POST /api/v1/request-port`, `POST /api/v1/kill-session`: what the agent calls (form fields and
  the `PortResponse` JSON of openport-go src/openport.go; notes §1.7).
- `GET /l/<port>/<secret>`: the open-for-IP link (notes §1.6): admits the visitor's address to the
  session's port for 24 hours, logs the click in `/openforiplinkclicks/`, and answers a page that
  says the port "is now available" (what the vendor's tests assert).
- `GET /r/<redirect_token>/<local_port>`: the volatile-port redirect (notes §1.6, usage.rst
  "Volatile ports"), a 302 to the key's current session for that local port.

A session opened here listens on a real port (forward.py) and forwards to the caller's local
port on 127.0.0.1, as the agent's SSH reverse tunnel would.
"""

from __future__ import annotations

import hmac
import re
from datetime import timedelta
from urllib.parse import parse_qs

from . import factories
from .common import html_response, json_response, utcnow
from .openport import DJANGO_404, SITE
from .sshkeys import identity

LINK_VALIDITY = timedelta(hours=24)            # security_ip_link_protection.rst: "valid for 24 hours"
FORWARD_HOST = "127.0.0.1"
ACCOUNT_IDS = {"me": 1042, "other": 2077}
UNREGISTERED = ("This key is not linked to an account of this server. Register it (openport register-key, "
                "or POST /api/v2/keys/) and retry.")
_LINK = re.compile(r"^/l/(?P<port>\d+)/(?P<secret>[^/]*)/?$")
_REDIRECT = re.compile(r"^/r/(?P<token>[^/]+)/(?P<local_port>\d+)/?$")


def handle(core, req):
    sub = req.subpath
    view = V1.get(sub.rstrip("/"))
    if view is not None:
        if req.method != "POST":
            return json_response(405, {"error": f"Method {req.method} not allowed.", "fatal_error": True})
        return view(core, req)
    for rx, view in ((_LINK, _click), (_REDIRECT, _redirect)):
        m = rx.match(sub)
        if m:
            if req.method != "GET":
                return html_response(405, "<h1>Method Not Allowed</h1>\n", [("Allow", "GET")])
            return view(core, req, **m.groupdict())
    return html_response(404, DJANGO_404)


def _form(req):
    """The Go client's PostForm body (JSON bodies are not what the client sends, so they read as empty)."""
    return {k: v[-1] for k, v in parse_qs(req.body.decode(errors="replace")).items()}


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _flag(value, default):
    """`ip_link_protection`, `http_forward`, ...: 'true'/'false' in any case; absent keeps the default."""
    text = (value or "").strip().lower()
    return {"true": True, "false": False}.get(text, default)


def _v1_error(message, fatal):
    # Errors come back as {"error", "fatal_error"}; the client retries unless fatal_error (openport.go).
    return json_response(200, {"error": message, "fatal_error": fatal})


# --------------------------------------------------------------------------- sessions

def find_key(core, key_id):
    o = core.state.openport
    return o.keys.get(key_id) or o.foreign_keys.get(key_id)


def all_sessions(core):
    """This account's sessions, then those of keys registered at another account."""
    return core.state.openport.sessions + core.machines.foreign_sessions


def allows(core, rec, ip):
    """The forward's policy: protection off, or a click from that address within 24 hours."""
    with core.lock:
        if not rec["_protect"]:
            return True
        when = rec["_grants"].get(ip)
    return when is not None and utcnow() - when < LINK_VALIDITY


def open_session(core, key, local_port, request_port=None, protect=True, machine=None, target_host=FORWARD_HOST,
                 avoid_port=None):
    """A session of `key` with a live forward; `request_port` is honoured when that port is free."""
    machines = core.machines
    st = core.state
    rec = {"key_id": key["id"], "port": None, "local_port": local_port, "server": FORWARD_HOST,
           "http_forwarding_address": None, "_secret": factories.op_secret(st), "_token": factories.op_secret(st),
           "_id": machines.next_session_id(), "_protect": protect, "_grants": {}, "_account": key["_account"]}
    fwd = machines.open_forward("openport", rec["_id"], (target_host, local_port),
                                lambda ip: allows(core, rec, ip), port=request_port, avoid=avoid_port)
    rec["port"] = fwd.port
    (st.openport.sessions if key["_account"] == "me" else machines.foreign_sessions).append(rec)
    key["last_connection_time"] = utcnow()
    if machine is not None:
        machines.bind(machine, "openport", rec["_id"])
    return rec


def end_session(core, rec, retry):
    """Remove a session (this account's or a foreign one) and close its forward."""
    for rows in (core.state.openport.sessions, core.machines.foreign_sessions):
        for i, row in enumerate(rows):
            if row is rec:
                del rows[i]
                break
    if rec.get("_id") is not None:
        core.machines.session_ended("openport", rec["_id"], retry)


def end_key_sessions(core, key_id):
    """A deleted key's sessions end at once; their agents retry (and fail until the key is back)."""
    for rec in [r for r in all_sessions(core) if r["key_id"] == key_id]:
        end_session(core, rec, retry=True)


def link(core, rec, origin):
    return f"{origin}{SITE}/l/{rec['port']}/{rec.get('_secret', '')}"


def redirect_url(core, rec, origin):
    key = find_key(core, rec["key_id"])
    token = key["redirect_token"] if key else "xxxxxxxx"
    return f"{origin}{SITE}/r/{token}/{rec['local_port']}"


# --------------------------------------------------------------------------- v1 client endpoints

def request_port(core, req, machine=None, target_host=FORWARD_HOST, avoid_port=None):
    """POST /api/v1/request-port: a session for a registered key, else {"error", "fatal_error"}."""
    form = _form(req)
    ident = identity(form.get("public_key", ""))
    local_port = _int(form.get("local_port"), -1)
    if ident is None:
        return _v1_error("public_key is missing or is not an SSH public key.", fatal=True)
    if not 1 <= local_port <= 65535:
        return _v1_error("local_port must be a port number (1-65535).", fatal=True)
    if _flag(form.get("http_forward"), False) or _flag(form.get("forward_tunnel"), False):
        return _v1_error("http_forward and forward_tunnel sessions are not emulated.", fatal=True)
    o = core.state.openport
    key_id = o.pub_index.get(ident)
    key = find_key(core, key_id) if key_id is not None else None
    if key is None:
        return _v1_error(UNREGISTERED, fatal=False)
    token = form.get("restart_session_token") or ""
    for old in [r for r in all_sessions(core) if token and hmac.compare_digest(r.get("_token", ""), token)]:
        end_session(core, old, retry=False)            # the agent reconnects: its old session gives way
    protect = _flag(form.get("ip_link_protection"), key.get("_ip_link_protection", True))
    requested = _int(form.get("request_port"), -1)
    rec = open_session(core, key, local_port, requested if requested > 0 else None, protect, machine,
                       target_host, avoid_port)
    return json_response(200, port_response(core, rec, key, req.origin))


def port_response(core, rec, key, origin):
    """openport-go PortResponse: every field, zero values where the emulator has nothing to say."""
    return {
        "server_ip": rec["server"], "fallback_ssh_server_ip": "", "fallback_ssh_server_port": 0,
        "session_max_bytes": 0, "open_port_for_ip_link": link(core, rec, origin),
        "message": f"Now forwarding remote port {rec['server']}:{rec['port']} to localhost:{rec['local_port']}",
        "session_end_time": 0, "account_id": ACCOUNT_IDS[key["_account"]], "session_token": rec["_token"],
        "session_id": rec["_id"], "http_forward_address": "", "server_port": rec["port"], "key_id": key["id"],
        "error": "", "fatal_error": False,
    }


def kill_session(core, req):
    """POST /api/v1/kill-session (port, session_token) -> 200 (python_tests test_app.py)."""
    form = _form(req)
    port, token = _int(form.get("port")), form.get("session_token") or ""
    for rec in all_sessions(core):
        if rec["port"] == port and token and hmac.compare_digest(rec.get("_token", ""), token):
            end_session(core, rec, retry=False)
            return json_response(200, {"status": "ok"})
    return json_response(404, {"status": "error", "error": "No session with this port and session_token."})


V1 = {"/api/v1/request-port": request_port, "/api/v1/kill-session": kill_session}


# --------------------------------------------------------------------------- links

def _page(status, title, text):
    return html_response(status, f"<!doctype html>\n<html><head><title>{title}</title></head>\n"
                                 f"<body><h1>{title}</h1><p>{text}</p></body></html>\n")


def _click(core, req, port, secret):
    port = int(port)
    rec = next((r for r in all_sessions(core) if r["port"] == port and secret
                and hmac.compare_digest(r.get("_secret", ""), secret)), None)
    if rec is None:
        return _page(404, "Not Found", "This link is not valid: no active session has this port and secret.")
    ip, now = req.client_ip, utcnow()
    rec.setdefault("_grants", {})[ip] = now
    if rec.get("_account", "me") == "me":            # another account's clicks are in its own log
        key = find_key(core, rec["key_id"])
        factories.op_click(core.state, port=port, source_ip=ip, timestamp=now,
                           key_name=key["name"] if key else "unknown")
    return _page(200, "Openport", f"Port {rec['server']}:{port} is now available for your IP address {ip} "
                                  f"for {int(LINK_VALIDITY.total_seconds() // 3600)} hours.")


def _redirect(core, req, token, local_port):
    local_port = int(local_port)
    live = [r for r in all_sessions(core) if r["local_port"] == local_port
            and (find_key(core, r["key_id"]) or {}).get("redirect_token") == token]
    if not live:
        return _page(404, "Not Found", "No active session for this redirect link.")
    rec = live[-1]
    target = f"http://{rec['server']}:{rec['port']}/"
    return html_response(302, f'<a href="{target}">{target}</a>\n', [("Location", target)])


def session_info(core, rec, origin):
    """What GET /_emulator/machines shows of a machine's Openport session (secrets included: tests only)."""
    return {"session_id": rec["_id"], "port": rec["port"], "server": rec["server"], "key_id": rec["key_id"],
            "account": rec["_account"], "ip_link_protection": rec["_protect"],
            "open_port_for_ip_link": link(core, rec, origin), "redirect_url": redirect_url(core, rec, origin),
            "granted": sorted(rec["_grants"])}
