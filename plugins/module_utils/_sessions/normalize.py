# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The normalized session, shared by tunnel_session_info and the tunnel_sessions inventory.

Each provider describes an active tunnel its own way; ``normalize_*`` turns a
provider record into one dict with the same fields for all three (documented in
docs/docsite/rst/session_schema.rst).  ``collect_sessions`` lists every provider at once and
joins the key or credential names in memory: one listing per provider and
collection, never a request per session.
"""

from __future__ import annotations

import datetime
import fnmatch
import re
import traceback
from concurrent.futures import ThreadPoolExecutor

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover
    from urlparse import urlsplit

try:
    import jmespath
    from jmespath.exceptions import JMESPathError
    HAS_JMESPATH = True
    JMESPATH_IMPORT_ERROR = None
except ImportError:  # pragma: no cover - exercised through the modules
    jmespath = None
    JMESPathError = Exception
    HAS_JMESPATH = False
    JMESPATH_IMPORT_ERROR = traceback.format_exc()

from ansible_collections.tunnelops.tunnels.plugins.module_utils import connection
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import (
    TunnelApiError, TunnelConfigError, TunnelError)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.masking import mask_text, redact
from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.timestamps import UTC, parse_iso

PROVIDERS = connection.PROVIDERS
SESSION_FIELDS = (
    "provider", "id", "session_id", "public_host", "public_port", "public_url", "protocol", "udp",
    "local_port", "key_id", "key_name", "key_known", "region", "started_at", "client_ip",
    "agent_version", "raw",
)
DEFAULT_PORTS = {"https": 443, "http": 80, "tls": 443}

_ENDS_IN_PORT = re.compile(r":(\d{1,5})/?$")
_EPOCH = datetime.datetime(1970, 1, 1)


# -- small readers -------------------------------------------------------------

def to_utc(value):
    """An API timestamp as an ISO 8601 UTC string ending in ``Z``, or None.

    Reads ``Z`` and numeric offsets (``+01:00``, ``+0000``), any fraction of a
    second (timestamps.parse_iso), and epoch numbers (seconds, or milliseconds
    when that large).  A naive timestamp counts as UTC.  The source's precision
    is kept: whole seconds, milliseconds or microseconds.
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        millis = int(round(value if abs(value) >= 1e11 else value * 1000))
        return _format_utc(_EPOCH + datetime.timedelta(milliseconds=millis))
    when = parse_iso(value)
    if when is None:
        return None
    return _format_utc(when.astimezone(UTC).replace(tzinfo=None))


def _format_utc(when):
    text = when.strftime("%Y-%m-%dT%H:%M:%S")
    micro = when.microsecond
    if micro and micro % 1000 == 0:
        text += ".%03d" % (micro // 1000)
    elif micro:
        text += ".%06d" % micro
    return text + "Z"


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
    from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport.client import key_id_from_url

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
    synthetic = "openport-%s-%s" % (server or "unknown", port if port is not None else "unknown")
    return _session(
        "openport", id=synthetic, session_id=synthetic, public_host=host, public_port=port,
        public_url=url, protocol=protocol, local_port=as_int(record.get("local_port")),
        key_id=as_str(key_id), key_name=as_str(key.get("name")) if key else None,
        key_known=key is not None, region=server, raw=redact(record))


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
        raw=raw)


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


# -- fetching ---------------------------------------------------------------------

def _both(first, second):
    """Run two listings side by side; the first error wins."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        a, b = pool.submit(first), pool.submit(second)
        return a.result(), b.result()


def fetch_openport_sessions(client):
    records, keys = _both(client.list_sessions, client.list_keys)
    keys_by_id = dict((k.get("id"), k) for k in keys if isinstance(k, dict))
    return [normalize_openport_session(r, keys_by_id) for r in records]


def fetch_ngrok_sessions(client):
    lists = client.list_many(["tunnel_sessions", "tunnels", "credentials", "ssh_credentials"])
    return normalize_ngrok_sessions(lists["tunnel_sessions"], lists["tunnels"],
                                    list(lists["credentials"]) + list(lists["ssh_credentials"]))


def fetch_pinggy_sessions(client):
    return [normalize_pinggy_session(r) for r in client.list_active_sessions()]


FETCHERS = {
    "openport": fetch_openport_sessions,
    "ngrok": fetch_ngrok_sessions,
    "pinggy": fetch_pinggy_sessions,
}


def provider_error(provider, exc):
    """The ``errors`` entry of a provider that failed: masked, never a secret."""
    if isinstance(exc, TunnelApiError):
        return {"provider": provider, "message": mask_text(str(exc)), "status": exc.status, "code": exc.code}
    if isinstance(exc, TunnelError):
        return {"provider": provider, "message": mask_text(str(exc)), "status": None, "code": None}
    return {"provider": provider, "status": None, "code": None,
            "message": mask_text("%s API: could not read the answer (%s: %s)"
                                 % (provider, exc.__class__.__name__, exc))}


def collect_per_provider(clients, fetchers, workers=None):
    """Call ``fetchers[provider](client)`` for each client at once.

    Returns ``(results, errors)``: the concatenated results in provider order,
    and an error entry for each provider that failed (the others still count).
    """
    order = [p for p in PROVIDERS if p in clients] + [p for p in clients if p not in PROVIDERS]
    if not order:
        return [], []
    outcomes = {}
    with ThreadPoolExecutor(max_workers=workers or len(order)) as pool:
        futures = dict((p, pool.submit(fetchers[p], clients[p])) for p in order)
        for provider, future in futures.items():
            try:
                outcomes[provider] = (future.result(), None)
            except Exception as exc:  # one provider's failure must not hide the others
                outcomes[provider] = (None, provider_error(provider, exc))
    results, errors = [], []
    for provider in order:
        items, error = outcomes[provider]
        if error is not None:
            errors.append(error)
        else:
            results.extend(items)
    return results, errors


def collect_sessions(clients, workers=None):
    """Active sessions of every client in ``clients`` (provider name -> client).

    Returns ``(sessions, errors)``; see ``collect_per_provider``.
    """
    return collect_per_provider(clients, FETCHERS, workers)


# -- choosing, filtering and querying ------------------------------------------

def select_providers(params, requested=None, supported=PROVIDERS, option="providers"):
    """The providers to ask: those named, else every supported one with credentials.

    A provider named without its credential is an error naming the option and
    its environment variable, raised before any request.
    """
    if requested:
        chosen = []
        for provider in requested:
            if provider not in supported:
                raise TunnelConfigError(option, "%r is not a provider this can ask; choose from %s"
                                        % (provider, ", ".join(supported)))
            connection.check_connection_params(provider, params)
            if provider not in chosen:
                chosen.append(provider)
        return chosen
    chosen = [p for p in supported if connection.has_credentials(p, params)]
    if not chosen:
        names = ["%s (or %s)" % (connection.CREDENTIAL_OPTIONS[p][0], " or ".join(connection.CREDENTIAL_OPTIONS[p][1]))
                 for p in supported]
        raise TunnelConfigError(option, "no provider has credentials; set at least one of %s" % ", ".join(names))
    return chosen


def filter_sessions(sessions, providers=None, protocols=None, key_names=None, ports=None):
    """The sessions that pass every filter given (None or empty: no filter).

    ``protocols`` matches ``protocol``, and ``udp`` also any UDP-enabled
    session; ``key_names`` are shell-style patterns (``web-*``); ``ports``
    match the public or the local port.
    """
    protocols = set(p.lower() for p in protocols or ())
    ports = set(int(p) for p in ports or ())
    kept = []
    for session in sessions:
        if providers and session.get("provider") not in providers:
            continue
        if protocols and (session.get("protocol") or "").lower() not in protocols \
                and not ("udp" in protocols and session.get("udp")):
            continue
        if key_names and not any(fnmatch.fnmatchcase(session.get("key_name") or "", pattern)
                                 for pattern in key_names):
            continue
        if ports and session.get("public_port") not in ports and session.get("local_port") not in ports:
            continue
        kept.append(session)
    return kept


def compile_query(expression, option="query"):
    """A compiled JMESPath expression, so that a bad one fails before any request.

    Raises ImportError when jmespath is missing (callers report it with
    missing_required_lib) and TunnelConfigError for a bad expression.
    """
    if not HAS_JMESPATH:
        raise ImportError("jmespath")
    try:
        return jmespath.compile(expression)
    except JMESPathError as exc:
        raise TunnelConfigError(option, "%r is not a valid JMESPath expression: %s"
                                % (expression, " ".join(str(exc).split())))


def query_sessions(sessions, expression, option="query"):
    """JMESPath ``expression`` (text or compiled) applied to the list of sessions."""
    if isinstance(expression, str):
        expression = compile_query(expression, option)
    try:
        return expression.search(sessions)
    except JMESPathError as exc:
        raise TunnelConfigError(option, "%r failed on the sessions: %s"
                                % (expression.expression, " ".join(str(exc).split())))


# -- what the two info modules share ----------------------------------------------

def prepare_info(tm, supported, option="providers"):
    """``(clients, compiled query)`` for an info module, every check done before any request."""
    from ansible.module_utils.basic import missing_required_lib

    params = tm.params
    query = None
    if params.get("query") is not None:
        if not HAS_JMESPATH:
            tm.module.fail_json(msg=missing_required_lib("jmespath") + " (needed by the query option)",
                                exception=JMESPATH_IMPORT_ERROR)
        query = compile_query(params["query"])
    chosen = select_providers(params, params.get(option), supported, option)
    return dict((provider, tm.client(provider)) for provider in chosen), query


def info_result(tm, clients, name, items, errors, query=None):
    """The result of an info module: ``name`` holds the items; fails on errors when strict."""
    result = {
        "changed": False,
        name: items,
        "errors": errors,
        "providers": list(clients),
        "api_requests": dict((p, c.stats["requests"]) for p, c in clients.items()),
    }
    if errors and tm.params.get("strict"):
        tm.module.fail_json(msg="strict is true and %d of %d providers failed: %s" % (
            len(errors), len(clients), " | ".join(e["message"] for e in errors)), **result)
    if query is not None:
        result["query_result"] = query_sessions(items, query)
    return result
