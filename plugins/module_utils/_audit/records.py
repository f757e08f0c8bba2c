# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Readers for the key audit: times, addresses, versions and provider records.

The audit accepts what the info modules return and also the providers' raw
records, so every reader here is tolerant.  Each ``*_record`` function keeps
only the fields the rules need: a finding can never quote a field (a token, a
``token_value``) that was not copied here.
"""

from __future__ import annotations

import datetime
import re

from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.timestamps import UTC, parse_iso
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.masking import mask_text
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport.client import key_id_from_url
from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.sshkey import SshKeyError, parse_public_key

_VERSION = re.compile(r"\d+")


def parse_time(value):
    """An aware UTC datetime from ISO 8601 text (offset, ``Z`` or none = UTC); None if absent or unreadable."""
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    stamp = parse_iso(value) if value not in (None, "") else None
    return stamp.astimezone(UTC) if stamp else None


def iso(stamp):
    """``YYYY-MM-DDTHH:MM:SSZ`` for an aware datetime, None for None."""
    return stamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if stamp else None


def version_tuple(value):
    """``'3.4.0-beta'`` -> (3, 4, 0); None when the text has no number."""
    if value is None:
        return None
    numbers = _VERSION.findall(str(value))
    if not numbers:
        return None
    parts = [int(n) for n in numbers[:4]]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def _text(value, limit=200):
    """A short, masked string for evidence (None stays None)."""
    if value is None:
        return None
    text = mask_text(str(value))
    return text if len(text) <= limit else text[:limit] + "..."


def read_key(text):
    """``(PublicKey, None)`` or ``(None, reason)`` for a provider's stored key text."""
    try:
        return parse_public_key(text), None
    except SshKeyError as exc:
        return None, str(exc)


def _openport_id(record):
    if record.get("id") is not None:
        return str(record["id"])
    key_id = key_id_from_url(str(record.get("url") or ""))
    return str(key_id) if key_id is not None else None


def key_record(provider, record):
    """One SSH key held by a provider: Openport key or ngrok SSH credential."""
    if provider == "openport":
        name = record.get("name")
        last_used = record.get("last_connection_time")
        created = record.get("creation_time") or record.get("created_at")
        kind, ident = "openport_key", _openport_id(record)
    else:
        name = record.get("description") or record.get("name")
        last_used = record.get("last_used_at")
        created = record.get("created_at")
        kind, ident = "ngrok_ssh_credential", str(record.get("id"))
    key, problem = read_key(record.get("public_key"))
    return {
        "provider": provider, "type": kind, "id": ident, "name": _text(name),
        "key": key, "key_problem": problem,
        "created": parse_time(created), "last_used": parse_time(last_used),
        "tracks_use": provider == "openport",
    }


def credential_record(record):
    """An ngrok tunnel credential (authtoken); its token is never copied."""
    return {"provider": "ngrok", "type": "ngrok_credential", "id": str(record.get("id")),
            "name": _text(record.get("description"))}


def session_record(record):
    """A normalized session (or an ngrok tunnel session record) reduced to what the rules read."""
    provider = record.get("provider") or ("ngrok" if str(record.get("id", "")).startswith("ts_") else None)
    credential = record.get("credential") if isinstance(record.get("credential"), dict) else {}
    key_id = record.get("key_id", credential.get("id"))
    known = record.get("key_known")
    return {
        "provider": provider,
        "id": str(record.get("session_id") or record.get("id")),
        "key_id": _text(key_id), "key_name": _text(record.get("key_name")),
        "key_known": known,
        "client_ip": _text(record.get("client_ip", record.get("ip"))),
        "agent_version": _text(record.get("agent_version"), 40),
        "public_url": _text(record.get("public_url")),
        "started_at": parse_time(record.get("started_at")),
    }


def history_record(record):
    """A Pinggy history row (raw snake_case or normalized); ``token_value`` is never copied."""
    domains = record.get("domains")
    host = record.get("public_host") or (domains[0] if isinstance(domains, list) and domains else None)
    return {
        "provider": record.get("provider") or "pinggy",
        "id": _text(record.get("id") or record.get("session_id")),
        "client_ip": _text(record.get("client_ip")),
        "started_at": parse_time(record.get("start_time") or record.get("started_at")),
        "host": _text(host),
        "mode": _text(record.get("mode") or record.get("protocol"), 20),
    }


def click_record(record):
    """An Openport open-for-IP link click (raw, or a normalized history entry)."""
    return {
        "key_name": _text(record.get("key_name")),
        "port": record.get("port", record.get("public_port")),
        "source_ip": _text(record.get("source_ip") or record.get("client_ip")),
        "at": parse_time(record.get("timestamp") or record.get("started_at")),
    }


def is_click(record):
    """True for a link click in a mixed history list (tunnel_session_history_info)."""
    return record.get("kind") == "link_click" or record.get("provider") == "openport" or "source_ip" in record


def approved_record(index, record):
    """One entry of the approved list (the key_provision input format)."""
    providers = record.get("providers") or ["openport", "ngrok"]
    if isinstance(providers, str):
        providers = [providers]
    key, problem = read_key(record.get("public_key"))
    return {"index": index, "name": _text(record.get("name")), "key": key, "key_problem": problem,
            "providers": sorted(set(providers)), "present": record.get("state", "present") != "absent"}
