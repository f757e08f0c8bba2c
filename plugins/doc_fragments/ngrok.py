# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # DOCUMENTATION: for modules (environment variables through the argument spec's fallbacks).
    # PLUGINS: for the inventory plugin, which reads the environment through `env:` entries.
    # Both describe the options of plugins/module_utils/connection.py; a unit test checks they agree.
    DOCUMENTATION = r"""
options:
  ngrok_api_key:
    description:
      - An ngrok API key (not an agent authtoken), sent as a bearer token, with the C(ngrok-version) header set to V(2).
      - If not set, the value of the E(NGROK_API_KEY) environment variable is used.
    type: str
  ngrok_api_url:
    description:
      - Base URL of the ngrok API.
      - If not set, the value of the E(NGROK_API_BASE_URL) (or E(NGROK_API_URL)) environment variable is used,
        and then V(https://api.ngrok.com).
    type: str
  ngrok_rate_limit:
    description:
      - Requests allowed per O(ngrok_rate_window) seconds. ngrok allows 120 per rolling minute per account;
        the collection paces its requests under that limit, shared by every API key, task and fork on the
        controller that uses the same account (see O(ngrok_rate_scope)), instead of running into HTTP 429.
        A 429 without C(Retry-After) is retried until at least one whole window has passed (unless
        O(retries) is V(0)).
      - If not set, the value of the E(NGROK_RATE_LIMIT) environment variable is used, and then V(120).
        V(0) turns pacing off (429 answers are still retried).
    type: int
  ngrok_rate_window:
    description:
      - Length in seconds of the rolling window of O(ngrok_rate_limit).
      - If not set, the value of the E(NGROK_RATE_WINDOW) environment variable is used, and then V(60).
    type: float
  ngrok_rate_scope:
    description:
      - Names the ngrok account whose rate limit the requests count against. ngrok counts the limit per
        account, for all its API keys together, so the collection keeps one budget per account on the
        controller, shared by every API key, task and fork.
      - If not set, the value of the E(NGROK_RATE_SCOPE) environment variable is used, and then the API's base
        URL (O(ngrok_api_url)) names the budget. Set it when several base URLs (a gateway, a proxy) reach one
        account, or give each account its own name when several accounts are used through one base URL.
      - This is only a name, never sent to ngrok; the credential never names a budget.
    type: str
"""

    PLUGINS = r"""
options:
  ngrok_api_key:
    description:
      - An ngrok API key (not an agent authtoken), sent as a bearer token, with the C(ngrok-version) header set to V(2).
      - May be a template in the inventory source, for example a lookup of a secret store.
    type: str
    env:
      - name: NGROK_API_KEY
  ngrok_api_url:
    description:
      - Base URL of the ngrok API; if not set, V(https://api.ngrok.com).
    type: str
    env:
      - name: NGROK_API_BASE_URL
      - name: NGROK_API_URL
  ngrok_rate_limit:
    description:
      - Requests allowed per O(ngrok_rate_window) seconds. ngrok allows 120 per rolling minute per account;
        the collection paces its requests under that limit, shared by every API key, task and fork on the
        controller that uses the same account (see O(ngrok_rate_scope)), instead of running into HTTP 429.
        A 429 without C(Retry-After) is retried until at least one whole window has passed (unless
        O(retries) is V(0)).
      - If not set, V(120). V(0) turns pacing off (429 answers are still retried).
    type: int
    env:
      - name: NGROK_RATE_LIMIT
  ngrok_rate_window:
    description:
      - Length in seconds of the rolling window of O(ngrok_rate_limit); if not set, V(60).
    type: float
    env:
      - name: NGROK_RATE_WINDOW
  ngrok_rate_scope:
    description:
      - Names the ngrok account whose rate limit the requests count against. ngrok counts the limit per
        account, for all its API keys together, so the collection keeps one budget per account on the
        controller, shared by every API key, task, fork and inventory source.
      - If not set, the API's base URL (O(ngrok_api_url)) names the budget. Set it when several base URLs
        reach one account, or give each account its own name when several accounts share one base URL.
      - This is only a name, never sent to ngrok; the credential never names a budget.
    type: str
    env:
      - name: NGROK_RATE_SCOPE
"""
