# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Choosing among sessions: the filters of tunnel_session_info and the inventory, and JMESPath queries."""

from __future__ import annotations

import fnmatch
import traceback

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

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError, TunnelDependencyError


# Every protocol a normalized session can have (docs/docsite/rst/session_schema.rst).
PROTOCOLS = ("tcp", "http", "https", "tls", "tlstcp", "udp")


def _listed(values):
    return ", ".join(repr(v) if isinstance(v, str) else str(v) for v in values)


def _refusal(prefix, option, bad, one, many, why):
    noun = one if len(bad) == 1 else many
    return TunnelConfigError(prefix + option, "%s %s %s%s; a filter on %s would keep no session" % (
        _listed(bad), "is not" if len(bad) == 1 else "are not", noun, why, "it" if len(bad) == 1 else "them"))


def check_filters(protocols=None, key_names=None, ports=None, prefix=""):
    """The filters as ``filter_sessions`` takes them, checked before any request.

    A filter that can never match (a protocol no session has, a port outside 1-65535) is an error
    naming the option (under ``prefix``, ``filters.`` for the inventory): silently it would give no
    session, and an inventory sync with overwrite on would delete every host.
    """
    if protocols:
        protocols = [p.lower() if isinstance(p, str) else p for p in protocols]
        bad = [p for p in protocols if p not in PROTOCOLS]
        if bad:
            raise _refusal(prefix, "protocols", bad, "a protocol", "protocols", " of a session (%s)" % ", ".join(
                PROTOCOLS))
    if ports:
        bad = [p for p in ports if isinstance(p, bool) or not isinstance(p, int) or not 1 <= p <= 65535]
        if bad:
            raise _refusal(prefix, "ports", bad, "a port number", "port numbers", " (1-65535)")
    bad = [k for k in key_names or () if not isinstance(k, str)]
    if bad:
        raise TunnelConfigError(prefix + "key_names", "%s is not a name pattern (a string such as 'web-*')"
                                % _listed(bad))
    return {"protocols": protocols or None, "key_names": key_names or None, "ports": ports or None}


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

    Raises TunnelDependencyError when jmespath is missing and TunnelConfigError
    for a bad expression.
    """
    if not HAS_JMESPATH:
        raise TunnelDependencyError("jmespath", "needed by the %s option" % option, JMESPATH_IMPORT_ERROR)
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
