# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The filter plugins' examples: they compute on the controller, so the emulator receives nothing."""

from __future__ import annotations

import os

from examples_lib import expect


def check_key_provision_lists(run, examples):
    run.reset()
    # the example is an assert on the filter's problems: the run passing is the list found without problem
    _got, folder = run.play("key_provision_lists", examples)
    with open(os.path.join(folder, "output.txt"), encoding="utf-8") as handle:
        output = handle.read()
    expect("TASK [Check a key list before a maintenance window]" in output and "skipping" not in output,
           "the check ran", output[-2000:])
    expect(run.ctl.requests() == [], "a filter sends no request", run.ctl.requests())


CHECKS = {("filter", "key_provision_lists"): check_key_provision_lists}
