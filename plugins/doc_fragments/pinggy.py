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
  pinggy_api_key:
    description:
      - A Pinggy Pro API key, created at U(https://dashboard.pinggy.io/api-keys), sent as a bearer token.
      - If not set, the value of the E(PINGGY_API_KEY) environment variable is used.
    type: str
  pinggy_api_url:
    description:
      - Base URL of the Pinggy API.
      - If not set, the value of the E(PINGGY_API_URL) environment variable is used, and then
        V(https://dashboard.pinggy.io/backend/api/v1).
    type: str
"""

    PLUGINS = r"""
options:
  pinggy_api_key:
    description:
      - A Pinggy Pro API key, created at U(https://dashboard.pinggy.io/api-keys), sent as a bearer token.
      - May be a template in the inventory source, for example a lookup of a secret store.
    type: str
    env:
      - name: PINGGY_API_KEY
  pinggy_api_url:
    description:
      - Base URL of the Pinggy API; if not set, V(https://dashboard.pinggy.io/backend/api/v1).
    type: str
    env:
      - name: PINGGY_API_URL
"""
