# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which Openport sessions the openport_ip_link module opens, checked before any click.

The options name sessions by server port (``ports``) or by the collection's session id
(``sessions``: ``openport-<server>-<port>``, the ``tunnel_id`` of an inventory host). The
links come from the account's own ``/sessions/`` list, never from the options, so that the
secret part of a link never passes through inventory variables or task arguments. Every
problem (a port given twice, a port no session of the account has, a session without a
usable link) is found before the first click, and all of them are reported at once.
"""

from __future__ import annotations

import re

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover
    from urlparse import urlsplit

from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.addresses import parse_ip
from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.timestamps import parse_iso
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.masking import mask_url, register_secret
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport.client import key_id_from_url, session_id

VALIDITY_SECONDS = 24 * 3600          # security_ip_link_protection.rst: a clicked link is valid 24 hours
MAX_CONCURRENCY = 64
_SESSION_ID = re.compile(r"^openport-(?P<server>.+)-(?P<port>\d{1,5})$")
_LINK_PATH = re.compile(r"^/(?:.*/)?l/(?P<port>\d+)/(?P<secret>[^/]*)/?$")
NO_SECRET = ("the API lists its open-for-IP link %s without the secret part, so it cannot be opened. "
             "Turn IP link protection off for the key instead: uncheck \"ip link protection\" in the key's "
             "settings on the Openport website, or start the agent with --ip-link-protection False; "
             "then the port needs no link (see the \"Reach your machines\" guide)")


class Request:
    """The checked options: what to open and how."""

    def __init__(self, ports, session_ids, source_ip, renew_before, concurrency):
        self.ports = ports
        self.session_ids = session_ids
        self.source_ip = source_ip
        self.renew_before = renew_before
        self.concurrency = concurrency

    @property
    def empty(self):
        return not self.ports and not self.session_ids


def _repeats(option, values):
    seen = {}
    for index, value in enumerate(values):
        if value in seen:
            raise TunnelConfigError(option, "%s is given twice (%s[%d] and %s[%d]); give each once"
                                    % (value, option, seen[value], option, index))
        seen[value] = index


def _check_ports(ports):
    for index, port in enumerate(ports):
        if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
            raise TunnelConfigError("ports", "ports[%d] %r is not a TCP port (1-65535)" % (index, port))
    _repeats("ports", ports)


def _check_session_ids(ids):
    for index, value in enumerate(ids):
        if not isinstance(value, str) or not _SESSION_ID.match(value):
            raise TunnelConfigError("sessions", "sessions[%d] %r is not an Openport session id: give "
                                    "openport-<server>-<port>, the tunnel_id (id) of an Openport session in the "
                                    "tunnel_sessions inventory or tunnel_session_info" % (index, str(value)[:80]))
    _repeats("sessions", ids)


def check_options(params):
    """A Request from the module's options; TunnelConfigError naming the option, before any request."""
    ports, ids = params.get("ports"), params.get("sessions")
    if ports is None and ids is None:
        raise TunnelConfigError("ports", "give the sessions to open, by server port (ports) or by session id "
                                "(sessions)")
    _check_ports(ports or [])
    _check_session_ids(ids or [])
    source = params.get("source_ip")
    if source not in (None, "") and parse_ip(source) is None:
        raise TunnelConfigError("source_ip", "%r is not an IP address (the address Openport sees the "
                                "controller's connections come from)" % str(source)[:60])
    renew = params.get("renew_before")
    renew = 3600 if renew is None else renew
    if not 0 <= renew < VALIDITY_SECONDS:
        raise TunnelConfigError("renew_before", "must be 0 or more seconds and less than a day (%d), got %s"
                                % (VALIDITY_SECONDS, renew))
    concurrency = params.get("concurrency")
    concurrency = 10 if concurrency is None else concurrency
    if not 1 <= concurrency <= MAX_CONCURRENCY:
        raise TunnelConfigError("concurrency", "must be 1 to %d, got %s" % (MAX_CONCURRENCY, concurrency))
    address = parse_ip(source) if source not in (None, "") else None
    return Request(list(ports or []), list(ids or []), str(address) if address else None, renew, concurrency)


# -- the sessions of the account -------------------------------------------------------------

def as_port(value):
    try:
        return int(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None


def target_of(record, keys_by_id):
    """What the module needs of one ``/sessions/`` record; the link stays out of every result."""
    port = as_port(record.get("port"))
    key_id = key_id_from_url(record.get("key"))
    key = keys_by_id.get(key_id) or {}
    link = record.get("open_port_for_ip_link")
    return {
        "id": session_id(record.get("server"), port), "port": port, "server": record.get("server"),
        "local_port": as_port(record.get("local_port")), "key_id": key_id, "key_name": key.get("name"),
        "key_connected": parse_iso(key.get("last_connection_time")),
        "redirect_url": mask_url(record.get("redirect_url")) or None,
        "link": link if isinstance(link, str) else None,
    }


def link_problem(target):
    """Why a session's link cannot be opened, or None; the link's secret becomes a known secret."""
    link = target["link"]
    if not link:
        return "the API gives no open-for-IP link for it (open_port_for_ip_link is empty)"
    parts = urlsplit(link)
    match = _LINK_PATH.match(parts.path or "")
    if parts.scheme not in ("http", "https") or not parts.hostname or not match \
            or int(match.group("port")) != target["port"]:
        return "its open_port_for_ip_link %s is not a link to this session's port %s (https://<host>/l/<port>/<secret>)" \
            % (mask_url(link), target["port"])
    if not match.group("secret"):
        return NO_SECRET % mask_url(link)
    register_secret(link)
    register_secret(match.group("secret"))
    return None


def select_targets(request, records, keys):
    """The sessions the request names, in the order given; every problem at once, before any click."""
    keys_by_id = dict((k.get("id"), k) for k in keys if isinstance(k, dict))
    sessions = [target_of(r, keys_by_id) for r in records if isinstance(r, dict)]
    by_id = dict((t["id"], t) for t in sessions)
    chosen, problems, named = [], [], {}
    for option, wanted, find in (("ports", request.ports, _by_port(sessions)),
                                 ("sessions", request.session_ids, _find_id(by_id))):
        for index, value in enumerate(wanted):
            label = "%s[%d] %s" % (option, index, value)
            target, problem = find(value)
            if target is not None and target["id"] in named:
                problem = "names the same session (%s) as %s" % (target["id"], named[target["id"]])
            elif target is not None:
                problem = link_problem(target)
                named[target["id"]] = label
            if problem is None and target is None:
                problem = _unknown(option, value)
            if problem:
                problems.append((option, "%s: %s" % (label, problem)))
            else:
                chosen.append(target)
    if problems:
        raise TunnelConfigError(problems[0][0], "; ".join(text for dummy, text in problems)
                                + ". Nothing was opened.")
    return chosen


def _by_port(sessions):
    ports = {}
    for target in sessions:
        ports.setdefault(target["port"], []).append(target)

    def find(port):
        found = ports.get(port) or []
        if len(found) > 1:
            return None, "%d sessions have this port (%s): name one in sessions instead" % (
                len(found), ", ".join(t["id"] for t in found))
        return (found[0], None) if found else (None, None)
    return find


def _unknown(option, value):
    what = "port" if option == "ports" else "id"
    return ("no active session of this Openport account has this %s: it may belong to another account, have "
            "ended, or have moved to another port (Openport ports are volatile; refresh the inventory)" % what)


def _find_id(by_id):
    return lambda value: (by_id.get(value), None)
