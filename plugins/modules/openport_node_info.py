#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: openport_node_info
short_description: List Openport's server nodes
version_added: 0.1.0
description:
  - Returns the server nodes that Openport sessions run on, as the Openport API lists them.
  - The token is sent with the request even though the public API may not need it.
extends_documentation_fragment:
  - tunnelops.tunnels.openport
  - tunnelops.tunnels.ngrok
  - tunnelops.tunnels.pinggy
  - tunnelops.tunnels.common
  - ansible.builtin.action_common_attributes
  - tunnelops.tunnels.attributes.info_module
options:
  name:
    description: Only the nodes with one of these names.
    type: list
    elements: str
author:
  - tunnelops contributors (@tunnelops)
"""

EXAMPLES = r"""
- name: The server nodes
  tunnelops.tunnels.openport_node_info:
  register: nodes

- name: The DNS names of the active nodes
  ansible.builtin.debug:
    msg: "{{ nodes.nodes | selectattr('status', 'equalto', 'active') | map(attribute='public_dns_name') | list }}"
"""

RETURN = r"""
nodes:
  description: The server nodes, as the Openport API lists them.
  returned: success
  type: list
  elements: dict
  contains:
    name:
      description: The node's name.
      type: str
      sample: singapore
    public_ip:
      description: The node's public IP address.
      type: str
      sample: 128.199.116.155
    status:
      description: The node's status.
      type: str
      sample: active
    public_dns_name:
      description: The node's DNS name (the C(server) of its sessions).
      type: str
      sample: spr.openport.io
"""

from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport import node_info
from ansible_collections.tunnelops.tunnels.plugins.module_utils.module_base import TunnelModule


def main():
    tm = TunnelModule(dict(name=dict(type="list", elements="str")), providers=("openport",))
    tm.run(node_info.run)


if __name__ == "__main__":
    main()
