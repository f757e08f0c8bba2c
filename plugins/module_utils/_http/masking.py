# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Masking of secrets in URLs, texts and API records.

The Openport token rides in the query string, ngrok and Pinggy keys in headers,
and some records carry credentials (ngrok ``token`` on create, Pinggy
``token_value``).  Everything the collection shows goes through here first.
"""

from __future__ import annotations

import re
import threading

MASK = "********"

# Fields of provider records that hold credentials.  They are dropped from the
# ``raw`` records the collection returns, and masked wherever text is shown.
SECRET_FIELDS = frozenset((
    "token",
    "token_value",
    "virtualToken",
    "virtual_token_value",
    "authorization",
    "api_key",
    "password",
    "secret",
    "key_binding_token",
    "session_token",
    "restart_session_token",
))

_QUERY_SECRET = re.compile(r"(?i)((?:^|[?&;\s])(?:token|api_key|apikey|key_binding_token|access_token)=)[^&#\s\"'<>]*")
_BEARER = re.compile(r"(?i)\b(bearer|basic)(\s+)[^\s\"',;]+")
_JSON_SECRET = re.compile(
    r"(?i)([\"'](?:token|token_value|virtualToken|virtual_token_value|api_key|authorization|password|secret)[\"']\s*:\s*)"
    r"([\"'])(.*?)(?<!\\)\2")
# The secret part of an Openport open-for-IP link: /l/<port>/<secret>
_IP_LINK_SECRET = re.compile(r"(/l/\d+/)[^/\s\"'?#]+")
# The token of an Openport redirect link, /r/<token>/<local_port>: it finds the key's current port.
_REDIRECT_TOKEN = re.compile(r"(/r/)[A-Za-z0-9_-]+(?=/\d+/?(?:$|[\s\"'?#<>]))")

# Secrets seen at run time (tokens, API keys, tokens returned on create).  Any
# text that passes through mask_text() has them replaced, wherever they appear.
_known = set()
_known_lock = threading.Lock()


def register_secret(value):
    """Remember a secret value so that mask_text() always hides it."""
    if isinstance(value, str) and len(value) >= 4:
        with _known_lock:
            _known.add(value)


def register_secrets_of(record):
    """Remember the secret-valued fields of an API answer (a token shown once, on create)."""
    if isinstance(record, dict):
        for field in SECRET_FIELDS:
            register_secret(record.get(field))


def known_secrets():
    with _known_lock:
        return sorted(_known, key=len, reverse=True)


def mask_url(url):
    """Hide credentials carried in a URL's query string or path."""
    if not url:
        return url
    url = _QUERY_SECRET.sub(lambda m: m.group(1) + MASK, str(url))
    return _capability_paths(url)


def mask_text(text, secrets=()):
    """Hide every known secret and every credential-shaped token in a text."""
    if text is None:
        return text
    text = str(text)
    for secret in list(secrets) + known_secrets():
        if secret and len(str(secret)) >= 4:
            text = text.replace(str(secret), MASK)
    text = _QUERY_SECRET.sub(lambda m: m.group(1) + MASK, text)
    text = _BEARER.sub(lambda m: m.group(1) + m.group(2) + MASK, text)
    text = _JSON_SECRET.sub(lambda m: m.group(1) + m.group(2) + MASK + m.group(2), text)
    return _capability_paths(text)


def _capability_paths(text):
    """An open-for-IP link's secret and a redirect link's token, masked where a URL path carries them."""
    text = _IP_LINK_SECRET.sub(lambda m: m.group(1) + MASK, text)
    return _REDIRECT_TOKEN.sub(lambda m: m.group(1) + MASK, text)


def redact(obj, fields=SECRET_FIELDS):
    """A deep copy of an API record without its secret-valued fields.

    Secret fields are removed; strings elsewhere are passed through mask_text()
    so that a secret copied into another field (a URL, a message) is hidden too.
    """
    if isinstance(obj, dict):
        return dict((k, redact(v, fields)) for k, v in obj.items() if k not in fields)
    if isinstance(obj, (list, tuple)):
        return [redact(v, fields) for v in obj]
    if isinstance(obj, str):
        return mask_text(obj)
    return obj
