#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ngrok_credential
short_description: Manage ngrok agent authtokens (tunnel credentials)
version_added: 0.1.0
description:
  - Creates, updates, rotates and deletes ngrok tunnel credentials (the authtokens ngrok agents log in with),
    through the ngrok API's C(/credentials) resource.
  - An authtoken is identified by O(id), or by its O(description), which must then be unique on the account.
    When several authtokens share the description the module fails and lists their ids.
  - B(The token is returned once), in RV(token), by the run that creates (or rotates) the authtoken. ngrok never
    shows it again, so this is the only chance to capture it. Register the result and store RV(token) in a vault
    in the same play. The module never prints or logs the token, and its action plugin hides the whole result
    from the output (as C(no_log) does) whenever a token is in it, while the registered variable keeps it.
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
    details: Nothing is written and no token is returned; the result shows the authtoken as it would be.
  diff_mode:
    support: full
    details: The authtoken's fields before and after, never its token.
options:
  state:
    description:
      - V(present) creates the authtoken when it does not exist and updates O(description), O(metadata) and
        O(acl) in place when they differ.
      - V(absent) deletes it. Deleting an authtoken disconnects every agent that uses it.
    type: str
    choices: [present, absent]
    default: present
  id:
    description:
      - The authtoken's id (C(cr_...)). ngrok chooses ids, so O(id) only names an existing authtoken.
      - When O(id) is given, O(description) is a value to set, not an identity.
    type: str
  description:
    description:
      - What the authtoken is for, at most 255 bytes. Without O(id) it identifies the authtoken and must be unique.
    type: str
  metadata:
    description:
      - Arbitrary data kept with the authtoken, at most 4096 bytes.
      - A dictionary is stored as canonical JSON (sorted keys, no spaces), so re-runs compare equal.
    type: raw
  acl:
    description:
      - Bind rules that restrict where agents with this authtoken may listen; each is V(*) or C(bind:<pattern>),
        for example V(bind:*.example.com) or V(bind:1.tcp.ngrok.io:20002). V([]) means no restriction.
      - The rules are compared as a set. Leave the option out to keep the current rules.
      - V([]) clears the rules. Whether ngrok clears them on V([]) is not confirmed; when the rules are still there
        afterwards, V(["*"]) (which ngrok documents as equal to no ACL) is sent, and RV(acl_notes) says so.
      - V(["*"]) means no restriction, like V([]); the two are compared as equal (RV(acl_notes) says so).
    type: list
    elements: str
  owner_id:
    description:
      - The user or bot user (C(usr_...), C(bot_...)) that owns the authtoken; defaults to the API key's owner.
      - ngrok cannot change the owner of an existing authtoken. When it differs the module fails, unless
        O(rotate=true), which creates a new authtoken with this owner and deletes the old one.
    type: str
  rotate:
    description:
      - Replace the authtoken by a new one with a new token; the new one keeps the old one's description, metadata,
        ACL and owner unless the task sets them. The new authtoken is created before the old one is deleted.
      - Every run with O(rotate=true) rotates (and reports a change); use it in a task that runs on purpose.
      - Agents still using the old token are disconnected when it is deleted.
    type: bool
    default: false
notes:
  - Use O(metadata) as a dictionary for structured data; a string is stored as it is.
  - "Set C(no_log: true) on any later task that uses the registered RV(token), for example to write it to a vault."
seealso:
  - module: tunnelops.tunnels.ngrok_api_key
  - module: tunnelops.tunnels.ngrok_info
author:
  - tunnelops contributors (@tunnelops)
"""

EXAMPLES = r"""
- name: Create an authtoken for the build agents (the token is returned only now)
  tunnelops.tunnels.ngrok_credential:
    description: build agents
    metadata:
      team: ci
    acl:
      - "bind:*.ci.example.com"
  register: build_token

# Keep the token where the ngrok agent reads it (or in a secret store: community.hashi_vault.vault_write).
- name: Make the ngrok agent's configuration folder on the machine that runs the playbook
  ansible.builtin.file:
    path: "{{ lookup('ansible.builtin.env', 'HOME') }}/.config/ngrok"
    state: directory
    mode: "0700"
  delegate_to: localhost

- name: Write the agent's configuration there with the token (readable by its owner only)
  ansible.builtin.copy:
    dest: "{{ lookup('ansible.builtin.env', 'HOME') }}/.config/ngrok/ngrok.yml"
    content: |
      version: "3"
      agent:
        authtoken: {{ build_token.token }}
    mode: "0600"
  delegate_to: localhost
  when: build_token.token is defined
  no_log: true

- name: Rotate it (new token, old one deleted; give rotated.token to the agents as above)
  tunnelops.tunnels.ngrok_credential:
    description: build agents
    rotate: true
  register: rotated

- name: Delete it
  tunnelops.tunnels.ngrok_credential:
    description: build agents
    state: absent
"""

RETURN = r"""
credential:
  description: The authtoken after the task (before it in check mode, as it would be); empty when absent.
    The token is never part of it.
  returned: always
  type: dict
  sample:
    acl:
    - bind:*.ci.example.com
    created_at: '2026-11-25T08:58:18Z'
    description: build agents
    id: cr_32EyRc6qb7B1slcHtJU0xGrTzhE
    metadata: '{"team":"ci"}'
    owner_id: usr_32EyPUqjvECVMt5RvO1omFmA0mE
    uri: http://127.0.0.1:41031/ngrok/credentials/cr_32EyRc6qb7B1slcHtJU0xGrTzhE
token:
  description:
    - The authtoken itself, returned only by the run that created or rotated it. ngrok never shows it again.
    - The task output hides the whole result when it is present; the registered variable holds it.
  returned: when the authtoken was created or rotated, not in check mode
  type: str
  sample: 3AbcDEfGhIjKlMnOpQrStUvWxYz_5xYzAbCdEfGhIjKlMnOpQr
rotated_from:
  description: The id of the authtoken that a rotation replaced and deleted.
  returned: when the authtoken was rotated
  type: str
  sample: cr_32EyRc6qb7B1slcHtJU0xGrTzhE
acl_notes:
  description:
    - What the module made of the ACL where it differs from what the task gave - V(["*"]) read as no restriction
      (equal to V([])), or V(["*"]) sent because V([]) left the rules in place.
  returned: when the task's ACL is V(["*"]), or V(["*"]) was sent to clear the rules
  type: list
  elements: str
  sample:
    - acl ['*'] means no restriction, the same as []; ngrok may show either, and the two are compared as equal
deleted_orphans:
  description:
    - Ids of the authtokens this run created whose create answer was lost (a dropped connection, a time-out, a server
      error after the authtoken was made), and with it their token, which ngrok shows only once. Each was found by its
      description, deleted, and the authtoken created once more (RV(credential) is that one).
  returned: when a create answer was lost and its authtoken deleted
  type: list
  elements: str
  sample: [cr_32EyRc6qb7B1slcHtJU0xGrTzhE]
"""

from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok import credential
from ansible_collections.tunnelops.tunnels.plugins.module_utils.module_base import TunnelModule


def main():
    tm = TunnelModule(credential.argument_spec(), providers=("ngrok",), required_one_of=[("id", "description")])
    tm.run(credential.run)


if __name__ == "__main__":
    main()
