#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ngrok_info
short_description: List ngrok API keys, authtokens, SSH credentials, agent sessions, tunnels and endpoints
version_added: 0.1.0
description:
  - Lists the ngrok resources named in O(resources), each walked page by page and the resources side by side,
    and returns them as the API does, without secrets.
  - One module serves all the ngrok lists, so that a play asks for what it needs in one task (and one pass under
    the rate limit) instead of one task per resource.
  - For the sessions of all three providers in one normalized shape, use M(tunnelops.tunnels.tunnel_session_info).
extends_documentation_fragment:
  - tunnelops.tunnels.ngrok
  - tunnelops.tunnels.common
attributes:
  check_mode:
    support: full
    details: The module only reads.
options:
  resources:
    description:
      - Which lists to fetch. Each adds one key of the same name to the result.
    type: list
    elements: str
    choices: [api_keys, credentials, ssh_credentials, tunnel_sessions, tunnels, endpoints]
    default: [api_keys, credentials, ssh_credentials, tunnel_sessions, tunnels, endpoints]
  description:
    description:
      - Only return API keys, authtokens and SSH credentials with exactly this description.
    type: str
seealso:
  - module: tunnelops.tunnels.ngrok_credential
  - module: tunnelops.tunnels.ngrok_api_key
  - module: tunnelops.tunnels.ngrok_ssh_credential
  - module: tunnelops.tunnels.ngrok_tunnel_session
author:
  - tunnelops contributors
"""

EXAMPLES = r"""
- name: The public URLs of the online tunnels
  tunnelops.tunnels.ngrok_info:
    resources: [tunnels]
  register: ngrok

- ansible.builtin.debug:
    msg: "{{ ngrok.tunnels | map(attribute='public_url') | list }}"

- name: Find the authtoken of the build agents
  tunnelops.tunnels.ngrok_info:
    resources: [credentials]
    description: build agents
  register: build
"""

RETURN = r"""
api_keys:
  description: The API keys (never with a token).
  returned: when O(resources) has V(api_keys)
  type: list
  elements: dict
  sample:
    - id: ak_3AbcDEfGhIjKlMnOpQrStUvWxYz
      uri: https://api.ngrok.com/api_keys/ak_3AbcDEfGhIjKlMnOpQrStUvWxYz
      created_at: "2026-11-25T09:12:41Z"
      description: monitoring
      metadata: ""
      owner_id: usr_2AbcDEfGhIjKlMnOpQrStUvWxYz
credentials:
  description: The agent authtokens (never with a token).
  returned: when O(resources) has V(credentials)
  type: list
  elements: dict
  sample:
    - id: cr_3AbcDEfGhIjKlMnOpQrStUvWxYz
      uri: https://api.ngrok.com/credentials/cr_3AbcDEfGhIjKlMnOpQrStUvWxYz
      created_at: "2026-11-25T09:12:41Z"
      description: build agents
      metadata: '{"team":"ci"}'
      acl: ["bind:*.ci.example.com"]
      owner_id: usr_2AbcDEfGhIjKlMnOpQrStUvWxYz
ssh_credentials:
  description: The SSH credentials, each with C(fingerprint), the key's SHA256 fingerprint computed locally.
  returned: when O(resources) has V(ssh_credentials)
  type: list
  elements: dict
  sample:
    - id: sshcr_3AbcDEfGhIjKlMnOpQrStUvWxYz
      uri: https://api.ngrok.com/ssh_credentials/sshcr_3AbcDEfGhIjKlMnOpQrStUvWxYz
      created_at: "2026-11-25T09:12:41Z"
      description: bastion
      metadata: ""
      acl: []
      owner_id: usr_2AbcDEfGhIjKlMnOpQrStUvWxYz
      public_key: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJz8wq5MDQZCmXwZ1lUpqpTVoFGQk9Wf4uE8I1TpN3n bastion
      fingerprint: SHA256:dWl9oq4lHd3Oi3O6HEmGkKgn7yGmcJZ6Lv0EU0K5m0s
tunnel_sessions:
  description: The online agent sessions.
  returned: when O(resources) has V(tunnel_sessions)
  type: list
  elements: dict
  sample:
    - id: ts_3AbcDEfGhIjKlMnOpQrStUvWxYz
      agent_version: 3.18.4
      credential: {"id": "cr_2AbcDEfGhIjKlMnOpQrStUvWxYz", "uri": "https://api.ngrok.com/credentials/cr_2AbcDEfGhIjKlMnOpQrStUvWxYz"}
      ip: 203.0.113.7
      metadata: build-7
      os: linux
      region: eu
      started_at: "2026-11-25T08:01:12Z"
      transport: ngrok/2
      uri: https://api.ngrok.com/tunnel_sessions/ts_3AbcDEfGhIjKlMnOpQrStUvWxYz
tunnels:
  description: The online tunnels, with their C(public_url).
  returned: when O(resources) has V(tunnels)
  type: list
  elements: dict
  sample:
    - id: tn_3AbcDEfGhIjKlMnOpQrStUvWxYz
      public_url: tcp://1.tcp.eu.ngrok.io:20002
      proto: tcp
      region: eu
      started_at: "2026-11-25T08:01:13Z"
      forwards_to: localhost:22
      metadata: ""
      tunnel_session: {"id": "ts_3AbcDEfGhIjKlMnOpQrStUvWxYz", "uri": "https://api.ngrok.com/tunnel_sessions/ts_3AbcDEfGhIjKlMnOpQrStUvWxYz"}
      endpoint: {"id": "ep_3AbcDEfGhIjKlMnOpQrStUvWxYz", "uri": "https://api.ngrok.com/endpoints/ep_3AbcDEfGhIjKlMnOpQrStUvWxYz"}
endpoints:
  description: The active endpoints.
  returned: when O(resources) has V(endpoints)
  type: list
  elements: dict
  sample:
    - id: ep_3AbcDEfGhIjKlMnOpQrStUvWxYz
      type: agent
      url: tcp://1.tcp.eu.ngrok.io:20002
      public_url: tcp://1.tcp.eu.ngrok.io:20002
      proto: tcp
      created_at: "2026-11-25T08:01:13Z"
"""

from ansible_collections.tunnelops.tunnels.plugins.module_utils import ngrok_resources, ngrok_ssh
from ansible_collections.tunnelops.tunnels.plugins.module_utils.masking import redact
from ansible_collections.tunnelops.tunnels.plugins.module_utils.module_base import TunnelModule

RESOURCES = ["api_keys", "credentials", "ssh_credentials", "tunnel_sessions", "tunnels", "endpoints"]
DESCRIBED = ("api_keys", "credentials", "ssh_credentials")


def gather(tm):
    lists = tm.client("ngrok").list_many(dict.fromkeys(tm.params["resources"]))
    description = tm.params.get("description")
    result = {"changed": False}
    for name, items in lists.items():
        if description is not None and name in DESCRIBED:
            items = [item for item in items if (item.get("description") or "") == description]
        if name == "ssh_credentials":
            result[name] = [ngrok_ssh.view(item) for item in items]
        elif name in DESCRIBED:
            result[name] = [ngrok_resources.view(item) for item in items]
        else:
            result[name] = redact(items)
    return result


def main():
    spec = dict(
        resources=dict(type="list", elements="str", choices=RESOURCES, default=RESOURCES),
        description=dict(type="str"),
    )
    tm = TunnelModule(spec, providers=("ngrok",))
    tm.run(gather)


if __name__ == "__main__":
    main()
