"""Seeds: `default` (a small fleet full of edge cases), `empty`, and `scale` generation.

Everything is drawn from the state's RNG (seeded by the seed name), so ids, keys
and names are identical on every run; timestamps are relative to the reset time.
"""

from __future__ import annotations

import inspect
from datetime import timedelta

from . import factories as f
from .common import CANARY, rand62
from .sshkeys import identity, make_key

SEEDS = ("default", "empty")

# Addresses of the "office" the default fleet lives in; one click comes from elsewhere.
OFFICE_NET = "198.51.100."
OUTSIDE_IP = "203.0.113.66"


def build(st, creds: dict, seed="default", scale=None):
    """Fill a fresh State. creds: the account credentials (ngrok_api_key, ...)."""
    if seed not in SEEDS:
        raise ValueError(f"unknown seed {seed!r}; known: {list(SEEDS)}")
    st.ngrok.owner_id = "usr_" + st.next_ngrok_suffix()
    for value in creds.values():
        st.add_secret(value)
    if seed == "default":
        _default_openport(st)
        _default_ngrok(st, creds)
        _default_pinggy(st)
    if scale:
        apply_scale(st, scale)
    st.openport.ordered_clicks()        # sort now rather than in the first request
    st.pinggy.ordered_history()
    return st


def _ago(st, **kw):
    return st.now - timedelta(**kw)


def _default_openport(st):
    o, rng = st.openport, st.rng
    o.counter_reset_time = _ago(st, days=12).replace(microsecond=261628)
    whole = {"microsecond": 0}       # DRF prints no fraction when it is zero
    keys = [
        # id, name, kind, bits, created (days ago), last connection
        (349, "root@HQ", "rsa", 1024, 2900, _ago(st, hours=2).replace(**whole)),
        (377, "Pi London", "rsa", 2048, 3200, _ago(st, days=400).replace(**whole)),   # unused for a year
        (4642, "build-runner-01", "ed25519", 0, 700, _ago(st, minutes=5)),
        (15371, "nas-basement", "ecdsa", 0, 300, _ago(st, days=1)),
        (15372, "fresh-laptop", "ed25519", 0, 2, None),                                # never used
        (15380, "office-gateway", "rsa", 4096, 90, _ago(st, days=3).replace(**whole)),
    ]
    for kid, name, kind, bits, created, last in keys:
        f.op_key(st, id=kid, name=name, kind=kind, bits=bits or 2048, last_connection_time=last,
                 creation_time=_ago(st, days=created).replace(**whole), bytes_this_month=rng.randrange(0, 10**9))
    # Keys of another account: registering one of these here must clash (public_key is global);
    # the second reuses a name of ours, which is fine (names are unique per account only).
    f.op_key(st, id=15373, name="someone-elses-pi", kind="rsa", _account="other",
             creation_time=_ago(st, days=50), last_connection_time=_ago(st, days=1))
    f.op_key(st, id=15374, name="root@HQ", kind="ed25519", _account="other", creation_time=_ago(st, days=20))
    sessions = [(349, 6260, 22, "openport.io", None), (4642, 40497, 8081, "openport.io", None),
                (15371, 31022, 22, "us.openport.io", None), (15380, 45080, 80, "spr.openport.io", "k7f3qz.u.openport.io")]
    for key, port, local, server, fwd in sessions:
        f.op_session(st, key=key, port=port, local_port=local, server=server, http_forwarding_address=fwd)
    clicks = [(6260, "root@HQ", 96), (40497, "build-runner-01", 80), (6260, "root@HQ", 50), (31022, "nas-basement", 30),
              (45080, "office-gateway", 20), (6260, "root@HQ", 6), (31022, "nas-basement", 3)]
    for port, name, hours in clicks:
        f.op_click(st, port=port, key_name=name, source_ip=OFFICE_NET + str(rng.randrange(2, 250)),
                   timestamp=_ago(st, hours=hours, seconds=rng.randrange(0, 3600)))
    f.op_click(st, port=6260, key_name="root@HQ", source_ip=OUTSIDE_IP, timestamp=_ago(st, minutes=47))
    for name, ip, dns in (("us", "104.131.142.252", "us.openport.io"), ("singapore", "128.199.116.155", "spr.openport.io"),
                          ("openport-main-2", "95.85.25.182", "openport.io")):
        f.op_node(st, name=name, public_ip=ip, public_dns_name=dns)


def _default_ngrok(st, creds):
    n = st.ngrok
    # The account's own API key: the object behind --ngrok-api-key (its token is hidden as usual).
    f.ng_api_key(st, description="tunnelops emulator account key", token=creds.get("ngrok_api_key"),
                 created_at=_ago(st, days=400))
    c1 = f.ng_credential(st, description="prod agents", metadata='{"env":"prod"}', acl=["bind:*.example.com"],
                         created_at=_ago(st, days=200))
    c2 = f.ng_credential(st, description="ci runner", created_at=_ago(st, days=90))
    f.ng_credential(st, acl=["bind:1.tcp.ngrok.io:20002"], created_at=_ago(st, days=10))  # no description
    f.ng_ssh_credential(st, kind="rsa", description="alice laptop", created_at=_ago(st, days=150))
    f.ng_ssh_credential(st, kind="ed25519", description="deploy bot", metadata='{"team":"ops"}',
                        acl=["bind:*.example.com"], created_at=_ago(st, days=60))
    f.ng_ssh_credential(st, kind="ecdsa", created_at=_ago(st, days=5))
    foreign = make_key(st.rng, "ed25519", comment="someone@elsewhere")   # ERR_NGROK_610 when added here
    n.foreign_ssh[identity(foreign)] = foreign
    # The old agent has an update available (within its major version); the others have none, so
    # `update` is refused for them (ERR_NGROK_809), as for most agents on the real service.
    old = f.ng_session(st, agent_version="2.3.41", credential=c2["id"], os="darwin", region="eu",
                       ip="203.0.113.20", started_at=_ago(st, days=40), _update="available")
    cur = f.ng_session(st, agent_version="3.22.1", credential=c1["id"], os="linux", region="us",
                       ip="203.0.113.10", metadata='{"host":"web-1"}', started_at=_ago(st, days=3))
    # Its credential was deleted long ago (dangling ref), and its agent is gone: stop -> ERR_NGROK_810.
    ghost = f.ng_session(st, agent_version="3.19.0", credential="cr_" + st.next_ngrok_suffix(), os="windows",
                         region="ap", ip="203.0.113.30", started_at=_ago(st, hours=2), _gone=True)
    f.ng_tunnel(st, tunnel_session=old["id"], proto="tcp", public_url="tcp://4.tcp.ngrok.io:15432",
                forwards_to="localhost:5432")
    f.ng_tunnel(st, tunnel_session=cur["id"], proto="tcp", public_url="tcp://0.tcp.ngrok.io:12345",
                forwards_to="localhost:22")
    f.ng_tunnel(st, tunnel_session=cur["id"], proto="https", forwards_to="http://localhost:8080",
                metadata='{"app":"web"}')
    f.ng_tunnel(st, tunnel_session=ghost["id"], proto="https", forwards_to="http://localhost:3000")
    f.ng_cloud_endpoint(st, url="https://api.example.com", description="public API",
                        traffic_policy="on_http_request:\n  - actions:\n      - type: forward-internal\n",
                        created_at=_ago(st, days=30))


def _default_pinggy(st):
    rng = st.rng
    f.pg_active(st, mode="tcp", port=10003, virtualToken="sJsufpgMMl-10003",
                subdomain="mytest.v.awesomeapp.a.pinggy.link", creationTimestamp=_ago(st, hours=5))
    f.pg_active(st, mode="http", subdomain="demo.a.pinggy.link", customdomain="demo.example.com",
                creationTimestamp=_ago(st, hours=1))
    f.pg_active(st, mode="tlstcp", modeUdp="udp", port=24210, subdomain="game.a.pinggy.link",
                creationTimestamp=_ago(st, minutes=20))
    # ~30 rows over the last 70 days: some beyond the 60-day window, one crossing midnight,
    # one carrying a token_value (a secret the collection must never show).
    for i in range(30):
        mode = ("http", "tcp", "tls", "tlstcp")[i % 4]
        start = _ago(st, days=70 - i * 2.4, minutes=rng.randrange(0, 600))
        domains = ["app.example.com", "app.a.pinggy.link"] if mode == "http" and i % 8 == 0 else None
        f.pg_history(st, start_time=start, mode=mode, mode_udp="udp" if i % 7 == 3 else "", domains=domains)
    day = (st.now - timedelta(days=2)).replace(hour=23, minute=50, second=0, microsecond=571000)
    f.pg_history(st, start_time=day, end_time=day + timedelta(hours=7), mode="http",
                 domains=["test.example.com", "test.a.pinggy.link"], client_ip="[5.7.152.215]:48696",
                 token_value=f"{CANARY}AAXXYY99F")


# --------------------------------------------------------------------------- scale

def _spread(st, i, n, days):
    """Ascending timestamps spread over the last `days` days."""
    return st.now - timedelta(days=days) + timedelta(seconds=days * 86400 * (i + 1) // (n + 1))


def _scale_openport_keys(st, n):
    for i in range(n):
        # on-curve ECDSA points cost a modular square root each: keep them a small share
        kind = "rsa" if i % 10 == 0 else ("ecdsa" if i % 50 == 1 else "ed25519")
        f.op_key(st, name=f"scale-key-{i:06d}", kind=kind, creation_time=_spread(st, i, n, 900),
                 last_connection_time=None if i % 5 == 0 else _spread(st, i, n, 30))


def _scale_openport_sessions(st, n):
    keys = st.openport.keys.order() or [f.op_key(st, name="scale-session-key")["id"]]
    for i in range(n):
        f.op_session(st, key=keys[i % len(keys)], port=10000 + i % 55000, local_port=(22, 80, 8080)[i % 3],
                     server=f.NODE_DNS[i % 3])


def _scale_openport_clicks(st, n):
    names = [st.openport.keys.get(k)["name"] for k in st.openport.keys.order()[:50]] or ["unknown"]
    for i in range(n):
        f.op_click(st, port=10000 + i % 55000, key_name=names[i % len(names)],
                   source_ip=OFFICE_NET + str(1 + i % 250), timestamp=_spread(st, i, n, 60))


def _scale_ngrok(kind):
    def run(st, n):
        # sessions need a credential and tunnels a session: borrow existing ones, or make one
        if kind == "sessions":
            creds = st.ngrok.credentials.order() or [f.ng_credential(st)["id"]]
        if kind == "tunnels":
            sessions = st.ngrok.tunnel_sessions.order() or [f.ng_session(st)["id"]]
        for i in range(n):
            when = _spread(st, i, n, 300)
            if kind == "credentials":
                f.ng_credential(st, description=f"scale credential {i}", created_at=when)
            elif kind == "ssh_credentials":
                f.ng_ssh_credential(st, description=f"scale ssh key {i}", created_at=when)
            elif kind == "api_keys":
                f.ng_api_key(st, description=f"scale api key {i}", created_at=when)
            elif kind == "sessions":
                f.ng_session(st, credential=creds[i % len(creds)], started_at=when,
                             agent_version=("3.22.1", "3.19.0", "2.3.41")[i % 3])
            elif kind == "tunnels":
                f.ng_tunnel(st, tunnel_session=sessions[i % len(sessions)], proto=("tcp", "https")[i % 2])
    return run


def _scale_pinggy_sessions(st, n):
    for i in range(n):
        f.pg_active(st, mode=("tcp", "http", "tls", "tlstcp")[i % 4], creationTimestamp=_spread(st, i, n, 2))


def _scale_pinggy_history(st, n):
    for i in range(n):
        mode = ("http", "tcp", "tls", "tlstcp")[i % 4]
        token = f"{CANARY}{rand62(st.rng, 9)}" if i % 10 == 0 else None
        f.pg_history(st, start_time=_spread(st, i, n, 65), mode=mode, token_value=token)


SCALE = {
    "openport_keys": _scale_openport_keys,
    "openport_sessions": _scale_openport_sessions,
    "openport_clicks": _scale_openport_clicks,
    "ngrok_credentials": _scale_ngrok("credentials"),
    "ngrok_ssh_credentials": _scale_ngrok("ssh_credentials"),
    "ngrok_api_keys": _scale_ngrok("api_keys"),
    "ngrok_sessions": _scale_ngrok("sessions"),
    "ngrok_tunnels": _scale_ngrok("tunnels"),
    "pinggy_sessions": _scale_pinggy_sessions,
    "pinggy_history": _scale_pinggy_history,
}


def parse_scale(text) -> dict:
    """'openport_keys=N,ngrok_sessions=N' (CLI) or a dict (/reset) -> {kind: N}."""
    if not text:
        return {}
    items = text.items() if isinstance(text, dict) else (p.split("=", 1) for p in str(text).split(",") if p.strip())
    out = {}
    for kind, value in items:
        kind = kind.strip()
        if kind not in SCALE:
            raise ValueError(f"unknown scale kind {kind!r}; known: {sorted(SCALE)}")
        out[kind] = int(value)
    return out


def apply_scale(st, scale):
    for kind, n in parse_scale(scale).items():
        SCALE[kind](st, n)


# --------------------------------------------------------------------------- raw items

RAW = {
    ("openport", "keys"): f.op_key,
    ("openport", "sessions"): f.op_session,
    ("openport", "openforiplinkclicks"): f.op_click,
    ("openport", "nodes"): f.op_node,
    ("ngrok", "api_keys"): f.ng_api_key,
    ("ngrok", "credentials"): f.ng_credential,
    ("ngrok", "ssh_credentials"): f.ng_ssh_credential,
    ("ngrok", "tunnel_sessions"): f.ng_session,
    ("ngrok", "tunnels"): f.ng_tunnel,
    ("ngrok", "endpoints"): f.ng_cloud_endpoint,
    ("pinggy", "active"): f.pg_active,
    ("pinggy", "history"): f.pg_history,
}


def add_raw(st, provider, collection, items) -> list:
    """POST /_emulator/seed/<provider>/<collection>: add items, return their ids (or null)."""
    if (provider, collection) == ("ngrok", "foreign_ssh_keys"):
        for text in items:
            text = text["public_key"] if isinstance(text, dict) else text
            st.ngrok.foreign_ssh[identity(text)] = text
        return [None] * len(items)
    factory = RAW.get((provider, collection))
    if factory is None:
        known = sorted(f"{p}/{c}" for p, c in RAW) + ["ngrok/foreign_ssh_keys"]
        raise ValueError(f"unknown collection {provider}/{collection}; known: {known}")
    accepted = set(inspect.signature(factory).parameters) - {"st"}
    ids = []
    for item in items:
        if not isinstance(item, dict):
            raise ValueError("each item must be a JSON object")
        unknown = set(item) - accepted - {"uri"}
        if unknown:
            raise ValueError(f"{provider}/{collection}: unknown fields {sorted(unknown)}; accepted: {sorted(accepted)}")
        rec = factory(st, **{k: v for k, v in item.items() if k != "uri"})
        ids.append(rec.get("id"))
    return ids
