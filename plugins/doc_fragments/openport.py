# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # DOCUMENTATION: for modules (environment variables through the argument spec's fallbacks).
    # PLUGINS: for the inventory plugin, which reads the environment through `env:` entries.
    # Both describe the options of plugins/module_utils/connection.py; a unit test checks they agree.
    DOCUMENTATION = r"""
options:
  openport_token:
    description:
      - The Openport API token (a paying account's token from the Openport user zone).
      - If not set, the value of the E(OPENPORT_TOKEN) environment variable is used.
      - Openport takes the token in the query string; the collection masks it in every URL it shows.
    type: str
  openport_api_url:
    description:
      - Base URL of the Openport API v2.
      - If not set, the value of the E(OPENPORT_API_URL) environment variable is used, and then
        V(https://api.openport.io/api/v2).
      - Point it at a proxy, a gateway or the collection's emulator.
    type: str
"""

    PLUGINS = r"""
options:
  openport_token:
    description:
      - The Openport API token (a paying account's token from the Openport user zone).
      - Openport takes the token in the query string; the collection masks it in every URL it shows.
      - May be a template in the inventory source, for example a lookup of a secret store.
    type: str
    env:
      - name: OPENPORT_TOKEN
  openport_api_url:
    description:
      - Base URL of the Openport API v2; if not set, V(https://api.openport.io/api/v2).
      - Point it at a proxy, a gateway or the collection's emulator.
    type: str
    env:
      - name: OPENPORT_API_URL
"""
