# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options shared by every module and the inventory plugin.

Option names, environment fallbacks and defaults live here once; the doc
fragments in ``plugins/doc_fragments`` describe the same options.
"""

from __future__ import annotations

from ansible.module_utils.basic import env_fallback

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError

PROVIDERS = ("openport", "ngrok", "pinggy")

DEFAULT_URLS = {
    "openport": "https://api.openport.io/api/v2",
    "ngrok": "https://api.ngrok.com",
    "pinggy": "https://dashboard.pinggy.io/backend/api/v1",
}

# option name -> environment variables, per provider
CREDENTIAL_OPTIONS = {
    "openport": ("openport_token", ["OPENPORT_TOKEN"]),
    "ngrok": ("ngrok_api_key", ["NGROK_API_KEY"]),
    "pinggy": ("pinggy_api_key", ["PINGGY_API_KEY"]),
}
URL_OPTIONS = {
    "openport": ("openport_api_url", ["OPENPORT_API_URL"]),
    "ngrok": ("ngrok_api_url", ["NGROK_API_BASE_URL", "NGROK_API_URL"]),
    "pinggy": ("pinggy_api_url", ["PINGGY_API_URL"]),
}

NGROK_RATE_LIMIT = 120
NGROK_RATE_WINDOW = 60.0


def provider_argument_spec(provider, required=False):
    """The connection options of one provider, with their environment fallbacks."""
    cred, cred_env = CREDENTIAL_OPTIONS[provider]
    url, url_env = URL_OPTIONS[provider]
    spec = {
        cred: dict(type="str", no_log=True, required=False, fallback=(env_fallback, cred_env)),
        url: dict(type="str", fallback=(env_fallback, url_env)),
    }
    if provider == "ngrok":
        spec["ngrok_rate_limit"] = dict(type="int", fallback=(env_fallback, ["NGROK_RATE_LIMIT"]))
        spec["ngrok_rate_window"] = dict(type="float", fallback=(env_fallback, ["NGROK_RATE_WINDOW"]))
    return spec


def common_argument_spec():
    return {
        "validate_certs": dict(type="bool", default=True),
        "ca_path": dict(type="path"),
        "timeout": dict(type="float", default=30.0),
        "retries": dict(type="int", default=5),
    }


def argument_spec(*providers):
    spec = common_argument_spec()
    for provider in providers:
        spec.update(provider_argument_spec(provider))
    return spec


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
    timeout = params.get("timeout")
    if timeout is not None and float(timeout) <= 0:
        raise TunnelConfigError("timeout", "must be a positive number of seconds, got %s" % timeout)
    retries = params.get("retries")
    if retries is not None and int(retries) < 0:
        raise TunnelConfigError("retries", "must be 0 or more, got %s" % retries)
    if provider == "ngrok":
        limit = params.get("ngrok_rate_limit")
        if limit is not None and int(limit) < 0:
            raise TunnelConfigError("ngrok_rate_limit", "must be 0 (no pacing) or more, got %s" % limit)
        window = params.get("ngrok_rate_window")
        if window is not None and float(window) <= 0:
            raise TunnelConfigError("ngrok_rate_window", "must be a positive number of seconds, got %s" % window)
    return url.rstrip("/")


def client_from_params(provider, params, **kwargs):
    """A provider client built from module or plugin options (after validation)."""
    # Imported here so that a missing 'requests' is reported by the caller first.
    from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok import client as ngrok
    from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport import client as openport
    from ansible_collections.tunnelops.tunnels.plugins.module_utils._pinggy import client as pinggy

    url = check_connection_params(provider, params)
    common = dict(
        base_url=url,
        timeout=params.get("timeout") or 30.0,
        validate_certs=params.get("validate_certs", True) is not False,
        ca_path=params.get("ca_path"),
        retries=params.get("retries") if params.get("retries") is not None else 5,
    )
    common.update(kwargs)
    if provider == "openport":
        return openport.OpenportClient(params["openport_token"], **common)
    if provider == "ngrok":
        limit = params.get("ngrok_rate_limit")
        window = params.get("ngrok_rate_window")
        return ngrok.NgrokClient(params["ngrok_api_key"],
                                 rate_limit=NGROK_RATE_LIMIT if limit is None else limit,
                                 rate_window=window or NGROK_RATE_WINDOW, **common)
    if provider == "pinggy":
        return pinggy.PinggyClient(params["pinggy_api_key"], **common)
    raise TunnelConfigError("providers", "unknown provider %r; expected one of %s" % (provider, ", ".join(PROVIDERS)))
