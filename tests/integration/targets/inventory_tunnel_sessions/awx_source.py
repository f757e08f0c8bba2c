# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory run the way AWX runs an inventory source.

AWX writes the source file (no credential in it) into a private data
directory, an ``args`` file with ``ansible-inventory --list --export -i <file>
--output <artifacts>/output.json``, passes the credentials as environment
variables only (a custom credential type's env injectors) together with its
STANDARD_INVENTORY_UPDATE_ENV, and runs it with ansible-runner.  This does the
same and checks the hosts AWX would import.

Usage: awx_source.py <work dir>
"""

from __future__ import annotations

import json
import os
import sys

from emulator_fleet import (NGROK_RATE_LIMIT_RAISED, STANDARD_INVENTORY_UPDATE_ENV, Control, expected_names,
                            expected_requests, expected_sessions, load_config, unwrap)

HERE = os.path.dirname(os.path.abspath(__file__))
CREDENTIAL_ENV = ("OPENPORT_TOKEN", "NGROK_API_KEY", "PINGGY_API_KEY")

SOURCE = """plugin: tunnelops.tunnels.tunnel_sessions
hostnames: ["{{ key_name }}", id]
fail_on_provider_error: true
compose:
  endpoint: tunnel_public_url
ngrok_rate_limit: %s
""" % NGROK_RATE_LIMIT_RAISED


def fail(message, *details):
    print("FAILED: " + message + "".join("\n  %s" % (d,) for d in details), file=sys.stderr)
    sys.exit(1)


def main():
    import ansible_runner  # from tests/integration/requirements.txt

    work = sys.argv[1]
    config = load_config(os.path.join(HERE, "..", "..", "integration_config.yml"))
    ctl = Control(config["emulator_control_url"])
    ctl.reset()
    state = ctl.state()
    names = expected_names(expected_sessions(state), "key_name")

    private = os.path.join(work, "awx_job")
    for sub in ("inventory", "env", "project"):
        os.makedirs(os.path.join(private, sub), exist_ok=True)
    source = os.path.join(private, "inventory", "tunnel_sessions.yml")
    with open(source, "w", encoding="utf-8") as handle:
        handle.write(SOURCE)
    output = os.path.join(private, "artifacts", "1", "output.json")
    args = ["ansible-inventory", "--list", "--export", "-i", source, "--output", output,
            "--playbook-dir", os.path.dirname(source)]
    with open(os.path.join(private, "args"), "w", encoding="utf-8") as handle:
        handle.write(" ".join(args))

    # What a custom credential type injects, and nothing else secret: the runner's own
    # environment must not carry a credential.
    for name in CREDENTIAL_ENV:
        os.environ.pop(name, None)
    envvars = dict(STANDARD_INVENTORY_UPDATE_ENV)
    envvars.update(OPENPORT_TOKEN=config["openport_token"], NGROK_API_KEY=config["ngrok_api_key"],
                   PINGGY_API_KEY=config["pinggy_api_key"], OPENPORT_API_URL=config["emulator_openport_url"],
                   NGROK_API_BASE_URL=config["emulator_ngrok_url"], PINGGY_API_URL=config["emulator_pinggy_url"],
                   ANSIBLE_NOCOLOR="1")

    ctl.clear_log()
    runner = ansible_runner.run(private_data_dir=private, ident="1", envvars=envvars, quiet=True,
                                settings={"suppress_ansible_output": True})
    stdout = runner.stdout.read() if runner.stdout else ""
    stdout += runner.stderr.read() if runner.stderr else ""
    if runner.status != "successful" or runner.rc != 0:
        fail("ansible-runner ended %s (rc %s)" % (runner.status, runner.rc), stdout[-3000:])
    with open(output, encoding="utf-8") as handle:
        raw_output = handle.read()
    inventory = unwrap(json.loads(raw_output))
    hostvars = inventory["_meta"]["hostvars"]
    if sorted(hostvars) != sorted(names):
        fail("AWX would import other hosts", sorted(hostvars), sorted(names))
    for name, entry in names.items():
        hv = hostvars[name]
        if hv["endpoint"] != entry["public_url"] or hv["tunnel_provider"] != entry["provider"]:
            fail("host variables of %s" % name, hv)
        if entry["ssh"] and (hv["ansible_host"], hv["ansible_port"]) != tuple(entry["ssh"]):
            fail("ansible_host/ansible_port of %s" % name, hv)
    if sorted(inventory["provider_pinggy"]["hosts"]) != sorted(n for n, e in names.items() if e["provider"] == "pinggy"):
        fail("provider_pinggy group", inventory["provider_pinggy"])
    counters = ctl.counters()
    made = dict((p, counters[p]["requests"]) for p in ("openport", "ngrok", "pinggy"))
    if made != expected_requests(state):
        fail("requests of the AWX run", made, expected_requests(state))
    secrets = ctl.all_secrets(state)
    leaked = [s for s in secrets if s in raw_output or s in stdout]
    if leaked:
        fail("secrets in what AWX would store", leaked)
    print("ok AWX-style ansible-runner inventory source: %d hosts, requests %s, no secret" % (len(hostvars), made))


if __name__ == "__main__":
    main()
