#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: openport_ip_link
short_description: Open the open-for-IP links of Openport sessions, so that the controller may reach their ports
version_added: 0.1.0
description:
  - Every port Openport opens is protected by default (IP link protection). A connection to it is refused until
    the session's secret open-for-IP link (C(https://<openport host>/l/<port>/<secret>)) was opened from the
    connecting address; that address may then reach the port for 24 hours. Each click is logged in the
    account's click log (M(tunnelops.tunnels.openport_link_click_info)).
  - This module opens those links from the host it runs on, which must be the host that then connects to the
    ports, in practice the Ansible controller (C(delegate_to) V(localhost)). Sessions are chosen by server port
    (O(ports)) or by session id (O(sessions)); O(sessions) takes the C(tunnel_id) host variable of the
    P(tunnelops.tunnels.tunnel_sessions#inventory) inventory, so one task with C(run_once) can open the links of
    every Openport host of a play. Links are opened side by side, at most O(concurrency) at a time.
  - The links are read from the Openport API (C(/sessions/)) by the module itself. A link is a secret (whoever
    has it may open the port for their own address), so it never passes through inventory variables or task
    arguments, and it is masked in every result, message and log line, as is the token of a session's redirect
    URL.
  - Idempotent. The click log is read once (C(/openforiplinkclicks/)); a session whose port was opened from the
    same source address within the last 24 hours, and not within the last O(renew_before) seconds of that day,
    is left as it is (RV(links[].action=unchanged)) and its link is not opened again.
  - The source address is the address Openport sees the controller's requests come from (after any NAT), which
    the controller cannot know by itself. It is O(source_ip) when given. Otherwise it is the address this module
    learned from the click log within the last hour, kept in the file O(source_ip_cache). Otherwise it is learned
    in this run. The links that need opening whatever the address are opened first, and the click log, read
    again, shows which address those clicks came from. When every chosen port already has a recent click from
    some address, one link (the one whose click is the oldest) is opened to learn it. So a run that does not know
    the address yet (the first run on a controller, or every AWX or AAP job, which starts in a fresh container)
    may open one link that was already open, and reports it as changed. A run that clicks also checks the
    remembered address again, and follows it when it changed.
  - Admissions belong to a session, while the click log names only a port. After a port move (Openport ports are
    volatile) or when a new session reuses a port, a click logged for that port was for another session. The API
    gives no session start time; the module trusts a click only when it is not older than the last connection
    of the session's key (C(last_connection_time)) and names that key (C(key_name)). When the key connected again
    for another of its sessions, a click that is still valid looks older and the link is opened again; when the
    API did not update C(last_connection_time) for a new session on a reused port, a click for the old session
    would be trusted. If the service updated C(last_connection_time) more often than when a session starts, every
    click would look older than its session and every run would open the links again. Give O(renew_before) a
    larger value, or open the links unconditionally with V(86399), where that matters.
  - Every option is checked, and every chosen session is matched with the account's sessions and its link
    checked, before the first link is opened. A port or a session given twice, a port or a session id that no
    active session of the account has (an ended, moved or other account's session), a session for which the API
    gives no usable link, or gives its link without the secret part, is an error naming the option, and nothing
    is opened.
  - A session whose port is not protected needs no link. IP link protection is turned off per key with the
    C(ip link protection) setting of the key on the Openport website, or per session by starting the agent with
    C(--ip-link-protection False). The API does not show either setting, so such a session still has a link, and
    opening it does no harm.
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
    details:
      - No link is opened. RV(links) says which links would be opened (RV(links[].action=would_open)) and why.
      - When the source address is not known yet, every link with a recent click from some address is listed as
        one that would be opened; a real run would open only those the click log shows it must.
  diff_mode:
    support: full
    details: The sessions whose ports are open for the controller before and after the run.
options:
  ports:
    description:
      - The server ports of the sessions whose links to open (C(tunnel_public_port) of an inventory host).
      - A port that several sessions have (on different Openport servers) is an error; name the session in
        O(sessions) instead.
    type: list
    elements: int
  sessions:
    description:
      - The sessions whose links to open, by the collection's session id C(openport-<server>-<port>), the C(id)
        of M(tunnelops.tunnels.tunnel_session_info) and the C(tunnel_id) host variable of the
        P(tunnelops.tunnels.tunnel_sessions#inventory) inventory.
      - With O(ports), both lists are opened; a session named in both is an error.
      - An empty list (a play without Openport hosts) opens nothing and sends no request.
    type: list
    elements: str
  source_ip:
    description:
      - The address Openport sees this controller's requests come from, if it is known (a fixed public address of
        the controller, or of its NAT gateway).
      - When it is not given, it is learned from the click log (see the description).
      - If not set, the value of the E(OPENPORT_SOURCE_IP) environment variable is used.
    type: str
  source_ip_cache:
    description:
      - The file in which the address learned from the click log is kept for an hour, on the host the module runs
        on. It holds the API URL, the address and the time it was learned; no credential.
      - V("") neither reads nor writes a file, so every run learns the address again.
      - If not set, the value of the E(TUNNELOPS_SOURCE_IP_CACHE) environment variable is used, else
        C($XDG_CACHE_HOME/tunnelops/openport-source-ip.json) (C(~/.cache/tunnelops/openport-source-ip.json)).
    type: path
  renew_before:
    description:
      - Open a link again when the click that opened it expires within this many seconds, so that a play that
        starts now does not lose the port half-way.
      - V(0) opens a link only when it has no valid click. The most is V(86399), which opens every link on every
        run.
    type: int
    default: 3600
  concurrency:
    description:
      - How many links are opened at the same time (1 to 64).
      - Opening N links takes about N / O(concurrency) round trips to the Openport host.
    type: int
    default: 10
notes:
  - Run it on the controller, with C(delegate_to) V(localhost) and C(run_once) V(true). The link admits the address of
    the host that opens it, and the Openport hosts of the play cannot be reached before.
  - In a play on the machines behind the tunnels, set C(gather_facts) to V(false) and open the links in C(pre_tasks),
    then gather facts with C(ansible.builtin.setup) if the play needs them; fact gathering runs before
    C(pre_tasks) and would find the Openport hosts unreachable.
  - Ports are volatile. After a port moved, the inventory names the old port, which no session has any more, and
    the module fails naming it; refresh the inventory (the C(refresh_inventory) meta task) and run it again.
  - The link is opened with the API's TLS settings (O(validate_certs), O(ca_path)), time-out and retries, but the
    API token is never sent to it.
  - The click log is read whole (the API filters nothing), page by page in parallel, twice when the source address
    is being learned. An account with a very long click log makes every run pay for it; give O(source_ip) so that
    it is read once.
seealso:
  - module: tunnelops.tunnels.openport_link_click_info
  - module: tunnelops.tunnels.tunnel_session_info
  - plugin: tunnelops.tunnels.tunnel_sessions
    plugin_type: inventory
  - ref: ansible_collections.tunnelops.tunnels.docsite.reach
    description: Reach your machines, the guide.
author:
  - tunnelops contributors (@tunnelops)
"""

EXAMPLES = r"""
# In the pre_tasks of a play on the hosts of the tunnel_sessions inventory: open the links of the play's
# Openport hosts for the controller, once, before any task connects to them. A complete play is in the
# "Reach your machines" guide and in the collection's playbooks/reach_machines.yml.
- name: Open the links of this play's Openport hosts for the controller
  tunnelops.tunnels.openport_ip_link:
    sessions: >-
      {{ ansible_play_hosts | map('extract', hostvars) | selectattr('tunnel_provider', 'eq', 'openport')
         | map(attribute='tunnel_id') | list }}
  delegate_to: localhost
  run_once: true

- name: Open the SSH port of one session
  tunnelops.tunnels.openport_ip_link:
    ports: [6260]
  delegate_to: localhost

- name: Open them from a controller with a known public address, 20 at a time
  tunnelops.tunnels.openport_ip_link:
    sessions: "{{ groups['provider_openport'] | map('extract', hostvars, 'tunnel_id') | list }}"
    source_ip: 203.0.113.10
    concurrency: 20
  delegate_to: localhost
  run_once: true

- name: What would be opened
  tunnelops.tunnels.openport_ip_link:
    ports: [6260, 31022]
  check_mode: true
  delegate_to: localhost
  register: plan
"""

RETURN = r"""
links:
  description: The chosen sessions, in the order given (O(ports) first, then O(sessions)).
  returned: success, and on failure after the links were read
  type: list
  elements: dict
  contains:
    id:
      description: The session id, as in O(sessions).
      type: str
      sample: openport-openport.io-6260
    port:
      description: The session's server port.
      type: int
      sample: 6260
    server:
      description: The Openport server of the session.
      type: str
      sample: openport.io
    local_port:
      description: The port on the machine that the session forwards to.
      type: int
      sample: 22
    key_name:
      description: The name of the session's key; null when the key list does not have it.
      type: str
      sample: root@HQ
    action:
      description:
        - V(opened), the link was opened by this run; V(would_open), in check mode; V(unchanged), the port was
          already open for the controller; V(failed), opening it failed (see RV(links[].error)).
      type: str
      choices: [opened, would_open, unchanged, failed]
      sample: opened
    reason:
      description: Why the link was opened or not, from the click log.
      type: str
      sample: no click from this controller (127.0.0.1) on this port within 24 hours
    valid_until:
      description:
        - Until when the controller may reach the port (UTC), from this run's click or the click in the log;
          null when no link was opened.
      type: str
      sample: "2026-12-06T17:41:09Z"
    link:
      description: The session's open-for-IP link with its secret masked.
      type: str
      sample: "https://api.openport.io/l/6260/********"
    redirect_url:
      description: The session's redirect URL (it leads to the key's current port), with its token masked.
      type: str
      sample: "https://api.openport.io/r/********/22"
    error:
      description: Why opening the link failed.
      type: str
      returned: when RV(links[].action=failed)
      sample: "the link answered, but its page does not say 'is now available', so the port may still be closed"
opened:
  description: How many links this run opened (in check mode, would open).
  returned: success
  type: int
  sample: 3
unchanged:
  description: How many ports were already open for the controller.
  returned: success
  type: int
  sample: 0
source_ip:
  description: The address Openport sees this controller's requests come from; null when it is not known.
  returned: success
  type: str
  sample: 127.0.0.1
source_ip_from:
  description:
    - Where RV(source_ip) came from. V(option), O(source_ip); V(cache), the file O(source_ip_cache); V(click_log),
      the rows this run's clicks added to the click log; null when it is not known (check mode, or no link had
      to be opened).
  returned: success
  type: str
  sample: click_log
"""

from ansible.module_utils.basic import env_fallback

from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport import ip_link
from ansible_collections.tunnelops.tunnels.plugins.module_utils.module_base import TunnelModule


def main():
    tm = TunnelModule(
        dict(
            ports=dict(type="list", elements="int"),
            sessions=dict(type="list", elements="str"),
            source_ip=dict(type="str", fallback=(env_fallback, ["OPENPORT_SOURCE_IP"])),
            source_ip_cache=dict(type="path", fallback=(env_fallback, ["TUNNELOPS_SOURCE_IP_CACHE"])),
            renew_before=dict(type="int", default=3600),
            concurrency=dict(type="int", default=10),
        ),
        providers=("openport",),
    )
    tm.run(ip_link.run)


if __name__ == "__main__":
    main()
