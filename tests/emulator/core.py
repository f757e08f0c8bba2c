"""The emulator's core: state, settings, faults, log, and the per-request pipeline.

Pipeline for a provider request: latency -> fault rule -> provider handler (under
the state lock) -> fault replaces the response (apply: true) -> log and counters.
Sleeps (latency, stall) happen outside the lock so one slow request never blocks
the others.
"""

from __future__ import annotations

import random
import sys
import threading
import traceback

from . import faults as faults_mod
from . import ngrok, openport, pinggy, seed
from .common import json_response
from .config import DEFAULTS, validate
from .faults import Faults
from .machines import Machines
from .reqlog import RequestLog
from .state import State

HANDLERS = {"openport": openport.handle, "ngrok": ngrok.handle, "pinggy": pinggy.handle}
DEFAULT_CREDS = {"openport_token": "op-emulator-token", "ngrok_api_key": "ngrok-emulator-key",
                 "pinggy_api_key": "pinggy-emulator-key"}


class Core:
    def __init__(self, seed_name="default", scale=None, creds=None, config=None, verbose=False):
        self.creds = {**DEFAULT_CREDS, **{k: v for k, v in (creds or {}).items() if v}}
        # Settings given at start are what /reset goes back to.
        self.base_config = {**DEFAULTS, **validate(config or {})}
        self.lock = threading.RLock()
        self.log = RequestLog()
        self.faults = Faults()
        self.stop_event = threading.Event()
        self.verbose = verbose
        self._jitter = random.Random()
        self.machines = Machines(self)
        self.reset(seed_name, scale)

    def reset(self, seed_name="default", scale=None, config=None, items=None):
        """Back to the seed and the settings given at start, then `config` on top of them and the raw `items`
        ({"provider/collection": [item, ...]}, as POST /seed/<provider>/<collection> takes them) added.

        Returns the ids of the added items by collection. Nothing changes if anything is refused."""
        config = validate(config or {})
        if items is not None and not isinstance(items, dict):
            raise ValueError('items must be {"provider/collection": [item, ...]}')
        # Build outside the lock: a large scale seed takes seconds, requests keep the old world meanwhile.
        state = seed.build(State(seed_name), self.creds, seed_name, scale)
        ids = {}
        for name, added in (items or {}).items():
            provider, dummy, collection = name.partition("/")
            if not isinstance(added, list):
                raise ValueError(f"items[{name!r}] must be a list")
            ids[name] = seed.add_raw(state, provider, collection, added)
        with self.lock:
            self.machines.discard_all()     # a reset stops every machine (their sessions go with the state)
            self.state = state
            self.config = {**self.base_config, **config}
            self.faults.clear()
            self.ngrok_calls = {}
        self.log.clear()
        return ids

    def configure(self, changes):
        checked = validate(changes)
        with self.lock:
            self.config.update(checked)
            return dict(self.config)

    def secrets(self):
        with self.lock:
            return list(self.state.secrets)

    # ----------------------------------------------------------------------- pipeline

    def _sleep(self, seconds):
        if seconds > 0:
            self.stop_event.wait(seconds)      # returns at once when the emulator stops

    def _latency(self):
        cfg = self.config
        jitter = self._jitter.uniform(0, cfg["jitter_ms"]) if cfg["jitter_ms"] else 0
        return (cfg["latency_ms"] + jitter) / 1000.0

    def _process(self, provider, req, handler):
        try:
            with self.lock:
                return (handler or HANDLERS[provider])(self, req)
        except Exception as exc:   # an emulator bug must show up as such, not as a hung client
            traceback.print_exc(file=sys.stderr)
            return json_response(500, {"emulator_error": f"{type(exc).__name__}: {exc}"})

    def handle(self, provider, req, handler=None):
        """Run one provider request; returns a Response, or None to drop the connection.

        `handler` serves a request of that provider outside its API (Openport's links and v1 endpoints)."""
        self._sleep(self._latency())
        with self.lock:
            rule = self.faults.pick(provider, req)
            if rule is not None and rule.action == "add_items":
                faults_mod.add_items(self.state, provider, req, int(rule.spec.get("count") or 1))
        action = rule.action if rule else None
        stall = float(rule.spec.get("stall_seconds", 30)) if action == "stall" else 0
        resp = None
        if action is None or action in faults_mod.PASS_THROUGH or rule.apply:
            if action == "stall" and not rule.apply:
                self._sleep(stall)
            resp = self._process(provider, req, handler)
            if action == "stall" and rule.apply:
                self._sleep(stall)
        if action is not None:
            resp = None if action == "drop" else faults_mod.build_response(provider, rule, resp)
        entry = self.log.record(provider, req, resp.status if resp else None, action)
        if self.verbose:
            print(f"[emulator] #{entry['seq']} {provider} {req.method} {entry['path']} -> "
                  f"{entry['status'] or 'dropped'}{' fault=' + action if action else ''}", file=sys.stderr, flush=True)
        return resp
