# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one stand-in for TunnelModule in unit tests: options, check mode, diff, what was done, clients."""

from __future__ import annotations


class FakeTM:
    """``client`` answers for every provider, ``clients`` ({provider: client}) per provider."""

    def __init__(self, client=None, params=None, check_mode=False, diff=True, clients=None):
        self.params = dict(params or {})
        self.check_mode = check_mode
        self.diff = diff
        self.done = []
        self.built = []
        self._client = client
        self._clients = dict(clients or {})

    def client(self, provider):
        self.built.append(provider)
        return self._clients.get(provider, self._client)

    def record(self, action, **details):
        self.done.append(dict(details, action=action))
