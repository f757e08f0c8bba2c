# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Inventory plugins read their options through Ansible's configuration
    # system, not an argument spec: the environment fallbacks that the modules
    # get from connection.py must be declared as ``env:`` entries here.
    #
    # This fragment only adds those entries (and templating) to the options
    # described by tunnelops.tunnels.openport, .ngrok, .pinggy and .common;
    # use it together with them.  Fragments are merged option by option, so
    # the description and type come from the provider fragments.
    DOCUMENTATION = r"""
options:
  openport_token:
    env:
      - name: OPENPORT_TOKEN
  openport_api_url:
    env:
      - name: OPENPORT_API_URL
  ngrok_api_key:
    env:
      - name: NGROK_API_KEY
  ngrok_api_url:
    env:
      - name: NGROK_API_BASE_URL
      - name: NGROK_API_URL
  ngrok_rate_limit:
    env:
      - name: NGROK_RATE_LIMIT
  ngrok_rate_window:
    env:
      - name: NGROK_RATE_WINDOW
  pinggy_api_key:
    env:
      - name: PINGGY_API_KEY
  pinggy_api_url:
    env:
      - name: PINGGY_API_URL
notes:
  - In an inventory source file the credential and URL options may be templates, for example
    V("{{ lookup('ansible.builtin.env', 'MY_NGROK_KEY') }}"); they are rendered with the
    inventory plugin's templar. Values taken from environment variables are used as they are.
  - Credentials are used for the API requests only. They never become host variables and never go
    into the inventory cache.
"""
