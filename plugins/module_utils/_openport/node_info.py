# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The openport_node_info module: Openport's server nodes, filtered by name on the listing."""

from __future__ import annotations


def run(tm):
    names = set(tm.params["name"] or ())
    nodes = tm.client("openport").nodes.list()
    return {"changed": False, "nodes": [n for n in nodes if not names or n.get("name") in names]}
