# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The end-to-end suite's one fleet, shared by its tests (they run in file order, each a step of one story)."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fleet import Fleet  # noqa: E402


@pytest.fixture(scope="session")
def fleet():
    started = Fleet()
    try:
        yield started.start()
    finally:
        started.stop()
