# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether an Openport session's port is already open for the controller, read from the click log.

A click on a session's open-for-IP link lets the clicking address reach the port for 24 hours
and is logged in ``/openforiplinkclicks/`` as ``{port, source_ip, timestamp, key_name}``. The
address that matters is the one Openport sees (the controller's public address, after any NAT),
which the controller cannot know by itself: it is given (``source_ip``), remembered from an
earlier run (a small file, for an hour), or learned from the log rows that this run's own
clicks added.

Admissions belong to a session, the log only names a port: after a port move, or a port that a
new session reuses, an older click for that port does not cover the current session. Sessions
have no start time in the API; the nearest thing is their key's ``last_connection_time``, so a
click older than it is not trusted (see ``assess``).
"""

from __future__ import annotations

import collections
import datetime
import json
import os
import tempfile

from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.addresses import parse_ip
from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.timestamps import parse_iso
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport.ip_link_targets import VALIDITY_SECONDS, as_port

VALIDITY = datetime.timedelta(seconds=VALIDITY_SECONDS)
# A remembered source address is trusted this long; a run that clicks checks it again in the log.
REMEMBER_SECONDS = 3600

Click = collections.namedtuple("Click", "port source when key_name")


def address_text(value):
    """An address as one text (``1.2.3.4:5678`` and ``1.2.3.4`` are one source)."""
    address = parse_ip(value)
    return str(address) if address is not None else (str(value) if value else None)


def recent_clicks(client, ports, now):
    """The log's clicks on ``ports`` within the last 24 hours (the API filters nothing: read as it streams)."""
    since = now - VALIDITY
    clicks = []
    for row in client.link_clicks.iter():
        port = as_port(row.get("port")) if isinstance(row, dict) else None
        if port not in ports:
            continue
        when = parse_iso(row.get("timestamp"))
        if when is not None and when > since:
            clicks.append(Click(port, address_text(row.get("source_ip")), when, row.get("key_name")))
    return clicks


def _minutes(seconds):
    return "%d min" % max(0, round(seconds / 60.0))


def _stamp(when):
    return when.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if when else None


def assess(target, clicks, source, now, renew_before):
    """``(state, reason, valid_until)``: ``covered``, ``click`` or (source unknown) ``maybe``.

    A click counts for the session when it is on its port, names its key (when both say), and is not
    older than the key's last connection: Openport gives no session start time, and a click from before
    the session started was for another session (a port move, or a reused port). The limit: if the key
    reconnected for another of its sessions, a still valid click looks older than that and is made again.
    """
    ours = [c for c in clicks if c.port == target["port"] and (source is None or c.source == source)
            and not (target["key_name"] and c.key_name and c.key_name != target["key_name"])]
    started = target["key_connected"]
    fresh = [c for c in ours if started is None or c.when >= started]
    who = "this controller (%s)" % source if source else "any address"
    if not fresh:
        if ours:
            return "click", ("the last click from %s (%s) is older than the session (its key connected at %s)"
                             % (who, _stamp(max(c.when for c in ours)), _stamp(started))), None
        return "click", "no click from %s on this port within 24 hours" % who, None
    until = max(c.when for c in fresh) + VALIDITY
    left = (until - now).total_seconds()
    if left <= renew_before:
        return "click", "the click from %s expires in %s (renew_before %d s)" % (who, _minutes(left), renew_before), until
    if source is None:
        sources = ", ".join(sorted(set(c.source or "?" for c in fresh)))
        return "maybe", "clicked from %s; whether that is this controller is not known yet" % sources, until
    return "covered", "opened from %s, valid for %s more" % (source, _minutes(left)), until


def learn_source(before, after, clicked_ports):
    """The address this run's clicks came from: the one new source on every clicked port, or None."""
    new = collections.Counter(after) - collections.Counter(before)
    by_port = {}
    for click in new.elements():
        if click.port in clicked_ports and click.source:
            by_port.setdefault(click.port, set()).add(click.source)
    if not by_port:
        return None
    common = set.intersection(*by_port.values())
    return common.pop() if len(common) == 1 else None


# -- the remembered address -------------------------------------------------------------------

def cache_path(option):
    """The file that remembers the learned address; None when the option is an empty string (off)."""
    if option == "":
        return None
    if option:
        return os.path.expanduser(option)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "tunnelops", "openport-source-ip.json")


def _read(path):
    try:
        with open(path) as handle:
            data = json.load(handle)
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def remembered_source(path, api_url, now):
    """The address learned for this API within the last hour, or None."""
    entry = _read(path).get(api_url) if path else None
    if not isinstance(entry, dict):
        return None
    learned = parse_iso(entry.get("learned_at"))
    address = parse_ip(entry.get("source_ip"))
    if address is None or learned is None or not 0 <= (now - learned).total_seconds() < REMEMBER_SECONDS:
        return None
    return str(address)


def remember_source(path, api_url, address, now):
    """Write the learned address (no secret: an address and a time); an unwritable file is not an error."""
    if not path:
        return False
    data = _read(path)
    data[api_url] = {"source_ip": address, "learned_at": _stamp(now)}
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=".source-ip-")
        with os.fdopen(handle, "w") as out:
            json.dump(data, out, sort_keys=True)
        os.replace(temporary, path)
    except OSError:
        return False
    return True
