#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: openport_keys
short_description: Manage many SSH keys of an Openport account at once
version_added: 0.1.0
description:
  - Converges the keys of an Openport account towards a list, listing the account once and then sending only the
    writes needed. Converging 1,000 keys costs the list pages (two for an account of 1,044 keys) plus one request
    per key that is created, renamed or removed; never one listing per key.
  - Keys are identified by their public key (type and base64 data; the comment is ignored); O(keys[].name) is a
    label changed in place.
  - Every key of the list is validated before any request, and every problem of every entry is reported at once
    (C(keys[0].public_key) and C(keys[0].name) alike). Two entries for the same public key with different settings,
    or two keys wanting the same name, are errors.
  - Writes go in order (removals, then renames, then creates) and in parallel inside each step.
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
    details: Nothing is written; the results list what would be created, renamed and removed.
  diff_mode:
    support: full
    details: The account's keys before and after, one line per key (fingerprint and name).
options:
  keys:
    description:
      - The keys wanted (or, with O(keys[].state=absent), not wanted).
      - An entry repeated identically is used once (and reported in RV(merged_duplicates)).
    type: list
    elements: dict
    required: true
    suboptions:
      public_key:
        description: The OpenSSH public key, one line as in a C(.pub) file.
        type: str
        required: true
      name:
        description:
          - The key's name. Required unless O(keys[].state=absent).
          - At most 255 characters, on one line; as in M(tunnelops.tunnels.openport_key), the limit is the
            collection's.
        type: str
      state:
        description: V(present) registers (or renames) the key; V(absent) removes it.
        type: str
        choices: [present, absent]
        default: present
  exclusive:
    description:
      - Remove every key of the account that O(keys) does not list.
      - In check mode, RV(removed) lists the keys that would be removed.
      - A list that keeps no key (empty, or only V(absent) entries) is refused, because it would remove every key
        of the account; set O(allow_empty_exclusive) to really do that.
    type: bool
    default: false
  allow_empty_exclusive:
    description: Allow O(exclusive) with a list that keeps no key, removing every key of the account.
    type: bool
    default: false
  replace_conflicting_name:
    description:
      - What to do when a wanted name is held by a key of the account that O(keys) does not list.
      - V(false) fails before any write, listing every conflict.
      - V(true) deletes the keys that hold the names (before the creates and renames that take them); they are
        listed in RV(replaced_keys) and RV(removed).
    type: bool
    default: false
notes:
  - A public key belongs to one Openport account; one that another account holds is refused by Openport, and the
    error names its entry (C(keys[3].public_key)). Writes made before a failure are listed in the failure.
  - A key that another run registered between this run's listing and its create is found by listing the account
    again, renamed if its name differs, and returned in RV(created).
seealso:
  - module: tunnelops.tunnels.openport_key
  - module: tunnelops.tunnels.openport_key_info
author:
  - tunnelops contributors (@tunnelops)
"""

EXAMPLES = r"""
- name: Register the fleet's keys (only the missing and renamed ones are written)
  tunnelops.tunnels.openport_keys:
    keys:
      - public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKp90n2MjYJqlSWICdbyZbJ7YYmz+ovher++L8Etsi1e deploy@web-1"
        name: web-1
      - public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMcwfV1W/NukHT72n5oo7ZyVkepQqWIV3+G5WGuwnMlm deploy@backup"
        name: backup-1
  register: fleet

- name: Summarise
  ansible.builtin.debug:
    msg: "created {{ fleet.counts.created }}, renamed {{ fleet.counts.updated }}, unchanged {{ fleet.counts.unchanged }}"

- name: Show which keys are not in the list (check mode removes nothing)
  tunnelops.tunnels.openport_keys:
    keys:
      - public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKp90n2MjYJqlSWICdbyZbJ7YYmz+ovher++L8Etsi1e deploy@web-1"
        name: web-1
    exclusive: true
  check_mode: true
  register: stale

- name: Remove one key and keep the others as they are
  tunnelops.tunnels.openport_keys:
    keys:
      - public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMcwfV1W/NukHT72n5oo7ZyVkepQqWIV3+G5WGuwnMlm deploy@backup"
        state: absent
"""

RETURN = r"""
created:
  description: The keys created, as the API answered (in check mode, the name and public key of each key to create).
  returned: always
  type: list
  elements: dict
  sample:
    - url: "http://127.0.0.1:36337/openport/api/v2/keys/15381/"
      public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKp90n2MjYJqlSWICdbyZbJ7YYmz+ovher++L8Etsi1e deploy@web1"
      name: "web-1"
      id: 15381
      last_connection_time: null
      creation_time: "2026-11-25T09:49:39.234753+01:00"
      redirect_token: "TRVcMEu"
      bytes_this_month: 0
      counter_reset_time: "2026-11-13T09:48:32.261628+01:00"
updated:
  description: The keys renamed, as the API answered (in check mode, the listed key with its new name).
  returned: always
  type: list
  elements: dict
  sample:
    - url: "http://127.0.0.1:36337/openport/api/v2/keys/15381/"
      public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKp90n2MjYJqlSWICdbyZbJ7YYmz+ovher++L8Etsi1e deploy@web1"
      name: "web-2"
      id: 15381
      last_connection_time: null
      creation_time: "2026-11-25T09:49:39.234753+01:00"
      redirect_token: "TRVcMEu"
      bytes_this_month: 0
      counter_reset_time: "2026-11-13T09:48:32.261628+01:00"
removed:
  description: The keys removed (or to be removed in check mode), as the API listed them.
  returned: always
  type: list
  elements: dict
  sample: []
unchanged:
  description: The keys of the list that were already as wanted, as the API listed them.
  returned: always
  type: list
  elements: dict
  sample:
    - url: "http://127.0.0.1:36337/openport/api/v2/keys/15382/"
      public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMcwfV1W/NukHT72n5oo7ZyVkepQqWIV3+G5WGuwnMlm deploy@backup"
      name: "backup-1"
      id: 15382
      last_connection_time: null
      creation_time: "2026-11-25T09:49:39.239895+01:00"
      redirect_token: "zkIRRhe"
      bytes_this_month: 0
      counter_reset_time: "2026-11-13T09:48:32.261628+01:00"
counts:
  description: How many keys were created, updated (renamed), removed and left unchanged.
  returned: always
  type: dict
  sample: {"created": 0, "updated": 1, "removed": 0, "unchanged": 1}
replaced_keys:
  description: The keys removed because they held a wanted name (see O(replace_conflicting_name)); also in RV(removed).
  returned: always
  type: list
  elements: dict
  sample: []
merged_duplicates:
  description: Entries of O(keys) that repeated an earlier entry identically and were used once.
  returned: always
  type: list
  elements: str
  sample: ["keys[1] repeats keys[0]"]
"""

from ansible_collections.tunnelops.tunnels.plugins.module_utils.module_base import TunnelModule
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport import keys


def main():
    tm = TunnelModule(
        dict(
            keys=dict(type="list", elements="dict", required=True, no_log=False, options=dict(
                public_key=dict(type="str", required=True, no_log=False),
                name=dict(type="str"),
                state=dict(type="str", choices=["present", "absent"], default="present"),
            )),
            exclusive=dict(type="bool", default=False),
            allow_empty_exclusive=dict(type="bool", default=False),
            replace_conflicting_name=dict(type="bool", default=False),
        ),
        providers=("openport",),
    )
    tm.run(keys.run)


if __name__ == "__main__":
    main()
