# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secret canaries: unique credentials, every module, role, playbook and the inventory at -vvvv,
through ansible-playbook and through ansible-runner; no canary may appear in anything written.

The emulator is started with canary credentials; every secret it mints (ngrok tokens, Pinggy
``token_value``) and the wrong credentials the failing tasks send are canaries too. Searched:
stdout and stderr of every run, ansible-runner's artifacts, the inventory cache, the audit
reports, and the error messages (which are part of the output at -vvvv).
"""

from __future__ import annotations

import glob
import json
import os
import uuid

import pytest

import cases as C
import harness
from tests.support.control import secret_values  # harness put the repository root on sys.path

RUN = uuid.uuid4().hex[:12]
CANARIES = {
    "openport_token": "CANARYop%sTOKEN" % RUN,
    "ngrok_api_key": "CANARYng%sAPIKEY" % RUN,
    "pinggy_api_key": "CANARYpg%sAPIKEY" % RUN,
}
# Wrong credentials sent by tasks that must fail: ngrok echoes a rejected key (ERR_NGROK_202).
WRONG = {
    "openport_token": "CANARYwrongop%s" % RUN,
    "ngrok_api_key": "CANARYwrongng%s" % RUN,
    "pinggy_api_key": "CANARYwrongpg%s" % RUN,
}


def _modules_play(emu, report_dir):
    """Every module once (and the failures that carry a credential), credentials as options."""
    history_from = (C._today() - C.datetime.timedelta(days=50)).isoformat()
    failing = {"ignore_errors": True}
    tasks = [
        {"name": "openport key", "tunnelops.tunnels.openport_key": {
            "public_key": C.NEW_KEYS["rel-created"], "name": "canary-key"}},
        {"name": "openport keys", "tunnelops.tunnels.openport_keys": {"keys": [
            {"public_key": C.NEW_KEYS["rel-bulk-1"], "name": "canary-bulk"}]}},
        {"name": "openport key info", "tunnelops.tunnels.openport_key_info": {}},
        {"name": "openport node info", "tunnelops.tunnels.openport_node_info": {}},
        {"name": "openport link clicks", "tunnelops.tunnels.openport_link_click_info": {}},
        {"name": "ngrok authtoken (token returned once)", "tunnelops.tunnels.ngrok_credential": {
            "description": "canary-cred"}, "register": "created_cred"},
        {"name": "the token is registered", "ansible.builtin.assert": {
            "that": ["created_cred.token is defined", "created_cred.token | length > 20"], "quiet": True}},
        {"name": "ngrok authtoken rotated", "tunnelops.tunnels.ngrok_credential": {
            "description": "canary-cred", "rotate": True}, "register": "rotated_cred"},
        {"name": "ngrok API key", "tunnelops.tunnels.ngrok_api_key": {"description": "canary-api-key"},
         "register": "created_key"},
        {"name": "the API key token is registered", "ansible.builtin.assert": {
            "that": ["created_key.token is defined"], "quiet": True}},
        {"name": "ngrok ssh credential", "tunnelops.tunnels.ngrok_ssh_credential": {
            "public_key": C.NEW_KEYS["rel-ssh"], "description": "canary-ssh"}},
        {"name": "ngrok ssh credentials", "tunnelops.tunnels.ngrok_ssh_credentials": {"credentials": [
            {"public_key": C.NEW_KEYS["rel-ssh-b1"], "description": "canary-ssh-b"}]}},
        {"name": "ngrok info", "tunnelops.tunnels.ngrok_info": {}},
        {"name": "ngrok tunnel session restart", "tunnelops.tunnels.ngrok_tunnel_session": {
            "action": "restart", "agent_version": C.LIVE_SESSION_AGENT}},
        {"name": "sessions", "tunnelops.tunnels.tunnel_session_info": {}},
        {"name": "history (a Pinggy row carries token_value)", "tunnelops.tunnels.tunnel_session_history_info": {
            "history_from": history_from}},
        {"name": "key audit findings", "tunnelops.tunnels.key_audit_findings": {}},
        {"name": "openport with a wrong token", "tunnelops.tunnels.openport_key_info": {
            "openport_token": "{{ wrong_openport_token }}"}, **failing},
        {"name": "ngrok with a wrong key (echoed by ngrok)", "tunnelops.tunnels.ngrok_info": {
            "ngrok_api_key": "{{ wrong_ngrok_api_key }}"}, **failing},
        {"name": "pinggy with a wrong key", "tunnelops.tunnels.tunnel_session_info": {
            "providers": ["pinggy"], "strict": True, "pinggy_api_key": "{{ wrong_pinggy_api_key }}"}, **failing},
        {"name": "openport through a failing gateway (the token is in the URL)",
         "tunnelops.tunnels.openport_key_info": {"retries": 0, "openport_api_url": emu.urls["openport"] + "/nope"},
         **failing},
    ]
    return {"name": "every module", "hosts": "localhost", "connection": "local", "gather_facts": False,
            "module_defaults": emu.module_defaults(timeout=5, retries=1), "tasks": tasks}


def _roles_play(report_dir):
    return {"name": "both roles", "hosts": "localhost", "connection": "local", "gather_facts": False,
            "tasks": [
                {"ansible.builtin.include_role": {"name": "tunnelops.tunnels.key_provision"},
                 "vars": {"key_provision_keys": [{"name": "canary-role", "public_key": C.NEW_KEYS["rel-check"]}]}},
                {"ansible.builtin.include_role": {"name": "tunnelops.tunnels.key_audit"},
                 "vars": {"key_audit_report_dir": os.path.join(report_dir, "role"), "key_audit_fail_severity": "none",
                          "key_audit_window_days": 30}},
            ]}


def _playbook(ws, emu, label):
    report_dir = ws.mkdir(label, "reports")
    collection = ws.collection
    plays = [_modules_play(emu, report_dir), _roles_play(report_dir),
             {"ansible.builtin.import_playbook": os.path.join(collection, "playbooks", "provision_keys.yml")},
             {"ansible.builtin.import_playbook": os.path.join(collection, "playbooks", "audit_keys.yml"),
              "vars": {"audit_fail_severity": "none", "audit_report_dir": os.path.join(report_dir, "playbook")}}]
    return harness.write_yaml(ws.path(label, "project", "canary.yml"), plays), report_dir


def _inventory_source(ws, label):
    cache = ws.mkdir(label, "inventory-cache")
    # raw_host_var: the providers' records, where a secret would hide, are searched in the listing too.
    source = dict(harness.FAST, plugin="tunnelops.tunnels.tunnel_sessions", cache=True, raw_host_var=True,
                  cache_plugin="ansible.builtin.jsonfile", cache_connection=cache, cache_timeout=3600)
    return harness.write_yaml(ws.path(label, "inventory", "tunnel_sessions.yml"), source), cache


def _wrong_vars(ws):
    path = ws.path("canary-wrong", "wrong.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(dict(("wrong_" + k, v) for k, v in WRONG.items()), handle)
    return path


def _files(*dirs):
    texts = {}
    for directory in dirs:
        for path in glob.glob(os.path.join(directory, "**", "*"), recursive=True):
            if not os.path.isfile(path):
                continue
            with open(path, encoding="utf-8", errors="replace") as handle:
                text = handle.read()
            if os.path.basename(path) == "command":
                # ansible-runner's record of how it started the job: its "env" is the input that
                # carries the credentials (as AWX injects them), not something the collection wrote.
                record = json.loads(text)
                record.pop("env", None)
                text = json.dumps(record)
            texts[path] = text
    return texts


@pytest.fixture(scope="session")
def canary_runs(workspace):
    ws = workspace
    emu = harness.Emu(**CANARIES)
    texts = {}
    try:
        # What the first run minted is gone after the reset before the runner run: keep it.
        canary_seed_secrets = set()
        env = ws.env(emu.provider_env(), home=ws.mkdir("canary", "home"))
        playbook, reports = _playbook(ws, emu, "canary-playbook")
        wrong = _wrong_vars(ws)
        rc, out, err = harness.run([os.path.join(harness.BIN, "ansible-playbook"), "-i", "localhost,", playbook,
                                    "-e", "@" + wrong, "-vvvv"], env, cwd=os.path.dirname(playbook))
        texts.update({"ansible-playbook stdout": out, "ansible-playbook stderr": err})
        playbook_rc = rc
        texts.update(_files(reports))
        source, cache = _inventory_source(ws, "canary-inventory")
        for attempt in ("first", "cached"):
            rc, out, err = harness.run([os.path.join(harness.BIN, "ansible-inventory"), "-i", source, "--list",
                                        "-vvvv"], env, cwd=os.path.dirname(source))
            assert rc == 0, err[-3000:]
            texts.update({"ansible-inventory %s stdout" % attempt: out, "ansible-inventory %s stderr" % attempt: err})
        texts.update(_files(cache))
        assert glob.glob(os.path.join(cache, "*")), "the inventory wrote no cache"

        # The same through ansible-runner, as AWX runs a job template and an inventory source.
        import ansible_runner
        canary_seed_secrets |= set(emu.secrets()) | secret_values(emu.control.state())
        emu.reset()
        private = ws.mkdir("canary-runner")
        playbook, reports = _playbook(ws, emu, "canary-runner")
        runner_env = dict((k, v) for k, v in ws.env(home=ws.mkdir("runner-home")).items()
                          if k.startswith(("ANSIBLE_", "TUNNELOPS_", "NGROK_RATE")))
        runner_env.update(emu.provider_env())
        result = ansible_runner.run(private_data_dir=private, playbook=playbook, inventory="localhost,",
                                    envvars=runner_env, verbosity=4, quiet=True, ident="canary",
                                    cmdline="-e @%s" % wrong)
        runner_status = result.status
        source, cache = _inventory_source(ws, "canary-runner-inventory")
        inv_out, inv_err = ansible_runner.get_inventory(action="list", inventories=[source], response_format="json",
                                                        envvars=runner_env, quiet=True,
                                                        private_data_dir=ws.mkdir("canary-runner-inv"))
        texts.update({"runner inventory stdout": str(inv_out), "runner inventory stderr": str(inv_err)})
        texts.update(_files(os.path.join(private, "artifacts"), reports, cache,
                            os.path.join(ws.root, "canary-runner-inv", "artifacts")))
        state = emu.control.state()
        secrets = set(emu.secrets()) | set(CANARIES.values()) | set(WRONG.values()) | secret_values(state)
        secrets |= canary_seed_secrets
        return {"texts": texts, "secrets": secrets, "playbook_rc": playbook_rc, "runner_status": runner_status,
                "state": state, "playbook_out": texts["ansible-playbook stdout"]}
    finally:
        emu.stop()


def test_canary_runs_completed(canary_runs):
    assert canary_runs["playbook_rc"] == 0, canary_runs["playbook_out"][-4000:]
    assert canary_runs["runner_status"] == "successful"
    out = canary_runs["playbook_out"]
    # The failing tasks did fail (their errors are part of what is searched).
    assert out.count("...ignoring") >= 4, "the failing credential tasks did not run"
    # A created token is hidden from the output by the action plugin, yet registered (asserted in the play).
    assert "the output has been hidden" in out


def test_no_canary_anywhere(canary_runs):
    texts, secrets = canary_runs["texts"], canary_runs["secrets"]
    assert len(texts) >= 10 and any("key-audit" in label for label in texts)
    searched, hits = harness.find_secrets(texts, secrets)
    emusecret = [label for label, text in texts.items() if "EMUSECRET" in (text or "")]
    harness.tally("secrets_searched", len(searched))
    harness.tally("secrets_found", len(hits) + len(emusecret))
    assert len(searched) >= 9
    assert not hits, "secrets found: %s" % hits
    assert not emusecret, "an emulator-minted secret (EMUSECRET) appears in %s" % emusecret


def test_no_secret_in_any_other_output(fault_records):
    """What every other run of the suite printed (fault matrix, inventory runs) holds no secret either."""
    secrets = set()
    for record in fault_records.values():
        secrets |= set(record.get("secrets") or []) | set(record.get("emulator_secrets") or [])
        secret_values(record.get("state"), secrets)
    searched, hits = harness.find_secrets(harness.OUTPUTS, secrets)
    emusecret = [label for label, text in harness.OUTPUTS.items() if "EMUSECRET" in (text or "")]
    harness.tally("secrets_searched", len(searched))
    harness.tally("secrets_found", len(hits) + len(emusecret))
    assert not hits and not emusecret, (hits, emusecret)
