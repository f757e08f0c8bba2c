# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the collection reaches an emulator: its seeded account's credentials, as connection options or
as the environment variables the collection reads (docs/dev/contracts.md, "The emulator")."""

from __future__ import annotations

# The default credentials of the emulator's seeded account; any other value is an auth failure.
CREDENTIALS = {
    "openport_token": "op-emulator-token",
    "ngrok_api_key": "ngrok-emulator-key",
    "pinggy_api_key": "pinggy-emulator-key",
}
# The connection options and the first environment variable of each (plugins/module_utils/connection.py).
_URL_OPTIONS = (("openport", "openport_api_url", "OPENPORT_API_URL"), ("ngrok", "ngrok_api_url", "NGROK_API_BASE_URL"),
                ("pinggy", "pinggy_api_url", "PINGGY_API_URL"))
_CREDENTIAL_ENV = (("openport_token", "OPENPORT_TOKEN"), ("ngrok_api_key", "NGROK_API_KEY"),
                   ("pinggy_api_key", "PINGGY_API_KEY"))


def options(urls, credentials=None):
    """The connection options of all three providers for the emulator at ``urls``, as module arguments."""
    creds = credentials or CREDENTIALS
    found = dict((option, urls[provider]) for provider, option, _env in _URL_OPTIONS)
    found.update((option, creds[option]) for option, _env in _CREDENTIAL_ENV)
    return found


def environment(urls, credentials=None):
    """The same as environment variables, the AWX way: what the collection reads when no option is set."""
    creds = credentials or CREDENTIALS
    found = dict((env, urls[provider]) for provider, _option, env in _URL_OPTIONS)
    found.update((env, creds[option]) for option, env in _CREDENTIAL_ENV)
    return found
