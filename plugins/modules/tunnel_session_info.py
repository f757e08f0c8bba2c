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
    exposes as host variables (see
    R(the session schema guide,ansible_collections.tunnelops.tunnels.docsite.session_schema)).
  - Key and credential names are joined in memory from one listing of the keys (Openport) or credentials
    (ngrok) per provider; no request is made per session.
  - A provider that fails does not hide the others; it is reported in RV(errors) unless O(strict=true).
  - Secrets in the providers' records (Pinggy C(token), C(virtualToken), ngrok C(token), Openport's
    open-for-IP link secret) are removed from RV(sessions[].raw).
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
      - If not set, every provider whose credential is set (as an option or through its environment variable).
      - A provider named here without its credential is an error.
    type: list
    elements: str
    choices: [openport, ngrok, pinggy]
  protocols:
    description:
      - Keep only sessions whose RV(sessions[].protocol) is one of these.
      - V(udp) also keeps every session that forwards UDP.
    type: list
    elements: str
    choices: [tcp, http, https, tls, tlstcp, udp]
  key_names:
    description:
      - Keep only sessions whose RV(sessions[].key_name) matches one of these shell-style patterns (V(web-*)).
    type: list
    elements: str
  ports:
    description:
      - Keep only sessions whose public port or local port is one of these.
      - Each is a port number from 1 to 65535; any other number, which no session can have, is an error raised
        before any request.
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
    - The schema is documented once in
      R(the session schema guide,ansible_collections.tunnelops.tunnels.docsite.session_schema).
    - The samples are one ngrok tunnel of the emulator.
  returned: always
  type: list
  elements: dict
  contains:
    provider:
      description: C(openport), C(ngrok) or C(pinggy).
      type: str
      sample: ngrok
    id:
      description:
        - A stable id, unique within the provider. Openport sessions have none in the API, so it is
          C(openport-<server>-<port>) (for example C(openport-openport.io-6260)); ngrok's is the tunnel id,
          Pinggy's the session UUID.
      type: str
      sample: tn_32EyR6nAZ9RLs5xAOOEFOuyHGvV
    session_id:
      description: The provider's session id (ngrok C(ts_...)); the same as RV(sessions[].id) for Openport and Pinggy.
      type: str
      sample: ts_32EyQWSFR1XMUpZ36e2WAI1LFLH
    public_host:
      description: The public host name.
      type: str
      sample: 0.tcp.ngrok.io
    public_port:
      description: The public port (443 or 80 when the URL has none).
      type: int
      sample: 12345
    public_url:
      description: The public URL, for example C(tcp://openport.io:6260) or C(https://demo.a.pinggy.link).
      type: str
      sample: tcp://0.tcp.ngrok.io:12345
    protocol:
      description: C(tcp), C(http), C(https), C(tls), C(tlstcp) or C(udp).
      type: str
      sample: tcp
    udp:
      description: Whether the session forwards UDP (Pinggy).
      type: bool
      sample: false
    local_port:
      description: The port on the device, where the provider tells it (Openport, ngrok).
      type: int
      sample: 22
    key_id:
      description: The Openport key id, ngrok credential id or Pinggy token id.
      type: str
      sample: cr_32EyPkCUB9NFK1TKtvkv9IxNF1C
    key_name:
      description: The Openport key name, ngrok credential description or Pinggy token name.
      type: str
      sample: prod agents
    key_known:
      description: Whether the key or credential was found in the provider's list.
      type: bool
      sample: true
    region:
      description: The Openport server or the ngrok region.
      type: str
      sample: us
    started_at:
      description: Start time in UTC (ISO 8601 with C(Z)); null for Openport.
      type: str
      sample: "2026-11-22T09:05:03Z"
    client_ip:
      description: The address the agent connects from (ngrok).
      type: str
      sample: 203.0.113.10
    agent_version:
      description: The agent's version (ngrok).
      type: str
      sample: 3.22.1
    protected:
      description:
        - Whether connections to the public port are refused until the session's open-for-IP link was opened from
          the connecting address (M(tunnelops.tunnels.openport_ip_link)); null when the API does not say.
        - True for an Openport session with a link (IP link protection is on by default; the API does not show a
          key whose protection was turned off), false for an ngrok TCP tunnel.
      type: bool
      sample: true
    redirect_url:
      description:
        - Openport's fixed URL that leads to the key's current port (ports are volatile), with its token masked;
          null for the other providers.
      type: str
      sample: "https://api.openport.io/r/********/22"
    raw:
      description:
        - The provider's own record with secrets removed; for ngrok C({"tunnel", "session"}).
      type: dict
      sample:
        session:
          agent_version: 3.22.1
          credential:
            id: cr_32EyPkCUB9NFK1TKtvkv9IxNF1C
            uri: http://127.0.0.1:38187/ngrok/credentials/cr_32EyPkCUB9NFK1TKtvkv9IxNF1C
          id: ts_32EyQWSFR1XMUpZ36e2WAI1LFLH
          ip: 203.0.113.10
          metadata: '{"host":"web-1"}'
          os: linux
          region: us
          started_at: "2026-11-22T09:05:03Z"
          transport: ngrok/2
          uri: http://127.0.0.1:38187/ngrok/tunnel_sessions/ts_32EyQWSFR1XMUpZ36e2WAI1LFLH
        tunnel:
          endpoint:
            id: ep_32EyR6nAZ9RLs5xAOOEFOuyHGvV
            uri: http://127.0.0.1:38187/ngrok/endpoints/ep_32EyR6nAZ9RLs5xAOOEFOuyHGvV
          forwards_to: localhost:22
          id: tn_32EyR6nAZ9RLs5xAOOEFOuyHGvV
          proto: tcp
          public_url: tcp://0.tcp.ngrok.io:12345
          region: us
          started_at: "2026-11-22T09:05:03Z"
          tunnel_session:
            id: ts_32EyQWSFR1XMUpZ36e2WAI1LFLH
            uri: http://127.0.0.1:38187/ngrok/tunnel_sessions/ts_32EyQWSFR1XMUpZ36e2WAI1LFLH
query_result:
  description: The answer of O(query) over RV(sessions).
  returned: when O(query) is set
  type: raw
  sample: ["https://k7f3qz.u.openport.io", "https://demo.a.pinggy.link"]
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
      description: What went wrong, with every credential masked.
      type: str
      sample: >-
        ngrok API GET http://127.0.0.1:38187/ngrok/tunnel_sessions?limit=100 returned HTTP 403 ERR_NGROK_202:
        The authentication you specified, '********', is not a valid API key
    status:
      description: The HTTP status, or null when no answer came.
      type: int
      sample: 403
    code:
      description: The provider's error code, where it sends one.
      type: str
      sample: ERR_NGROK_202
providers:
  description: The providers that were asked.
  returned: always
  type: list
  elements: str
  sample: [openport, ngrok, pinggy]
api_requests:
  description: HTTP requests sent to each provider that was asked, retries included.
  returned: always
  type: dict
  sample: {"openport": 2, "ngrok": 4, "pinggy": 1}
"""

from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.providers import PROVIDERS
from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions import session_info
from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions.query import PROTOCOLS
from ansible_collections.tunnelops.tunnels.plugins.module_utils.module_base import TunnelModule


def main():
    tm = TunnelModule(dict(
        providers=dict(type="list", elements="str", choices=list(PROVIDERS)),
        protocols=dict(type="list", elements="str", choices=list(PROTOCOLS)),
        key_names=dict(type="list", elements="str", no_log=False),
        ports=dict(type="list", elements="int"),
        query=dict(type="str"),
        strict=dict(type="bool", default=False),
    ), providers=PROVIDERS)
    tm.run(session_info.run)


if __name__ == "__main__":
    main()
