#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: tunnel_session_history_info
short_description: Past tunnel sessions (Pinggy) and open-for-IP link clicks (Openport) as one normalized list
version_added: 0.1.0
description:
  - Reads Pinggy's session history and Openport's open-for-IP link clicks over a window of whole UTC days,
    every page of them, and returns them as one list of normalized history entries, oldest first (see
    R(the session schema guide,ansible_collections.tunnelops.tunnels.docsite.session_schema)).
  - The window is checked before any request is sent. An end after today counts as today (the future holds no
    history), and the window is checked after that. A window whose end is before its start, or that starts after
    today, always fails, naming the option that set the day. Pinggy keeps 60 days of history, so a window that starts
    earlier fails when Pinggy is asked.
  - Pinggy documents only "no older than 60 days"; the collection counts them as today - 60 in UTC. A server that
    counts from the current moment, or in a time zone ahead of UTC, refuses that first day. When Pinggy refuses a
    window that starts within a day of that edge, the module asks once more from the next day and says in a warning
    which day is missing.
  - When a list moves while it is read (rows added or removed between pages), the module says so in a warning;
    rows listed twice are returned once.
  - Openport has no documented filter on its clicks, so every click is read and the window applied locally.
  - ngrok keeps no session history in its API.
  - A provider that fails does not hide the other; it is reported in RV(errors) unless O(strict=true).
  - Pinggy history rows carry the tunnel token (C(token_value)); it never appears in the result.
author:
  - tunnelops contributors (@tunnelops)
extends_documentation_fragment:
  - tunnelops.tunnels.openport
  - tunnelops.tunnels.ngrok
  - tunnelops.tunnels.pinggy
  - tunnelops.tunnels.common
  - ansible.builtin.action_common_attributes
  - tunnelops.tunnels.attributes.info_module
options:
  providers:
    description:
      - The providers to ask.
      - If not set, every provider with history (Openport, Pinggy) whose credential is set.
      - A provider named here without its credential is an error.
    type: list
    elements: str
    choices: [openport, pinggy]
  history_from:
    description:
      - The first day of the window (V(YYYY-MM-DD), UTC, inclusive).
      - If not set, 6 days before O(history_to), which makes a week.
      - With Pinggy, no more than 60 days ago. Never after today.
    type: str
  history_to:
    description:
      - The last day of the window (V(YYYY-MM-DD), UTC, inclusive). If not set, today. A day after today counts as
        today.
    type: str
  query:
    description:
      - A JMESPath expression applied to RV(history); the answer is returned in RV(query_result).
      - Needs the C(jmespath) Python library on the host that runs the module.
    type: str
  strict:
    description:
      - Fail when any provider fails, instead of returning the other's entries with RV(errors).
    type: bool
    default: false
seealso:
  - module: tunnelops.tunnels.tunnel_session_info
requirements:
  - jmespath (only for O(query))
"""

EXAMPLES = r"""
- name: The last week of history of every provider with credentials
  tunnelops.tunnels.tunnel_session_history_info:
  register: week

- name: Pinggy sessions of a given month's first days, with the addresses they came from
  tunnelops.tunnels.tunnel_session_history_info:
    providers: [pinggy]
    history_from: "2026-11-01"
    history_to: "2026-11-03"
    query: "[].{ip: client_ip, host: public_host, start: started_at}"
  register: early_november

- name: Who opened Openport port 6260 today
  tunnelops.tunnels.tunnel_session_history_info:
    providers: [openport]
    history_from: "{{ now(utc=true, fmt='%Y-%m-%d') }}"
    query: "[?public_port == `6260`].client_ip"
"""

RETURN = r"""
history:
  description:
    - Pinggy's past sessions and Openport's link clicks in the window, oldest first.
    - The schema is documented once in
      R(the session schema guide,ansible_collections.tunnelops.tunnels.docsite.session_schema).
  returned: always
  type: list
  elements: dict
  contains:
    provider:
      description: C(openport) or C(pinggy).
      type: str
      sample: pinggy
    kind:
      description: C(session) (Pinggy) or C(link_click) (Openport).
      type: str
      sample: session
    started_at:
      description: Start of the session, or time of the click, in UTC (ISO 8601, C(Z)).
      type: str
      sample: "2026-11-23T23:50:00.571Z"
    ended_at:
      description: End of the session in UTC (Pinggy); null for a click.
      type: str
      sample: "2026-11-24T06:50:00.571Z"
    client_ip:
      description: The client's address (Pinggy's C([ip]:port) form split in two).
      type: str
      sample: 5.7.152.215
    client_port:
      description: The client's source port, where given.
      type: int
      sample: 48696
    public_host:
      description: The first public domain (Pinggy); null for a click.
      type: str
      sample: test.example.com
    public_hosts:
      description: Every public domain of the session (Pinggy).
      type: list
      elements: str
      sample: [test.example.com, test.a.pinggy.link]
    public_port:
      description: The public port (Pinggy TCP sessions, the Openport port clicked open).
      type: int
      sample: 20564
    protocol:
      description: The Pinggy mode (C(http), C(tcp), C(tls), C(tlstcp), C(udp)); null for a click.
      type: str
      sample: http
    udp:
      description: Whether the session forwarded UDP.
      type: bool
      sample: false
    key_name:
      description: The Openport key name of a click; null for Pinggy (its history names no token).
      type: str
      sample: root@HQ
    raw:
      description: The provider's own row with secrets (C(token_value), C(virtual_token_value)) removed.
      type: dict
      sample: {"key_name": "root@HQ", "port": 6260, "source_ip": "203.0.113.66",
               "timestamp": "2026-11-25T09:18:03.094346+01:00"}
query_result:
  description: The answer of O(query) over RV(history).
  returned: when O(query) is set
  type: raw
  sample: ["5.7.152.215"]
window:
  description: The window that was read, as whole UTC days (its end is never after today).
  returned: always
  type: dict
  sample: {"from": "2026-11-19", "to": "2026-11-25"}
errors:
  description:
    - One entry per provider that failed, as in M(tunnelops.tunnels.tunnel_session_info)
      (C(provider), C(message) with credentials masked, C(status), C(code)).
  returned: always
  type: list
  elements: dict
  sample:
    - provider: pinggy
      status: 401
      code: unauthorized
      message: >-
        pinggy API GET http://127.0.0.1:38187/pinggy/backend/api/v1/session/history/2026-11-19/2026-11-25?page=0&size=1000
        returned HTTP 401 unauthorized: Unauthorized. Please enter a valid token.
providers:
  description: The providers that were asked.
  returned: always
  type: list
  elements: str
  sample: [openport, pinggy]
api_requests:
  description: HTTP requests sent to each provider (pages, retries included).
  returned: always
  type: dict
  sample: {"openport": 1, "pinggy": 1}
"""

from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions import history_info
from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions.history import HISTORY_PROVIDERS
from ansible_collections.tunnelops.tunnels.plugins.module_utils.module_base import TunnelModule


def main():
    tm = TunnelModule(dict(
        providers=dict(type="list", elements="str", choices=list(HISTORY_PROVIDERS)),
        history_from=dict(type="str"),
        history_to=dict(type="str"),
        query=dict(type="str"),
        strict=dict(type="bool", default=False),
    ), providers=HISTORY_PROVIDERS)
    tm.run(history_info.run)


if __name__ == "__main__":
    main()
