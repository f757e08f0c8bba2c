"""`python -m tests.emulator --machines N|FILE.json`: machines started from the command line."""

from __future__ import annotations

import json
import signal

import requests

from machines_util import refused, talk
from test_cli import launch, wait_for


def machines_of(info):
    return requests.get(info["control"] + "/machines", timeout=10).json()["machines"]


def test_n_generated_machines_forward_to_the_machine_port(tmp_path, echo):
    ready = tmp_path / "ready.json"
    proc = launch("--seed", "empty", "--machines", "4", "--machine-port", str(echo.port), "--ready-file", str(ready))
    try:
        info = wait_for(ready)
        ms = machines_of(info)
        assert [(m["name"], m["provider"], m["status"]) for m in ms] == [
            ("machine-001", "openport", "connected"), ("machine-002", "ngrok", "connected"),
            ("machine-003", "pinggy", "connected"), ("machine-004", "openport", "connected")]
        assert talk(ms[1]["forward_port"]) == b"sshd:ping" and talk(ms[2]["forward_port"]) == b"sshd:ping"
        assert talk(ms[0]["forward_port"]) == b""                  # Openport ports are protected by default
        sessions = requests.get(info["openport"] + "/sessions/", params={"token": "op-emulator-token"},
                                timeout=10).json()["results"]
        link = next(s["open_port_for_ip_link"] for s in sessions if s["port"] == ms[0]["forward_port"])
        assert "is now available" in requests.get(link, timeout=10).text
        assert talk(ms[0]["forward_port"]) == b"sshd:ping"
        keys = requests.get(info["openport"] + "/keys/", params={"token": "op-emulator-token"}, timeout=10).json()
        assert sorted(k["name"] for k in keys["results"]) == ["machine-001", "machine-004"]
    finally:
        proc.send_signal(signal.SIGTERM)
    assert proc.wait(10) == 0
    assert all(refused(m["forward_port"]) for m in ms)              # stopping the emulator closes them


def test_machines_from_a_json_file(tmp_path, echo):
    spec = tmp_path / "machines.json"
    spec.write_text(json.dumps({"machines": [{"name": "web", "provider": "pinggy", "local_port": echo.port},
                                             {"name": "lost", "provider": "openport", "local_port": echo.port}]}))
    ready = tmp_path / "ready.json"
    proc = launch("--machines", str(spec), "--machine-providers", "pinggy", "--machine-retry", "0.2",
                  "--ready-file", str(ready))
    try:
        ms = {m["name"]: m for m in machines_of(wait_for(ready))}
        assert talk(ms["web"]["forward_port"]) == b"sshd:ping"
        assert ms["lost"]["status"] == "connecting" and ms["lost"]["retry_interval"] == 0.2
    finally:
        proc.send_signal(signal.SIGTERM)
    assert proc.wait(10) == 0


def test_bad_machine_options_exit_2(tmp_path):
    for args in (["--machines", "2"], ["--machines", "2", "--machine-port", "22", "--machine-providers", "ftp"],
                 ["--machines", str(tmp_path / "missing.json")]):
        proc = launch(*args)
        out, err = proc.communicate(timeout=20)
        assert proc.returncode == 2 and out == "" and "tunnelops-emulator:" in err, args
