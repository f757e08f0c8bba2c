# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ngrok_info module: the account's collections, walked side by side, secrets removed."""

from __future__ import annotations

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.masking import redact
from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok import fields, ssh_credential

RESOURCES = ["api_keys", "credentials", "ssh_credentials", "tunnel_sessions", "tunnels", "endpoints"]
DESCRIBED = ("api_keys", "credentials", "ssh_credentials")


def run(tm):
    lists = tm.client("ngrok").list_many(dict.fromkeys(tm.params["resources"]))
    description = tm.params.get("description")
    result = {"changed": False}
    for name, items in lists.items():
        if description is not None and name in DESCRIBED:
            items = [item for item in items if (item.get("description") or "") == description]
        if name == "ssh_credentials":
            result[name] = [ssh_credential.view(item) for item in items]
        elif name in DESCRIBED:
            result[name] = [fields.view(item) for item in items]
        else:
            result[name] = redact(items)
    return result
