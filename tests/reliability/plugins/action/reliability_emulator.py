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
import sys
import time

from ansible.plugins.action import ActionBase

# tests.support is imported from the collection root: tests/reliability/plugins/action/ is four levels below it.
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
if ROOT not in sys.path:
    sys.path.append(ROOT)
from tests.support.control import Control  # noqa: E402  pylint: disable=wrong-import-position


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        super().run(tmp, task_vars)
        args = self._task.args
        control = Control(args["control"], ca_cert=args.get("ca_cert"))
        if args.get("step") == "snapshot":
            # A stalled request finishes (and lands, and is logged) after the client gave up:
            # wait for it, so that it shows in this case and never in the next one.
            stalls = [r.get("stall_seconds", 30) for r in control.faults()
                      if r.get("action") == "stall" and r.get("hits")]
            if stalls:
                time.sleep(max(stalls))
            record = {
                "case": args["case"],
                "result": args.get("result"),
                "state": control.state(),
                "requests": control.requests(),
                "counters": control.counters(),
                "faults": {"rules": control.faults()},
                "secrets": control.secrets(),
            }
            path = os.path.join(args["out_dir"], "%s.json" % args["case"])
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(record, handle, default=str)
            return {"changed": False}
        control.reset(args.get("seed") or "default", args.get("scale"), args.get("config"), args.get("seed_items"))
        before = control.state()
        path = os.path.join(args["out_dir"], "%s.before.json" % args["case"])
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(before, handle, default=str)
        control.clear_log()
        if args.get("faults"):
            control.add_faults(args["faults"])
        return {"changed": False}
