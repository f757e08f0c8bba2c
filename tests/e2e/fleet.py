# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A fleet for the end-to-end suite: a real sshd, the emulator's machines at the three providers,
the tunnel_sessions inventory over them, and real ansible-* runs whose output is kept.

Each machine forwards to its own port of one sshd; sshd tells the machines apart by that port
(``TUNNELOPS_MACHINE``), so a command run through a tunnel proves which machine it reached.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
if REPO not in sys.path:
    sys.path.insert(0, REPO)

from sshd import Sshd  # noqa: E402  (tests/e2e is on sys.path: conftest.py)
from tests.emulator import start_emulator  # noqa: E402
from tests.support.connection import environment  # noqa: E402
from tests.support.control import Control  # noqa: E402
from tests.support.inventory import unwrap  # noqa: E402

BIN = os.path.dirname(sys.executable)
MACHINES = {"op-1": "openport", "op-2": "openport", "ng-1": "ngrok", "ng-2": "ngrok", "pg-1": "pinggy"}
RAN = re.compile(r'"msg": "(\S+) runs on (\S+)"')


class Fleet:
    """The emulator (in this process), sshd, the machines, and a workspace for ansible runs."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="tunnelops-e2e-")
        self.sshd = Sshd(self.root, dict((name, 0) for name in MACHINES))
        self.emu = None
        self.outputs = {}                      # label -> text: searched for secrets at the end
        self.collections = self.path("collections")
        target = os.path.join(self.collections, "ansible_collections", "tunnelops", "tunnels")
        os.makedirs(os.path.dirname(target))
        os.symlink(os.environ.get("E2E_COLLECTION_TREE") or REPO, target)
        self.collection = target
        self.cache_dir = self.path("inventory-cache")
        self.source = self.write_yaml("inventory/fleet.tunnel_sessions.yml", {
            "plugin": "tunnelops.tunnels.tunnel_sessions", "hostnames": ["key_name", "id"],
            "cache": True, "cache_plugin": "ansible.builtin.jsonfile", "cache_connection": self.cache_dir,
            "cache_timeout": 3600})

    def path(self, *parts):
        path = os.path.join(self.root, *parts)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return path

    def write_yaml(self, relative, data):
        with open(self.path(relative), "w", encoding="utf-8") as handle:
            yaml.safe_dump(data, handle, sort_keys=False, width=1000)
        return self.path(relative)

    # -- starting and stopping ------------------------------------------------------------

    def start(self):
        self.sshd.start()
        self.emu = start_emulator(port=0, seed="empty", ngrok_rate_limit=6000)
        specs = [{"name": name, "provider": provider, "local_port": self.sshd.ports[name], "retry_interval": 0.2}
                 for name, provider in MACHINES.items()]
        self.emu.start_machines(specs)
        return self

    def stop(self):
        if self.emu is not None:
            self.emu.stop_machines()
            self.emu.stop()
        self.sshd.stop()
        if not os.environ.get("E2E_KEEP"):
            shutil.rmtree(self.root, ignore_errors=True)

    # -- the machines -----------------------------------------------------------------------

    def machine(self, name):
        return self.emu.machine(name)

    def wait_for(self, condition, what, timeout=20):
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError("timed out waiting for %s: %s" % (what, json.dumps(self.emu.machines())[:3000]))
            time.sleep(0.1)

    def wait_status(self, names, status):
        self.wait_for(lambda: all(self.machine(n)["status"] == status for n in names), "%s %s" % (names, status))

    @property
    def control(self):
        return Control(self.emu.urls["control"])

    def clicks(self):
        return self.control.state()["openport"]["openforiplinkclicks"]

    def mark(self):
        return self.control.counters()["total"]["requests"]

    def requests_since(self, mark):
        return self.control.call("GET", "/requests?since=%d" % mark)["requests"]

    # -- ansible ----------------------------------------------------------------------------

    def provider_env(self):
        return environment(self.emu.urls, self.emu.creds)

    def ansible_env(self):
        """ansible-* settings of the run (no credential): this collection, real SSH to the machines' sshd."""
        home = self.path("home", "x")[:-2]
        return {
            "ANSIBLE_COLLECTIONS_PATH": self.collections, "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "False",
            "ANSIBLE_HOME": home, "ANSIBLE_LOCAL_TEMP": os.path.join(home, "tmp"),
            "ANSIBLE_REMOTE_TEMP": os.path.join(home, "remote_tmp"), "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0", "ANSIBLE_RETRY_FILES_ENABLED": "False", "ANSIBLE_PIPELINING": "True",
            "ANSIBLE_PYTHON_INTERPRETER": sys.executable, "ANSIBLE_LOCALHOST_WARNING": "False",
            "ANSIBLE_DEPRECATION_WARNINGS": "False", "ANSIBLE_HOST_KEY_CHECKING": "False",
            "ANSIBLE_REMOTE_USER": self.sshd.user, "ANSIBLE_PRIVATE_KEY_FILE": self.sshd.client_key,
            "ANSIBLE_TIMEOUT": "10",
            # One connection per task, no master kept open: a closed port must show as closed.
            "ANSIBLE_SSH_ARGS": "-o ControlMaster=no -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no",
            "TUNNELOPS_PACING_DIR": self.path("pacing", "x")[:-2],
            "TUNNELOPS_SOURCE_IP_CACHE": self.path("source-ip.json"),
            "PYTHONDONTWRITEBYTECODE": "1",
        }

    def env(self):
        env = dict((k, v) for k, v in os.environ.items()
                   if not k.startswith(("ANSIBLE_", "OPENPORT_", "NGROK_", "PINGGY_", "PYTEST_", "TUNNELOPS_")))
        env["PATH"] = BIN + os.pathsep + env.get("PATH", "")
        env.update(self.ansible_env())
        env.update(self.provider_env())
        return env

    def run(self, label, *args, ok=True, settings=None):
        """Run an ansible command of the venv at -vvvv (``settings``: more environment); its output is kept for
        the secret search."""
        cmd = [os.path.join(BIN, args[0])] + list(args[1:]) + ["-vvvv"]
        proc = subprocess.run(cmd, env=dict(self.env(), **(settings or {})), cwd=self.root, capture_output=True, text=True, timeout=600,
                              stdin=subprocess.DEVNULL, check=False)
        self.outputs["%s stdout" % label] = proc.stdout
        self.outputs["%s stderr" % label] = proc.stderr
        if ok:
            assert proc.returncode == 0, "%s exited with %d:\n%s\n%s" % (
                " ".join(args), proc.returncode, proc.stdout[-6000:], proc.stderr[-3000:])
        return proc

    def inventory(self, label):
        """The hosts of the tunnel_sessions inventory, asked again (``--flush-cache``; the cache is rewritten)."""
        proc = self.run(label, "ansible-inventory", "-i", self.source, "--list", "--flush-cache")
        listing = json.loads(proc.stdout[proc.stdout.index("{"):])
        return unwrap(listing["_meta"]["hostvars"])

    def playbook(self, label, playbook, *args, ok=True):
        return self.run(label, "ansible-playbook", "-i", self.source, "--flush-cache", playbook, *args, ok=ok)

    def runner(self, ident, playbook):
        """The playbook through the ansible-runner command, as AWX runs a job: ``(status, stdout, events)``."""
        private = self.path("runner", "env", "envvars")
        env = self.ansible_env()
        env.update(self.provider_env())
        with open(private, "w", encoding="utf-8") as handle:
            yaml.safe_dump(env, handle)
        private = os.path.dirname(os.path.dirname(private))
        cmd = [os.path.join(BIN, "ansible-runner"), "run", private, "--ident", ident, "--playbook", playbook,
               "--inventory", self.source, "--cmdline=--flush-cache", "-vvvv", "--quiet"]
        proc = subprocess.run(cmd, env=dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", "")), timeout=600,
                              capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)
        self.outputs["ansible-runner %s stdout" % ident] = proc.stdout
        self.outputs["ansible-runner %s stderr" % ident] = proc.stderr
        artifacts = os.path.join(private, "artifacts", ident)
        files = files_under(artifacts, skip_runner_env=True)
        self.outputs.update(files)
        events = [json.loads(text) for path, text in sorted(files.items()) if "/job_events/" in path]
        status = files.get(os.path.join(artifacts, "status"), "").strip() or "no status (%s)" % proc.stderr[-2000:]
        return status, files.get(os.path.join(artifacts, "stdout"), ""), events

    def provision(self, label, keys):
        """key_provision through the AWX playbook, the keys given as JSON."""
        playbook = os.path.join(self.collection, "playbooks", "provision_keys.yml")
        return self.run(label, "ansible-playbook", "-i", "localhost,", playbook,
                        "-e", json.dumps({"provision_keys": keys, "provision_keys_file": ""}))

    def machine_keys(self, names, state="present"):
        keys = []
        for name in names:
            provider = MACHINES[name]
            keys.append({"name": name, "public_key": self.machine(name)["public_key"], "providers": [provider],
                         "state": state})
        return keys


def ran_on(output):
    """{host: what TUNNELOPS_MACHINE said} from the reach play's output."""
    return dict(RAN.findall(output))


def refused(port):
    """True when nothing listens on the port any more (the forward closed)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            return False
    except ConnectionRefusedError:
        return True


def files_under(directory, skip_runner_env=False):
    """{path: text} of every file under ``directory``.

    ``skip_runner_env``: ansible-runner's ``command`` file records the environment it started the job
    with, which carries the credentials as AWX injects them: an input, not something the collection wrote.
    """
    texts = {}
    for base, dummy, names in os.walk(directory):
        for name in names:
            path = os.path.join(base, name)
            with open(path, encoding="utf-8", errors="replace") as handle:
                text = handle.read()
            if skip_runner_env and name == "command":
                record = json.loads(text)
                record.pop("env", None)
                text = json.dumps(record)
            texts[path] = text
    return texts
