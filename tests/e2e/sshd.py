# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A real OpenSSH server on 127.0.0.1 standing for the machines behind the tunnels.

One ``sshd`` listens on one port per machine; a ``Match LocalPort`` block gives each port
its own ``TUNNELOPS_MACHINE`` environment variable, so that a command run over SSH proves
which machine it reached. Host and user keys are generated for the run; only the
controller's key may log in. Debian's ``openssh-server`` package provides ``sshd``: it is
installed when missing and the machine allows it (root and apt-get), otherwise the run
stops with a message naming the package.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

SSHD_CANDIDATES = ("/usr/sbin/sshd", "/usr/local/sbin/sshd")
PACKAGE = "openssh-server"


class SshdUnavailable(RuntimeError):
    pass


def find_sshd(install=True):
    """The path of sshd, installing Debian's openssh-server first where that is possible."""
    for path in SSHD_CANDIDATES + (shutil.which("sshd") or "",):
        if path and os.access(path, os.X_OK):
            return path
    apt = shutil.which("apt-get")
    if install and apt and hasattr(os, "geteuid") and os.geteuid() == 0:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")

        def apt_get(*args):
            return subprocess.run([apt] + list(args), env=env, capture_output=True, text=True, check=False)
        done = apt_get("install", "-y", "-q", PACKAGE)
        if done.returncode != 0:
            # A fresh container has no package lists yet: read them, then try once more.
            apt_get("update", "-q")
            done = apt_get("install", "-y", "-q", PACKAGE)
        if done.returncode == 0:
            return find_sshd(install=False)
        raise SshdUnavailable("apt-get install %s failed (exit %d): %s"
                              % (PACKAGE, done.returncode, done.stderr.strip()[-500:]))
    raise SshdUnavailable("reaching the machines needs an OpenSSH server (sshd), which is not installed: install the "
                          "Debian package %s (apt-get install %s), or run as root on a machine with apt-get"
                          % (PACKAGE, PACKAGE))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def keygen(path, comment):
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path], check=True)
    with open(path + ".pub") as handle:
        return handle.read().strip()


class Sshd:
    """``machines`` maps a machine name to the local port its sshd listens on (0: a free port)."""

    def __init__(self, workdir, machines):
        self.dir = os.path.join(workdir, "sshd")
        os.makedirs(self.dir, exist_ok=True)
        self.ports = dict((name, port or free_port()) for name, port in machines.items())
        self.process = None
        self.user = os.environ.get("USER") or "root"
        self.client_key = os.path.join(self.dir, "controller_ed25519")

    def _config(self):
        lines = ["Port %d" % port for port in self.ports.values()]
        lines += [
            "ListenAddress 127.0.0.1",
            "HostKey %s" % os.path.join(self.dir, "host_ed25519"),
            "PidFile %s" % os.path.join(self.dir, "sshd.pid"),
            "AuthorizedKeysFile %s" % os.path.join(self.dir, "authorized_keys"),
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            "StrictModes no",
            "PermitRootLogin prohibit-password",
            # Ansible copies modules over SFTP unless pipelining is on (the demo's playbook runs without it).
            "Subsystem sftp internal-sftp",
        ]
        for name, port in self.ports.items():
            lines += ["Match LocalPort %d" % port, "    SetEnv TUNNELOPS_MACHINE=%s" % name]
        return "\n".join(lines) + "\n"

    def start(self, timeout=15):
        sshd = find_sshd()
        keygen(os.path.join(self.dir, "host_ed25519"), "e2e-host")
        authorized = keygen(self.client_key, "e2e-controller")
        with open(os.path.join(self.dir, "authorized_keys"), "w") as handle:
            handle.write(authorized + "\n")
        config = os.path.join(self.dir, "sshd_config")
        with open(config, "w") as handle:
            handle.write(self._config())
        os.makedirs("/run/sshd", exist_ok=True)  # sshd's privilege separation directory
        subprocess.run([sshd, "-t", "-f", config], check=True)
        self.log = open(os.path.join(self.dir, "sshd.log"), "w")
        self.process = subprocess.Popen([sshd, "-D", "-e", "-f", config], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        for port in self.ports.values():
            while not _banner(port):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("sshd did not start on port %d; see %s" % (port, self.log.name))
                time.sleep(0.1)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.process:
            self.log.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def _banner(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            return sock.recv(64).startswith(b"SSH-")
    except OSError:
        return False
