#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ngrok_ssh_credential
short_description: Manage one ngrok SSH credential (an SSH public key agents log in with)
version_added: 0.1.0
description:
  - Registers, updates and removes one SSH public key at ngrok (the C(/ssh_credentials) resource), which lets
    C(ssh -R) tunnels log in without an agent.
  - The credential is identified by its public key (key type and key data; the comment and any C(authorized_keys)
    options are ignored), or by O(id).
  - O(description), O(metadata) and O(acl) are changed in place. ngrok cannot change the O(public_key) or the
    O(owner_id) of a credential; when the task asks for another one the module fails, unless O(replace=true).
  - To manage many keys at once (one listing, then only the writes needed), use
    M(tunnelops.tunnels.ngrok_ssh_credentials).
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
    details: Nothing is written and no token is returned; the result shows the credential as it would be.
  diff_mode:
    support: full
    details: The credential's fields before and after, never its token.
options:
  state:
    description:
      - V(present) registers the key when it is missing and updates its fields when they differ.
      - V(absent) removes the credential with this key (or O(id)).
    type: str
    choices: [present, absent]
    default: present
  public_key:
    description:
      - One OpenSSH public key line, C(<type> <base64 data> [comment]), as in a C(.pub) file. It is checked
        locally; the comment is sent along, C(authorized_keys) options are dropped.
      - Required with O(state=present) unless O(id) is given.
      - An empty value (for example a lookup of an empty C(.pub) file) is an error, not a key left out.
    type: str
  id:
    description:
      - The credential's id (C(sshcr_...)). With O(id), O(public_key) is the key the credential must have - with
        O(state=absent) a credential with another key is not deleted (the task fails), with O(state=present) it is
        replaced only with O(replace=true).
    type: str
  description:
    description: What the key is for, at most 255 bytes.
    type: str
  metadata:
    description:
      - Arbitrary data kept with the key, at most 4096 bytes.
      - A dictionary is stored as canonical JSON (sorted keys, no spaces), so re-runs compare equal.
    type: raw
  acl:
    description:
      - Bind rules, each V(*) or C(bind:<pattern>), for example V(bind:*.example.com). V([]) means no restriction.
        Compared as a set; leave the option out to keep the current rules.
      - V([]) clears the rules. Whether ngrok clears them on V([]) is not confirmed; when the rules are still there
        afterwards, V(["*"]) (which ngrok documents as equal to no ACL) is sent, and RV(acl_notes) says so.
      - V(["*"]) means no restriction, like V([]); the two are compared as equal (RV(acl_notes) says so).
    type: list
    elements: str
  owner_id:
    description:
      - The user or bot user (C(usr_...), C(bot_...)) that owns the credential; defaults to the API key's owner.
    type: str
  replace:
    description:
      - Allow replacing the credential when the task needs another O(public_key) (given with O(id)) or another
        O(owner_id), which ngrok cannot change in place.
      - For a new key, the new credential is created before the old one is deleted. For a new owner of the same
        key, the old credential is deleted first (ngrok refuses a key twice on one account), so there is a short
        moment without it.
    type: bool
    default: false
seealso:
  - module: tunnelops.tunnels.ngrok_ssh_credentials
  - module: tunnelops.tunnels.ngrok_info
author:
  - tunnelops contributors (@tunnelops)
"""

EXAMPLES = r"""
- name: Register the bastion's SSH key at ngrok
  tunnelops.tunnels.ngrok_ssh_credential:
    public_key: "{{ lookup('ansible.builtin.file', 'files/bastion.pub') }}"
    description: bastion
    metadata:
      host: bastion-1
    acl:
      - "bind:bastion.example.com"

- name: Put a new key on an existing credential (delete and recreate)
  tunnelops.tunnels.ngrok_ssh_credential:
    id: sshcr_2ZyxWVuTsRqPoNmLkJiHgFeDcBa
    public_key: "{{ lookup('ansible.builtin.file', 'files/bastion-2027.pub') }}"
    replace: true

- name: Remove the key
  tunnelops.tunnels.ngrok_ssh_credential:
    public_key: "{{ lookup('ansible.builtin.file', 'files/bastion.pub') }}"
    state: absent
"""

RETURN = r"""
ssh_credential:
  description:
    - The credential after the task (in check mode, as it would be); empty when absent.
    - C(fingerprint) is the key's SHA256 fingerprint, computed locally.
  returned: always
  type: dict
  sample:
    acl:
    - bind:bastion.example.com
    created_at: '2026-11-25T08:58:22Z'
    description: bastion
    fingerprint: SHA256:nScZdYfXOZrN4brtICfuJXjgbYH3vZHYlEOEAseWjiw
    id: sshcr_32EyRureNBgx7BDLHsdkxFrranm
    metadata: '{"host":"bastion-1"}'
    owner_id: usr_32EyPUqjvECVMt5RvO1omFmA0mE
    public_key: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEHtATJgF1RonfGRDKDwBn+G13NqTGMLSx3wVwNDwIo3 user1@example.com
    uri: http://127.0.0.1:41031/ngrok/ssh_credentials/sshcr_32EyRureNBgx7BDLHsdkxFrranm
replaced_id:
  description: The id of the credential that was deleted to replace it (O(replace=true)).
  returned: when the credential was replaced
  type: str
  sample: sshcr_32EyRureNBgx7BDLHsdkxFrranm
acl_notes:
  description:
    - What the module made of the ACL where it differs from what the task gave - V(["*"]) read as no restriction
      (equal to V([])), or V(["*"]) sent because V([]) left the rules in place.
  returned: when the task's ACL is V(["*"]), or V(["*"]) was sent to clear the rules
  type: list
  elements: str
  sample:
    - acl ['*'] means no restriction, the same as []; ngrok may show either, and the two are compared as equal
"""

from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok import ssh_credential
from ansible_collections.tunnelops.tunnels.plugins.module_utils.module_base import TunnelModule


def main():
    spec = dict(
        state=dict(type="str", default="present", choices=["present", "absent"]),
        public_key=dict(type="str"),
        id=dict(type="str"),
        description=dict(type="str"),
        metadata=dict(type="raw"),
        acl=dict(type="list", elements="str"),
        owner_id=dict(type="str"),
        replace=dict(type="bool", default=False),
    )
    tm = TunnelModule(spec, providers=("ngrok",), required_one_of=[("public_key", "id")])
    tm.run(ssh_credential.run)


if __name__ == "__main__":
    main()
