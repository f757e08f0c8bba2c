# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: key_provision_lists
short_description: Check a key_provision key list whole and split it per provider
version_added: 0.1.0
description:
  - Takes the key list of the C(tunnelops.tunnels.key_provision) role and returns, per provider, the items for
    M(tunnelops.tunnels.openport_keys) and M(tunnelops.tunnels.ngrok_ssh_credentials), with every problem of the
    list.
  - The list is checked whole, every provider's part of every entry, with the checks those modules make, so that
    a list one of them would refuse is refused before anything is sent to either provider. Each problem names the
    entry and the field the user wrote, for example C(key_provision_keys[1].ngrok_acl).
  - Runs on the controller and sends no request. The role uses it; it can also check a list ahead of a run.
author:
  - tunnelops contributors (@tunnelops)
options:
  _input:
    description: The keys, as O(tunnelops.tunnels.key_provision#role:main:key_provision_keys) takes them.
    type: list
    elements: dict
    required: true
  providers:
    description: The providers the run converges; only these are checked for an exclusive list that keeps no key.
    type: list
    elements: str
    default: [openport, ngrok]
  openport_exclusive:
    description: Whether the run removes the Openport keys the list does not give to Openport.
    type: bool
    default: false
  ngrok_exclusive:
    description: Whether the run removes the ngrok SSH credentials the list does not give to ngrok.
    type: bool
    default: false
  allow_empty_exclusive:
    description: Whether an exclusive run may keep no key at a provider (which removes every key there).
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Check a key list before a maintenance window
  ansible.builtin.assert:
    that: checked.problems | length == 0
    fail_msg: "{{ checked.problems | join('; ') }}"
  vars:
    checked: "{{ keys | tunnelops.tunnels.key_provision_lists }}"
    keys:
      - name: web-1
        public_key: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA6gUN41hE+0DdvLHT7LubqEMRv9BuT6C0MfkUHOZnPv web-1
      - name: deploy-bot
        public_key: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPIAvoJupcvsn3Dw4yMjh57y8lN/cBNNUlyeolI22vSn deploy-bot
        providers: [ngrok]
        ngrok_acl: ["bind:*.example.com"]
"""

RETURN = r"""
_value:
  description: The items per provider, the entry each came from, and the problems.
  type: dict
  contains:
    openport:
      description: The items for O(tunnelops.tunnels.openport_keys#module:keys).
      type: list
      elements: dict
    ngrok:
      description: The items for O(tunnelops.tunnels.ngrok_ssh_credentials#module:credentials).
      type: list
      elements: dict
    entries:
      description:
        - Per provider, the index in the input of the entry each item came from, to name the entry when a module
          refuses an item.
      type: dict
    problems:
      description: Every problem of the list, each naming the entry and field; empty when the list can be used.
      type: list
      elements: str
"""

from ansible_collections.tunnelops.tunnels.plugins.plugin_utils.key_provision import key_lists


class FilterModule:
    def filters(self):
        return {"key_provision_lists": key_lists}
