#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: openport_key_info
short_description: List the SSH keys of an Openport account
version_added: 0.1.0
description:
  - Returns every key of the account with every field the Openport API gives, optionally filtered.
  - The API filters nothing, so the account is listed once and the filters are applied to the listing.
extends_documentation_fragment:
  - tunnelops.tunnels.openport
  - tunnelops.tunnels.ngrok
  - tunnelops.tunnels.pinggy
  - tunnelops.tunnels.common
  - ansible.builtin.action_common_attributes
  - tunnelops.tunnels.attributes.info_module
options:
  name:
    description: Only keys with one of these names.
    type: list
    elements: str
  public_key:
    description:
      - Only the key with this OpenSSH public key (compared by type and base64 data; the comment is ignored).
      - It is validated like the public key of M(tunnelops.tunnels.openport_key).
    type: str
  last_connection_before:
    description:
      - Only keys whose last connection is earlier than this date (V(2026-01-31), midnight UTC) or ISO 8601
        timestamp (V(2026-01-31T08:00:00+01:00); without an offset, UTC).
      - Keys that never connected have no last connection and are left out by this filter and by
        O(last_connection_after).
    type: str
  last_connection_after:
    description: Only keys whose last connection is at or after this date or ISO 8601 timestamp.
    type: str
seealso:
  - module: tunnelops.tunnels.openport_key
  - module: tunnelops.tunnels.openport_keys
author:
  - tunnelops contributors (@tunnelops)
"""

EXAMPLES = r"""
- name: All keys of the account
  tunnelops.tunnels.openport_key_info:
  register: all_keys

- name: Keys not used for 90 days (keys that never connected are not included)
  tunnelops.tunnels.openport_key_info:
    last_connection_before: "{{ '%Y-%m-%dT%H:%M:%SZ' | strftime(now().timestamp() - 90 * 86400, utc=true) }}"
  register: stale

- name: Find a key by its public key
  tunnelops.tunnels.openport_key_info:
    public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKp90n2MjYJqlSWICdbyZbJ7YYmz+ovher++L8Etsi1e deploy@web-1"
  register: found
"""

RETURN = r"""
ssh_keys:
  description: The keys, as the Openport API lists them.
  returned: success
  type: list
  elements: dict
  contains:
    url:
      description: The key's API URL.
      type: str
      sample: "http://127.0.0.1:36337/openport/api/v2/keys/4642/"
    id:
      description: The key's id.
      type: int
      sample: 4642
    name:
      description: The key's name.
      type: str
      sample: build-runner-01
    public_key:
      description: The public key.
      type: str
      sample: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFeu07WHcQrFL+eMRa8zMTQiiCg1ncK+QvloHR9BzK4f build-runner-01"
    last_connection_time:
      description: When the key last opened a session (ISO 8601); null if never.
      type: str
      sample: "2026-11-25T09:51:34.701446+01:00"
    creation_time:
      description: When the key was registered (ISO 8601).
      type: str
      sample: "2024-12-25T09:56:34+01:00"
    redirect_token:
      description: The token of the key's fixed redirect URL.
      type: str
      sample: 5gYgW1R
    bytes_this_month:
      description: Traffic this month.
      type: int
      sample: 898668196
    counter_reset_time:
      description: When RV(ssh_keys[].bytes_this_month) is reset (ISO 8601).
      type: str
      sample: "2026-11-13T09:56:34.261628+01:00"
"""

from ansible_collections.tunnelops.tunnels.plugins.module_utils.module_base import TunnelModule
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport import key_info


def main():
    tm = TunnelModule(
        dict(
            name=dict(type="list", elements="str"),
            public_key=dict(type="str", no_log=False),
            last_connection_before=dict(type="str"),
            last_connection_after=dict(type="str"),
        ),
        providers=("openport",),
    )
    tm.run(key_info.run)


if __name__ == "__main__":
    main()
