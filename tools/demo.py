"""`make demo`: run playbooks/demo.yml against a background emulator and its machines, and summarize.

The machines (one per provider) forward to a real sshd when the machine has one (demo_fleet.py),
and the demo's last play runs on them through the tunnel_sessions inventory.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile

from build_tree import build_tree
from common import BUILD, COLLECTIONS_ROOT, COLLECTION_TREE, log
from demo_fleet import DemoFleet
from emulator import Emulator, EmulatorError, environment
from tests.support.control import Control
from venv_tool import ensure_dev_venv

RECAP = re.compile(r"^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


def counters(control_url: str) -> dict:
    try:
        return Control(control_url, timeout=5).counters()
    except (OSError, ValueError):
        return {}


INVENTORY = "playbooks/inventory/demo.tunnel_sessions.yml"


def run_playbook(venv: str, env: dict[str, str], playbook: str, args: list[str]) -> tuple[int, str]:
    cmd = [os.path.join(venv, "bin", "ansible-playbook"), "-i", INVENTORY, playbook] + args
    log("$ " + " ".join(cmd))
    process = subprocess.Popen(cmd, cwd=COLLECTION_TREE, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True)
    lines = []
    for line in process.stdout:
        sys.stdout.write(line)
        lines.append(line)
    return process.wait(), "".join(lines)


REPORT_DIR = os.path.join(BUILD, "demo-audit")


def audit_lines() -> list[str]:
    """The audit's outcome, read from the JSON report the demo wrote."""
    try:
        with open(os.path.join(REPORT_DIR, "key-audit.json"), encoding="utf-8") as handle:
            report = json.load(handle)
    except (OSError, ValueError):
        return []
    counts = report.get("counts", {})
    severities = ", ".join(f"{k}={v}" for k, v in counts.get("by_severity", {}).items() if v)
    return [f"  audit:     {counts.get('total', 0)} findings ({severities or 'none'})",
            f"  reports:   {REPORT_DIR}/key-audit.{{json,md,html}}"]


def summarize(rc: int, output: str, urls: dict, stats: dict, fleet: DemoFleet) -> None:
    print("\n==> demo summary")
    print(f"  emulator:  {urls['control'].rsplit('/', 1)[0]}")
    for host, ok, changed, unreachable, failed in RECAP.findall(output):
        print(f"  host {host}: ok={ok} changed={changed} failed={failed} unreachable={unreachable}")
    for provider in ("openport", "ngrok", "pinggy"):
        counts = stats.get(provider)
        if counts:
            print(f"  {provider:<9} requests={counts.get('requests', 0)} reads={counts.get('reads', 0)}"
                  f" writes={counts.get('writes', 0)}")
    for line in audit_lines() + fleet.summary(output):
        print(line)
    print("  result:    " + ("OK" if rc == 0 else f"FAILED (ansible-playbook exited {rc})"))


def main(argv: list[str]) -> int:
    playbook = argv[0] if argv else "playbooks/demo.yml"
    venv = ensure_dev_venv()
    build_tree()
    python = os.path.join(venv, "bin", "python")
    fleet = DemoFleet(COLLECTION_TREE, tempfile.mkdtemp(prefix="tunnelops-demo-"))
    emulator = Emulator(python, COLLECTION_TREE, fleet.start())
    try:
        urls = emulator.start()
    except EmulatorError as ex:
        log(f"==> demo: cannot start the emulator: {ex}")
        fleet.stop()
        return 1
    try:
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_FORCE_COLOR="0",
                   ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="0",
                   ANSIBLE_INVENTORY_UNPARSED_WARNING="0", TUNNELOPS_DEMO_REPORT_DIR=REPORT_DIR,
                   TUNNELOPS_SOURCE_IP_CACHE=os.path.join(fleet.workdir, "source-ip.json"),
                   **environment(urls), **fleet.env(python))
        env.pop("PYTHONPATH", None)
        rc, output = run_playbook(venv, env, playbook, fleet.extra_vars())
        summarize(rc, output, urls, counters(urls["control"]), fleet)
    finally:
        emulator.stop()
        fleet.stop()
    return 0 if rc == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
