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
  - The online sessions are listed once; every id is checked before the first action is sent. An id given twice
    is acted on once (listed in RV(duplicate_ids)).
  - Every chosen session gets its action and its own C(outcome) in RV(sessions); a session that ngrok refuses never
    keeps the others from being tried.
  - For V(stop), C(ERR_NGROK_810) (a networking error while the agent was exiting) counts as stopped. A 404 means the
    agent had already left (agents exit asynchronously, so a stopped session may still be listed for a moment), so the
    session is reported C(already gone) and not changed by this run. A stop whose answer was lost (a dropped
    connection, a time-out) is sent once more, which does no harm; a 404 then shows that the first one took effect
    (C(stopped)). A session id that is not online at all counts as
    already stopped (listed in RV(missing)); for restart and update it is an error, before anything is sent.
  - Refusals that mean the action does not apply to a session leave it as it is, reported with the outcome
    C(not applicable), C(changed=false) and a C(reason); they do not fail the task. They are, whatever the HTTP status
    of the answer (ngrok does not document it), C(ERR_NGROK_809) for V(update) (no update is available, update checks are
    off, an update is running, or the agent updated and waits for a restart), C(ERR_NGROK_1121) for V(update) and
    C(ERR_NGROK_1122) for V(restart) (SSH reverse-tunnel sessions have no agent), and C(ERR_NGROK_804) for V(restart)
    (agents that cannot restart remotely, such as Windows agents).
  - Every other refusal is a failure of that session (outcome C(failed), with its C(reason)), for example
    C(ERR_NGROK_805) (the agent cannot be stopped remotely), C(ERR_NGROK_806) (too old to update remotely),
    C(ERR_NGROK_807) or C(ERR_NGROK_808) (the agent failed to stop or restart), a 404 on restart or update (the session
    went offline), or a server error. The task then fails once every chosen session was tried; the failure carries
    RV(sessions), RV(failed_sessions) and C(done_before_failure) (the sessions acted on).
  - The task reports C(changed) only when an action was done on at least one session.
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
    details: Nothing is sent; RV(sessions) lists the sessions that would be acted on (a refusal cannot be foreseen).
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
    description: Tunnel session ids (C(ts_...)). An id given more than once is acted on once.
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
  - Restart and update are reported as changed on every run where ngrok accepted them; stop is idempotent (a stopped
    session is gone).
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

- name: Update the old agents of the EU region (agents with nothing to update are reported "not applicable")
  tunnelops.tunnels.ngrok_tunnel_session:
    action: update
    region: eu
    agent_version: 3.5.0
  register: updated

- name: Give the updated agents time to update
  ansible.builtin.pause:
    seconds: 10
  when: updated.sessions | selectattr('changed') | list | length > 0

- name: Restart them once updated
  tunnelops.tunnels.ngrok_tunnel_session:
    action: restart
    id: "{{ updated.sessions | selectattr('changed') | map(attribute='id') | list }}"
  when: updated.sessions | selectattr('changed') | list | length > 0
"""

RETURN = r"""
sessions:
  description:
    - The sessions acted on (in check mode, that would be), as the API listed them, each with C(outcome), C(changed)
      and, when the action was not done, C(reason).
    - C(outcome) is C(stopped), C(stopped (the agent exited)), C(restarted) or C(update requested) when the action was
      done (C(changed=true)); C(already gone) for a stop answered 404 (the agent had already left); C(not applicable)
      for a refusal that means the action does not apply to the session; C(failed) for any other refusal; in check
      mode C(would be stopped), C(would be restarted) or C(would be update requested).
    - C(reason) is why the action was not done, with ngrok's error code and message.
  returned: always
  type: list
  elements: dict
  sample:
    - agent_version: 2.3.41
      changed: true
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
duplicate_ids:
  description: Ids given more than once in O(id); each was acted on once.
  returned: always
  type: list
  elements: str
  sample: []
failed_sessions:
  description: The ids of the sessions whose action failed (outcome C(failed)); the task then fails.
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
