# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options of every module and of the inventory plugin, declared once.

``OPTIONS`` is the one source: each option's name, type, provider, environment
variables, default, whether it is a secret and whether an inventory source may
template it.  The modules' argument specs and the inventory plugin's option list
are built from it; the doc fragments in ``plugins/doc_fragments`` describe the same
options, and a unit test checks that the three agree.
"""

from __future__ import annotations

import os
import re

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover
    from urlparse import urlsplit

from ansible.module_utils.basic import env_fallback

from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.providers import PROVIDERS
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError

DEFAULT_URLS = {
    "openport": "https://api.openport.io/api/v2",
    "ngrok": "https://api.ngrok.com",
    "pinggy": "https://dashboard.pinggy.io/backend/api/v1",
}
NGROK_RATE_LIMIT = 120
NGROK_RATE_WINDOW = 60.0
MAX_URL_LENGTH = 2048
# What an HTTP header or a query string can carry as it is: printable ASCII, no space.
_SENDABLE = re.compile(r"^[\x21-\x7e]+$")
_UNSENDABLE_URL = re.compile(r"[\s\x00-\x1f\x7f]")


class Option:
    """One connection option; ``role`` is ``credential`` or ``url`` for a provider's own two."""

    def __init__(self, name, type, provider=None, env=(), default=None, secret=False, templated=False, role=None):
        self.name = name
        self.type = type
        self.provider = provider
        self.env = tuple(env)
        self.default = default
        self.secret = secret
        self.templated = templated
        self.role = role

    def argument_spec(self):
        spec = dict(type=self.type)
        if self.default is not None:
            spec["default"] = self.default
        if self.secret:
            spec["no_log"] = True
        if self.env:
            spec["fallback"] = (env_fallback, list(self.env))
        return spec


OPTIONS = (
    Option("openport_token", "str", "openport", ["OPENPORT_TOKEN"], secret=True, templated=True, role="credential"),
    Option("openport_api_url", "str", "openport", ["OPENPORT_API_URL"], templated=True, role="url"),
    Option("ngrok_api_key", "str", "ngrok", ["NGROK_API_KEY"], secret=True, templated=True, role="credential"),
    Option("ngrok_api_url", "str", "ngrok", ["NGROK_API_BASE_URL", "NGROK_API_URL"], templated=True, role="url"),
    Option("ngrok_rate_limit", "int", "ngrok", ["NGROK_RATE_LIMIT"]),
    Option("ngrok_rate_window", "float", "ngrok", ["NGROK_RATE_WINDOW"]),
    Option("ngrok_rate_scope", "str", "ngrok", ["NGROK_RATE_SCOPE"]),
    Option("pinggy_api_key", "str", "pinggy", ["PINGGY_API_KEY"], secret=True, templated=True, role="credential"),
    Option("pinggy_api_url", "str", "pinggy", ["PINGGY_API_URL"], templated=True, role="url"),
    Option("validate_certs", "bool", default=True),
    Option("ca_path", "path", templated=True),
    Option("timeout", "float", default=30.0),
    Option("retries", "int", default=5),
)
BY_NAME = dict((option.name, option) for option in OPTIONS)


def _of(provider, role):
    return next(option for option in OPTIONS if option.provider == provider and option.role == role)


# provider -> (option name, environment variables)
CREDENTIAL_OPTIONS = dict((p, (_of(p, "credential").name, list(_of(p, "credential").env))) for p in PROVIDERS)
URL_OPTIONS = dict((p, (_of(p, "url").name, list(_of(p, "url").env))) for p in PROVIDERS)


def argument_spec():
    """The connection options as an argument spec: every module takes every provider's options."""
    return dict((option.name, option.argument_spec()) for option in OPTIONS)


def resolved(params):
    """The options as the collection uses them: an option set to an empty string counts as not set,
    so that its environment variable applies (``openport_token: ""`` with OPENPORT_TOKEN set).

    Ansible applies the environment only to options left out; an inventory source or a
    ``module_defaults`` entry that renders empty would otherwise hide it.  The caller's dict is not changed.
    """
    params = dict(params)
    for option in OPTIONS:
        value = params.get(option.name)
        if option.env and isinstance(value, str) and not value.strip():
            params[option.name] = next((os.environ[name] for name in option.env if os.environ.get(name)), value)
    return params


def credential_of(provider, params):
    value = resolved(params).get(CREDENTIAL_OPTIONS[provider][0])
    return value if isinstance(value, str) and value.strip() else None


def has_credentials(provider, params):
    return bool(credential_of(provider, params))


def check_connection_params(provider, params):
    """Raise TunnelConfigError for a missing or unsendable credential, a malformed URL or a missing CA file;
    return the base URL."""
    params = resolved(params)
    _check_credential(provider, params)
    url_option = URL_OPTIONS[provider][0]
    url = params.get(url_option) or DEFAULT_URLS[provider]
    check_url(url_option, url)
    _check_ca_path(params, url)
    _check_positive(params, "timeout", float, "must be a positive number of seconds, got %s", strict=True)
    _check_positive(params, "retries", int, "must be 0 or more, got %s")
    if provider == "ngrok":
        _check_positive(params, "ngrok_rate_limit", int, "must be 0 (no pacing) or more, got %s")
        _check_positive(params, "ngrok_rate_window", float, "must be a positive number of seconds, got %s",
                        strict=True)
    return url.rstrip("/")


def _check_credential(provider, params):
    option, env = CREDENTIAL_OPTIONS[provider]
    value = params.get(option)
    if not credential_of(provider, params):
        if isinstance(value, str):
            raise TunnelConfigError(option, "is empty and the %s environment variable is not set either; give "
                                    "the %s credential in one of them" % (" or ".join(env), provider))
        raise TunnelConfigError(option, "no %s credential was given; set the option or the %s "
                                "environment variable" % (provider, " or ".join(env)))
    if not _SENDABLE.match(value):
        position = next(i for i, char in enumerate(value) if not _SENDABLE.match(char)) + 1
        # The value is a secret: the message says where the problem is, never what the value holds.
        raise TunnelConfigError(option, "holds a character that cannot be sent to the API (character %d is a space, "
                                "a line break, a control character or not ASCII); a credential is ASCII letters, "
                                "digits and punctuation: check for a stray line break or a copy-paste error"
                                % position)


def check_url(option, url):
    """An http(s) URL with a host, no spaces or control characters, of a sane length."""
    if not isinstance(url, str) or len(url) > MAX_URL_LENGTH:
        raise TunnelConfigError(option, "is %d characters long; a base URL has at most %d" % (len(url), MAX_URL_LENGTH))
    shown = url if len(url) <= 80 else url[:77] + "..."
    if _UNSENDABLE_URL.search(url):
        raise TunnelConfigError(option, "%r holds a space, a line break or a control character" % shown)
    try:
        parts = urlsplit(url)
        good = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        good = False
    if not good:
        raise TunnelConfigError(option, "%r is not an http(s) URL with a host name, like %s"
                                % (shown, "https://api.example.com/api/v2"))


def _check_ca_path(params, url):
    ca_path = params.get("ca_path")
    if ca_path and params.get("validate_certs", True) is not False and url.startswith("https://") \
            and not os.path.exists(ca_path):
        raise TunnelConfigError("ca_path", "%s does not exist; give the PEM file (or directory) of the CA "
                                "certificates that sign the API's certificate" % ca_path)


def _check_positive(params, option, kind, text, strict=False):
    value = params.get(option)
    if value is not None and (kind(value) <= 0 if strict else kind(value) < 0):
        raise TunnelConfigError(option, text % value)


def client_from_params(provider, params, **kwargs):
    """A provider client built from module or plugin options (after validation)."""
    # Imported here so that a missing 'requests' is reported by the caller first.
    from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok.client import NgrokClient
    from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport.client import OpenportClient
    from ansible_collections.tunnelops.tunnels.plugins.module_utils._pinggy.client import PinggyClient

    url = check_connection_params(provider, params)
    params = resolved(params)
    common = dict(
        timeout=params.get("timeout") or 30.0,
        validate_certs=params.get("validate_certs", True) is not False,
        ca_path=params.get("ca_path"),
        retries=params.get("retries") if params.get("retries") is not None else 5,
        credential_names=CREDENTIAL_OPTIONS[provider],
    )
    common.update(kwargs)
    credential = params[CREDENTIAL_OPTIONS[provider][0]]
    if provider == "ngrok":
        limit, window = params.get("ngrok_rate_limit"), params.get("ngrok_rate_window")
        common.update(rate_limit=NGROK_RATE_LIMIT if limit is None else limit, rate_window=window or NGROK_RATE_WINDOW,
                      rate_scope=params.get("ngrok_rate_scope") or None)
    clients = {"openport": OpenportClient, "ngrok": NgrokClient, "pinggy": PinggyClient}
    return clients[provider](credential, url, **common)


def select_providers(params, requested=None, supported=PROVIDERS, option="providers"):
    """The providers to ask: those named, else every supported one with credentials.

    A provider named without its credential is an error naming the option and
    its environment variable, raised before any request.
    """
    params = resolved(params)
    if requested:
        chosen = []
        for provider in requested:
            if provider not in supported:
                raise TunnelConfigError(option, "%r is not a provider this can ask; choose from %s"
                                        % (provider, ", ".join(supported)))
            check_connection_params(provider, params)
            if provider not in chosen:
                chosen.append(provider)
        return chosen
    chosen = [p for p in supported if has_credentials(p, params)]
    if not chosen:
        names = ["%s (or %s)" % (CREDENTIAL_OPTIONS[p][0], " or ".join(CREDENTIAL_OPTIONS[p][1]))
                 for p in supported]
        raise TunnelConfigError(option, "no provider has credentials; set at least one of %s" % ", ".join(names))
    return chosen
