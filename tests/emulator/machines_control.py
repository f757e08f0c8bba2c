"""Control API for the machines: /_emulator/machines, /_emulator/clock, Openport key settings.

    GET    /machines                      {"machines": [...], "clock": {"advanced_seconds"}}
    POST   /machines                      {"machines": [spec, ...]} -> {"machines": [the started ones]}
    DELETE /machines                      stop every machine -> {"stopped": [names]}
    GET    /machines/<name>               one machine
    DELETE /machines/<name>               stop it (its agent exits, its session ends)
    POST   /machines/<name>/move          Openport: the session restarts on another port
    GET    /clock, POST /clock            {"advance_seconds": n}: clicks and admissions get n seconds older
    GET    /openport/keys/<id>/settings, POST with {"ip_link_protection": false}
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from .common import json_response
from .machines import parse_specs

_MACHINE = re.compile(r"^/machines/(?P<name>[^/]+)(?P<move>/move)?$")
_KEY_SETTINGS = re.compile(r"^/openport/keys/(?P<id>[^/]+)/settings$")


def route(core, req, sub, read_body):
    """The response for a machines/clock/settings control request, or None when `sub` is none of them."""
    try:
        return _route(core, req, sub, read_body)
    except LookupError as exc:
        return json_response(404, {"error": str(exc).strip("'\"")})


def _route(core, req, sub, read_body):
    machines, method = core.machines, req.method
    if sub == "/machines":
        if method == "GET":
            return json_response(200, {"machines": machines.infos(), "clock": _clock(machines)})
        if method == "POST":
            started = machines.start(parse_specs(read_body(req).get("machines")))
            return json_response(200, {"machines": started})
        if method == "DELETE":
            return json_response(200, {"stopped": machines.stop_all()})
    m = _MACHINE.match(sub)
    if m:
        name = unquote(m["name"])
        if m["move"] and method == "POST":
            return json_response(200, machines.move(name))
        if not m["move"] and method == "GET":
            with core.lock:
                return json_response(200, machines.describe(machines.get(name)))
        if not m["move"] and method == "DELETE":
            return json_response(200, machines.stop(name))
    if sub == "/clock" and method in ("GET", "POST"):
        if method == "POST":
            machines.advance_clock(read_body(req).get("advance_seconds"))
        return json_response(200, _clock(machines))
    m = _KEY_SETTINGS.match(sub)
    if m and method in ("GET", "POST"):
        return json_response(200, machines.key_settings(m["id"], read_body(req) if method == "POST" else None))
    return None


def _clock(machines):
    return {"advanced_seconds": machines.advanced}
