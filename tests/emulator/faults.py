"""Fault rules (docs/dev/contracts.md): match requests, decide when a rule fires, build the fault.

A rule fires on the nth matching request (1-based; default 1), or with probability
`rate` on each match, at most `times` times (default 1; null = no limit). With
`apply: false` the request never reaches the provider; with `apply: true` it takes
effect first and the fault then replaces the response.
"""

from __future__ import annotations

import json
import random
import re

from . import factories
from .common import Response, json_response, op_id, utcnow

ACTIONS = ("status", "drop", "stall", "malformed", "html", "add_items", "bad_items")
# Actions that let the request through (the provider answers); bad_items then rewrites that answer.
PASS_THROUGH = ("add_items", "stall", "bad_items")
PROVIDERS = ("openport", "ngrok", "pinggy")
RULE_KEYS = {"provider", "method", "path", "nth", "rate", "times", "apply", "action", "status", "retry_after",
             "body", "raw", "content_type", "stall_seconds", "count", "items", "seed"}
READS = ("GET", "HEAD")
REASONS = {429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
           504: "Gateway Timeout"}


class Rule:
    def __init__(self, spec: dict, index: int):
        unknown = set(spec) - RULE_KEYS
        if unknown:
            raise ValueError(f"unknown rule fields {sorted(unknown)}")
        self.spec = dict(spec)
        self.provider = spec.get("provider")
        self.method = (spec.get("method") or "").upper() or None
        try:
            self.path = re.compile(spec["path"]) if spec.get("path") else None
        except re.error as exc:
            raise ValueError(f"path is not a valid regex: {exc}") from None
        self.action = spec.get("action", "status")
        self.nth = spec.get("nth")
        self.rate = spec.get("rate")
        self.times = spec.get("times", 1)
        self.apply = bool(spec.get("apply", False))
        self.matched = 0          # matching requests seen
        self.hits = 0             # times fired
        self._rng = random.Random(spec.get("seed", index))   # reproducible 'rate' draws
        if self.provider not in (None,) + PROVIDERS:
            raise ValueError(f"provider must be one of {list(PROVIDERS)} or null")
        if self.action not in ACTIONS:
            raise ValueError(f"action must be one of {list(ACTIONS)}")
        if self.nth is not None and self.rate is not None:
            raise ValueError("give either nth or rate, not both")
        if self.nth is not None and (not isinstance(self.nth, int) or self.nth < 1):
            raise ValueError("nth must be an integer >= 1")
        if self.rate is not None and not 0 <= self.rate <= 1:
            raise ValueError("rate must be between 0 and 1")
        if self.times is not None and (not isinstance(self.times, int) or self.times < 1):
            raise ValueError("times must be an integer >= 1 or null (no limit)")
        self._check_shapes(spec)

    def _check_shapes(self, spec):
        if spec.get("raw") is not None and not isinstance(spec["raw"], str):
            raise ValueError("raw must be a string (the exact body sent)")
        if spec.get("content_type") is not None and not isinstance(spec["content_type"], str):
            raise ValueError("content_type must be a string or null (no Content-Type header)")
        if spec.get("items") is not None and not isinstance(spec["items"], list):
            raise ValueError("items must be a JSON list")
        if self.action == "bad_items" and not self.apply and self.method not in READS:
            # it rewrites the provider's own answer, so the request always reaches the provider
            raise ValueError("bad_items rewrites the real answer: give method GET (or HEAD), or apply: true")

    def matches(self, provider, req) -> bool:
        return ((self.provider is None or self.provider == provider)
                and (self.method is None or self.method == req.method)
                and (self.path is None or self.path.search(req.path) is not None))

    def fires(self) -> bool:
        """Count a match and say whether the rule fires on it."""
        self.matched += 1
        if self.times is not None and self.hits >= self.times:
            return False
        if self.rate is not None:
            fire = self._rng.random() < self.rate
        else:
            fire = self.matched >= (self.nth or 1)
        if fire:
            self.hits += 1
        return fire

    def describe(self):
        return dict(self.spec, matched=self.matched, hits=self.hits)


class Faults:
    def __init__(self):
        self.rules: list[Rule] = []

    def add(self, specs):
        if not isinstance(specs, list):
            raise ValueError("'rules' must be a list")
        rules = []
        for spec in specs:
            if not isinstance(spec, dict):
                raise ValueError("each rule must be a JSON object")
            rules.append(Rule(spec, len(self.rules) + len(rules)))
        self.rules.extend(rules)      # all or nothing: one bad rule adds none
        return rules

    def clear(self):
        self.rules = []

    def pick(self, provider, req):
        """The first rule that fires for this request.

        Later matching rules still count the match; since a rule fires on any match
        at or after its nth, one that was pre-empted fires on its next match instead.
        """
        chosen = None
        for rule in self.rules:
            if not rule.matches(provider, req):
                continue
            if chosen is None:
                chosen = rule if rule.fires() else None
            else:
                rule.matched += 1
        return chosen


# --------------------------------------------------------------------------- fault responses

def status_response(provider, rule) -> Response:
    """`status` (default 503) with `body` (any JSON), or `raw` (the exact text, "" for an empty body) sent
    as `content_type` (default application/json; null for none), or else a provider-shaped error body."""
    status = int(rule.spec.get("status") or 503)
    headers = []
    if rule.spec.get("retry_after") is not None:
        headers.append(("Retry-After", str(rule.spec["retry_after"])))
    if rule.spec.get("raw") is not None:
        return Response(status, rule.spec["raw"].encode(), headers,
                        content_type=rule.spec.get("content_type", "application/json"))
    if rule.spec.get("body") is not None:
        return json_response(status, rule.spec["body"], headers)
    reason = REASONS.get(status, "Injected fault")
    if provider == "ngrok":
        body = {"status_code": status, "msg": reason, "details": {"operation_id": op_id()}}
        if status == 429:
            body = {"error_code": "ERR_NGROK_226", **body,
                    "msg": "Your account is rate limited to 120 API requests per 1m0s."}
        return json_response(status, body, headers)
    if provider == "pinggy":
        return json_response(status, {"error_type": "server_error", "errors": [reason]}, headers)
    return json_response(status, {"detail": reason}, headers)


def malformed_response(rule) -> Response:
    """Truncated JSON with a JSON content type, as a broken proxy or a cut-off body would give."""
    status = int(rule.spec.get("status") or 200)
    return Response(status, b'{"count": 3, "next": null, "results": [{"id": 1, "name": "trunc', [])


PORTAL = ("<!DOCTYPE html>\r\n<html>\r\n<head><title>Sign in to the network</title></head>\r\n<body>\r\n"
          "<h1>Sign in to continue</h1>\r\n<form method=\"post\" action=\"/login\"><input name=\"user\">"
          "<input type=\"password\" name=\"password\"><button>Sign in</button></form>\r\n</body>\r\n</html>\r\n")


def html_response(rule) -> Response:
    """An nginx error page (default 502), or with a 2xx/3xx status a captive portal's sign-in page: HTML
    that a client must not take for the API's answer."""
    status = int(rule.spec.get("status") or 502)
    if status < 400:
        return Response(status, PORTAL.encode(), [("Server", "nginx")], content_type="text/html")
    reason = REASONS.get(status, "Error")
    page = (f"<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}"
            "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
    return Response(status, page.encode(), [("Server", "nginx")], content_type="text/html")


# The list in each provider's list answers: Openport's DRF `results`, Pinggy's Spring `content` (or the bare
# session/active array), ngrok's per-collection key.
LIST_FIELDS = ("results", "content", "keys", "credentials", "ssh_credentials", "tunnel_sessions", "tunnels",
               "endpoints")


def bad_items_response(rule, resp) -> Response:
    """The provider's own answer with the items of its list replaced by `items` (default ["x"]): a list
    answer whose items are not records. Answers without a list (errors, single objects) pass unchanged."""
    items = rule.spec.get("items")
    items = ["x"] if items is None else items
    try:
        body = json.loads(resp.body)
    except ValueError:
        return resp
    if isinstance(body, list):
        body = list(items)
    elif isinstance(body, dict) and any(isinstance(body.get(k), list) for k in LIST_FIELDS):
        body = {k: (list(items) if k in LIST_FIELDS and isinstance(v, list) else v) for k, v in body.items()}
    else:
        return resp
    return json_response(resp.status, body, resp.headers)


def build_response(provider, rule, resp=None):
    """The answer a fault gives; `resp` is the provider's own answer (None unless the request went through)."""
    if rule.action == "status":
        return status_response(provider, rule)
    if rule.action == "malformed":
        return malformed_response(rule)
    if rule.action == "html":
        return html_response(rule)
    if rule.action == "bad_items":
        return bad_items_response(rule, resp)
    return resp


# --------------------------------------------------------------------------- add_items

ADDERS = [
    ("openport", re.compile(r"/keys/"), lambda st, i: factories.op_key(st, name=f"added-key-{st.openport.next_id}")),
    ("openport", re.compile(r"/sessions/"), lambda st, i: factories.op_session(st)),
    ("openport", re.compile(r"/openforiplinkclicks/"), lambda st, i: factories.op_click(st, timestamp=utcnow())),
    ("ngrok", re.compile(r"/api_keys"), lambda st, i: factories.ng_api_key(st, description=f"added {i}")),
    ("ngrok", re.compile(r"/ssh_credentials"), lambda st, i: factories.ng_ssh_credential(st, description=f"added {i}")),
    ("ngrok", re.compile(r"/credentials"), lambda st, i: factories.ng_credential(st, description=f"added {i}")),
    ("ngrok", re.compile(r"/tunnel_sessions"), lambda st, i: factories.ng_session(st, started_at=utcnow())),
    ("ngrok", re.compile(r"/tunnels"), lambda st, i: factories.ng_tunnel(st, started_at=utcnow())),
    ("ngrok", re.compile(r"/endpoints"), lambda st, i: factories.ng_cloud_endpoint(
        st, url=f"https://added-{st.ngrok.id_seq + 1}.example.com", traffic_policy="{}")),
    ("pinggy", re.compile(r"/session/active"), lambda st, i: factories.pg_active(st)),
    ("pinggy", re.compile(r"/session/history"), lambda st, i: factories.pg_history(st, start_time=utcnow())),
]


def add_items(state, provider, req, count):
    """Add `count` new objects to the collection the request's path targets."""
    for prov, rx, make in ADDERS:
        if prov == provider and rx.search(req.path):
            for i in range(count):
                make(state, i)
            return True
    return False
