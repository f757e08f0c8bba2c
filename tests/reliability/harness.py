# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the reliability suite's tests share: emulators, the collection tree, real
ansible-playbook / ansible-inventory runs, case playbooks, the secret search and the tally."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
if REPO not in sys.path:
    sys.path.insert(0, REPO)

# These need the repository root on sys.path.
from tests.emulator import start_emulator  # noqa: E402
from tests.support import connection  # noqa: E402
from tests.support.control import Control  # noqa: E402

BIN = os.path.dirname(sys.executable)
ACTION_PLUGINS = os.path.join(HERE, "plugins", "action")
# ansible-runner finds ansible-playbook and ansible-inventory on PATH: this venv's first.
if not os.environ.get("PATH", "").startswith(BIN + os.pathsep):
    os.environ["PATH"] = BIN + os.pathsep + os.environ.get("PATH", "")

# Short time-outs and backoff keep the fault cases fast; the ngrok window is scaled down.
FAST = {"timeout": 2, "retries": 2}
NGROK_WINDOW = 2.0
STALL_SECONDS = 3

# Counters printed as the suite's last line (see conftest.py).
TALLY = {"faults": 0, "secrets_searched": 0, "secrets_found": 0, "bad_inputs": 0, "check_writes": 0}
_tally_lock = threading.Lock()


def tally(key, n=1):
    with _tally_lock:
        TALLY[key] += n


class Workspace:
    """A temporary collections path whose tunnelops/tunnels is the collection under test."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="tunnelops-reliability-")
        tree = os.environ.get("RELIABILITY_COLLECTION_TREE")
        self.collections = os.path.join(self.root, "collections")
        target = os.path.join(self.collections, "ansible_collections", "tunnelops", "tunnels")
        os.makedirs(os.path.dirname(target))
        # The build tree when the tooling gives one, else the work tree itself.
        os.symlink(tree or REPO, target)
        self.collection = target
        self.pacing = os.path.join(self.root, "pacing")
        os.makedirs(self.pacing)

    def path(self, *parts):
        path = os.path.join(self.root, *parts)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return path

    def mkdir(self, *parts):
        path = os.path.join(self.root, *parts)
        os.makedirs(path, exist_ok=True)
        return path

    def env(self, extra=None, home=None):
        """An environment for ansible-* commands: no credential, no colour, this collection only."""
        env = dict((k, v) for k, v in os.environ.items()
                   if not k.startswith(("ANSIBLE_", "OPENPORT_", "NGROK_", "PINGGY_", "PYTEST_")))
        home = home or self.mkdir("home")
        env.update({
            "PATH": BIN + os.pathsep + env.get("PATH", ""),
            "ANSIBLE_COLLECTIONS_PATH": self.collections,
            "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "False",
            "ANSIBLE_ACTION_PLUGINS": ACTION_PLUGINS,
            "ANSIBLE_HOME": home,
            "ANSIBLE_LOCAL_TEMP": os.path.join(home, "tmp"),
            "ANSIBLE_REMOTE_TEMP": os.path.join(home, "remote_tmp"),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0",
            "ANSIBLE_RETRY_FILES_ENABLED": "False",
            "ANSIBLE_PIPELINING": "True",
            "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
            "ANSIBLE_LOCALHOST_WARNING": "False",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "False",
            "ANSIBLE_DEPRECATION_WARNINGS": "False",
            "TUNNELOPS_PACING_DIR": self.pacing,
            "NGROK_RATE_WINDOW": str(NGROK_WINDOW),
            "PYTHONDONTWRITEBYTECODE": "1",
        })
        env.update(extra or {})
        return env

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)


class Emu:
    """An in-process emulator with the suite's settings and a few helpers."""

    def __init__(self, **options):
        options.setdefault("ngrok_rate_window", NGROK_WINDOW)
        self.server = start_emulator(**options)
        self.urls = self.server.urls
        self.creds = self.server.creds
        self.ca_cert = self.server.ca_cert
        self.control = Control(self.urls["control"], ca_cert=self.ca_cert)

    def connection(self, **extra):
        """Connection options of all three providers, as module arguments."""
        return dict(connection.options(self.urls, self.creds), **extra)

    def module_defaults(self, **extra):
        """module_defaults for the play: each provider's connection options through its action group."""
        conn = self.connection()
        groups = {}
        for provider in ("openport", "ngrok", "pinggy"):
            options = dict((k, v) for k, v in conn.items() if k.startswith(provider + "_"))
            options.update(extra)
            groups["group/tunnelops.tunnels.%s" % provider] = options
        return groups

    def provider_env(self):
        """The AWX way: credentials and URLs as environment variables only."""
        return connection.environment(self.urls, self.creds)

    def reset(self, seed="default"):
        self.server.reset(seed)

    def requests(self):
        return self.server.requests()

    def counters(self):
        return self.server.counters()

    def secrets(self):
        return self.server.secrets()

    def stop(self):
        self.server.stop()


def run(cmd, env, cwd=None, timeout=600):
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, check=False)
    return proc.returncode, proc.stdout, proc.stderr


def write_yaml(path, data):
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(data, handle, sort_keys=False, width=1000)
    return path


def case_play(cases, control, out_dir, name="reliability cases", ca_cert=None):
    """One play: for each case, prepare the emulator, run the real task, record the outcome.

    A case is a dict: id, task (the module task, a dict as in a playbook), setup (seed,
    config, faults, seed_items), check (bool).
    """
    tasks = []
    for case in cases:
        setup = dict(case.get("setup") or {})
        setup.update(step="setup", control=control, out_dir=out_dir, case=case["id"], ca_cert=ca_cert)
        task = dict(case["task"])
        task.setdefault("name", case["id"])
        if case.get("check"):
            if "ansible.builtin.include_role" in task:
                task["ansible.builtin.include_role"] = dict(task["ansible.builtin.include_role"],
                                                            apply={"check_mode": True})
            else:
                task["check_mode"] = True
        if case.get("result_expr"):
            # A role: what it reports is a fact it sets, not a registered result.
            steps = [task]
        elif case.get("block"):
            # Roles: the failing task is inside the role; rescue keeps its result.
            steps = [{"name": "no failure yet", "ansible.builtin.set_fact": {"case_result": {"failed": False}}},
                     {"name": "block " + case["id"], "block": [task], "rescue": [
                         {"name": "failure of " + case["id"], "ansible.builtin.set_fact": {
                             "case_result": "{{ ansible_failed_result | combine({'failed': true}) }}"}}]}]
        else:
            task["register"] = "case_result"
            task["ignore_errors"] = True
            steps = [task]
        tasks += [{"name": "setup " + case["id"], "reliability_emulator": setup}] + steps + [
            {"name": "snapshot " + case["id"], "reliability_emulator": {
                "step": "snapshot", "control": control, "out_dir": out_dir, "case": case["id"], "ca_cert": ca_cert,
                "result": case.get("result_expr") or "{{ case_result }}"}},
        ]
    return {"name": name, "hosts": "localhost", "connection": "local", "gather_facts": False, "tasks": tasks}


def load_case(out_dir, case_id):
    path = os.path.join(out_dir, "%s.json" % case_id)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        record = json.load(handle)
    before = os.path.join(out_dir, "%s.before.json" % case_id)
    if os.path.exists(before):
        with open(before, encoding="utf-8") as handle:
            record["before"] = json.load(handle)
    return record


def writes(requests):
    return [r for r in requests if r.get("write")]


def find_secrets(texts, secrets):
    """(searched, hits): which of the secrets appear in any of the texts."""
    secrets = sorted(set(s for s in secrets if isinstance(s, str) and len(s) >= 6))
    hits = []
    for secret in secrets:
        for label, text in texts.items():
            if secret in (text or ""):
                hits.append((secret[:4] + "...", label))
    return secrets, hits


# Texts the collection produced during the suite, by label: the secret canary test searches them all.
OUTPUTS = {}
_outputs_lock = threading.Lock()


def keep_output(label, text):
    with _outputs_lock:
        OUTPUTS[label] = text or ""


def split_chunks(cases, n, cost):
    """n lists of cases with about the same total cost (greedy, most expensive first)."""
    chunks = [[] for _index in range(n)]
    totals = [0.0] * n
    for case in sorted(cases, key=cost, reverse=True):
        i = totals.index(min(totals))
        chunks[i].append(case)
        totals[i] += cost(case)
    return [c for c in chunks if c]


def run_cases_on(ws, emu, cases, label, verbosity="-vvvv", defaults=None):
    """Run the cases in one ansible-playbook against this emulator: (rc, out, err, {id: record}, secrets)."""
    out_dir = ws.mkdir(label, "out")
    play = case_play(cases, emu.urls["control"], out_dir, ca_cert=emu.ca_cert)
    play["module_defaults"] = defaults or emu.module_defaults(**FAST)
    path = write_yaml(ws.path(label, "play.yml"), [play])
    rc, out, err = run([os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", path, verbosity],
                       ws.env(home=ws.mkdir(label, "home")), cwd=os.path.dirname(path))
    keep_output("%s stdout" % label, out)
    keep_output("%s stderr" % label, err)
    found = {}
    for case in cases:
        found[case["id"]] = load_case(out_dir, case["id"])
    return rc, out, err, found, emu.secrets()


def run_case_chunks(ws, cases, label, workers=3, verbosity="-vvvv", emu_options=None, cost=None):
    """Run the cases through ansible-playbook, ``workers`` playbooks at a time, each with its own
    emulator; return {case id: record}. Outputs are kept for the secret search."""
    from concurrent.futures import ThreadPoolExecutor
    cost = cost or (lambda case: 1.0)
    chunks = split_chunks(cases, workers, cost)
    records = {}

    def one(index, chunk):
        emu = Emu(**(emu_options or {}))
        try:
            return run_cases_on(ws, emu, chunk, "%s-%d" % (label, index), verbosity)
        finally:
            emu.stop()

    with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
        for rc, out, err, found, secrets in pool.map(lambda a: one(*a), enumerate(chunks)):
            for case_id, record in found.items():
                if record is None:
                    record = {"missing": True, "rc": rc, "tail": (out + err)[-3000:]}
                record["emulator_secrets"] = secrets
                records[case_id] = record
    return records


_SEED_STATE = {}


def seed_state():
    """The default seed's state (deterministic), read once from a short-lived emulator."""
    if "state" not in _SEED_STATE:
        emu = Emu()
        try:
            _SEED_STATE["state"] = emu.control.state()
        finally:
            emu.stop()
    return _SEED_STATE["state"]
