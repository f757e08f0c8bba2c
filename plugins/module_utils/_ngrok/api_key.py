# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ngrok_api_key module: API keys are token-carrying resources like authtokens, without an ACL."""

from __future__ import annotations

from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok.credential import TokenResource
from ansible_collections.tunnelops.tunnels.plugins.module_utils._state.machine import ensure


class ApiKeyResource(TokenResource):
    collection = "api_keys"
    label = "API key"
    result_key = "api_key"
    fields = ("description", "metadata")


def run(tm):
    return ensure(ApiKeyResource(tm))
