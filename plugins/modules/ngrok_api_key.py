#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ngrok_api_key
short_description: Manage ngrok API keys
version_added: 0.1.0
description:
  - Creates, updates, rotates and deletes ngrok API keys through the ngrok API's C(/api_keys) resource.
  - An API key is identified by O(id), or by its O(description), which must then be unique on the account.
    When several API keys share the description the module fails and lists their ids.
  - B(The key's token is returned once), in RV(token), by the run that creates (or rotates) the key. ngrok never
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
    details: Nothing is written and no token is returned; the result shows the API key as it would be.
  diff_mode:
    support: full
    details: The API key's fields before and after, never its token.
options:
  state:
    description:
      - V(present) creates the API key when it does not exist and updates O(description) and O(metadata) in place.
      - V(absent) deletes it. Deleting the key that O(ngrok_api_key) holds locks this task's own access out.
    type: str
    choices: [present, absent]
    default: present
  id:
    description:
      - The API key's id (C(ak_...)). ngrok chooses ids, so O(id) only names an existing key.
      - When O(id) is given, O(description) is a value to set, not an identity.
    type: str
  description:
    description:
      - What the key is for, at most 255 bytes. Without O(id) it identifies the key and must be unique.
    type: str
  metadata:
    description:
      - Arbitrary data kept with the key, at most 4096 bytes.
      - A dictionary is stored as canonical JSON (sorted keys, no spaces), so re-runs compare equal.
    type: raw
  owner_id:
    description:
      - The user or bot user (C(usr_...), C(bot_...)) that owns the key; defaults to the calling key's owner.
      - ngrok cannot change the owner of an existing key. When it differs the module fails, unless O(rotate=true),
        which creates a new key with this owner and deletes the old one.
    type: str
  rotate:
    description:
      - Replace the key by a new one with a new token; the new key keeps the old one's description, metadata and
        owner unless the task sets them. The new key is created before the old one is deleted.
      - Every run with O(rotate=true) rotates (and reports a change); use it in a task that runs on purpose.
    type: bool
    default: false
notes:
  - "Set C(no_log: true) on any later task that uses the registered RV(token)."
seealso:
  - module: tunnelops.tunnels.ngrok_credential
  - module: tunnelops.tunnels.ngrok_info
author:
  - tunnelops contributors (@tunnelops)
"""

EXAMPLES = r"""
- name: Create an API key for the monitoring job (the token is returned only now)
  tunnelops.tunnels.ngrok_api_key:
    description: monitoring
    metadata:
      owner: sre
  register: monitoring_key

- name: Rotate the key every quarter
  tunnelops.tunnels.ngrok_api_key:
    description: monitoring
    rotate: true
  register: monitoring_key

- name: Remove a key by id
  tunnelops.tunnels.ngrok_api_key:
    id: ak_2ZyxWVuTsRqPoNmLkJiHgFeDcBa
    state: absent
"""

RETURN = r"""
api_key:
  description: The API key after the task (before it in check mode, as it would be); empty when absent.
    The token is never part of it.
  returned: always
  type: dict
  sample:
    created_at: '2026-11-25T08:58:20Z'
    description: monitoring
    id: ak_32EyRpAVbIL0bT6V53XvNYhuH8d
    metadata: '{"owner":"sre"}'
    owner_id: usr_32EyPUqjvECVMt5RvO1omFmA0mE
    uri: http://127.0.0.1:41031/ngrok/api_keys/ak_32EyRpAVbIL0bT6V53XvNYhuH8d
token:
  description:
    - The API key's token, returned only by the run that created or rotated it. ngrok never shows it again.
    - The task output hides the whole result when it is present; the registered variable holds it.
  returned: when the key was created or rotated, not in check mode
  type: str
  sample: 3AbcDEfGhIjKlMnOpQrStUvWxYz_5xYzAbCdEfGhIjKlMnOpQr
rotated_from:
  description: The id of the key that a rotation replaced and deleted.
  returned: when the key was rotated
  type: str
  sample: ak_2ZyxWVuTsRqPoNmLkJiHgFeDcBa
deleted_orphans:
  description:
    - Ids of the API keys this run created whose create answer was lost (a dropped connection, a time-out, a server
      error after the API key was made), and with it their token, which ngrok shows only once. Each was found by its
      description, deleted, and the API key created once more (RV(api_key) is that one).
  returned: when a create answer was lost and its API key deleted
  type: list
  elements: str
  sample: [ak_32EyRc6qb7B1slcHtJU0xGrTzhE]
"""

from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok import api_key
from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok.credential import argument_spec
from ansible_collections.tunnelops.tunnels.plugins.module_utils.module_base import TunnelModule


def main():
    tm = TunnelModule(argument_spec(acl=False), providers=("ngrok",), required_one_of=[("id", "description")])
    tm.run(api_key.run)


if __name__ == "__main__":
    main()
