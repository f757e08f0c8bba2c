"""Control API under /_emulator (docs/dev/contracts.md): log, counters, state, faults, config, seeding.

JSON in and out; a bad request gets 400 {"error": "..."}.
"""

from __future__ import annotations

import json
import re

from . import machines_control, ngrok, ngrok_resources, ngrok_sessions, openport, pinggy, seed
from .common import json_response
from .config import DEFAULTS
from .machines import parse_specs

BASE = "/_emulator"


class ControlError(Exception):
    pass


def _body(req):
    if not req.body:
        return {}
    try:
        data = json.loads(req.body)
    except ValueError as exc:
        raise ControlError(f"body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ControlError("body must be a JSON object")
    return data


def handle(core, req, urls):
    sub = req.subpath.rstrip("/") or "/"
    try:
        route = ROUTES.get((req.method, sub))
        if route is None:
            m = re.match(r"^/seed/(?P<provider>[a-z]+)/(?P<coll>[a-z_]+)$", sub)
            if req.method == "POST" and m:
                return _seed(core, req, m["provider"], m["coll"])
            resp = machines_control.route(core, req, sub, _body)
            if resp is not None:
                return resp
            return json_response(404, {"error": f"unknown control endpoint {req.method} {sub}",
                                       "endpoints": sorted(f"{m} {p}" for m, p in ROUTES)})
        return route(core, req, urls)
    except (ControlError, ValueError, TypeError) as exc:
        return json_response(400, {"error": str(exc)})


def _index(core, req, urls):
    return json_response(200, {"urls": urls, "seed": core.state.seed_name})


def _requests(core, req, urls):
    since = int(req.param("since") or 0)
    return json_response(200, {"requests": core.log.snapshot(since)})


def _counters(core, req, urls):
    return json_response(200, core.log.counter_snapshot())


def _log_clear(core, req, urls):
    core.log.clear()
    return json_response(200, {"cleared": True})


def _secrets(core, req, urls):
    return json_response(200, {"secrets": core.secrets()})


def _reset(core, req, urls):
    data = _body(req)
    unknown = set(data) - {"seed", "scale", "config", "items", "machines"}
    if unknown:
        raise ControlError(f"unknown fields {sorted(unknown)}")
    seed_name = data.get("seed", "default")
    scale = seed.parse_scale(data.get("scale"))
    specs = parse_specs(data["machines"]) if "machines" in data else []
    # One call for what tests do all the time: a reset, settings (POST /config), raw items (POST /seed/...)
    # and machines (POST /machines, after the items so that their keys may be among them).
    ids = core.reset(seed_name, scale, data.get("config"), data.get("items"))
    body = {"seed": seed_name, "scale": scale, "config": dict(core.config), "ids": ids}
    if specs:
        body["machines"] = core.machines.start(specs)
    return json_response(200, body)


def _faults_get(core, req, urls):
    return json_response(200, {"rules": [r.describe() for r in core.faults.rules]})


def _faults_add(core, req, urls):
    rules = _body(req).get("rules")
    with core.lock:
        added = core.faults.add(rules)
    return json_response(200, {"added": len(added), "rules": [r.describe() for r in core.faults.rules]})


def _faults_clear(core, req, urls):
    with core.lock:
        core.faults.clear()
    return json_response(200, {"rules": []})


def _config_get(core, req, urls):
    return json_response(200, {"config": dict(core.config), "defaults": DEFAULTS})


def _config_set(core, req, urls):
    return json_response(200, {"config": core.configure(_body(req))})


def _seed(core, req, provider, coll):
    items = _body(req).get("items")
    if not isinstance(items, list):
        raise ControlError("body must be {\"items\": [...]}")
    with core.lock:
        ids = seed.add_raw(core.state, provider, coll, items)
    return json_response(200, {"added": len(ids), "ids": ids})


def _state(core, req, urls):
    """Everything as the APIs would show it, plus secrets and internal flags (tests only)."""
    with core.lock:
        st = core.state
        o, n, p = st.openport, st.ngrok, st.pinggy
        ngrok_sessions.expire_leaving(core)
        nbase = req.origin + ngrok.BASE

        def op_keys(coll):
            return [dict(openport.render_key(core, req, r), _account=r["_account"]) for r in coll.values()]

        def ng_items(coll):
            out = []
            for rec in n.collection(coll).values():
                item = ngrok_resources.render(coll, nbase, rec, with_token=True)
                item.update({k: v for k, v in rec.items() if k.startswith("_") and k != "_ident"})
                if coll == "tunnel_sessions":
                    item["_leaving"] = rec["id"] in n.leaving    # stopped, still listed until its agent is gone
                out.append(item)
            return out

        body = {
            "seed": st.seed_name,
            "openport": {
                "keys": op_keys(o.keys), "foreign_keys": op_keys(o.foreign_keys),
                "sessions": [openport.render_session(core, req, r) for r in o.sessions],
                "openforiplinkclicks": [openport.render_click(core, r) for r in o.ordered_clicks()],
                "nodes": [dict(r) for r in o.nodes],
            },
            "ngrok": dict({c: ng_items(c) for c in n.COLLECTIONS}, owner_id=n.owner_id,
                          foreign_ssh_keys=list(n.foreign_ssh.values())),
            "pinggy": {"active": [pinggy.render_active(r) for r in p.active],
                       "history": [pinggy.render_history(r) for r in p.ordered_history()]},
        }
    return json_response(200, body)


ROUTES = {
    ("GET", "/"): _index,
    ("GET", "/requests"): _requests,
    ("GET", "/counters"): _counters,
    ("POST", "/log/clear"): _log_clear,
    ("GET", "/state"): _state,
    ("GET", "/secrets"): _secrets,
    ("POST", "/reset"): _reset,
    ("GET", "/faults"): _faults_get,
    ("POST", "/faults"): _faults_add,
    ("DELETE", "/faults"): _faults_clear,
    ("GET", "/config"): _config_get,
    ("POST", "/config"): _config_set,
}
