# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""From the tunnel_sessions inventory to a real SSH connection, end to end (issue 17).

One story, step by step (the tests run in file order on one fleet): machines at Openport,
ngrok and Pinggy whose agents wait for their keys; key_provision registers the keys and the
sessions appear; the Openport ports are closed until the play opens their links; a play and
``ansible all -m ping`` reach every machine over SSH, each proving which machine it is; a
second run (through ansible-runner) opens no link; a retired key and a stopped ngrok session
take their hosts out of the inventory and close their ports; no secret was written anywhere.
"""

from __future__ import annotations

import json
import os

from fleet import MACHINES, files_under, ran_on, refused

OPENPORT = [n for n, p in MACHINES.items() if p == "openport"]
NGROK = [n for n, p in MACHINES.items() if p == "ngrok"]
KEYED = OPENPORT + NGROK
PLAYBOOK = "playbooks/reach_machines.yml"


def reach_playbook(fleet):
    return os.path.join(fleet.collection, PLAYBOOK)


def test_agents_wait_for_their_keys_until_key_provision_registers_them(fleet):
    fleet.wait_status(["pg-1"], "connected")
    before = fleet.inventory("inventory before the keys")
    assert sorted(before) == ["pg-1"]
    assert all(fleet.machine(n)["status"] == "connecting" for n in KEYED)
    fleet.provision("key_provision", fleet.machine_keys(KEYED))
    fleet.wait_status(KEYED, "connected")
    hosts = fleet.inventory("inventory with every machine")
    assert sorted(hosts) == sorted(MACHINES)
    for name, provider in MACHINES.items():
        host, machine = hosts[name], fleet.machine(name)
        assert (host["tunnel_provider"], host["ansible_host"]) == (provider, "127.0.0.1")
        assert host["ansible_port"] == machine["forward_port"]
        assert host["tunnel_protected"] is {"openport": True, "ngrok": False, "pinggy": None}[provider]
    assert hosts["op-1"]["tunnel_redirect_url"].endswith("/r/********/%d" % fleet.sshd.ports["op-1"])


def test_openport_hosts_are_unreachable_before_their_links_are_opened(fleet):
    proc = fleet.run("ping before the links", "ansible", "-i", fleet.source, "all", "-m", "ansible.builtin.ping",
                     ok=False)
    assert proc.returncode != 0
    for name in MACHINES:
        line = next(line for line in proc.stdout.splitlines() if line.startswith(name + " |"))
        assert ("UNREACHABLE" in line) is (name in OPENPORT), line
    assert fleet.clicks() == []


def test_the_play_opens_the_links_then_runs_on_every_machine(fleet):
    mark = fleet.mark()
    proc = fleet.playbook("reach play", reach_playbook(fleet))
    assert ran_on(proc.stdout) == dict((name, name) for name in MACHINES)
    clicks = fleet.clicks()
    assert sorted(c["key_name"] for c in clicks) == OPENPORT
    assert set(c["source_ip"] for c in clicks) == {"127.0.0.1"}
    links = [r for r in fleet.requests_since(mark) if r["path"].startswith("/openport/l/")]
    assert len(links) == 2 and all("token" not in r["path"] for r in links)


def test_ansible_ping_reaches_every_host(fleet):
    # Without pipelining, as Ansible runs by default: the module goes over SFTP, as to a user's machine.
    proc = fleet.run("ping after the links", "ansible", "-i", fleet.source, "all", "-m", "ansible.builtin.ping",
                     settings={"ANSIBLE_PIPELINING": "False"})
    assert proc.stdout.count("SUCCESS") == len(MACHINES)
    assert "transfer mechanism failed" not in proc.stdout + proc.stderr


def test_a_second_run_through_ansible_runner_opens_no_link(fleet):
    mark, clicks = fleet.mark(), len(fleet.clicks())
    status, stdout, events = fleet.runner("second", reach_playbook(fleet))
    assert status == "successful", stdout[-6000:]
    assert ran_on(stdout) == dict((name, name) for name in MACHINES)
    assert len(fleet.clicks()) == clicks
    assert [r for r in fleet.requests_since(mark) if r["path"].startswith("/openport/l/")] == []
    opened = [e["event_data"]["res"] for e in events if e["event"] == "runner_on_ok"
              and e["event_data"].get("task_action", "").endswith("openport_ip_link")]
    assert len(opened) == 1 and opened[0]["changed"] is False and opened[0]["unchanged"] == len(OPENPORT)


def test_a_retired_key_takes_its_host_out_and_closes_its_port(fleet):
    old_port = fleet.machine("op-2")["forward_port"]
    fleet.provision("key_provision retire", fleet.machine_keys(["op-2"], state="absent"))
    fleet.wait_for(lambda: fleet.machine("op-2")["session"] is None, "op-2's session to end")
    hosts = fleet.inventory("inventory after the retired key")
    assert "op-2" not in hosts and "op-1" in hosts
    assert refused(old_port)
    proc = fleet.run("ping the retired port", "ansible", "-i", "127.0.0.1:%d," % old_port, "all",
                     "-m", "ansible.builtin.ping", ok=False)
    assert proc.returncode != 0 and "UNREACHABLE" in proc.stdout


def test_a_stopped_ngrok_session_takes_its_host_out_and_closes_its_port(fleet):
    machine = fleet.machine("ng-2")
    old_port = machine["forward_port"]
    fleet.run("stop ng-2", "ansible", "-i", "localhost,", "localhost", "-c", "local",
              "-m", "tunnelops.tunnels.ngrok_tunnel_session", "-a", json.dumps({"action": "stop",
                                                                               "id": [machine["session"]["id"]]}))
    fleet.wait_status(["ng-2"], "stopped")
    fleet.wait_for(lambda: "ng-2" not in fleet.inventory("inventory after the stop"), "ng-2 to leave the inventory")
    assert refused(old_port)
    proc = fleet.run("ping the stopped port", "ansible", "-i", "127.0.0.1:%d," % old_port, "all",
                     "-m", "ansible.builtin.ping", ok=False)
    assert proc.returncode != 0 and "UNREACHABLE" in proc.stdout
    final = fleet.playbook("reach play after the changes", reach_playbook(fleet))
    assert ran_on(final.stdout) == {"op-1": "op-1", "ng-1": "ng-1", "pg-1": "pg-1"}


def test_no_secret_in_any_output_the_inventory_cache_or_the_request_log(fleet):
    texts = dict(fleet.outputs)
    cache = files_under(fleet.cache_dir)
    assert cache, "the inventory wrote no cache"
    texts.update(cache)
    texts["emulator request log"] = json.dumps(fleet.control.requests())
    # every link secret the emulator minted is in its secrets; the whole links of the live sessions too
    links = [m["session"]["open_port_for_ip_link"] for m in fleet.emu.machines()
             if m["provider"] == "openport" and m["session"]]
    secrets = set(fleet.control.all_secrets()) | set(fleet.emu.creds.values()) | set(links)
    secrets = sorted(s for s in secrets if isinstance(s, str) and len(s) >= 6)
    assert len(secrets) >= 5 and any("/l/" in s for s in secrets)
    hits = [(s[:4] + "...", label) for s in secrets for label, text in texts.items() if s in (text or "")]
    assert not hits, "secrets found: %s" % hits
    assert not [label for label, text in texts.items() if "EMUSECRET" in (text or "")]
    # what was searched: every run at -vvvv, ansible-runner's artifacts, the cache, the log
    assert len(texts) >= 20 and "reach play stdout" in texts
