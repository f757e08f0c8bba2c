# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's control API over HTTP (docs/dev/contracts.md, "Control API"), and the secrets in its state."""

from __future__ import annotations

import json
import ssl
import urllib.request

# Fields of provider records that hold credentials (the emulator's state shows them).
SECRET_FIELDS = ("token", "token_value", "virtualToken", "virtual_token_value", "api_key", "password", "secret")
# Shorter strings are not searched for: they would match by chance.
MIN_SECRET_LENGTH = 6


class Control:
    """``<control>/...`` of a running emulator: JSON in, JSON out."""

    def __init__(self, url, ca_cert=None, timeout=60):
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.context = ssl.create_default_context(cafile=ca_cert) if ca_cert else None

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=self.timeout, context=self.context) as answer:
            return json.loads(answer.read().decode() or "null")

    def reset(self, seed="default", scale=None, config=None, items=None):
        """State reseeded, log, counters, faults and config reset; then ``config`` and ``items``, in one call."""
        body = {"seed": seed, "scale": scale or {}}
        if config:
            body["config"] = config
        if items:
            body["items"] = items
        return self.call("POST", "/reset", body)

    def add_faults(self, rules):
        return self.call("POST", "/faults", {"rules": rules})

    def faults(self):
        return self.call("GET", "/faults")["rules"]

    def clear_log(self):
        self.call("POST", "/log/clear", {})

    def counters(self):
        return self.call("GET", "/counters")

    def requests(self):
        return self.call("GET", "/requests")["requests"]

    def state(self):
        return self.call("GET", "/state")

    def secrets(self):
        """Every secret the emulator knows (credentials, created tokens, token_value, ...)."""
        return self.call("GET", "/secrets")["secrets"]

    def all_secrets(self, state=None):
        """secrets(), plus every secret-field value of ``state`` (read when not given), sorted."""
        found = secret_values(state if state is not None else self.state())
        found.update(s for s in self.secrets() if len(s) >= MIN_SECRET_LENGTH)
        return sorted(found)


def secret_values(obj, found=None):
    """The values of secret-named fields in ``obj`` (an emulator state, nested), added to the set ``found``.

    Values shorter than MIN_SECRET_LENGTH are left out: they would match by chance."""
    found = set() if found is None else found
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key in SECRET_FIELDS and isinstance(value, str):
                if len(value) >= MIN_SECRET_LENGTH:
                    found.add(value)
            else:
                secret_values(value, found)
    elif isinstance(obj, list):
        for value in obj:
            secret_values(value, found)
    return found
