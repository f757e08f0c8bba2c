# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IP addresses and networks as the APIs write them and as options name them: one parser each.

Client addresses come as ``1.2.3.4``, ``1.2.3.4:5678``, ``[5.7.152.215]:48696`` (Pinggy's
history) or ``[2001:db8::1]:22``; networks as CIDR (``198.51.100.0/24``) or single addresses.
"""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError

_BRACKETED = re.compile(r"^\[([^\]]+)\](?::(\d+))?$")
_HOST_PORT = re.compile(r"^([^:]+):(\d+)$")


def split_client_address(value):
    """``(address text, port or None)``; ``(None, None)`` for an empty value."""
    if value is None or value == "":
        return None, None
    text = str(value).strip()
    match = _BRACKETED.match(text) or _HOST_PORT.match(text)
    if match:
        return match.group(1), int(match.group(2)) if match.group(2) else None
    return text, None


def parse_ip(value):
    """The ``ipaddress`` of a client address in any of the forms above; None if unreadable."""
    text = split_client_address(value)[0]
    if text is None:
        return None
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def parse_networks(option, values):
    """The networks an option lists; TunnelConfigError naming the option and the bad entry."""
    networks = []
    for value in values or ():
        try:
            networks.append(ipaddress.ip_network(str(value).strip(), strict=False))
        except ValueError:
            raise TunnelConfigError(option, "%r is not an IP address or a CIDR network (198.51.100.7, "
                                    "198.51.100.0/24, 2001:db8::/32)" % (str(value)[:60],))
    return networks


def inside(address, networks):
    return any(address.version == net.version and address in net for net in networks)
