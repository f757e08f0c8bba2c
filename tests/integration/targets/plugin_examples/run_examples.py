# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every EXAMPLES block of every plugin of the collection, run against the emulator as a user runs it.

Usage: run_examples.py <work dir> [plugin name ...]

ansible-doc lists the plugins from plugins/ (every type: modules, inventory, and any added later) with their
EXAMPLES verbatim. Each plugin with examples needs a check in CHECKS: it sets the emulator's state, runs the
examples (examples_lib.py) and asserts what they returned and what the emulator holds and received afterwards.
A plugin without a check fails the run, so a new module cannot ship examples that nothing runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import traceback

import checks_filters
import checks_ngrok
import checks_openport
import checks_sessions
import checks_inventory
from examples_lib import Examples, Failed, config

COLLECTION = "tunnelops.tunnels"
# Folders of plugins/ that hold no plugin of their own (an action plugin is its module's companion).
NOT_PLUGINS = ("module_utils", "doc_fragments", "plugin_utils", "action", "__pycache__")
CHECKS = {}
for _module in (checks_openport, checks_ngrok, checks_sessions, checks_inventory, checks_filters):
    CHECKS.update(_module.CHECKS)


def ansible(*args):
    proc = subprocess.run(list(args), capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise Failed("%s failed:\n%s" % (" ".join(args), proc.stderr[-3000:]))
    return proc.stdout


def plugin_files():
    """(type, name) of every plugin file in the collection's plugins/, where Ansible finds it."""
    paths = json.loads(ansible("ansible-galaxy", "collection", "list", COLLECTION, "--format", "json"))
    root = os.path.join(sorted(paths)[0], *COLLECTION.split("."))
    found = set()
    for folder in sorted(os.listdir(os.path.join(root, "plugins"))):
        if folder in NOT_PLUGINS or not os.path.isdir(os.path.join(root, "plugins", folder)):
            continue
        kind = "module" if folder == "modules" else folder
        found.update((kind, name[:-3]) for name in os.listdir(os.path.join(root, "plugins", folder))
                     if name.endswith(".py") and not name.startswith("_"))
    return found


def plugins_with_examples():
    """{(type, name): examples} of every plugin of the collection, as ansible-doc gives them."""
    found = {}
    for kind, plugins in json.loads(ansible("ansible-doc", "--metadata-dump", COLLECTION))["all"].items():
        if kind in ("keyword", "role"):  # playbook keywords; roles have argument specs, not EXAMPLES
            continue
        for fqcn, doc in plugins.items():
            if fqcn.startswith(COLLECTION + ".") and (doc.get("examples") or "").strip():
                found[(kind, fqcn[len(COLLECTION) + 1:])] = doc["examples"]
    return found


def main():
    work, only = sys.argv[1], sys.argv[2:]
    runner = Examples(work, config())
    plugins = plugins_with_examples()
    failures = []
    unchecked = sorted("%s %s" % key for key in plugins if key not in CHECKS)
    if unchecked:
        failures.append("plugins whose EXAMPLES no check runs (add one to CHECKS of a checks_*.py here): %s"
                        % ", ".join(unchecked))
    gone = sorted("%s %s" % key for key in CHECKS if key not in plugins)
    if gone:
        failures.append("checks for plugins without EXAMPLES (or gone): %s" % ", ".join(gone))
    without = sorted("plugins/%s/%s.py" % ("modules" if kind == "module" else kind, name)
                     for kind, name in plugin_files() if (kind, name) not in plugins)
    if without:
        failures.append("plugins without EXAMPLES that ansible-doc shows: %s" % ", ".join(without))
    unknown = sorted(set(only) - set(name for _kind, name in plugins))
    if unknown:
        failures.append("no plugin with examples is named %s" % ", ".join(unknown))
    for key in sorted(k for k in plugins if k in CHECKS and (not only or k[1] in only)):
        started = time.monotonic()
        try:
            CHECKS[key](runner, plugins[key])
        except Failed as exc:
            failures.append("%s %s: %s" % (key[0], key[1], exc))
            print("FAILED %s %s" % key, flush=True)
            continue
        except Exception:  # pylint: disable=broad-except  # a broken check fails, the others still run
            failures.append("%s %s: the check broke:\n%s" % (key[0], key[1], traceback.format_exc()))
            print("FAILED %s %s" % key, flush=True)
            continue
        print("ok %s %s (%.1fs)" % (key[0], key[1], time.monotonic() - started), flush=True)
    for failure in failures:
        print("FAILED: %s" % failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
