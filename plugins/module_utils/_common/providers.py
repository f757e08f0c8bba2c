# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The providers the collection knows, in the order every result lists them."""

from __future__ import annotations

PROVIDERS = ("openport", "ngrok", "pinggy")
