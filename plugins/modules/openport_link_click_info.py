#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: openport_link_click_info
short_description: List the open-for-IP link clicks of an Openport account
version_added: 0.1.0
description:
  - Returns the clicks on the open-for-IP links of the account's sessions (who opened which port, and when),
    filtered by time window, port, key name and source address.
  - The API filters nothing and an account easily holds 100,000+ clicks, so the rows are filtered while the pages
    stream in; memory holds only the pages in flight and the rows kept. With O(limit), reading stops once enough
    rows match.
  - The API promises no order for the clicks. When the list moves while it is read (new clicks pushing rows already
    read onto the next page), each click is returned once (a click is its port, source address, time and key name)
    and a warning says that the list moved and how. Without O(limit), the rows read are also checked against the
    API's count.
extends_documentation_fragment:
  - tunnelops.tunnels.openport
  - tunnelops.tunnels.ngrok
  - tunnelops.tunnels.pinggy
  - tunnelops.tunnels.common
  - ansible.builtin.action_common_attributes
  - tunnelops.tunnels.attributes.info_module
options:
  since:
    description:
      - Only clicks at or after this date (V(2026-01-31), midnight UTC) or ISO 8601 timestamp
        (V(2026-01-31T08:00:00+01:00); without an offset, UTC).
    type: str
  until:
    description: Only clicks before this date or ISO 8601 timestamp (the end of the window is excluded).
    type: str
  ports:
    description: Only clicks on these server ports.
    type: list
    elements: int
  key_names:
    description: Only clicks on the sessions of the keys with these names.
    type: list
    elements: str
  source_ips:
    description: Only clicks from these IP addresses or CIDR networks (V(198.51.100.7), V(198.51.100.0/24), V(2001:db8::/32)).
    type: list
    elements: str
  limit:
    description:
      - Return at most this many clicks (the first that match, in the order the API lists them) and stop reading.
      - Leave it out to return every matching click.
    type: int
author:
  - tunnelops contributors (@tunnelops)
"""

EXAMPLES = r"""
- name: Clicks of the last 24 hours
  tunnelops.tunnels.openport_link_click_info:
    since: "{{ '%Y-%m-%dT%H:%M:%SZ' | strftime(now().timestamp() - 86400, utc=true) }}"
  register: recent

- name: Who opened the SSH port of root@HQ from the office
  tunnelops.tunnels.openport_link_click_info:
    key_names: [root@HQ]
    source_ips: [198.51.100.0/24]
    limit: 100
  register: office_clicks
"""

RETURN = r"""
clicks:
  description: The matching clicks, as the Openport API lists them.
  returned: success
  type: list
  elements: dict
  contains:
    port:
      description: The server port the link opened.
      type: int
      sample: 6260
    source_ip:
      description: The address that clicked the link (and may then reach the port).
      type: str
      sample: 198.51.100.191
    timestamp:
      description: When the link was clicked (ISO 8601).
      type: str
      sample: "2026-11-21T09:05:32.583577+01:00"
    key_name:
      description: The name of the key whose session the port belongs to.
      type: str
      sample: root@HQ
scanned:
  description: How many clicks were read from the API.
  returned: success
  type: int
  sample: 8
limit_reached:
  description: Whether reading stopped at O(limit); more clicks may match.
  returned: success
  type: bool
  sample: false
"""

from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport import link_click_info
from ansible_collections.tunnelops.tunnels.plugins.module_utils.module_base import TunnelModule


def main():
    tm = TunnelModule(
        dict(
            since=dict(type="str"),
            until=dict(type="str"),
            ports=dict(type="list", elements="int"),
            key_names=dict(type="list", elements="str", no_log=False),
            source_ips=dict(type="list", elements="str"),
            limit=dict(type="int"),
        ),
        providers=("openport",),
    )
    tm.run(link_click_info.run)


if __name__ == "__main__":
    main()
