"""ngrok tunnel-session actions (stop, restart, update): what an agent refuses, and how it leaves.

Sources (shared/providers/): ngrok-api-notes.md §2.4 and ngrok-openapi.yaml (TunnelSessionsRestart:
"notably not supported on Windows"; TunnelSessionsUpdate: "This call will fail in any of the following
circumstances: there is no update available, the ngrok agent's configuration disabled update checks, the
agent is currently in process of updating, the agent has already successfully updated but has not yet
been restarted"); the error codes 804 (no remote restart), 809 (the agent failed to update), 810 (the
agent went away), 1121/1122 (SSH sessions cannot update / restart); the decisions table's last row (the
refusal is most likely ERR_NGROK_809, its status is undocumented; a stopped agent leaves
asynchronously, so a second stop may answer 404).

A session record's `_update` says where its agent stands: `none` (no update available: the default),
`available`, `disabled` (update checks off), `running` or `updated` (updated, not restarted yet).
"""

from __future__ import annotations

import time

from . import factories
from .common import empty_response, utcnow
from .ngrok import NgrokError, json_body, not_found

UPDATE_REFUSALS = {
    "none": "no update is available",
    "disabled": "the agent's configuration disabled update checks",
    "running": "the agent is already updating",
    "updated": "the agent has already updated and has not been restarted yet",
}
GONE_MSG = ("There was a networking error while trying to send this operation to the ngrok agent or trying to "
            "read the response. The ngrok agent may have already exited.")


def action(core, req, rec, name):
    """POST /tunnel_sessions/<id>/<name>: a JSON body ({} in practice), then 204 or the agent's refusal."""
    if not req.body:
        if not req.header("Content-Type"):
            json_body(req, {"id"})          # raises 216
        raise NgrokError(400, 213, "The 'application/json' request body could not be parsed: unexpected end "
                                   "of JSON input.")
    json_body(req, {"id"})
    n = core.state.ngrok
    if rec["id"] in n.leaving:             # told to stop, not gone yet: the API no longer reaches it
        raise not_found()
    checks = core.config["ngrok_session_checks"]
    if rec["_gone"] and (name == "stop" or checks):
        remove_session(core, rec["id"])
        raise NgrokError(400, 810, GONE_MSG)
    if checks:
        _refuse(core, rec, name)
    if name == "stop":
        _stop(core, rec)
    elif name == "restart":
        _restart(core, rec)
    elif checks:
        rec["_update"] = "updated"
    return empty_response(204)


def _refuse(core, rec, name):
    """The agent's refusals, at the status the decisions table leaves open (`ngrok_action_refused_status`)."""
    status = core.config["ngrok_action_refused_status"]
    if name == "stop":
        return
    if rec["transport"] == "ssh":           # an SSH reverse tunnel has no agent to update or restart
        code = 1121 if name == "update" else 1122
        raise NgrokError(status, code, f"SSH sessions do not support {name}.")
    if name == "restart" and rec["os"] == "windows":
        raise NgrokError(status, 804, "This ngrok agent does not support remote restarting: restart is not "
                                      "supported on Windows.")
    if name == "update" and rec["_update"] != "available":
        raise NgrokError(status, 809, "The remote ngrok agent failed to update because of an error: "
                                      f"{UPDATE_REFUSALS[rec['_update']]}.")


def _stop(core, rec):
    """The agent exits asynchronously: listed (with its tunnels) for `ngrok_stop_linger_seconds` more."""
    n = core.state.ngrok
    linger = core.config["ngrok_stop_linger_seconds"]
    if linger > 0:
        n.leaving[rec["id"]] = time.monotonic() + linger
        core.machines.ngrok_session_ended(rec["id"])    # the agent is exiting: its forward closes now
    else:
        remove_session(core, rec["id"])


def _restart(core, rec):
    """The agent re-execs and reconnects: a new session id, and new tunnels with it (same URLs)."""
    n = core.state.ngrok
    tunnels = [t for t in n.tunnels.items.values() if t["tunnel_session"] == rec["id"]]
    remove_session(core, rec["id"])
    fields = {k: rec[k] for k in ("agent_version", "credential", "ip", "metadata", "os", "region", "transport")}
    new = factories.ng_session(core.state, started_at=utcnow(), **fields)   # an updated agent runs its update
    for t in tunnels:
        factories.ng_tunnel(core.state, tunnel_session=new["id"], proto=t["proto"], public_url=t["public_url"],
                            forwards_to=t["forwards_to"], metadata=t["metadata"], started_at=new["started_at"],
                            endpoint=bool(t["endpoint"]))
    core.machines.ngrok_session_restarted(rec["id"], new["id"])   # a machine's forward re-opens


def remove_session(core, sid):
    """Where a tunnel session really ends: it, its tunnels and their agent endpoints leave the lists, and a
    machine's forward closes."""
    n = core.state.ngrok
    n.leaving.pop(sid, None)
    n.tunnel_sessions.remove(sid)
    for t in [t for t in n.tunnels.items.values() if t["tunnel_session"] == sid]:
        n.tunnels.remove(t["id"])
        if t["endpoint"]:
            n.endpoints.remove(t["endpoint"])
    core.machines.ngrok_session_ended(sid)


def expire_leaving(core):
    """Remove the stopped sessions whose agents have gone by now (called before each ngrok request)."""
    n = core.state.ngrok
    if n.leaving:
        now = time.monotonic()
        for sid in [sid for sid, deadline in n.leaving.items() if deadline <= now]:
            remove_session(core, sid)
