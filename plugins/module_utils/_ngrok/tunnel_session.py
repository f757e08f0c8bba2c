# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ngrok_tunnel_session module: stop, restart or update ngrok agent sessions chosen by id or by a filter.

The online sessions are listed once; the selection is made on that listing, so
that a filter never matches more than what was seen, and every id is checked
before the first action is sent.  Each chosen session gets its action and its own
``outcome``: a refusal of one session never stops the others.  Refusals that say
the action does not apply to a session (``NOT_APPLICABLE``) leave it unchanged,
with the reason; any other refusal is a failure, and the task fails once every
session was tried, saying what was done.
"""

from __future__ import annotations

from ansible_collections.tunnelops.tunnels.plugins.module_utils._state.plan import apply_noting
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import (
    TunnelApiError, TunnelConfigError, TunnelResultError)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.masking import redact
from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok.client import ERROR_ADVICE

ACTIONS = ("stop", "restart", "update")
# option -> how a session record gives that value
FILTERS = {
    "metadata": lambda s: s.get("metadata") or "",
    "credential_id": lambda s: (s.get("credential") or {}).get("id"),
    "region": lambda s: s.get("region"),
    "agent_version": lambda s: s.get("agent_version"),
}
OUTCOMES = {"stop": "stopped", "restart": "restarted", "update": "update requested"}
NOT_APPLICABLE_OUTCOME = "not applicable"
FAILED = "failed"

# Refusals that are no failure: the action does not apply to the session, which is left as it is
# (ngrok-api-notes.md 2.4 and the decisions table).  Matched on the code of any error answer, since
# the status of these refusals is not documented (a 4xx is likely; the emulator can also answer 500).  Every other refusal is a failure: 805 (the agent
# cannot be stopped remotely: it keeps running), 806 (too old to update remotely: update it by hand),
# 807/808 (the agent failed to stop or restart), a 404 on restart or update (it went offline), 5xx.
NOT_APPLICABLE = {
    ("update", "ERR_NGROK_809"): "no update to apply: none is available, update checks are off, an update is "
                                 "running, or the agent updated and waits for a restart",
    ("update", "ERR_NGROK_1121"): "an SSH reverse-tunnel session has no agent to update",
    ("restart", "ERR_NGROK_1122"): "an SSH reverse-tunnel session has no agent to restart",
    ("restart", "ERR_NGROK_804"): "this agent cannot be restarted remotely (Windows agents cannot)",
}


def unique_ids(ids):
    """The ids in their first order without repeats, and the ids that were repeated."""
    order, repeated = [], []
    for session_id in ids or []:
        if session_id not in order:
            order.append(session_id)
        elif session_id not in repeated:
            repeated.append(session_id)
    return order, repeated


def select(sessions, ids=None, filters=None):
    """The sessions named by ``ids`` (when given) that match every filter; and the ids not online."""
    filters = dict((k, v) for k, v in (filters or {}).items() if v is not None)
    online = dict((s.get("id"), s) for s in sessions)
    pool = [online[i] for i in ids if i in online] if ids else list(sessions)
    chosen = [s for s in pool if all(FILTERS[k](s) == v for k, v in filters.items())]
    missing = [i for i in (ids or []) if i not in online]
    return chosen, missing


def act(client, action, session_id):
    """``(outcome, changed, reason)`` of one action: an API refusal is an outcome, never an exception."""
    try:
        answer = client.session_action(session_id, action)
    except TunnelApiError as exc:
        return refusal(action, exc)
    if answer == "gone":
        return "already gone", False, "the agent had already left before this stop (ngrok answered 404)"
    if answer == "exited":
        return "stopped (the agent exited)", True, None
    return OUTCOMES[action], True, None


def refusal(action, exc):
    said = exc.message
    advice = " (%s)" % ERROR_ADVICE.get(exc.code)
    if said.endswith(advice):
        said = said[:-len(advice)]  # the reason says it in its own words
    said = "%s: %s" % (exc.code, said) if exc.code else said
    if exc.status is not None and exc.status >= 400 and (action, exc.code) in NOT_APPLICABLE:
        return NOT_APPLICABLE_OUTCOME, False, "%s (%s)" % (NOT_APPLICABLE[(action, exc.code)], said)
    if exc.status == 404 and not exc.code and not exc.details.get("path"):
        return FAILED, False, "the session is no longer online, so it cannot be %s (ngrok answered 404)" \
            % OUTCOMES[action]
    return FAILED, False, str(exc)


def run(tm):
    """The ngrok_tunnel_session module."""
    params = tm.params
    action = params["action"]
    ids, repeated = unique_ids(params.get("id"))
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
    result = {"changed": bool(chosen), "sessions": shown, "missing": missing, "duplicate_ids": repeated,
              "failed_sessions": []}
    if tm.check_mode or not chosen:
        for session in shown:
            session.update(outcome="would be %s" % OUTCOMES[action], changed=True)
        return result
    return finish(tm, action, _apply(tm, client, action, chosen, shown), result)


def _apply(tm, client, action, chosen, shown):
    def note(position, answer):
        outcome, changed, reason = answer
        shown[position].update(outcome=outcome, changed=changed)
        if reason:
            shown[position]["reason"] = reason
        if changed:
            tm.record("%s agent session" % action, id=chosen[position]["id"])

    apply_noting(range(len(chosen)), lambda position: act(client, action, chosen[position]["id"]), note,
                 workers=getattr(client, "workers", 1))
    return shown


def finish(tm, action, shown, result):
    """The result; when a session failed, a failure that carries it, once every session was tried."""
    result["changed"] = any(s["changed"] for s in shown)
    failed = [s for s in shown if s["outcome"] == FAILED]
    result["failed_sessions"] = [s["id"] for s in failed]
    if not failed:
        return result
    counts = {}
    for session in shown:
        if session["outcome"] != FAILED:
            counts[session["outcome"]] = counts.get(session["outcome"], 0) + 1
    tried = ", ".join("%d %s" % (n, outcome) for outcome, n in sorted(counts.items()))
    raise TunnelResultError("could not %s %d of %d agent sessions: %s. Every chosen session was tried%s."
                            % (action, len(failed), len(shown),
                               "; ".join("%s (%s)" % (s["id"], s["reason"].rstrip(".")) for s in failed),
                               ": " + tried if tried else ""), result)
