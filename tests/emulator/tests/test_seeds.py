"""Seeds: the default fleet's edge cases, key structure (checked by an independent parser), scale speed."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import load_ssh_public_key

from tests.emulator.sshkeys import make_key, parse_key, rsa_bits


def load(text):
    return load_ssh_public_key(text.encode())


def test_openport_keys_edge_cases(state):
    keys = {k["name"]: k for k in state["openport"]["keys"]}
    assert len(keys) == 6
    root = load(keys["root@HQ"]["public_key"])
    assert isinstance(root, rsa.RSAPublicKey) and root.key_size == 1024 and root.public_numbers().e == 65537
    assert [k for k in keys.values() if k["last_connection_time"] is None] == [keys["fresh-laptop"]]
    year_ago = datetime.now(timezone.utc) - timedelta(days=365)
    unused = [k for k in keys.values() if k["last_connection_time"]
              and datetime.fromisoformat(k["last_connection_time"]) < year_ago]
    assert [k["name"] for k in unused] == ["Pi London"]
    loaded = [load(k["public_key"]) for k in keys.values()]
    for kind in (rsa.RSAPublicKey, ed25519.Ed25519PublicKey, ec.EllipticCurvePublicKey):
        assert any(isinstance(k, kind) for k in loaded), kind
    ecdsa = [load(k["public_key"]) for k in keys.values() if k["public_key"].startswith("ecdsa-sha2-nistp256 ")]
    assert ecdsa and ecdsa[0].curve.name == "secp256r1"
    assert rsa_bits(keys["office-gateway"]["public_key"]) == 4096


def test_every_seeded_key_parses(state):
    texts = [k["public_key"] for k in state["openport"]["keys"] + state["openport"]["foreign_keys"]]
    texts += [c["public_key"] for c in state["ngrok"]["ssh_credentials"]] + state["ngrok"]["foreign_ssh_keys"]
    for text in texts:
        load(text)
        parse_key(text)
    assert len(set(" ".join(t.split()[:2]) for t in texts)) == len(texts)


def test_generated_key_sizes():
    import random
    rng = random.Random(0)
    for bits in (1024, 2048, 3072):
        assert load(make_key(rng, "rsa", bits)).key_size == bits
    assert isinstance(load(make_key(rng, "ed25519")), ed25519.Ed25519PublicKey)


def test_openport_sessions_and_clicks(state):
    sessions = state["openport"]["sessions"]
    assert len(sessions) == 4 and any(s["local_port"] == 22 for s in sessions)
    assert sum(1 for s in sessions if s["http_forwarding_address"]) == 1
    assert len({c["source_ip"].rsplit(".", 1)[0] for c in state["openport"]["openforiplinkclicks"]}) == 2


def test_ngrok_fleet(state):
    n = state["ngrok"]
    assert len(n["api_keys"]) == 1 and len(n["credentials"]) == 3 and len(n["ssh_credentials"]) == 3
    assert any("description" not in c for c in n["credentials"])
    sessions = n["tunnel_sessions"]
    assert len(sessions) == 3 and sorted(s["agent_version"][0] for s in sessions) == ["2", "3", "3"]
    cred_ids = {c["id"] for c in n["credentials"]}
    assert sum(1 for s in sessions if s["credential"]["id"] not in cred_ids) == 1
    assert {t["proto"] for t in n["tunnels"]} == {"tcp", "https"}
    assert {e["type"] for e in n["endpoints"]} == {"agent", "cloud"}


def test_pinggy_fleet(state):
    p = state["pinggy"]
    assert sorted(a["mode"] for a in p["active"]) == ["http", "tcp", "tlstcp"]
    assert [a["modeUdp"] for a in p["active"] if a["mode"] == "tlstcp"] == ["udp"]
    starts = [datetime.fromisoformat(r["start_time"]) for r in p["history"]]
    assert starts == sorted(starts) and max(starts) - min(starts) > timedelta(days=60)
    assert sum(1 for r in p["history"] if r["token_value"]) == 1


def test_scale_is_fast_and_pages_stay_fast(emu, op, ng, pg, ctl):
    start = time.monotonic()
    r = ctl.post("/reset", json={"scale": {"openport_clicks": 100_000, "openport_keys": 10_000,
                                           "ngrok_sessions": 10_000, "pinggy_history": 20_000}})
    built = time.monotonic() - start
    assert r.status_code == 200 and built < 20, built      # ~2 s on an idle 2-core machine
    start = time.monotonic()
    deep = op.get("/openforiplinkclicks/", params={"offset": 99_950}).json()
    assert deep["count"] == 100_008 and len(deep["results"]) == 58
    assert op.get("/keys/", params={"offset": 9_990}).json()["count"] == 10_006
    page = ng.get("/tunnel_sessions").json()
    assert len(page["tunnel_sessions"]) == 100 and page["next_page_uri"]
    assert pg.get("/session/history/{0}/{0}".format(datetime.now(timezone.utc).date())).status_code == 200
    assert time.monotonic() - start < 3.0                  # a few ms per page when idle


def test_scale_on_the_command_line_format():
    from tests.emulator.seed import parse_scale
    assert parse_scale("openport_keys=3, ngrok_sessions=2") == {"openport_keys": 3, "ngrok_sessions": 2}
