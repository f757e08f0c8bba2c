# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TLS against the emulator's HTTPS mode (its own CA): verification is on by default and fails
clearly; ``ca_path`` makes it pass; ``validate_certs: false`` passes with a warning.
For one module of each provider and for the inventory."""

from __future__ import annotations

import os

import pytest

import harness

READS = [
    ("openport", {"tunnelops.tunnels.openport_key_info": {}}),
    ("ngrok", {"tunnelops.tunnels.ngrok_info": {"resources": ["credentials"]}}),
    ("pinggy", {"tunnelops.tunnels.tunnel_session_info": {"providers": ["pinggy"], "strict": True}}),
]
MODES = ("default", "ca_path", "no_verify")


def _task(task, mode, ca_cert):
    (name, args), = task.items()
    args = dict(args)
    if mode == "ca_path":
        args["ca_path"] = ca_cert
    elif mode == "no_verify":
        args["validate_certs"] = False
    return {name: args}


@pytest.fixture(scope="session")
def tls_runs(workspace):
    emu = harness.Emu(https=True)
    try:
        cases = [{"id": "tls-%s-%s" % (provider, mode), "task": _task(task, mode, emu.ca_cert)}
                 for provider, task in READS for mode in MODES]
        _rc, _out, _err, records, _secrets = harness.run_cases_on(workspace, emu, cases, "tls", "-v")
        inventory = {}
        for mode in MODES:
            source = dict(harness.FAST, plugin="tunnelops.tunnels.tunnel_sessions", fail_on_provider_error=True)
            if mode == "ca_path":
                source["ca_path"] = emu.ca_cert
            elif mode == "no_verify":
                source["validate_certs"] = False
            path = harness.write_yaml(workspace.path("tls-inventory", mode, "tunnel_sessions.yml"), source)
            env = workspace.env(dict(emu.provider_env(), ANSIBLE_INVENTORY_UNPARSED_FAILED="True"),
                                home=workspace.mkdir("tls-inventory", mode, "home"))
            inventory[mode] = harness.run([os.path.join(harness.BIN, "ansible-inventory"), "-i", path, "--list"],
                                          env)
            harness.keep_output("tls inventory %s" % mode, inventory[mode][1] + inventory[mode][2])
        return records, inventory, emu.urls
    finally:
        emu.stop()


@pytest.mark.parametrize("provider", [r[0] for r in READS])
@pytest.mark.parametrize("mode", MODES)
def test_tls_module(provider, mode, tls_runs):
    records, _inventory, urls = tls_runs
    assert urls["control"].startswith("https://")
    record = records["tls-%s-%s" % (provider, mode)]
    result = record["result"]
    if mode == "default":
        assert result.get("failed"), "the self-signed certificate was accepted"
        msg = result["msg"]
        assert "TLS certificate verification failed" in msg and "ca_path" in msg, msg
        assert provider in msg
        assert not record["requests"], "a request got through without a verified certificate"
    else:
        assert not result.get("failed"), result.get("msg")
        warnings = " ".join(result.get("warnings") or [])
        if mode == "no_verify":
            assert "validate_certs is false" in warnings
        else:
            assert "validate_certs" not in warnings


@pytest.mark.parametrize("mode", MODES)
def test_tls_inventory(mode, tls_runs):
    _records, inventory, _urls = tls_runs
    rc, out, err = inventory[mode]
    if mode == "default":
        assert rc != 0
        assert "TLS certificate verification failed" in err and "ca_path" in err, err[-2000:]
    else:
        assert rc == 0, err[-2000:]
        if mode == "no_verify":
            assert "validate_certs is false" in err
        else:
            assert "validate_certs is false" not in err
