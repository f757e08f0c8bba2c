#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ngrok_ssh_credentials
short_description: Manage many ngrok SSH credentials at once
version_added: 0.1.0
description:
  - Brings a list of SSH public keys to the state the task describes at ngrok, with one listing of the account and
    then only the writes needed (creates, updates of O(credentials[].description), O(credentials[].metadata) and
    O(credentials[].acl), deletes). A run where everything is in place sends no write.
  - Each item is identified by its public key (key type and data; comments and options ignored).
  - With O(exclusive=true), credentials of the account that the list does not name are deleted.
  - Every item is checked before the first request; all problems are reported together.
  - Writes go under the account's rate limit (see O(ngrok_rate_limit)), so a long list takes the time the limit
    allows rather than failing with HTTP 429.
extends_documentation_fragment:
  - tunnelops.tunnels.openport
  - tunnelops.tunnels.ngrok
  - tunnelops.tunnels.pinggy
  - tunnelops.tunnels.common
  - ansible.builtin.action_common_attributes
  - tunnelops.tunnels.attributes
attributes:
  check_mode:
    support: full
    details: Nothing is written; RV(created), RV(updated) and RV(removed) show what would be.
  diff_mode:
    support: full
    details: One line per credential of the account, C(fingerprint description), before and after.
options:
  credentials:
    description:
      - The SSH credentials.
      - An item listed twice is used once (the repeat is reported in RV(merged_duplicates)) when both want the same
        thing - the same key (its comment and options do not matter), O(credentials[].description),
        O(credentials[].metadata) (a dictionary and its JSON text compare equal), O(credentials[].acl) (in any order)
        and O(credentials[].state); two O(credentials[].state=absent) items of one key always agree. Repeats that
        differ are refused before any request.
    type: list
    elements: dict
    required: true
    suboptions:
      public_key:
        description: One OpenSSH public key line, C(<type> <base64 data> [comment]).
        type: str
        required: true
      description:
        description: What the key is for, at most 255 bytes. Left as it is when not given.
        type: str
      metadata:
        description:
          - Data kept with the key, at most 4096 bytes; a dictionary is stored as canonical JSON (sorted keys).
        type: raw
      acl:
        description:
          - Bind rules, each V(*) or C(bind:<pattern>), compared as a set. Left as they are when not given.
          - V([]) clears the rules; when ngrok keeps them after V([]), V(["*"]) (documented as equal to no ACL) is
            sent, and RV(acl_notes) says so. V(["*"]) means no restriction, like V([]), and the two compare equal.
        type: list
        elements: str
      state:
        description: V(absent) removes the credential with this key.
        type: str
        choices: [present, absent]
        default: present
  exclusive:
    description:
      - Delete every SSH credential of the account whose key is not in O(credentials).
    type: bool
    default: false
  allow_empty_exclusive:
    description:
      - With O(exclusive=true), a list that keeps no credential would delete them all; the module refuses that
        unless this is V(true).
    type: bool
    default: false
notes:
  - ngrok cannot change the key or the owner of a credential; this module never replaces one. Use
    M(tunnelops.tunnels.ngrok_ssh_credential) with O(tunnelops.tunnels.ngrok_ssh_credential#module:replace=true).
seealso:
  - module: tunnelops.tunnels.ngrok_ssh_credential
  - module: tunnelops.tunnels.ngrok_info
author:
  - tunnelops contributors (@tunnelops)
"""

EXAMPLES = r"""
- name: Exactly the team's keys, nothing else
  tunnelops.tunnels.ngrok_ssh_credentials:
    exclusive: true
    credentials:
      - public_key: "{{ lookup('ansible.builtin.file', 'keys/alice.pub') }}"
        description: alice
      - public_key: "{{ lookup('ansible.builtin.file', 'keys/bob.pub') }}"
        description: bob
        acl: ["bind:*.bob.example.com"]

- name: Retire one key, keep the rest as they are
  tunnelops.tunnels.ngrok_ssh_credentials:
    credentials:
      - public_key: "{{ lookup('ansible.builtin.file', 'keys/bob.pub') }}"
        state: absent
"""

RETURN = r"""
created:
  description: The credentials created (in check mode, as they would be).
  returned: always
  type: list
  elements: dict
  sample:
    - acl: []
      created_at: '2026-11-25T08:58:25Z'
      description: alice
      fingerprint: SHA256:3d4BBQ8/d/KDyqEy3zd4VwBent1Bal7/k4Z9+GqjVcE
      id: sshcr_32EySCWdjsiD4nPI1k0Ky2l6qh8
      metadata: ''
      owner_id: usr_32EyPUqjvECVMt5RvO1omFmA0mE
      public_key: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEtcVLLOf4tef4Nsu+h6yt4TF+BXQt9lHbpTuvJc4GUC user3@example.com
      uri: http://127.0.0.1:41031/ngrok/ssh_credentials/sshcr_32EySCWdjsiD4nPI1k0Ky2l6qh8
updated:
  description: The credentials updated, after the update.
  returned: always
  type: list
  elements: dict
removed:
  description: The credentials deleted, as they were.
  returned: always
  type: list
  elements: dict
unchanged:
  description: The listed credentials that were already as wanted.
  returned: always
  type: list
  elements: dict
counts:
  description: How many credentials were created, updated, removed and left unchanged.
  returned: always
  type: dict
  sample:
    created: 1
    removed: 0
    unchanged: 0
    updated: 0
merged_duplicates:
  description: The items that repeat an earlier item and were used once, as C(credentials[3] repeats credentials[1]).
  returned: always
  type: list
  elements: str
  sample: []
acl_notes:
  description:
    - What the module made of an item's ACL where it differs from what the item gave, each prefixed with the item -
      V(["*"]) read as no restriction (equal to V([])), or V(["*"]) sent because V([]) left the rules in place.
  returned: when an item's ACL is V(["*"]), or V(["*"]) was sent to clear the rules
  type: list
  elements: str
  sample:
    - "credentials[0]: acl ['*'] means no restriction, the same as []; ngrok may show either, and the two are compared as equal"
"""

from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok import ssh_credentials
from ansible_collections.tunnelops.tunnels.plugins.module_utils.module_base import TunnelModule


def main():
    spec = dict(
        credentials=dict(type="list", elements="dict", required=True, options=dict(
            public_key=dict(type="str", required=True),
            description=dict(type="str"),
            metadata=dict(type="raw"),
            acl=dict(type="list", elements="str"),
            state=dict(type="str", default="present", choices=["present", "absent"]),
        )),
        exclusive=dict(type="bool", default=False),
        allow_empty_exclusive=dict(type="bool", default=False),
    )
    tm = TunnelModule(spec, providers=("ngrok",))
    tm.run(ssh_credentials.run)


if __name__ == "__main__":
    main()
