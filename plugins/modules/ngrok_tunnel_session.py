#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ngrok_tunnel_session
short_description: Stop, restart or update ngrok agent sessions
version_added: 0.1.0
description:
  - Sends C(stop), C(restart) or C(update) to online ngrok agent sessions, chosen by O(id) or by a filter
    (O(metadata), O(credential_id), O(region), O(agent_version)); all the given conditions must hold.
  - The online sessions are listed once; every id is checked before the first action is sent.
  - A stop that ngrok answers with C(ERR_NGROK_810) (the agent went away while exiting) counts as stopped.
    A session id that is no longer online counts as already stopped (listed in RV(missing)); for restart and
    update it is an error.
  - In check mode the module lists the sessions it would act on and sends nothing.
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
    details: Nothing is sent; RV(sessions) lists the sessions that would be acted on.
  diff_mode:
    support: none
options:
  action:
    description:
      - V(stop) makes the agents exit. V(restart) makes them re-exec and reconnect with a new session id (not
        on Windows). V(update) makes them update themselves within their major version; restart them at least
        10 seconds later.
    type: str
    choices: [stop, restart, update]
    required: true
  id:
    description: Tunnel session ids (C(ts_...)).
    type: list
    elements: str
    aliases: [ids]
  metadata:
    description: Only sessions whose agent metadata is exactly this string.
    type: str
  credential_id:
    description: Only sessions logged in with this authtoken or SSH credential (C(cr_...), C(sshcr_...)).
    type: str
  region:
    description: Only sessions in this region (for example V(us), V(eu)).
    type: str
  agent_version:
    description: Only sessions of this agent version (for example V(3.18.4)).
    type: str
notes:
  - Restart and update are reported as changed on every run; stop is idempotent (a stopped session is gone).
seealso:
  - module: tunnelops.tunnels.ngrok_info
author:
  - tunnelops contributors (@tunnelops)
"""

EXAMPLES = r"""
- name: Stop every agent logged in with a leaked authtoken
  tunnelops.tunnels.ngrok_tunnel_session:
    action: stop
    credential_id: cr_2ZyxWVuTsRqPoNmLkJiHgFeDcBa

- name: Update the old agents of the EU region
  tunnelops.tunnels.ngrok_tunnel_session:
    action: update
    region: eu
    agent_version: 3.5.0
  register: updated

- name: Restart them once updated
  tunnelops.tunnels.ngrok_tunnel_session:
    action: restart
    id: "{{ updated.sessions | map(attribute='id') | list }}"
  when: updated.sessions | length > 0
"""

RETURN = r"""
sessions:
  description:
    - The sessions acted on (in check mode, that would be), as the API listed them, each with C(outcome).
  returned: always
  type: list
  elements: dict
  sample:
    - agent_version: 2.3.41
      credential:
        id: cr_32EyPpIz0c53PhqCc9KwZhqzJo2
        uri: http://127.0.0.1:41031/ngrok/credentials/cr_32EyPpIz0c53PhqCc9KwZhqzJo2
      id: ts_32EyQQO2EcRNP5Fef7k5XjMPQMP
      ip: 203.0.113.20
      os: darwin
      outcome: stopped
      region: eu
      started_at: '2026-10-16T08:58:15Z'
      transport: ngrok/2
      uri: http://127.0.0.1:41031/ngrok/tunnel_sessions/ts_32EyQQO2EcRNP5Fef7k5XjMPQMP
missing:
  description: Ids given in O(id) that are not online (for V(stop), already stopped).
  returned: always
  type: list
  elements: str
  sample: []
"""

from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok import tunnel_session
from ansible_collections.tunnelops.tunnels.plugins.module_utils.module_base import TunnelModule


def main():
    spec = dict(
        action=dict(type="str", required=True, choices=list(tunnel_session.ACTIONS)),
        id=dict(type="list", elements="str", aliases=["ids"]),
        metadata=dict(type="str"),
        credential_id=dict(type="str"),
        region=dict(type="str"),
        agent_version=dict(type="str"),
    )
    tm = TunnelModule(spec, providers=("ngrok",))
    tm.run(tunnel_session.run)


if __name__ == "__main__":
    main()
