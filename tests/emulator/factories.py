"""Record builders shared by the seeds, `--scale`, `/seed/...`, `add_items` and the APIs.

Keyword names are the APIs' own field names, so a raw item posted to
`/_emulator/seed/<provider>/<collection>` maps straight onto a call here; every
field left out gets a plausible value from the state's seeded RNG. Internal flags
start with "_" (`_account`, `_gone`, `_update`).
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from .common import CANARY, parse_time, rand62, utcnow
from .sshkeys import identity, make_key

NODE_DNS = ("openport.io", "us.openport.io", "spr.openport.io")


def _when(st, value, default_ago=None):
    dt = parse_time(value)
    if dt is None:
        dt = utcnow() if default_ago is None else st.now - default_ago
    return dt


# --------------------------------------------------------------------------- Openport

def op_key(st, *, name=None, public_key=None, id=None, last_connection_time=None,
           creation_time=None, redirect_token=None, bytes_this_month=0, _account="me",
           kind="ed25519", bits=2048, url=None, counter_reset_time=None):
    """A key of this account (or of "another account" with _account='other')."""
    o = st.openport
    if public_key is None:       # generated keys are valid by construction: skip parsing
        public_key = make_key(st.rng, kind, bits, comment=name or "")
        ident = tuple(public_key.split(" ", 2)[:2])
    else:
        ident = identity(public_key)
    if ident is None:
        raise ValueError(f"not a valid public key: {public_key[:40]!r}")
    if id is None:
        id = o.next_id
    id = int(id)
    o.next_id = max(o.next_id, id + 1)
    rec = {
        "id": id,
        "name": name if name is not None else f"device-{id}",
        "public_key": public_key,
        "last_connection_time": utcnow() if last_connection_time == "now" else parse_time(last_connection_time),
        "creation_time": _when(st, creation_time),
        "redirect_token": redirect_token or rand62(st.rng, 7),
        "bytes_this_month": int(bytes_this_month),
        "_account": _account,
        "_ident": ident,
    }
    (o.keys if _account == "me" else o.foreign_keys).add(rec)
    o.pub_index[ident] = id
    return rec


def _key_id(value):
    """A session's key as an int id, from an id or a hyperlink ('.../keys/349/')."""
    if isinstance(value, str):
        value = value.rstrip("/").rsplit("/", 1)[-1]
    return int(value)


def op_secret(st):
    """An Openport link secret or session token: a recorded secret with the canary inside."""
    value = CANARY + rand62(st.openport.link_rng, 12)
    st.add_secret(value)
    return value


def _link_secret(url):
    m = re.search(r"/l/\d+/([^/?#]*)", url)
    return m.group(1) if m else ""


def op_session(st, *, key=None, port=None, local_port=22, server=None, http_forwarding_address=None,
               open_port_for_ip_link=None, redirect_url=None):
    """A session; `open_port_for_ip_link` given raw keeps its secret (none when it ends in '/')."""
    o = st.openport
    if key is None:
        key = st.rng.choice(o.keys.order()) if len(o.keys) else 1
    port = int(port) if port is not None else st.rng.randrange(10000, 65000)
    rec = {
        "key_id": _key_id(key),
        "port": port,
        "local_port": int(local_port),
        "server": server or NODE_DNS[0],
        "http_forwarding_address": http_forwarding_address,
        "_secret": _link_secret(open_port_for_ip_link) if open_port_for_ip_link else op_secret(st),
    }
    o.sessions.append(rec)
    return rec


def op_click(st, *, port=None, source_ip=None, timestamp=None, key_name=None):
    o = st.openport
    rng = st.rng
    rec = {
        "port": int(port) if port is not None else (o.sessions[0]["port"] if o.sessions else 6260),
        "source_ip": source_ip or f"198.51.100.{rng.randrange(1, 255)}",
        "timestamp": _when(st, timestamp),
        "key_name": key_name or (o.keys.get(o.keys.order()[0])["name"] if len(o.keys) else "unknown"),
    }
    if o.clicks and rec["timestamp"] < o.clicks[-1]["timestamp"]:
        o.clicks_sorted = False      # re-sorted once, on the next read (bulk inserts stay cheap)
    o.clicks.append(rec)
    return rec


def op_node(st, *, name, public_ip, status="active", public_dns_name=None):
    rec = {"name": name, "public_ip": public_ip, "status": status,
           "public_dns_name": public_dns_name or f"{name}.openport.io"}
    st.openport.nodes.append(rec)
    return rec


# --------------------------------------------------------------------------- ngrok

def _ngrok_id(st, prefix, given):
    if given:
        if not given.startswith(prefix):
            raise ValueError(f"id {given!r} must start with {prefix!r}")
        return given
    return prefix + st.next_ngrok_suffix()


def _token(st, rec_id):
    """ngrok token format '<id without prefix>_<random>', with the canary inside."""
    token = f"{rec_id.split('_', 1)[1]}_{CANARY}{rand62(st.rng, 16)}"
    st.add_secret(token)
    return token


def _common(st, prefix, id, description, metadata, owner_id, created_at):
    return {
        "id": _ngrok_id(st, prefix, id),
        "created_at": _when(st, created_at),
        "description": description or "",
        "metadata": metadata or "",
        "owner_id": owner_id or st.ngrok.owner_id,
    }


def ng_api_key(st, *, description="", metadata="", owner_id=None, token=None, created_at=None, id=None):
    rec = _common(st, "ak_", id, description, metadata, owner_id, created_at)
    rec["token"] = token or _token(st, rec["id"])
    st.add_secret(rec["token"])
    st.ngrok.api_keys.add(rec)
    return rec


def ng_credential(st, *, description="", metadata="", acl=(), owner_id=None, token=None, created_at=None, id=None):
    rec = _common(st, "cr_", id, description, metadata, owner_id, created_at)
    rec["acl"] = list(acl or [])
    rec["token"] = token or _token(st, rec["id"])
    st.add_secret(rec["token"])
    st.ngrok.credentials.add(rec)
    return rec


def ng_ssh_credential(st, *, public_key=None, description="", metadata="", acl=(), owner_id=None,
                      created_at=None, id=None, kind="ed25519", bits=2048):
    rec = _common(st, "sshcr_", id, description, metadata, owner_id, created_at)
    if public_key:
        rec["public_key"], rec["_ident"] = public_key, identity(public_key)
    else:                        # generated: valid by construction, no need to parse it back
        rec["public_key"] = make_key(st.rng, kind, bits, comment=description or "")
        rec["_ident"] = tuple(rec["public_key"].split(" ", 2)[:2])
    rec["acl"] = list(acl or [])
    st.ngrok.ssh_credentials.add(rec)
    return rec


def _ref_id(value):
    return value["id"] if isinstance(value, dict) else value


UPDATE_STATES = ("none", "available", "disabled", "running", "updated")   # see ngrok_sessions.py


def ng_session(st, *, agent_version="3.22.1", credential=None, ip=None, metadata="", os="linux",
               region="us", started_at=None, transport="ngrok/2", id=None, _gone=False, _update="none"):
    """An agent session (`transport: ssh` for an SSH reverse tunnel); `_gone`: its agent already exited;
    `_update`: none (no update available) / available / disabled / running / updated (not restarted)."""
    if _update not in UPDATE_STATES:
        raise ValueError(f"_update must be one of {list(UPDATE_STATES)}")
    n = st.ngrok
    if credential is None:
        order = n.credentials.order()
        credential = order[0] if order else "cr_" + st.next_ngrok_suffix()
    rec = {
        "id": _ngrok_id(st, "ts_", id),
        "agent_version": agent_version,
        "credential": _ref_id(credential),
        "ip": ip or f"203.0.113.{st.rng.randrange(1, 255)}",
        "metadata": metadata or "",
        "os": os,
        "region": region,
        "started_at": _when(st, started_at),
        "transport": transport,
        "_gone": bool(_gone),
        "_update": _update,
    }
    n.tunnel_sessions.add(rec)
    return rec


def ng_tunnel(st, *, tunnel_session=None, proto="https", public_url=None, forwards_to=None, metadata="",
              region=None, started_at=None, id=None, endpoint=True):
    """An agent tunnel and (by default) its endpoint; both share the 27-char suffix."""
    n = st.ngrok
    rng = st.rng
    ts_id = _ref_id(tunnel_session) if tunnel_session else (n.tunnel_sessions.order() or [None])[-1]
    session = n.tunnel_sessions.get(ts_id)
    tid = _ngrok_id(st, "tn_", id)
    if public_url is None:
        if proto == "tcp":
            public_url = f"tcp://{rng.randrange(0, 9)}.tcp.ngrok.io:{rng.randrange(10000, 30000)}"
        else:
            public_url = f"https://{rand62(rng, 12).lower()}.ngrok-free.app"
    rec = {
        "id": tid,
        "public_url": public_url,
        "started_at": _when(st, started_at) if started_at or not session else session["started_at"],
        "metadata": metadata or "",
        "proto": proto,
        "region": region or (session["region"] if session else "us"),
        "tunnel_session": ts_id,
        "forwards_to": forwards_to or ("localhost:22" if proto == "tcp" else "http://localhost:8080"),
        "endpoint": "ep_" + tid.split("_", 1)[1] if endpoint else None,
    }
    n.tunnels.add(rec)
    if endpoint:
        _agent_endpoint(st, rec)
    return rec


def _agent_endpoint(st, tunnel):
    scheme, dummy, hostport = tunnel["public_url"].partition("://")
    host, dummy, port = hostport.partition(":")
    port = int(port) if port else 443
    rec = {
        "id": tunnel["endpoint"], "type": "agent", "created_at": tunnel["started_at"],
        "updated_at": tunnel["started_at"], "region": tunnel["region"], "url": tunnel["public_url"],
        "public_url": tunnel["public_url"], "proto": tunnel["proto"], "scheme": scheme,
        "host": host, "port": port, "hostport": f"{host}:{port}",
        "upstream_url": tunnel["forwards_to"], "tunnel": tunnel["id"],
        "tunnel_session": tunnel["tunnel_session"], "description": "", "metadata": tunnel["metadata"],
        "traffic_policy": "", "bindings": ["public"], "pooling_enabled": False, "owner_id": st.ngrok.owner_id,
    }
    st.ngrok.endpoints.add(rec)
    return rec


def ng_cloud_endpoint(st, *, url, traffic_policy="", description="", metadata="", bindings=None,
                      pooling_enabled=False, type="cloud", created_at=None, id=None):
    scheme, dummy, hostport = url.partition("://")
    host, dummy, port = hostport.partition(":")
    when = _when(st, created_at)
    rec = {
        "id": _ngrok_id(st, "ep_", id), "type": type, "created_at": when, "updated_at": when,
        "region": "global", "url": url, "public_url": url, "proto": scheme or "https",
        "scheme": scheme or "https", "host": host, "port": int(port) if port else 443,
        "hostport": f"{host}:{port or 443}", "traffic_policy": traffic_policy,
        "description": description or "", "metadata": metadata or "",
        "bindings": list(bindings) if bindings else ["public"], "pooling_enabled": bool(pooling_enabled),
        "owner_id": st.ngrok.owner_id,
    }
    st.ngrok.endpoints.add(rec)
    return rec


# --------------------------------------------------------------------------- Pinggy

def pg_active(st, *, mode="tcp", modeUdp="", port=None, subdomain=None, customdomain=None, id=None,
              userId=None, tokenId=None, token=None, tokenName=None, virtualToken=None,
              virtualTokenName=None, creationTimestamp=None, lastUpdateTimestamp=None):
    rng = st.rng
    has_port = mode in ("tcp", "tlstcp") or modeUdp == "udp"
    if port is None and has_port:
        port = rng.randrange(10000, 60000)
    created = _when(st, creationTimestamp)
    rec = {
        "id": id or str(uuid.UUID(bytes=rng.randbytes(16), version=4)),
        "userId": userId or st.pinggy.user_id,
        "tokenId": tokenId or rng.randrange(100000, 999999),
        "token": token,
        "tokenName": tokenName,
        "virtualToken": virtualToken if virtualToken is not None else (f"{rand62(rng, 10)}-{port}" if port else None),
        "virtualTokenName": virtualTokenName,
        "subdomain": subdomain or f"{rand62(rng, 8).lower()}.a.pinggy.link",
        "customdomain": customdomain,
        "mode": mode,
        "modeUdp": modeUdp,
        "port": port,
        "creationTimestamp": created,
        "lastUpdateTimestamp": parse_time(lastUpdateTimestamp) or created + timedelta(seconds=2),
    }
    st.pinggy.active.append(rec)
    return rec


def pg_history(st, *, start_time=None, end_time="auto", user_email=None, token_value=None,
               virtual_token_value=None, domains=None, mode="http", mode_udp="", client_ip=None, port=None):
    rng = st.rng
    start = _when(st, start_time)
    rec = {
        "start_time": start,
        "end_time": start + timedelta(minutes=rng.randrange(5, 600)) if end_time == "auto" else parse_time(end_time),
        "user_email": user_email or st.pinggy.user_email,
        "token_value": token_value,
        "virtual_token_value": virtual_token_value,
        "domains": list(domains) if domains is not None else [f"{rand62(rng, 8).lower()}.a.pinggy.link"],
        "mode": mode,
        "mode_udp": mode_udp,
        "client_ip": client_ip or f"[198.51.100.{rng.randrange(1, 255)}]:{rng.randrange(1024, 65535)}",
        "port": port if port is not None or mode == "http" else rng.randrange(10000, 60000),
    }
    st.add_secret(token_value)
    hist = st.pinggy.history
    if hist and start < hist[-1]["start_time"]:
        st.pinggy.history_sorted = False
    hist.append(rec)
    return rec
