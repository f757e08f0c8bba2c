# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The credentials every inventory unit test runs with (from the environment, as AWX gives them)."""

from __future__ import annotations

import pytest

TOKEN = "op-unit-token-0001"
NGROK_KEY = "ngrok-unit-key-0002"
PINGGY_KEY = "pinggy-unit-key-0003"


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setenv("OPENPORT_TOKEN", TOKEN)
    monkeypatch.setenv("NGROK_API_KEY", NGROK_KEY)
    monkeypatch.setenv("PINGGY_API_KEY", PINGGY_KEY)
    for name in ("OPENPORT_API_URL", "NGROK_API_BASE_URL", "NGROK_API_URL", "PINGGY_API_URL"):
        monkeypatch.delenv(name, raising=False)
