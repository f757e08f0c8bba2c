#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: openport_key
short_description: Manage one SSH key of an Openport account
version_added: 0.1.0
description:
  - Registers an SSH public key with an Openport account under a name, renames it, or removes it.
  - A key is identified by its public key, compared by key type and base64 data; the comment and any
    C(authorized_keys) options are ignored. O(name) is a label, changed in place when it differs.
  - The account's keys are listed once per run; a write is sent only when something differs.
  - The public key is validated before any request (known type, valid base64, inner type equal to the outer one,
    readable key size), and the error says what is wrong with it.
  - To manage many keys, use M(tunnelops.tunnels.openport_keys), which lists the account once for all of them.
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
    details: Nothing is written; RV(key) shows the key as it would be.
  diff_mode:
    support: full
    details: Shows the key's id, name and public key before and after (and any key replaced because of O(replace_conflicting_name)).
options:
  public_key:
    description:
      - The OpenSSH public key, one line as in a C(.pub) file (C(ssh-ed25519 AAAA... comment)).
      - Required with O(state=present). With O(state=absent), the key to remove; when it is given, O(name) is not
        used to find the key.
      - The key is sent as C(type data comment); C(authorized_keys) options in front of it are dropped.
      - An empty value (V(""), for example the lookup of an empty C(.pub) file) is an error, not a key left out.
    type: str
  name:
    description:
      - The key's name in the account, shown in the Openport user zone and in link clicks.
      - Required with O(state=present). Surrounding spaces are removed, as Openport does.
      - At most 255 characters, on one line (no control characters). Openport documents no limit; this one is the
        collection's, checked before any request so that a mistaken value (a whole file, say) is never sent.
      - With O(state=absent) and no O(public_key), the key with this name is removed. When several keys have
        the name (a server that does not keep names unique), the module fails and lists them rather than guess.
    type: str
  state:
    description:
      - V(present) registers the key (or renames it when it exists under another name); V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
  replace_conflicting_name:
    description:
      - What to do when O(name) is already the name of another key of the account.
      - V(false) fails, naming the key that holds the name, and changes nothing.
      - V(true) deletes the key that holds the name, then creates (or renames) this key with it. This suits a
        machine whose key was regenerated. The deletion comes first because Openport keeps names unique; if the
        create is then refused, the failure lists the deleted key (its public key and name) so it can be restored.
    type: bool
    default: false
notes:
  - A public key belongs to one Openport account. When another account holds it, Openport refuses it and the
    module fails with an error naming O(public_key).
  - When Openport refuses to create the key because this account holds it after all (another run registered it
    between this run's listing and its create), the module lists the account again and converges on that key,
    renaming it when its name differs; it fails only when the account still does not hold the key.
seealso:
  - module: tunnelops.tunnels.openport_keys
  - module: tunnelops.tunnels.openport_key_info
author:
  - tunnelops contributors (@tunnelops)
"""

EXAMPLES = r"""
- name: Register the deploy key of this host
  tunnelops.tunnels.openport_key:
    public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKp90n2MjYJqlSWICdbyZbJ7YYmz+ovher++L8Etsi1e deploy@web-1"
    name: web-1
  register: web1_key

- name: Rename it (the public key identifies the key)
  tunnelops.tunnels.openport_key:
    public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKp90n2MjYJqlSWICdbyZbJ7YYmz+ovher++L8Etsi1e deploy@web-1"
    name: web-1.example.org

- name: A regenerated key takes over the name of the old one (which is deleted)
  tunnelops.tunnels.openport_key:
    public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIgAswxZ+Ee2+8EWvRT/kjgGvwfcS7NSdvKRlS/h7zVB deploy@web-1"
    name: web-1.example.org
    replace_conflicting_name: true

- name: Remove a key by its name
  tunnelops.tunnels.openport_key:
    name: web-1.example.org
    state: absent

"""

RETURN = r"""
key:
  description:
    - The key as the Openport API shows it (after the change). Empty when O(state=absent) and the key did not exist;
      the removed key when it was removed.
    - In check mode, the key as it would be (only RV(key.name) and RV(key.public_key) for a key to create).
  returned: always
  type: dict
  contains:
    url:
      description: The key's API URL.
      type: str
      sample: "http://127.0.0.1:36337/openport/api/v2/keys/15381/"
    id:
      description: The key's id.
      type: int
      sample: 15381
    name:
      description: The key's name.
      type: str
      sample: web-1
    public_key:
      description: The public key as registered.
      type: str
      sample: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKp90n2MjYJqlSWICdbyZbJ7YYmz+ovher++L8Etsi1e deploy@web1"
    last_connection_time:
      description: When the key last opened a session (ISO 8601); null if never.
      type: str
      sample: null
    creation_time:
      description: When the key was registered (ISO 8601).
      type: str
      sample: "2026-11-25T09:49:39.234753+01:00"
    redirect_token:
      description: The token of the key's fixed redirect URL.
      type: str
      sample: TRVcMEu
    bytes_this_month:
      description: Traffic this month.
      type: int
      sample: 0
    counter_reset_time:
      description: When RV(key.bytes_this_month) is reset.
      type: str
      sample: "2026-11-13T09:48:32.261628+01:00"
replaced_keys:
  description: The keys deleted because they held O(name) (see O(replace_conflicting_name)), as the API showed them.
  returned: always
  type: list
  elements: dict
  sample: []
"""

from ansible_collections.tunnelops.tunnels.plugins.module_utils.module_base import TunnelModule
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport import key


def main():
    tm = TunnelModule(
        dict(
            public_key=dict(type="str", no_log=False),
            name=dict(type="str"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            replace_conflicting_name=dict(type="bool", default=False),
        ),
        providers=("openport",),
        required_if=[("state", "present", ("public_key", "name"))],
        required_one_of=[("public_key", "name")],
    )
    tm.run(key.run)


if __name__ == "__main__":
    main()
