# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The normalized session: one dict with the same fields for the three providers' active tunnels.

Each provider describes an active tunnel its own way; ``normalize_*`` turns a
provider record into the shape documented in docs/docsite/rst/session_schema.rst.
Nothing here sends a request (collect.py does).
"""

from __future__ import annotations

import re

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover
    from urlparse import urlsplit

from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.timestamps import to_utc
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.masking import mask_url, redact
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport.client import key_id_from_url, session_id

SESSION_FIELDS = (
    "provider", "id", "session_id", "public_host", "public_port", "public_url", "protocol", "udp",
    "local_port", "key_id", "key_name", "key_known", "region", "started_at", "client_ip",
    "agent_version", "protected", "redirect_url", "raw",
)
DEFAULT_PORTS = {"https": 443, "http": 80, "tls": 443}

_ENDS_IN_PORT = re.compile(r":(\d{1,5})/?$")


# -- small readers -------------------------------------------------------------

def as_int(value):
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def as_str(value):
    if value is None or value == "":
        return None
    return str(value)


def _host_and_port(url):
    """Host and port of a public URL; the scheme's usual port when none is written."""
    if not url:
        return None, None
    parts = urlsplit(url if "://" in url else "//" + url)
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None:
        port = DEFAULT_PORTS.get((parts.scheme or "").lower())
    return parts.hostname, port


def _session(provider, **fields):
    entry = dict((name, None) for name in SESSION_FIELDS)
    entry.update(provider=provider, udp=False, key_known=False, raw={})
    entry.update(fields)
    return entry


# -- the three providers ---------------------------------------------------------

def normalize_openport_session(record, keys_by_id=None):
    """An Openport ``/sessions/`` record; ``keys_by_id`` maps key id (int) to the key record."""
    keys_by_id = keys_by_id or {}
    server = as_str(record.get("server"))
    port = as_int(record.get("port"))
    http_address = as_str(record.get("http_forwarding_address"))
    if http_address:
        url = http_address if "://" in http_address else "https://" + http_address
        host = _host_and_port(url)[0]
        protocol = "http"
    else:
        host = server
        url = "tcp://%s:%s" % (server, port) if server and port is not None else None
        protocol = "tcp"
    key_id = key_id_from_url(record.get("key"))
    key = keys_by_id.get(key_id) if key_id is not None else None
    synthetic = session_id(server, port)
    return _session(
        "openport", id=synthetic, session_id=synthetic, public_host=host, public_port=port,
        public_url=url, protocol=protocol, local_port=as_int(record.get("local_port")),
        key_id=as_str(key_id), key_name=as_str(key.get("name")) if key else None,
        key_known=key is not None, region=server,
        # Every port is protected by default and the link is what opens it (notes §1.6); without a link the API
        # does not say whether the session (ip_link_protection=false) or its key turned protection off.
        protected=True if as_str(record.get("open_port_for_ip_link")) else None,
        redirect_url=mask_url(as_str(record.get("redirect_url"))), raw=redact(record))


def normalize_ngrok_tunnel(tunnel, session=None, credentials_by_id=None):
    """One ngrok tunnel (``tunnel`` may be None: an agent session without tunnels).

    ``session`` is the tunnel session the tunnel belongs to, ``credentials_by_id``
    maps credential and SSH credential ids to their records.
    """
    credentials_by_id = credentials_by_id or {}
    tunnel = tunnel or {}
    session = session or {}
    session_id = session.get("id") or (tunnel.get("tunnel_session") or {}).get("id")
    credential_id = (session.get("credential") or {}).get("id")
    credential = credentials_by_id.get(credential_id) if credential_id else None
    url = as_str(tunnel.get("public_url"))
    host, port = _host_and_port(url)
    forwards_to = tunnel.get("forwards_to") or ""
    local = _ENDS_IN_PORT.search(forwards_to.split("?")[0])
    raw = {"tunnel": redact(tunnel) if tunnel else None, "session": redact(session) if session else None}
    return _session(
        "ngrok", id=tunnel.get("id") or session_id, session_id=session_id, public_host=host,
        public_port=port, public_url=url, protocol=as_str(tunnel.get("proto")),
        local_port=int(local.group(1)) if local else None, key_id=as_str(credential_id),
        key_name=as_str(credential.get("description")) if credential else None,
        key_known=credential is not None, region=as_str(session.get("region") or tunnel.get("region")),
        started_at=to_utc(tunnel.get("started_at") or session.get("started_at")),
        client_ip=as_str(session.get("ip")), agent_version=as_str(session.get("agent_version")),
        protected=False if tunnel.get("proto") == "tcp" else None, raw=raw)


def normalize_ngrok_sessions(tunnel_sessions, tunnels, credentials=()):
    """Entries for every tunnel, plus one per agent session that has none."""
    sessions_by_id = dict((s.get("id"), s) for s in tunnel_sessions)
    credentials_by_id = dict((c.get("id"), c) for c in credentials)
    entries = []
    with_tunnels = set()
    for tunnel in tunnels:
        session_id = (tunnel.get("tunnel_session") or {}).get("id")
        with_tunnels.add(session_id)
        entries.append(normalize_ngrok_tunnel(tunnel, sessions_by_id.get(session_id), credentials_by_id))
    for session in tunnel_sessions:
        if session.get("id") not in with_tunnels:
            entries.append(normalize_ngrok_tunnel(None, session, credentials_by_id))
    return entries


def pinggy_protocol(mode, mode_udp):
    """``mode`` (http, tcp, tls, tlstcp), ``udp`` for a UDP-only tunnel; and whether UDP is on."""
    udp = str(mode_udp or "").lower() == "udp"
    mode = as_str(mode)
    return (mode.lower() if mode else ("udp" if udp else None)), udp


def pinggy_public_url(protocol, host, port):
    if not host:
        return None
    if protocol == "http":
        return "https://%s" % host
    if protocol == "tls":
        return "tls://%s" % host
    scheme = "udp" if protocol == "udp" else "tcp"
    return "%s://%s:%s" % (scheme, host, port) if port is not None else None


def normalize_pinggy_session(record):
    """A Pinggy ``session/active`` record (camelCase)."""
    protocol, udp = pinggy_protocol(record.get("mode"), record.get("modeUdp"))
    host = as_str(record.get("subdomain")) or as_str(record.get("customdomain"))
    port = as_int(record.get("port"))
    if port is None and protocol in ("http", "tls"):
        port = 443  # served as https:// or tls:// on the usual port
    token_id = as_str(record.get("tokenId"))
    session_id = as_str(record.get("id"))
    return _session(
        "pinggy", id=session_id, session_id=session_id, public_host=host, public_port=port,
        public_url=pinggy_public_url(protocol, host, port), protocol=protocol, udp=udp,
        key_id=token_id, key_name=as_str(record.get("tokenName") or record.get("virtualTokenName")),
        key_known=token_id is not None, started_at=to_utc(record.get("creationTimestamp")),
        raw=redact(record))
