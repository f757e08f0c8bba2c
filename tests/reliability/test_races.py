# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Two runs at once (issue 18.5): two ansible-playbook processes create the same ngrok authtoken and API key
at the same moment, against an emulator slow enough (1 s a request) that both would list before either
creates. Exactly one object of each must exist afterwards; one run creates it (and gets its token), the
other finds it (``changed: false``).

The two playbooks wait at a barrier (a file the test creates once both are ready), so that they start
their tasks within a few tenths of a second of each other, well inside the second a listing takes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

import harness

ROUNDS = 2
LATENCY_MS = 1000
RUNS = ("a", "b")


def _play(emu, round_dir, run):
    ready, go = os.path.join(round_dir, "ready-" + run), os.path.join(round_dir, "go")
    result = os.path.join(round_dir, "result-%s.json" % run)
    summary = ("{{ {'credential': {'changed': cred.changed, 'token': cred.token is defined, 'failed': cred is failed,"
               " 'msg': cred.msg | default('')}, 'api_key': {'changed': key.changed, 'token': key.token is defined,"
               " 'failed': key is failed, 'msg': key.msg | default('')}} | to_json }}")
    tasks = [
        {"name": "ready", "ansible.builtin.copy": {"content": "ready", "dest": ready}},
        {"name": "wait for the other run", "ansible.builtin.command": {"argv": [
            sys.executable, "-c", "import os, time\nwhile not os.path.exists(%r): time.sleep(0.02)" % go]}},
        {"name": "authtoken", "tunnelops.tunnels.ngrok_credential": {"description": "race authtoken"},
         "register": "cred", "ignore_errors": True},
        {"name": "API key", "tunnelops.tunnels.ngrok_api_key": {"description": "race API key"},
         "register": "key", "ignore_errors": True},
        {"name": "what happened (no token)", "ansible.builtin.copy": {"content": summary, "dest": result}},
    ]
    play = {"name": "race " + run, "hosts": "localhost", "connection": "local", "gather_facts": False,
            "module_defaults": emu.module_defaults(timeout=10, retries=2), "tasks": tasks}
    return harness.write_yaml(os.path.join(round_dir, "race-%s.yml" % run), [play]), ready, result


def _race(ws, emu, round_):
    emu.reset()
    round_dir = ws.mkdir("races", "round-%d" % round_)
    plays = [_play(emu, round_dir, run) for run in RUNS]
    procs = []
    for (path, _ready, _result), run in zip(plays, RUNS):
        env = ws.env(home=ws.mkdir("races", "round-%d" % round_, "home-" + run))
        procs.append(subprocess.Popen([os.path.join(harness.BIN, "ansible-playbook"), "-i", "localhost,", path],
                                      env=env, cwd=round_dir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, text=True))
    deadline = time.monotonic() + 120
    while not all(os.path.exists(ready) for _p, ready, _r in plays):
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs), "a race run did not start"
        time.sleep(0.05)
    with open(os.path.join(round_dir, "go"), "w", encoding="utf-8") as handle:
        handle.write("go")
    outputs = [proc.communicate(timeout=300)[0] for proc in procs]
    for run, output in zip(RUNS, outputs):
        harness.keep_output("race %d %s" % (round_, run), output)
    results = []
    for (_path, _ready, result), proc, output in zip(plays, procs, outputs):
        assert proc.returncode == 0, output[-3000:]
        with open(result, encoding="utf-8") as handle:
            results.append(json.load(handle))
    return results, emu.control.state()


@pytest.fixture(scope="session")
def races(workspace):
    emu = harness.Emu(latency_ms=LATENCY_MS)
    try:
        return [_race(workspace, emu, round_) for round_ in range(ROUNDS)]
    finally:
        emu.stop()


@pytest.mark.parametrize("round_", range(ROUNDS))
@pytest.mark.parametrize("resource, collection, description", [
    ("credential", "credentials", "race authtoken"), ("api_key", "api_keys", "race API key")])
def test_two_runs_at_once_make_one_object(races, round_, resource, collection, description):
    harness.tally("races")
    results, state = races[round_]
    made = [o for o in state["ngrok"][collection] if o.get("description") == description]
    outcomes = [r[resource] for r in results]
    assert not any(o["failed"] for o in outcomes), [o["msg"] for o in outcomes]
    assert len(made) == 1, "two runs at once made %d %s objects" % (len(made), collection)
    assert sorted(o["changed"] for o in outcomes) == [False, True], outcomes
    assert [o["token"] for o in outcomes if o["changed"]] == [True]
