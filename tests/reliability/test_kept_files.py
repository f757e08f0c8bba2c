# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Credentials from the environment stay out of the module files Ansible keeps (issue 18.9).

With ``ANSIBLE_KEEP_REMOTE_FILES=1`` Ansible leaves every ``AnsiballZ_*.py`` it runs on disk, and each
holds the module's arguments. Credentials given as options (or through ``module_defaults``) are
module arguments, so they are in those files: ansible-core's behaviour, documented in
docs/reliability.md as an exception. Credentials given in the environment (the AWX credential types do
so) are not arguments and must never be in them. Both runs use canary credentials: the one with
options proves that the search finds them where they are.
"""

from __future__ import annotations

import glob
import os
import uuid

import pytest

import harness

RUN = uuid.uuid4().hex[:12]
CANARIES = {"openport_token": "opKEPT%sTOKEN" % RUN, "ngrok_api_key": "ngKEPT%sKEY" % RUN,
            "pinggy_api_key": "pgKEPT%sKEY" % RUN}
TASKS = [
    {"name": "openport", "tunnelops.tunnels.openport_key_info": {}},
    {"name": "ngrok", "tunnelops.tunnels.ngrok_info": {"resources": ["credentials"]}},
    {"name": "pinggy", "tunnelops.tunnels.tunnel_session_info": {"providers": ["pinggy"], "strict": True}},
]


def _run(ws, emu, label, as_options):
    home = ws.mkdir("kept", label, "home")
    defaults = emu.module_defaults(**harness.FAST) if as_options else {
        "group/tunnelops.tunnels.tunnels": dict(harness.FAST)}
    play = {"name": "kept files " + label, "hosts": "localhost", "connection": "local", "gather_facts": False,
            "module_defaults": defaults, "tasks": TASKS}
    path = harness.write_yaml(ws.path("kept", label, "play.yml"), [play])
    extra = {"ANSIBLE_KEEP_REMOTE_FILES": "1", "ANSIBLE_PIPELINING": "False"}
    if not as_options:
        extra.update(emu.provider_env())
    rc, out, err = harness.run([os.path.join(harness.BIN, "ansible-playbook"), "-i", "localhost,", path],
                               ws.env(extra, home=home), cwd=os.path.dirname(path))
    assert rc == 0, (out + err)[-3000:]
    texts = {}
    for name in glob.glob(os.path.join(home, "remote_tmp", "**", "*"), recursive=True):
        if os.path.isfile(name):
            with open(name, encoding="utf-8", errors="replace") as handle:
                texts[name] = handle.read()
    modules = [name for name in texts if os.path.basename(name).startswith("AnsiballZ_")]
    assert len(modules) >= len(TASKS), "Ansible kept no module files: %s" % sorted(texts)
    return texts


@pytest.fixture(scope="session")
def kept(workspace):
    emu = harness.Emu(**CANARIES)
    try:
        return {"environment": _run(workspace, emu, "environment", False),
                "options": _run(workspace, emu, "options", True)}
    finally:
        emu.stop()


def test_credentials_from_the_environment_are_not_in_kept_module_files(kept):
    searched, hits = harness.find_secrets(kept["environment"], CANARIES.values())
    harness.tally("secrets_searched", len(searched))
    harness.tally("secrets_found", len(hits))
    assert len(searched) == 3 and not hits, hits


def test_credentials_given_as_options_are_in_kept_module_files_the_documented_exception(kept):
    # Not a leak of the collection's: ansible-core writes module arguments into the files it keeps.
    searched, hits = harness.find_secrets(kept["options"], CANARIES.values())
    assert len(set(secret for secret, _label in hits)) == 3, "the search would not find a kept credential"
