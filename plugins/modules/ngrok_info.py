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
  - tunnelops.tunnels.openport
  - tunnelops.tunnels.ngrok
  - tunnelops.tunnels.pinggy
  - tunnelops.tunnels.common
  - ansible.builtin.action_common_attributes
  - tunnelops.tunnels.attributes.info_module
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
  - tunnelops contributors (@tunnelops)
"""

EXAMPLES = r"""
- name: The public URLs of the online tunnels
  tunnelops.tunnels.ngrok_info:
    resources: [tunnels]
  register: ngrok

- name: Show them
  ansible.builtin.debug:
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
    - created_at: '2026-11-25T08:58:20Z'
      description: monitoring
      id: ak_32EyRpAVbIL0bT6V53XvNYhuH8d
      metadata: '{"owner":"sre"}'
      owner_id: usr_32EyPUqjvECVMt5RvO1omFmA0mE
      uri: http://127.0.0.1:41031/ngrok/api_keys/ak_32EyRpAVbIL0bT6V53XvNYhuH8d
credentials:
  description: The agent authtokens (never with a token).
  returned: when O(resources) has V(credentials)
  type: list
  elements: dict
  sample:
    - acl:
      - bind:*.ci.example.com
      created_at: '2026-11-25T08:58:19Z'
      description: build agents
      id: cr_32EyRkeroWYKQjUpaaTAK5dGqqU
      metadata: '{"team":"ci"}'
      owner_id: usr_32EyPUqjvECVMt5RvO1omFmA0mE
      uri: http://127.0.0.1:41031/ngrok/credentials/cr_32EyRkeroWYKQjUpaaTAK5dGqqU
ssh_credentials:
  description: The SSH credentials, each with C(fingerprint), the key's SHA256 fingerprint computed locally.
  returned: when O(resources) has V(ssh_credentials)
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
tunnel_sessions:
  description: The online agent sessions.
  returned: when O(resources) has V(tunnel_sessions)
  type: list
  elements: dict
  sample:
    - agent_version: 3.22.1
      credential:
        id: cr_32EyPg0m2tkoTZA1voeAmEGHpaL
        uri: http://127.0.0.1:41031/ngrok/credentials/cr_32EyPg0m2tkoTZA1voeAmEGHpaL
      id: ts_32EyQaJNjKMuzXyiOEP5HgILF6M
      ip: 203.0.113.10
      metadata: '{"host":"web-1"}'
      os: linux
      region: us
      started_at: '2026-11-22T08:58:15Z'
      transport: ngrok/2
      uri: http://127.0.0.1:41031/ngrok/tunnel_sessions/ts_32EyQaJNjKMuzXyiOEP5HgILF6M
tunnels:
  description: The online tunnels, with their C(public_url).
  returned: when O(resources) has V(tunnels)
  type: list
  elements: dict
  sample:
    - endpoint:
        id: ep_32EyR7LUVZpJXXSFnG0Cyido9WN
        uri: http://127.0.0.1:41031/ngrok/endpoints/ep_32EyR7LUVZpJXXSFnG0Cyido9WN
      forwards_to: localhost:22
      id: tn_32EyR7LUVZpJXXSFnG0Cyido9WN
      proto: tcp
      public_url: tcp://0.tcp.ngrok.io:12345
      region: us
      started_at: '2026-11-22T08:58:15Z'
      tunnel_session:
        id: ts_32EyQaJNjKMuzXyiOEP5HgILF6M
        uri: http://127.0.0.1:41031/ngrok/tunnel_sessions/ts_32EyQaJNjKMuzXyiOEP5HgILF6M
endpoints:
  description: The active endpoints.
  returned: when O(resources) has V(endpoints)
  type: list
  elements: dict
  sample:
    - bindings:
      - public
      created_at: '2026-11-25T06:58:15Z'
      host: 2zqpi45b2s0m.ngrok-free.app
      hostport: 2zqpi45b2s0m.ngrok-free.app:443
      id: ep_32EyRI4YS7sGLJ41NYzUQAIxNlS
      pooling_enabled: false
      port: 443
      principal:
        id: usr_32EyPUqjvECVMt5RvO1omFmA0mE
        uri: ''
      proto: https
      public_url: https://2zqpi45b2s0m.ngrok-free.app
      region: ap
      scheme: https
      tunnel:
        id: tn_32EyRI4YS7sGLJ41NYzUQAIxNlS
        uri: http://127.0.0.1:41031/ngrok/tunnels/tn_32EyRI4YS7sGLJ41NYzUQAIxNlS
      tunnel_session:
        id: ts_32EyQoLv93NYPGMQuHxSQZm2cAD
        uri: http://127.0.0.1:41031/ngrok/tunnel_sessions/ts_32EyQoLv93NYPGMQuHxSQZm2cAD
      type: agent
      updated_at: '2026-11-25T06:58:15Z'
      upstream_url: http://localhost:3000
      uri: http://127.0.0.1:41031/ngrok/endpoints/ep_32EyRI4YS7sGLJ41NYzUQAIxNlS
      url: https://2zqpi45b2s0m.ngrok-free.app
"""

from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok import info
from ansible_collections.tunnelops.tunnels.plugins.module_utils.module_base import TunnelModule


def main():
    spec = dict(
        resources=dict(type="list", elements="str", choices=info.RESOURCES, default=info.RESOURCES),
        description=dict(type="str"),
    )
    tm = TunnelModule(spec, providers=("ngrok",))
    tm.run(info.run)


if __name__ == "__main__":
    main()
