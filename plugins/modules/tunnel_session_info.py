#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: tunnel_session_info
short_description: List the active tunnel sessions of Openport, ngrok and Pinggy as one normalized list
version_added: 0.1.0
description:
  - Lists the active sessions of any subset of the three providers at once and returns them as one list of
    normalized sessions, the same records the P(tunnelops.tunnels.tunnel_sessions#inventory) inventory plugin
    exposes as host variables (see C(docs/session-schema.md)).
  - Key and credential names are joined in memory from one listing of the keys (Openport) or credentials
    (ngrok) per provider; no request is made per session.
  - A provider that fails does not hide the others; it is reported in RV(errors) unless O(strict=true).
  - Secrets in the providers' records (Pinggy C(token), C(virtualToken), ngrok C(token), Openport's
    open-for-IP link secret) are removed from RV(sessions[].raw).
author:
  - tunnelops contributors
extends_documentation_fragment:
  - tunnelops.tunnels.openport
  - tunnelops.tunnels.ngrok
  - tunnelops.tunnels.pinggy
  - tunnelops.tunnels.common
attributes:
  check_mode:
    support: full
    details: The module only reads.
  diff_mode:
    support: none
options:
  providers:
    description:
      - The providers to ask.
      - If not set, every provider whose credential is set (as an option or through its environment variable).
      - A provider named here without its credential is an error.
    type: list
    elements: str
    choices: [openport, ngrok, pinggy]
  protocols:
    description:
      - Keep only sessions whose RV(sessions[].protocol) is one of these (for example V(tcp), V(http), V(tls)).
      - V(udp) also keeps every session that forwards UDP.
    type: list
    elements: str
  key_names:
    description:
      - Keep only sessions whose RV(sessions[].key_name) matches one of these shell-style patterns (V(web-*)).
    type: list
    elements: str
  ports:
    description:
      - Keep only sessions whose public port or local port is one of these.
    type: list
    elements: int
  query:
    description:
      - A JMESPath expression applied to the (filtered) list of sessions; the answer is returned in
        RV(query_result).
      - Needs the C(jmespath) Python library on the host that runs the module.
    type: str
  strict:
    description:
      - Fail when any provider fails, instead of returning the others' sessions with RV(errors).
    type: bool
    default: false
notes:
  - Openport sessions have no id in the API; RV(sessions[].id) is C(openport-<server>-<port>).
  - ngrok gives one entry per tunnel; an agent session without tunnels gives one entry with empty public fields.
seealso:
  - module: tunnelops.tunnels.tunnel_session_history_info
  - plugin: tunnelops.tunnels.tunnel_sessions
    plugin_type: inventory
requirements:
  - jmespath (only for O(query))
"""

EXAMPLES = r"""
- name: Every active session of every provider with credentials
  tunnelops.tunnels.tunnel_session_info:
  register: found

- name: TCP sessions of web keys on Openport and Pinggy
  tunnelops.tunnels.tunnel_session_info:
    providers: [openport, pinggy]
    protocols: [tcp]
    key_names: ["web-*"]
  register: web

- name: Public URLs of the sessions that forward local port 22
  tunnelops.tunnels.tunnel_session_info:
    ports: [22]
    query: "[?local_port == `22`].public_url"
  register: ssh

- name: Fail if any provider cannot be read
  tunnelops.tunnels.tunnel_session_info:
    strict: true
"""

RETURN = r"""
sessions:
  description:
    - The active sessions, one per public endpoint, in provider order (openport, ngrok, pinggy).
    - The schema is documented once in C(docs/session-schema.md).
  returned: always
  type: list
  elements: dict
  contains:
    provider:
      description: C(openport), C(ngrok) or C(pinggy).
      type: str
      sample: openport
    id:
      description: A stable id; synthetic C(openport-<server>-<port>) for Openport, the tunnel id for ngrok.
      type: str
      sample: openport-openport.io-6260
    session_id:
      description: The provider's session id (ngrok C(ts_...)); the same as RV(sessions[].id) elsewhere.
      type: str
      sample: openport-openport.io-6260
    public_host:
      description: The public host name.
      type: str
      sample: openport.io
    public_port:
      description: The public port (the scheme's usual port when the URL has none).
      type: int
      sample: 6260
    public_url:
      description: The public URL, for example C(tcp://openport.io:6260) or C(https://abc.ngrok.app).
      type: str
      sample: tcp://openport.io:6260
    protocol:
      description: C(tcp), C(http), C(https), C(tls), C(tlstcp) or C(udp).
      type: str
      sample: tcp
    udp:
      description: Whether the session forwards UDP (Pinggy).
      type: bool
      sample: false
    local_port:
      description: The port on the device, where the provider tells it.
      type: int
      sample: 22
    key_id:
      description: The Openport key id, ngrok credential id or Pinggy token id.
      type: str
      sample: "15371"
    key_name:
      description: The key name (Openport), credential description (ngrok) or token name (Pinggy).
      type: str
      sample: web-01
    key_known:
      description: Whether the key or credential was found in the provider's list.
      type: bool
      sample: true
    region:
      description: The Openport server or the ngrok region.
      type: str
      sample: openport.io
    started_at:
      description: Start time in UTC (ISO 8601, C(Z)).
      type: str
      sample: "2024-08-23T04:04:36.083Z"
    client_ip:
      description: The address the agent connects from (ngrok).
      type: str
      sample: 203.0.113.7
    agent_version:
      description: The agent's version (ngrok).
      type: str
      sample: 3.5.0
    raw:
      description: The provider's own record with secrets removed (ngrok C({"tunnel", "session"})).
      type: dict
      sample: {"key": "https://api.openport.io/api/v2/keys/15371/", "port": 6260, "local_port": 22}
query_result:
  description: The answer of O(query) over RV(sessions).
  returned: when O(query) is set
  type: raw
  sample: ["tcp://openport.io:6260"]
errors:
  description: One entry per provider that failed; the others' sessions are still returned.
  returned: always
  type: list
  elements: dict
  contains:
    provider:
      description: The provider that failed.
      type: str
      sample: ngrok
    message:
      description: What went wrong, with secrets masked.
      type: str
      sample: "ngrok API GET http://127.0.0.1:8765/ngrok/tunnel_sessions returned HTTP 403 ERR_NGROK_203: ..."
    status:
      description: The HTTP status, or null when no answer came.
      type: int
      sample: 403
    code:
      description: The provider's error code, where it sends one.
      type: str
      sample: ERR_NGROK_203
providers:
  description: The providers that were asked.
  returned: always
  type: list
  elements: str
  sample: [openport, ngrok, pinggy]
api_requests:
  description: HTTP requests sent to each provider, retries included.
  returned: always
  type: dict
  sample: {"openport": 2, "ngrok": 4, "pinggy": 1}
"""

from ansible_collections.tunnelops.tunnels.plugins.module_utils.module_base import TunnelModule
from ansible_collections.tunnelops.tunnels.plugins.module_utils.sessions import (
    PROVIDERS, collect_sessions, filter_sessions, info_result, prepare_info)


def main():
    tm = TunnelModule(dict(
        providers=dict(type="list", elements="str", choices=list(PROVIDERS)),
        protocols=dict(type="list", elements="str"),
        key_names=dict(type="list", elements="str", no_log=False),
        ports=dict(type="list", elements="int"),
        query=dict(type="str"),
        strict=dict(type="bool", default=False),
    ), providers=PROVIDERS)

    def body(tm):
        clients, query = prepare_info(tm, PROVIDERS)
        found, errors = collect_sessions(clients)
        sessions = filter_sessions(found, protocols=tm.params["protocols"],
                                   key_names=tm.params["key_names"], ports=tm.params["ports"])
        return info_result(tm, clients, "sessions", sessions, errors, query)

    tm.run(body)


if __name__ == "__main__":
    main()
