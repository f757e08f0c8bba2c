"""The demo's small fleet: a real sshd (when the machine has one) and three emulator machines behind it.

Each machine (one per provider) forwards to its own port of one sshd, which tells them apart by that
port (TUNNELOPS_MACHINE), so the demo's last play shows which machine answered through which tunnel.
Without sshd the machines still start, and the demo says that their play is skipped and why.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re

from common import log

MACHINES = {"machine-openport": "openport", "machine-ngrok": "ngrok", "machine-pinggy": "pinggy"}
HOSTS = "machine-*"
RAN = re.compile(r'"msg": "(\S+) runs on (\S+)"')


def _sshd_module(tree: str):
    spec = importlib.util.spec_from_file_location("demo_sshd", os.path.join(tree, "tests", "e2e", "sshd.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class DemoFleet:
    """``start()`` gives the emulator's extra arguments; ``env()`` the SSH settings of the last play."""

    def __init__(self, tree: str, workdir: str):
        self.workdir = workdir
        self.sshd_module = _sshd_module(tree)
        self.sshd = None
        self.missing = None

    def start(self) -> list[str]:
        try:
            self.sshd_module.find_sshd(install=False)
            self.sshd = self.sshd_module.Sshd(self.workdir, dict((name, 0) for name in MACHINES)).start()
        except (self.sshd_module.SshdUnavailable, RuntimeError, OSError) as ex:
            self.sshd, self.missing = None, str(ex)
            log(f"==> demo: NO SSHD, the machines' play is skipped: {self.missing}")
        ports = self.sshd.ports if self.sshd else dict((name, 9) for name in MACHINES)
        specs = [{"name": name, "provider": provider, "local_port": ports[name], "register": True}
                 for name, provider in MACHINES.items()]
        path = os.path.join(self.workdir, "machines.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(specs, handle)
        return ["--machines", path]

    def env(self, python: str) -> dict[str, str]:
        """SSH to the machines' sshd with the generated key; the machines are this host, with this Python."""
        if not self.sshd:
            return {}
        return {"ANSIBLE_REMOTE_USER": self.sshd.user, "ANSIBLE_PRIVATE_KEY_FILE": self.sshd.client_key,
                "ANSIBLE_HOST_KEY_CHECKING": "False", "ANSIBLE_PYTHON_INTERPRETER": python,
                "ANSIBLE_SSH_ARGS": "-o ControlMaster=no -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no"}

    def extra_vars(self) -> list[str]:
        # Without sshd the last play's host pattern matches nothing, so it is skipped, not failed.
        return ["-e", "demo_machines=%s" % (HOSTS if self.sshd else "no_machines_without_sshd")]

    def summary(self, output: str) -> list[str]:
        if not self.sshd:
            return [f"  machines:  not reached: {self.missing}"]
        ran = dict(RAN.findall(output))
        lines = [f"  machine {name}: {'ran on ' + ran[name] if name in ran else 'NOT REACHED'} "
                 f"(through {provider})" for name, provider in MACHINES.items()]
        return lines

    def stop(self) -> None:
        if self.sshd:
            self.sshd.stop()
