# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Options every module and the inventory plugin share: DOCUMENTATION for modules, PLUGINS for the
    # inventory plugin. Both describe plugins/module_utils/connection.py; a unit test checks they agree.
    DOCUMENTATION = r"""
options:
  validate_certs:
    description:
      - Whether to verify the API server's TLS certificate.
      - Turning this off sends the credentials to whoever answers; use O(ca_path) for a private CA instead.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM file (or directory) of CA certificates to verify the API server with, for example the CA of a
        TLS-inspecting proxy or of the test emulator.
    type: path
  timeout:
    description:
      - Seconds to wait for each API answer before the request counts as timed out (and is retried where safe).
    type: float
    default: 30
  retries:
    description:
      - How many times a request is retried after a rate limit (HTTP 429), a gateway error (502, 503, 504),
        a dropped connection or a time-out, with exponential backoff and jitter; V(Retry-After) is honoured.
      - Reads are always retried. A write is retried only where it cannot act twice; a create whose answer is
        lost is looked up again first, so one create never makes two objects.
    type: int
    default: 5
notes:
  - Every module of the collection accepts the connection options of all three providers and uses those of the
    providers it talks to, so one C(module_defaults) entry for C(group/tunnelops.tunnels.tunnels) can hold the
    credentials of Openport, ngrok and Pinggy at once.
  - The collection never prints credentials. Openport's token travels in the URL query string and is masked
    in every URL the collection shows.
  - Ansible itself writes module arguments where the collection cannot mask them, with E(ANSIBLE_DEBUG) set to V(1)
    (printed) and E(ANSIBLE_KEEP_REMOTE_FILES) set to V(1) (kept C(AnsiballZ_*.py) files). Credentials given through
    their environment variables (or an AWX credential type that injects them) are no module arguments and stay out
    of both.
  - A connection option set to an empty string counts as not set, so that its environment variable applies.
requirements:
  - requests
"""

    PLUGINS = r"""
options:
  validate_certs:
    description:
      - Whether to verify the API server's TLS certificate.
      - Turning this off sends the credentials to whoever answers; use O(ca_path) for a private CA instead.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM file (or directory) of CA certificates to verify the API server with, for example the CA of a
        TLS-inspecting proxy or of the test emulator.
      - May be a template in the inventory source.
    type: path
  timeout:
    description:
      - Seconds to wait for each API answer before the request counts as timed out (and is retried where safe).
    type: float
    default: 30
  retries:
    description:
      - How many times a request is retried after a rate limit (HTTP 429), a gateway error (502, 503, 504),
        a dropped connection or a time-out, with exponential backoff and jitter; V(Retry-After) is honoured.
      - Reads are always retried. A write is retried only where it cannot act twice; a create whose answer is
        lost is looked up again first, so one create never makes two objects.
    type: int
    default: 5
notes:
  - In an inventory source file the credential and URL options and O(ca_path) may be templates, for example
    V("{{ lookup('ansible.builtin.env', 'MY_NGROK_KEY') }}"); they are rendered with the
    inventory plugin's templar. Values taken from environment variables are used as they are.
  - Credentials are used for the API requests only. They never become host variables and never go
    into the inventory cache.
  - The collection never prints credentials. Openport's token travels in the URL query string and is masked
    in every URL the collection shows.
requirements:
  - requests
"""
