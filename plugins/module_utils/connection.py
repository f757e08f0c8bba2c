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


def credential_of(provider, params):
    return params.get(CREDENTIAL_OPTIONS[provider][0])


def has_credentials(provider, params):
    return bool(credential_of(provider, params))


def check_connection_params(provider, params):
    """Raise TunnelConfigError for a missing credential or a malformed URL."""
    cred_option, cred_env = CREDENTIAL_OPTIONS[provider]
    if not params.get(cred_option):
        raise TunnelConfigError(cred_option, "no %s credential was given; set the option or the %s "
                                "environment variable" % (provider, " or ".join(cred_env)))
    url_option = URL_OPTIONS[provider][0]
    url = params.get(url_option) or DEFAULT_URLS[provider]
    if not (url.startswith("https://") or url.startswith("http://")) or len(url) < 10:
        raise TunnelConfigError(url_option, "%r is not an http(s) URL" % url)
    _check_positive(params, "timeout", float, "must be a positive number of seconds, got %s", strict=True)
    _check_positive(params, "retries", int, "must be 0 or more, got %s")
    if provider == "ngrok":
        _check_positive(params, "ngrok_rate_limit", int, "must be 0 (no pacing) or more, got %s")
        _check_positive(params, "ngrok_rate_window", float, "must be a positive number of seconds, got %s",
                        strict=True)
    return url.rstrip("/")


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
        common.update(rate_limit=NGROK_RATE_LIMIT if limit is None else limit, rate_window=window or NGROK_RATE_WINDOW)
    clients = {"openport": OpenportClient, "ngrok": NgrokClient, "pinggy": PinggyClient}
    return clients[provider](credential, url, **common)


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
