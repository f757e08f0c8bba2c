# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running a plugin's EXAMPLES as a user runs them, and reading what the emulator holds and received.

A module's examples become the tasks of a playbook in a folder of their own (with the key files they read
beside it), run by ``ansible-playbook`` with the credentials and API URLs in the environment, as a user's
shell or an AWX credential sets them; a last task, added by the test, keeps what the examples registered.
An inventory example becomes a source file run by ``ansible-inventory --list`` with the same environment.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
# <root>/tests/integration/targets/<this target>: <root> holds tests/support (the needs/file aliases copy it).
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

# pylint: disable=wrong-import-position
from tests.support import connection  # noqa: E402
from tests.support.integration import NGROK_RATE_LIMIT_RAISED, Control, load_config, urls  # noqa: E402
from tests.support.inventory import unwrap  # noqa: E402

# What the test's environment must not pass on to the user's commands: ansible-test's callbacks (its junit
# report) and any credential or URL of the collection from outside.
DROPPED_ENV = ("ANSIBLE_CALLBACKS_ENABLED", "ANSIBLE_CALLBACK_WHITELIST", "JUNIT_", "OPENPORT_", "NGROK_", "PINGGY_")


class Failed(Exception):
    pass


def expect(condition, message, *details):
    if not condition:
        raise Failed(message + "".join("\n  %s" % (detail,) for detail in details))


def config():
    """The emulator's URLs and credentials (../../integration_config.yml, or the environment)."""
    return load_config(os.path.join(HERE, "..", "..", "integration_config.yml"))


def registered_names(tasks):
    """The names the tasks register, in order (blocks included)."""
    names = []
    for task in tasks:
        if task.get("register") and task["register"] not in names:
            names.append(task["register"])
        for key in ("block", "rescue", "always"):
            names += [n for n in registered_names(task.get(key) or []) if n not in names]
    return names


def playbook_text(examples, names, keep_path, hosts="localhost"):
    """The examples, verbatim, as the tasks of a play on ``hosts``, and a last task that keeps what they
    registered in ``keep_path`` on this machine (results hold tokens: never printed)."""
    tasks = "".join(("    " + line if line.strip() else "") + "\n" for line in examples.strip("\n").splitlines())
    keep = "{{ {%s} | to_json }}" % ", ".join("%r: %s" % (name, name) for name in names)
    return (
        "- name: The examples, as a user pastes them into a playbook\n"
        "  hosts: %s\n"
        "  gather_facts: false\n"
        "  tasks:\n" % hosts + tasks + "\n"
        "    - name: Keep what the examples registered (added by the test)\n"
        "      ansible.builtin.copy:\n"
        "        content: %s\n"
        "        dest: %s\n"
        "        mode: \"0600\"\n"
        "      delegate_to: localhost\n"
        "      run_once: true\n"
        "      no_log: true\n\n\n" % (json.dumps(keep), json.dumps(keep_path)))


class Examples:
    """One emulator, one work folder; each run gets a folder of its own with its own HOME."""

    def __init__(self, work, settings):
        self.work = work
        self.config = settings
        self.urls = urls(settings)
        self.ctl = Control(self.urls["control"])

    # -- the emulator ----------------------------------------------------------------

    def reset(self, seed="default", config=None, items=None):
        """State, log, counters, faults and settings reset, then ``config`` and raw ``items`` in the same call;
        the answer holds the ids of the items."""
        return self.ctl.reset(seed, config=config, items=items)

    def writes(self):
        return [(r["method"], r["provider"], r["path"]) for r in self.ctl.requests() if r["write"]]

    # -- a user's environment ------------------------------------------------------------

    def env(self, home, **extra):
        """The credentials and URLs as a user exports them; HOME is the run's own."""
        env = dict((k, v) for k, v in os.environ.items() if not k.startswith(DROPPED_ENV))
        env.update(connection.environment(self.urls, self.credentials()))
        env.update({
            "HOME": home, "ANSIBLE_NOCOLOR": "1", "ANSIBLE_LOCALHOST_WARNING": "False",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "False", "ANSIBLE_RETRY_FILES_ENABLED": "False",
            "ANSIBLE_PIPELINING": "True",  # one process per module task instead of a file copy and several
            "NGROK_RATE_LIMIT": NGROK_RATE_LIMIT_RAISED,
        })
        env.update(extra)
        return env

    def credentials(self):
        return dict((key, self.config[key]) for key in connection.CREDENTIALS)

    def folder(self, name):
        """A fresh folder for one run: the target's files/ (the key files the examples read) and a HOME."""
        path = os.path.join(self.work, name)
        shutil.rmtree(path, ignore_errors=True)
        shutil.copytree(os.path.join(HERE, "files"), os.path.join(path, "files"))
        os.makedirs(os.path.join(path, "home"))
        return path

    def command(self, args, folder, env):
        proc = subprocess.run(args, cwd=folder, env=env, capture_output=True, text=True, timeout=900,
                              stdin=subprocess.DEVNULL, check=False)
        with open(os.path.join(folder, "output.txt"), "w", encoding="utf-8") as handle:
            handle.write(proc.stdout + proc.stderr)
        return proc

    # -- runs ------------------------------------------------------------------------------

    def play(self, name, examples, env=None, inventory=None):
        """Run a module's examples; return (what they registered, the run's folder). ``inventory``: a
        (file name, text) source whose hosts the examples run on (as a play's pre_tasks run), else localhost."""
        folder = self.folder(name)
        names = registered_names(yaml.safe_load(examples) or [])
        keep = os.path.join(folder, "registered.json")
        source, text = inventory or ("hosts", "localhost ansible_connection=local ansible_python_interpreter=%s\n"
                                     % sys.executable)
        with open(os.path.join(folder, "playbook.yml"), "w", encoding="utf-8") as handle:
            handle.write(playbook_text(examples, names, keep, hosts="all" if inventory else "localhost").rstrip()
                         + "\n")
        with open(os.path.join(folder, source), "w", encoding="utf-8") as handle:
            handle.write(text)
        proc = self.command(["ansible-playbook", "-i", source, "playbook.yml"], folder,
                            self.env(os.path.join(folder, "home"), **(env or {})))
        expect(proc.returncode == 0, "%s: the examples failed (rc %s)" % (name, proc.returncode),
               proc.stdout[-6000:], proc.stderr[-3000:])
        with open(keep, encoding="utf-8") as handle:
            return json.load(handle), folder

    def inventory(self, name, source, env=None, again=False):
        """Run one inventory source with ansible-inventory --list; return (its JSON, the run's folder).
        ``again``: in the folder (and HOME) of the previous run of this source."""
        folder = os.path.join(self.work, name) if again else self.folder(name)
        with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
            handle.write(source)
        proc = self.command(["ansible-inventory", "-i", name, "--list"], folder,
                            self.env(os.path.join(folder, "home"), ANSIBLE_INVENTORY_UNPARSED_FAILED="True",
                                     **(env or {})))
        expect(proc.returncode == 0, "%s: ansible-inventory failed (rc %s)" % (name, proc.returncode),
               proc.stdout[-3000:], proc.stderr[-3000:])
        return unwrap(json.loads(proc.stdout)), folder
