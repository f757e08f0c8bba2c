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
# The credential of an Authorization header (a field known to hold one), in a header dump or in JSON.
_AUTHORIZATION = re.compile(r"(?i)(\bauthorization[\"']?\s*[:=]\s*[\"']?(?:(?:bearer|basic|token)\s+)?)[^\s\"',;]+")
# Fields of API records that hold URLs: a credential in their query string or an open-for-IP link's secret.
_URL_FIELD = re.compile(r"(?i)(url|uri|link|href|^next|^previous)$")
_JSON_SECRET = re.compile(
    r"(?i)([\"'](?:token|token_value|virtualToken|virtual_token_value|api_key|authorization|password|secret)[\"']\s*:\s*)"
    r"([\"'])(.*?)(?<!\\)\2")
# The secret part of an Openport open-for-IP link: /l/<port>/<secret>
_IP_LINK_SECRET = re.compile(r"(/l/\d+/)[^/\s\"'?#]+")
# The token of an Openport redirect link, /r/<token>/<local_port>: it finds the key's current port.
_REDIRECT_TOKEN = re.compile(r"(/r/)[A-Za-z0-9_-]+(?=/\d+/?(?:$|[\s\"'?#<>]))")

# Secrets of this run (credentials, tokens returned on create, link secrets): masked in every text,
# record and report, wherever they appear.
_known = set()
# Values of secret fields that redact() removed from API records (a Pinggy tunnel's virtualToken): one
# per session, so tens of thousands in a large fleet. Messages (mask_text) mask them too; records are
# masked against this run's secrets and their own, so that redacting a fleet stays linear in its size.
_from_records = set()
_known_lock = threading.Lock()
_sorted = {}


def _add(registry, value):
    if isinstance(value, str) and len(value) >= 4 and value not in registry:
        with _known_lock:
            registry.add(value)
            # The sorted lists that hold this registry: a record's secret leaves run_secrets() as it is.
            _sorted.pop("all", None)
            if registry is _known:
                _sorted.pop("run", None)


def register_secret(value):
    """Remember a secret value so that mask_text() always hides it."""
    _add(_known, value)


def register_secrets_of(record):
    """Remember the secret-valued fields of an API answer (a token shown once, on create)."""
    if isinstance(record, dict):
        for field in SECRET_FIELDS:
            register_secret(record.get(field))


def _longest_first(name, values):
    with _known_lock:
        if name not in _sorted:
            _sorted[name] = sorted(values(), key=len, reverse=True)
        return _sorted[name]


def known_secrets():
    """Every secret seen in this run, the longest first (this run's and those removed from records)."""
    return _longest_first("all", lambda: _known | _from_records)


def run_secrets():
    """This run's own secrets (credentials, tokens returned on create, link secrets), the longest first."""
    return _longest_first("run", lambda: set(_known))


def mask_url(url):
    """Hide credentials carried in a URL's query string or path."""
    if not url:
        return url
    url = _QUERY_SECRET.sub(lambda m: m.group(1) + MASK, str(url))
    return _capability_paths(url)


def mask_known(text, secrets=(), known=None):
    """Replace every known secret value in a text (``known``: which, default all); nothing else is touched."""
    if text is None:
        return text
    text = str(text)
    for secret in list(secrets) + (known_secrets() if known is None else known):
        if secret and len(str(secret)) >= 4:
            text = text.replace(str(secret), MASK)
    return text


def mask_text(text, secrets=()):
    """Hide every known secret, and the values of fields known to hold one, in a message or a URL.

    Known fields: ``token=`` and its kin in a query string, an ``Authorization`` header, the secret
    fields of a JSON text, an open-for-IP link's secret.  Free text is never rewritten: a description
    that says "bearer tokens" stays as it is.
    """
    if text is None:
        return text
    text = mask_known(text, secrets)
    text = _QUERY_SECRET.sub(lambda m: m.group(1) + MASK, text)
    text = _AUTHORIZATION.sub(lambda m: m.group(1) + MASK, text)
    text = _JSON_SECRET.sub(lambda m: m.group(1) + m.group(2) + MASK + m.group(2), text)
    return _capability_paths(text)


def _capability_paths(text):
    """An open-for-IP link's secret and a redirect link's token, masked where a URL path carries them."""
    text = _IP_LINK_SECRET.sub(lambda m: m.group(1) + MASK, text)
    return _REDIRECT_TOKEN.sub(lambda m: m.group(1) + MASK, text)


def mask_all(obj):
    """A deep copy of the collection's own report (an error, its details) with mask_text() on every string."""
    if isinstance(obj, dict):
        return dict((k, mask_all(v)) for k, v in obj.items())
    if isinstance(obj, (list, tuple)):
        return [mask_all(v) for v in obj]
    return mask_text(obj) if isinstance(obj, str) else obj


def redact(obj, fields=SECRET_FIELDS, key=""):
    """A deep copy of an API record without its secret-valued fields; user data is never rewritten.

    Secret fields are removed (their values are remembered for messages); every string has this run's
    secrets and the record's own secret values masked, so that a secret copied into another field is
    hidden too; URL fields (``uri``, ``next``, ``*_url``, ``*_link``) also have their query-string
    credentials and link secrets masked. Any other text (a description, metadata) comes back as the API
    holds it. A list is redacted record by record.
    """
    if isinstance(obj, (list, tuple)):
        return [redact(v, fields, key) for v in obj]
    own = set()
    _secret_values(obj, fields, own)
    for value in own:
        _add(_from_records, value)
    secrets = sorted(own, key=len, reverse=True) + run_secrets() if own else run_secrets()
    return _redacted(obj, fields, key, secrets)


def _secret_values(obj, fields, found):
    if isinstance(obj, dict):
        found.update(obj[f] for f in fields if isinstance(obj.get(f), str) and len(obj[f]) >= 4)
        for value in obj.values():
            _secret_values(value, fields, found)
    elif isinstance(obj, (list, tuple)):
        for value in obj:
            _secret_values(value, fields, found)


def _redacted(obj, fields, key, secrets):
    if isinstance(obj, dict):
        return dict((k, _redacted(v, fields, k, secrets)) for k, v in obj.items() if k not in fields)
    if isinstance(obj, (list, tuple)):
        return [_redacted(v, fields, key, secrets) for v in obj]
    if isinstance(obj, str):
        text = mask_known(obj, known=secrets)
        return mask_url(text) if _URL_FIELD.search(str(key)) else text
    return obj
