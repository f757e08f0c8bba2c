# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's control API, and what the inventory must show, read from its raw state.

The expectations are derived from ``GET <control>/state`` (the providers' own
records) without the collection's code, so that a normalization mistake in the
plugin cannot hide behind the same mistake in the test.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
import urllib.request

CONFIG_KEYS = ("emulator_openport_url", "emulator_ngrok_url", "emulator_pinggy_url", "emulator_control_url",
               "openport_token", "ngrok_api_key", "pinggy_api_key")
# The ngrok rate limit of these functional tests, at the emulator (Control.reset) and in the client (its env).
NGROK_RATE_LIMIT_RAISED = "6000"
# Fields of provider records that hold credentials (the emulator's state shows them).
SECRET_FIELDS = ("token", "token_value", "virtualToken", "virtual_token_value", "api_key", "password", "secret")
# What AWX sets for every inventory update (awx/main/constants.py): the AWX-style runs of the inventory
# (awx_source.py here, tests/ecosystem/awx_jobs.py) use the same.
STANDARD_INVENTORY_UPDATE_ENV = {
    "ANSIBLE_INVENTORY_UNPARSED_FAILED": "True",
    "ANSIBLE_INVENTORY_EXPORT": "True",
    "ANSIBLE_VERBOSE_TO_STDERR": "True",
    "ANSIBLE_HOST_PATTERN_MISMATCH": "error",
}


def load_config(path):
    """The emulator URLs and credentials: integration_config.yml, overridden by the environment.

    ``EMULATOR_CONTROL_URL``, ``OPENPORT_TOKEN``, ... (the key names in upper case) win over the
    file, so the target also runs by hand against an emulator started with ``python -m tests.emulator``.
    """
    config = {}
    if os.path.exists(path):
        import yaml  # ansible-core depends on PyYAML
        with open(path, encoding="utf-8") as handle:
            config.update(yaml.safe_load(handle) or {})
    for key in CONFIG_KEYS:
        if os.environ.get(key.upper()):
            config[key] = os.environ[key.upper()]
    missing = [key for key in CONFIG_KEYS if not config.get(key)]
    if missing:
        raise SystemExit("inventory_tunnel_sessions: %s not found in %s or the environment"
                         % (", ".join(missing), path))
    return config


class Control:
    def __init__(self, url):
        self.url = url.rstrip("/")

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            return json.loads(answer.read().decode() or "null")

    def reset(self, scale=None):
        """The default fleet, ngrok's rate limit raised as in the client (NGROK_RATE_LIMIT_RAISED): these are
        functional tests, and the client's pacing window is shared with the targets that ran before."""
        self.call("POST", "/reset", {"seed": "default", "scale": scale or {},
                                     "config": {"ngrok_rate_limit": int(NGROK_RATE_LIMIT_RAISED)}})

    def clear_log(self):
        self.call("POST", "/log/clear", {})

    def counters(self):
        return self.call("GET", "/counters")

    def requests(self):
        return self.call("GET", "/requests")["requests"]

    def state(self):
        return self.call("GET", "/state")

    def secrets(self, state=None):
        """Every secret the emulator knows, plus every secret-field value in its state."""
        found = set(self.call("GET", "/secrets")["secrets"])
        _secret_values(state if state is not None else self.state(), found)
        return sorted(s for s in found if isinstance(s, str) and len(s) >= 6)


def _secret_values(obj, found):
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key in SECRET_FIELDS and isinstance(value, str) and value:
                found.add(value)
            else:
                _secret_values(value, found)
    elif isinstance(obj, list):
        for value in obj:
            _secret_values(value, found)


def unwrap(obj):
    """``ansible-inventory --list`` marks provider strings ``{"__ansible_unsafe": ...}``."""
    if isinstance(obj, dict):
        if set(obj) == {"__ansible_unsafe"}:
            return obj["__ansible_unsafe"]
        return dict((k, unwrap(v)) for k, v in obj.items())
    if isinstance(obj, list):
        return [unwrap(v) for v in obj]
    return obj


def _host_port(url):
    parts = urllib.parse.urlsplit(url)
    return parts.hostname, parts.port


def expected_sessions(state):
    """One entry per public endpoint, in the providers' terms: what each host must carry.

    ``record`` is the provider's record as the emulator holds it (for ngrok ``{"tunnel", "session"}``),
    secrets and emulator-only fields included: what ``raw`` is made from."""
    entries = []
    op = state["openport"]
    keys = dict((k["url"], k["name"]) for k in op["keys"])  # the account's own (others are foreign_keys)
    for s in op["sessions"]:
        fwd = s.get("http_forwarding_address")
        entries.append({
            "provider": "openport", "id": "openport-%s-%s" % (s["server"], s["port"]),
            "key_name": keys.get(s["key"]), "protocol": "http" if fwd else "tcp",
            "public_url": ("https://" + fwd) if fwd else "tcp://%s:%s" % (s["server"], s["port"]),
            "ssh": None if fwd else (s["server"], s["port"]), "region": s["server"],
            "local_port": s.get("local_port"), "record": s,
        })
    ng = state["ngrok"]
    names = dict((c["id"], c.get("description") or None) for c in ng["credentials"] + ng["ssh_credentials"])
    sessions = dict((s["id"], s) for s in ng["tunnel_sessions"])
    with_tunnels = set()
    for t in ng["tunnels"]:
        session = sessions.get(t["tunnel_session"]["id"], {})
        with_tunnels.add(session.get("id"))
        entries.append({
            "provider": "ngrok", "id": t["id"], "protocol": t["proto"], "public_url": t["public_url"],
            "key_name": names.get((session.get("credential") or {}).get("id")),
            "ssh": _host_port(t["public_url"]) if t["proto"] == "tcp" else None,
            "region": session.get("region") or t.get("region"),
            "local_port": int(t["forwards_to"].rsplit(":", 1)[1]) if ":" in t.get("forwards_to", "")
            and t["forwards_to"].rsplit(":", 1)[1].isdigit() else None,
            "record": {"tunnel": t, "session": session},
        })
    for s in ng["tunnel_sessions"]:
        if s["id"] not in with_tunnels:
            entries.append({"provider": "ngrok", "id": s["id"], "protocol": None, "public_url": None,
                            "key_name": names.get((s.get("credential") or {}).get("id")), "ssh": None,
                            "region": s.get("region"), "local_port": None,
                            "record": {"tunnel": None, "session": s}})
    for p in state["pinggy"]["active"]:
        host = p.get("subdomain") or p.get("customdomain")
        mode = p.get("mode") or ("udp" if p.get("modeUdp") == "udp" else None)
        url = {"http": "https://%s" % host, "tls": "tls://%s" % host}.get(mode, "tcp://%s:%s" % (host, p.get("port")))
        entries.append({
            "provider": "pinggy", "id": p["id"], "protocol": mode, "public_url": url,
            "key_name": p.get("tokenName") or p.get("virtualTokenName"),
            "ssh": (host, p["port"]) if mode in ("tcp", "tlstcp") else None, "region": None,
            "local_port": None, "record": p,
        })
    return entries


def expected_names(entries, first_field=None):
    """Host names: ``first_field`` when set, else the id, with host pattern syntax (spaces, commas, ...)
    replaced by ``_``; repeats get -2, -3 in (provider, id) order."""
    ordered = sorted(entries, key=lambda e: (e["provider"], e["id"]))
    wanted = [(e.get(first_field) if first_field else None) or e["id"] for e in ordered]
    wanted = [re.sub(r"^[!&~@]", "_", re.sub(r"[\s,:*?\[\]]", "_", name)) for name in wanted]
    taken = set(wanted)
    seen, result = set(), {}
    for entry, name in zip(ordered, wanted):
        if name in seen:
            number = 2
            while "%s-%d" % (name, number) in taken:
                number += 1
            name = "%s-%d" % (name, number)
            taken.add(name)
        seen.add(name)
        result[name] = entry
    return result


def pages(count, size):
    return max(1, -(-count // size))


def expected_requests(state):
    """Requests one listing of every provider needs: the pages of each list, nothing per session."""
    op, ng = state["openport"], state["ngrok"]
    return {
        "openport": pages(len(op["sessions"]), 1000) + pages(len(op["keys"]), 1000),
        "ngrok": sum(pages(len(ng[c]), 100) for c in ("tunnel_sessions", "tunnels", "credentials",
                                                      "ssh_credentials")),
        "pinggy": 1,
    }
