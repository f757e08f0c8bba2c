"""`python -m tests.emulator`: the contract's first stdout line, --ready-file, options, clean signal stops."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time

import requests

from conftest import ROOT

BANNER = re.compile(r"^tunnelops-emulator openport=(?P<openport>(?P<origin>https?://127\.0\.0\.1:\d+)/openport/api/v2) "
                    r"ngrok=(?P<ngrok>(?P=origin)/ngrok) pinggy=(?P<pinggy>(?P=origin)/pinggy/backend/api/v1) "
                    r"control=(?P<control>(?P=origin)/_emulator)$")


def launch(*args):
    return subprocess.Popen([sys.executable, "-m", "tests.emulator", "--port", "0", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(path, timeout=10):
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, "ready file never appeared"
        time.sleep(0.05)
    return json.loads(path.read_text())


def test_banner_ready_file_and_sigterm(tmp_path):
    ready = tmp_path / "ready.json"
    proc = launch("--seed", "empty", "--scale", "openport_keys=5", "--ready-file", str(ready))
    try:
        m = BANNER.match(proc.stdout.readline().rstrip("\n"))
        assert m, "first stdout line is not the contract's banner"
        info = wait_for(ready)
        assert info == {"openport": m["openport"], "ngrok": m["ngrok"], "pinggy": m["pinggy"],
                        "control": m["control"], "pid": proc.pid, "ca_cert": None}
        r = requests.get(info["openport"] + "/keys/", params={"token": "op-emulator-token"}, timeout=10)
        assert r.json()["count"] == 5
    finally:
        proc.send_signal(signal.SIGTERM)
    assert proc.wait(10) == 0


def test_options_https_custom_credentials_verbose_and_sigint(tmp_path):
    ready = tmp_path / "ready.json"
    proc = launch("--https", "--cert-dir", str(tmp_path / "certs"), "--openport-token", "T0K3N-for-cli",
                  "--ngrok-rate-limit", "2", "--latency-ms", "1", "--verbose", "--ready-file", str(ready))
    try:
        assert BANNER.match(proc.stdout.readline().rstrip("\n"))["origin"].startswith("https://")
        info = wait_for(ready)
        assert info["ca_cert"] == str(tmp_path / "certs" / "ca.pem")
        base = info["openport"] + "/keys/"
        assert requests.get(base, params={"token": "T0K3N-for-cli"}, verify=info["ca_cert"], timeout=10).ok
        assert requests.get(base, params={"token": "op-emulator-token"}, verify=info["ca_cert"],
                            timeout=10).status_code == 401
        ng = {"Authorization": "Bearer ngrok-emulator-key", "ngrok-version": "2"}
        codes = [requests.get(info["ngrok"] + "/tunnels", headers=ng, verify=info["ca_cert"], timeout=10).status_code
                 for dummy in range(3)]
        assert codes == [200, 200, 429]
    finally:
        proc.send_signal(signal.SIGINT)
    assert proc.wait(10) == 0
    err = proc.stderr.read()
    assert "token=********" in err and "T0K3N-for-cli" not in err and "ngrok-emulator-key" not in err


def test_bad_options_exit_2():
    proc = launch("--scale", "openport_pets=3")
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 2 and "openport_pets" in err and out == ""
