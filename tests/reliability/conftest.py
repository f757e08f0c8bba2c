# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Session fixtures of the reliability suite, and the tally line it prints last."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cases as C  # noqa: E402
import harness  # noqa: E402


@pytest.fixture(scope="session")
def workspace():
    ws = harness.Workspace()
    yield ws
    if not os.environ.get("RELIABILITY_KEEP"):
        ws.close()


@pytest.fixture(scope="session")
def seed_state():
    """The default seed's state, as every emulator of the suite starts with it."""
    return harness.seed_state()


@pytest.fixture(scope="session")
def outputs():
    """Every text the collection produced in the suite (stdout, stderr, files): searched for secrets."""
    return harness.OUTPUTS


def _cost(case):
    fault = case["fault"]
    persistent = case["id"].endswith("persistent")
    cost = 1.0
    if fault == "stall":
        cost += 6 if persistent else 2.5
    elif fault == "429ra":
        cost += 2 if persistent else 1
    elif persistent:
        cost += 1.5
    return cost


@pytest.fixture(scope="session")
def write_cases(seed_state):
    return C.write_cases(seed_state)


@pytest.fixture(scope="session")
def fault_records(workspace, write_cases):
    cases = C.read_cases() + write_cases
    return harness.run_case_chunks(workspace, cases, "faults", workers=4, cost=_cost)


def pytest_unconfigure(config):
    t = harness.TALLY
    counts = (t["faults"], t["secrets_searched"], t["secrets_found"], t["bad_inputs"], t["check_writes"], t["races"],
              t["hostile_inputs"])
    line = ("reliability tally: %d faults run, %d secrets searched, %d secrets found, %d bad inputs tried, "
            "%d writes seen in check mode, %d races run, %d hostile inputs tried" % counts)
    print("\n" + line, flush=True)
