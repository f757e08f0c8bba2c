# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hides results that carry an API key's token (see the ngrok_credential action plugin)."""

from __future__ import annotations

from ansible_collections.tunnelops.tunnels.plugins.action.ngrok_credential import ActionModule as TokenAction


class ActionModule(TokenAction):
    pass
