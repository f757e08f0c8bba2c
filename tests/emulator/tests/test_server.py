"""HTTP layer: keep-alive, exact Content-Length, HEAD, chunked bodies, concurrency, Python API."""

from __future__ import annotations

import http.client
import json
import threading
from urllib.parse import urlsplit

from conftest import NG_KEY, OP_TOKEN
from tests.emulator import start_emulator


def connect(emu):
    parts = urlsplit(emu.urls["openport"])
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=10), parts.path


def test_keep_alive_and_content_length(emu):
    conn, base = connect(emu)
    conn.connect()
    sock = conn.sock
    for dummy in range(3):
        conn.request("GET", f"{base}/keys/?token={OP_TOKEN}")
        resp = conn.getresponse()
        body = resp.read()
        assert resp.status == 200 and int(resp.getheader("Content-Length")) == len(body)
        assert resp.getheader("Content-Type") == "application/json" and json.loads(body)["count"] == 6
    conn.request("DELETE", f"{base}/keys/15372/?token={OP_TOKEN}")
    resp = conn.getresponse()
    assert resp.status == 204 and resp.read() == b"" and resp.getheader("Content-Length") is None
    conn.request("GET", f"{base}/nodes/")
    assert conn.getresponse().status == 200
    assert conn.sock is sock                       # one TCP connection served all five requests
    conn.close()


def test_head_has_length_but_no_body(emu):
    conn, base = connect(emu)
    conn.request("HEAD", f"{base}/nodes/")
    resp = conn.getresponse()
    assert resp.status == 200 and int(resp.getheader("Content-Length")) > 0 and resp.read() == b""
    conn.close()


def test_chunked_request_body(emu):
    parts = urlsplit(emu.urls["ngrok"])
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    body = [b'{"descrip', b'tion": "chunked"}']
    conn.request("POST", parts.path + "/credentials", body=iter(body), encode_chunked=True,
                 headers={"Authorization": f"Bearer {NG_KEY}", "ngrok-version": "2",
                          "Content-Type": "application/json", "Transfer-Encoding": "chunked"})
    resp = conn.getresponse()
    assert resp.status == 201 and json.loads(resp.read())["description"] == "chunked"
    conn.close()


def test_concurrent_clients(emu, ctl):
    errors = []

    def worker():
        conn, base = connect(emu)
        try:
            for dummy in range(25):
                conn.request("GET", f"{base}/sessions/?token={OP_TOKEN}")
                resp = conn.getresponse()
                if resp.status != 200 or json.loads(resp.read())["count"] != 4:
                    errors.append(resp.status)
        except Exception as exc:            # collected, then asserted below
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker) for dummy in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    counters = ctl.get("/counters").json()
    assert counters["openport"]["requests"] == 400 == counters["openport"]["status"]["200"]
    assert [e["seq"] for e in ctl.get("/requests").json()["requests"]] == list(range(1, 401))


def test_unknown_top_level_path(emu, http):
    r = http.get(emu.urls["control"].replace("/_emulator", "/nothing"))
    assert r.status_code == 404 and r.json()["urls"] == emu.urls


def test_python_api_context_manager_and_stop():
    with start_emulator(seed="empty", openport_token="t-1") as emu:
        assert emu.creds["openport_token"] == "t-1"
        conn, base = connect(emu)
        conn.request("GET", f"{base}/keys/?token=t-1")
        assert json.loads(conn.getresponse().read())["count"] == 0
        conn.close()
        emu.configure(openport_auth_status=403)
        emu.add_faults({"provider": "openport", "action": "status", "status": 500})
        assert emu.core.config["openport_auth_status"] == 403 and len(emu.core.faults.rules) == 1
        port = emu.port
    probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        probe.request("GET", "/_emulator/")
        probe.getresponse()
        stopped = False
    except OSError:
        stopped = True
    assert stopped
