# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ngrok_tunnel_session module: stop, restart or update ngrok agent sessions chosen by id or by a filter.

The online sessions are listed once; the selection is made on that listing, so
that a filter never matches more than what was seen, and every id is checked
before the first action is sent.
"""

from __future__ import annotations

from ansible_collections.tunnelops.tunnels.plugins.module_utils._state.plan import apply_noting
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.masking import redact

ACTIONS = ("stop", "restart", "update")
# option -> how a session record gives that value
FILTERS = {
    "metadata": lambda s: s.get("metadata") or "",
    "credential_id": lambda s: (s.get("credential") or {}).get("id"),
    "region": lambda s: s.get("region"),
    "agent_version": lambda s: s.get("agent_version"),
}
OUTCOMES = {"stop": "stopped", "restart": "restarted", "update": "update requested"}


def select(sessions, ids=None, filters=None):
    """The sessions named by ``ids`` (when given) that match every filter; and the ids not online."""
    filters = dict((k, v) for k, v in (filters or {}).items() if v is not None)
    online = dict((s.get("id"), s) for s in sessions)
    pool = [online[i] for i in ids if i in online] if ids else list(sessions)
    chosen = [s for s in pool if all(FILTERS[k](s) == v for k, v in filters.items())]
    missing = [i for i in (ids or []) if i not in online]
    return chosen, missing


def run(tm):
    """The ngrok_tunnel_session module."""
    params = tm.params
    action = params["action"]
    ids = params.get("id") or []
    filters = dict((k, params.get(k)) for k in FILTERS)
    if not ids and all(v is None for v in filters.values()):
        raise TunnelConfigError("id", "name the sessions to %s: give id, or at least one of %s"
                                % (action, ", ".join(sorted(FILTERS))))
    client = tm.client("ngrok")
    for index, value in enumerate(ids):
        client.tunnel_sessions.check_id(value, option="id[%d]" % index)  # before any request (18.4)
    chosen, missing = select(client.tunnel_sessions.list(), ids, filters)
    if missing and action != "stop":
        raise TunnelConfigError("id", "no online agent session has the id %s, so it cannot be %s; nothing was "
                                "sent" % (", ".join(missing), OUTCOMES[action]))
    shown = [redact(s) for s in chosen]
    if tm.check_mode or not chosen:
        for session in shown:
            session["outcome"] = "would be %s" % OUTCOMES[action]
        return {"changed": bool(chosen), "sessions": shown, "missing": missing}

    def note(position, outcome):
        tm.record("%s agent session" % action, id=chosen[position]["id"])
        shown[position]["outcome"] = OUTCOMES[action] if outcome == "done" else "stopped (the agent exited)"

    apply_noting(range(len(chosen)), lambda position: client.session_action(chosen[position]["id"], action), note,
                 workers=getattr(client, "workers", 1))
    return {"changed": True, "sessions": shown, "missing": missing}
