# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only action: prepare the emulator before a case, and record what it holds after.

It runs on the controller and never executes a module, so a case costs one real
module task plus two cheap steps. ``setup`` resets, configures, seeds and arms
faults; ``snapshot`` writes the task's registered result together with the
emulator's state, request log and counters to ``<out_dir>/<case>.json``. That
file is test data (it holds the emulator's secrets) and is never printed: the
action returns nothing but ``changed: false``.
"""

from __future__ import annotations

import json
import os
import ssl
import time
import urllib.request

from ansible.plugins.action import ActionBase


_CA = {}


def _call(control, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(control.rstrip("/") + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    context = ssl.create_default_context(cafile=_CA["file"]) if _CA.get("file") else None
    with urllib.request.urlopen(req, timeout=60, context=context) as answer:
        return json.loads(answer.read().decode() or "null")


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        super().run(tmp, task_vars)
        args = self._task.args
        control = args["control"]
        _CA["file"] = args.get("ca_cert")
        if args.get("step") == "snapshot":
            # A stalled request finishes (and lands, and is logged) after the client gave up:
            # wait for it, so that it shows in this case and never in the next one.
            stalls = [r.get("stall_seconds", 30) for r in _call(control, "GET", "/faults")["rules"]
                      if r.get("action") == "stall" and r.get("hits")]
            if stalls:
                time.sleep(max(stalls))
            record = {
                "case": args["case"],
                "result": args.get("result"),
                "state": _call(control, "GET", "/state"),
                "requests": _call(control, "GET", "/requests")["requests"],
                "counters": _call(control, "GET", "/counters"),
                "faults": _call(control, "GET", "/faults"),
                "secrets": _call(control, "GET", "/secrets")["secrets"],
            }
            path = os.path.join(args["out_dir"], "%s.json" % args["case"])
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(record, handle, default=str)
            return {"changed": False}
        _call(control, "POST", "/reset", {"seed": args.get("seed") or "default", "scale": args.get("scale") or {}})
        if args.get("config"):
            _call(control, "POST", "/config", args["config"])
        for collection, items in (args.get("seed_items") or {}).items():
            _call(control, "POST", "/seed/%s" % collection, {"items": items})
        before = _call(control, "GET", "/state")
        path = os.path.join(args["out_dir"], "%s.before.json" % args["case"])
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(before, handle, default=str)
        _call(control, "POST", "/log/clear", {})
        if args.get("faults"):
            _call(control, "POST", "/faults", {"rules": args["faults"]})
        return {"changed": False}
