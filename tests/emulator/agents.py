"""What a simulated machine's agent does at each provider: register its key, connect, disconnect.

- Openport: the agent calls `POST /api/v1/request-port` (form fields of openport-go
  `requestPortForward`) in-process, through the same view that serves the HTTP endpoint, and
  reads the `PortResponse` JSON; a non-fatal `error` means "retry later" (openport.go
  `createTunnel` retries every 10 s; machines retry every `retry_interval`).
- ngrok: an SSH reverse tunnel authenticated by a key registered as an SSH credential
  (transport `ssh`), or the agent with an authtoken (transport `ngrok/2`); one TCP tunnel
  `tcp://127.0.0.1:<port>` forwarding to `localhost:<local port>`.
- Pinggy: a `tcp` mode tunnel (no key: the token is in the agent's SSH user name).
"""

from __future__ import annotations

import json
import uuid
from http.client import HTTPMessage
from urllib.parse import urlencode

from . import factories, openport_site
from .common import Request, utcnow

NGROK_AGENT_VERSION = "3.22.1"
AGENT_IP = "127.0.0.1"          # where the machines connect from (this host)


def register(core, m):
    """Add the machine's key to the account (the `register: true` spec field)."""
    st = core.state
    if m.provider == "openport":
        if m.identity in st.openport.pub_index:
            return
        if any(k["name"] == m.name for k in st.openport.keys.items.values()):
            raise ValueError(f"machines[{m.name}]: register: an Openport key named {m.name!r} already exists")
        factories.op_key(st, name=m.name, public_key=m.public_key, creation_time=utcnow(), last_connection_time=None)
    elif m.provider == "ngrok" and m.public_key:
        n = st.ngrok
        if m.identity in n.foreign_ssh:
            raise ValueError(f"machines[{m.name}]: register: this key is used by another ngrok account")
        if not any(r["_ident"] == m.identity for r in n.ssh_credentials.items.values()):
            factories.ng_ssh_credential(st, public_key=m.public_key, description=m.name, created_at=utcnow())


def connect(core, m, avoid_port=None) -> bool:
    return CONNECT[m.provider](core, m, avoid_port)


def disconnect(core, m):
    """The agent exits: its session ends now."""
    if m.session_id is not None:
        DISCONNECT[m.provider](core, m, m.session_id)


# --------------------------------------------------------------------------- Openport

def _internal_request(core, path, form):
    headers = HTTPMessage()
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    origin = core.machines.origin
    scheme, dummy, host = origin.partition("://")
    return Request(method="POST", path=openport_site.SITE + path, query="", headers=headers,
                   body=urlencode(form).encode(), scheme=scheme, host=host, subpath=path, client_ip=AGENT_IP)


def _openport_connect(core, m, avoid_port):
    form = {"public_key": m.public_key, "request_port": str(m.last_port or -1), "client_version": "emulator-machine",
            "restart_session_token": m.token or "", "local_port": str(m.local_port), "http_forward": "false",
            "platform": "linux", "forward_tunnel": "false", "automatic_restart": str(m.attempts > 0).lower()}
    if m.ip_link_protection is not None:
        form["ip_link_protection"] = str(m.ip_link_protection).lower()
    req = _internal_request(core, "/api/v1/request-port", form)
    answer = json.loads(openport_site.request_port(core, req, machine=m.name, target_host=m.local_host,
                                                   avoid_port=avoid_port).body)
    if answer.get("error"):
        m.last_error = answer["error"]
        if answer.get("fatal_error"):
            m.status = "stopped"           # the client exits on a fatal error
        return False
    m.token, m.last_port = answer["session_token"], answer["server_port"]
    return True


def _openport_session(core, sid):
    return next((r for r in openport_site.all_sessions(core) if r.get("_id") == sid), None)


def _openport_disconnect(core, m, sid):
    rec = _openport_session(core, sid)
    if rec is not None:
        openport_site.end_session(core, rec, retry=False)


def _openport_info(core, m, sid):
    rec = _openport_session(core, sid)
    return openport_site.session_info(core, rec, core.machines.origin) if rec else None


# --------------------------------------------------------------------------- ngrok

def _ngrok_credential(core, m):
    """(credential id, transport) the agent authenticates with, or (None, why not)."""
    n = core.state.ngrok
    if m.public_key:
        cred = next((r for r in n.ssh_credentials.items.values() if r["_ident"] == m.identity), None)
        return (cred["id"], "ssh") if cred else (None, "ssh: the public key is not an SSH credential of the account "
                                                       "(ngrok_ssh_credential registers it)")
    cred = n.credentials.get(m.credential) if m.credential else next(
        (r for r in n.credentials.items.values() if r["token"] == m.authtoken), None)
    if cred is None:                      # docs errors/err_ngrok_107
        return None, ("ERR_NGROK_107: The authtoken you specified is properly formed, but it is invalid "
                      "(the credential was deleted or never existed).")
    return cred["id"], "ngrok/2"


def _ngrok_connect(core, m, avoid_port):
    cred, how = _ngrok_credential(core, m)
    if cred is None:
        m.last_error = how
        return False
    st, now = core.state, utcnow()
    session = factories.ng_session(st, credential=cred, transport=how, ip=AGENT_IP, metadata=m.metadata,
                                   agent_version=NGROK_AGENT_VERSION if how == "ngrok/2" else "", started_at=now)
    try:
        fwd = core.machines.open_forward("ngrok", session["id"], (m.local_host, m.local_port), None,
                                         port=m.last_port, avoid=avoid_port)
    except OSError as exc:
        st.ngrok.tunnel_sessions.remove(session["id"])
        m.last_error = f"no port to listen on: {exc}"
        return False
    factories.ng_tunnel(st, tunnel_session=session["id"], proto="tcp", public_url=f"tcp://{fwd.host}:{fwd.port}",
                        forwards_to=f"localhost:{m.local_port}", metadata=m.metadata, started_at=now)
    core.machines.bind(m.name, "ngrok", session["id"])
    m.last_port = fwd.port
    return True


def ngrok_tunnels(core, sid):
    return [t for t in core.state.ngrok.tunnels.items.values() if t["tunnel_session"] == sid]


def reopen_ngrok(core, m, sid):
    """After `restart`: the new session's tunnel keeps its address when the port is still free."""
    tunnels = ngrok_tunnels(core, sid)
    if not tunnels:
        return
    tunnel = tunnels[0]
    fwd = core.machines.open_forward("ngrok", sid, (m.local_host, m.local_port), None, port=m.last_port)
    if fwd.port != m.last_port:           # someone took the port meanwhile: the tunnel moves
        url = f"tcp://{fwd.host}:{fwd.port}"
        tunnel["public_url"] = url
        ep = core.state.ngrok.endpoints.get(tunnel["endpoint"]) if tunnel["endpoint"] else None
        if ep is not None:
            ep.update(url=url, public_url=url, port=fwd.port, hostport=f"{fwd.host}:{fwd.port}")
    m.last_port = fwd.port
    core.machines.bind(m.name, "ngrok", sid)


def _ngrok_disconnect(core, m, sid):
    from .ngrok_sessions import remove_session   # local: ngrok_resources reaches machines through core
    if sid in core.state.ngrok.tunnel_sessions:
        remove_session(core, sid)


def _ngrok_info(core, m, sid):
    rec = core.state.ngrok.tunnel_sessions.get(sid)
    if rec is None:
        return None
    tunnel = (ngrok_tunnels(core, sid) or [None])[0]
    return {"id": sid, "credential": rec["credential"], "transport": rec["transport"],
            "tunnel_id": tunnel["id"] if tunnel else None, "public_url": tunnel["public_url"] if tunnel else None}


# --------------------------------------------------------------------------- Pinggy

def _pinggy_session(core, sid):
    return next((r for r in core.state.pinggy.active if r["id"] == sid), None)


def _pinggy_connect(core, m, avoid_port):
    sid = str(uuid.uuid4())
    try:
        fwd = core.machines.open_forward("pinggy", sid, (m.local_host, m.local_port), None, port=m.last_port,
                                         avoid=avoid_port)
    except OSError as exc:
        m.last_error = f"no port to listen on: {exc}"
        return False
    now = utcnow()
    factories.pg_active(core.state, id=sid, mode="tcp", port=fwd.port, subdomain=m.subdomain,
                        tokenName=m.token_name, creationTimestamp=now, lastUpdateTimestamp=now)
    core.machines.bind(m.name, "pinggy", sid)
    m.last_port = fwd.port
    return True


def _pinggy_disconnect(core, m, sid):
    rec = _pinggy_session(core, sid)
    if rec is not None:
        core.state.pinggy.active.remove(rec)
        # the ended tunnel joins the history ("all tunnels created from your account", api.md)
        factories.pg_history(core.state, start_time=rec["creationTimestamp"], end_time=utcnow(), mode="tcp",
                             domains=[rec["subdomain"]], port=rec["port"], client_ip="[127.0.0.1]:50022")
    core.machines.session_ended("pinggy", sid, retry=False)


def _pinggy_info(core, m, sid):
    rec = _pinggy_session(core, sid)
    return {"id": sid, "subdomain": rec["subdomain"], "port": rec["port"], "mode": rec["mode"]} if rec else None


CONNECT = {"openport": _openport_connect, "ngrok": _ngrok_connect, "pinggy": _pinggy_connect}
DISCONNECT = {"openport": _openport_disconnect, "ngrok": _ngrok_disconnect, "pinggy": _pinggy_disconnect}
INFO = {"openport": _openport_info, "ngrok": _ngrok_info, "pinggy": _pinggy_info}


def session_info(core, m):
    return INFO[m.provider](core, m, m.session_id) if m.session_id is not None else None
