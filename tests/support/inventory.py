# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the tunnel_sessions inventory must show, read from the emulator's raw state, and its output read back.

The expectations are derived from ``GET <control>/state`` (the providers' own records) without the
collection's code, so that a normalization mistake in the plugin cannot hide behind the same mistake in
the test. Users: the inventory_tunnel_sessions integration target and the AWX-style runs
(tests/ecosystem/awx_jobs.py); ``unwrap`` also the reliability suite.
"""

from __future__ import annotations

import re
import urllib.parse

# What AWX sets for every inventory update (awx/main/constants.py): the AWX-style runs of the inventory
# (the integration target's awx_source.py, tests/ecosystem/awx_jobs.py) use the same.
STANDARD_INVENTORY_UPDATE_ENV = {
    "ANSIBLE_INVENTORY_UNPARSED_FAILED": "True",
    "ANSIBLE_INVENTORY_EXPORT": "True",
    "ANSIBLE_VERBOSE_TO_STDERR": "True",
    "ANSIBLE_HOST_PATTERN_MISMATCH": "error",
}


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
