# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tunnel_sessions inventory under faults and bad input, through real ansible-inventory runs.

Credentials and URLs come from the environment only, as an AWX inventory source gets them.
Each case has its own emulator; cases run a few at a time.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

import cases as C
import harness
from tests.support.inventory import unwrap  # harness put the repository root on sys.path

SOURCE = dict({"plugin": "tunnelops.tunnels.tunnel_sessions", "fail_on_provider_error": True}, **harness.FAST)

# (id, provider, path, fault, times, extra source options, config, expect)
FAULT_CASES = [
    ("baseline", None, None, None, 1, {}, {}, "all"),
    ("openport-sessions-503-transient", "openport", "/sessions/$", "503", 1, {}, {}, "all"),
    ("openport-keys-midwalk-transient", "openport", "/keys/$", "midwalk", 1, {}, {"openport_max_limit": 2}, "all"),
    ("openport-keys-add_items-transient", "openport", "/keys/$", "add_items", 1, {}, {"openport_max_limit": 2}, "all"),
    ("ngrok-sessions-429-transient", "ngrok", "/tunnel_sessions$", "429", 1, {}, {}, "all"),
    ("ngrok-tunnels-429ra-transient", "ngrok", "/tunnels$", "429ra", 1, {}, {}, "all"),
    ("ngrok-tunnels-drop-transient", "ngrok", "/tunnels$", "drop", 1, {}, {}, "all"),
    ("ngrok-tunnels-stall-transient", "ngrok", "/tunnels$", "stall", 1, {}, {}, "all"),
    ("pinggy-active-malformed-transient", "pinggy", "/session/active", "malformed", 1, {}, {}, "all"),
    ("pinggy-active-html-transient", "pinggy", "/session/active", "html", 1, {}, {}, "all"),
    ("pinggy-active-500-transient", "pinggy", "/session/active", "500", 1, {}, {}, "all"),
    ("pinggy-active-502-transient", "pinggy", "/session/active", "502", 1, {}, {}, "all"),
    ("openport-sessions-504-transient", "openport", "/sessions/$", "504", 1, {}, {}, "all"),
    ("ngrok-sessions-503-persistent-fail", "ngrok", "/tunnel_sessions$", "503", None, {}, {}, "fail"),
    ("openport-sessions-drop-persistent-fail", "openport", "/sessions/$", "drop", None, {}, {}, "fail"),
    ("pinggy-active-html-persistent-partial", "pinggy", "/session/active", "html", None,
     {"fail_on_provider_error": False}, {}, "partial"),
    ("openport-keys-stall-persistent-partial", "openport", "/keys/$", "stall", None,
     {"fail_on_provider_error": False}, {}, "partial"),
]

# Bad inventory sources: (id, source options, environment without, text the error must hold)
BAD_SOURCES = [
    ("unknown-provider", {"providers": ["openport", "localtunnel"]}, (), "localtunnel"),
    ("provider-without-credential", {"providers": ["ngrok"]}, ("NGROK_API_KEY",), "ngrok_api_key"),
    ("no-credential-at-all", {}, ("OPENPORT_TOKEN", "NGROK_API_KEY", "PINGGY_API_KEY"), "credential"),
    ("negative-timeout", {"timeout": -1}, (), "timeout"),
    ("negative-retries", {"retries": -2}, (), "retries"),
    ("url-not-http", {"openport_api_url": "ftp://example.com/api"}, (), "openport_api_url"),
    ("ports-not-numbers", {"filters": {"ports": ["ssh"]}}, (), "ports"),
    ("protocol-never-matches", {"filters": {"protocols": ["bogus"]}}, (), "filters.protocols"),
    ("ports-out-of-range", {"filters": {"ports": [-5, 99999]}}, (), "filters.ports"),
    ("unknown-default-group", {"default_groups": ["colour"]}, (), "default_groups"),
    ("hostnames-not-a-list", {"hostnames": {"id": 1}}, (), "hostnames"),
]


def _inventory(ws, emu, label, source, drop_env=()):
    folder = ws.mkdir("inventory", label)
    path = harness.write_yaml(os.path.join(folder, "tunnel_sessions.yml"), source)
    awx = {"ANSIBLE_INVENTORY_UNPARSED_FAILED": "True", "ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED": "True",
           "ANSIBLE_VERBOSE_TO_STDERR": "True", "ANSIBLE_INVENTORY_ENABLED": "tunnelops.tunnels.tunnel_sessions"}
    env = ws.env(dict(emu.provider_env(), **awx), home=ws.mkdir("inventory", label, "home"))
    for name in drop_env:
        env.pop(name, None)
    rc, out, err = harness.run([os.path.join(harness.BIN, "ansible-inventory"), "-i", path, "--list", "-vvvv"],
                               env, cwd=folder)
    harness.keep_output("inventory %s stdout" % label, out)
    harness.keep_output("inventory %s stderr" % label, err)
    return rc, out, err


def _run_fault_case(ws, case):
    case_id, provider, path, fault, times, extra, config, expect = case
    emu = harness.Emu()
    try:
        if config:
            emu.server.configure(**config)
        if fault:
            emu.server.add_faults(C.rule(fault, provider, "GET", path, times=times))
        rc, out, err = _inventory(ws, emu, "fault-" + case_id, dict(SOURCE, **extra))
        if fault == "stall":
            import time
            time.sleep(harness.STALL_SECONDS)
        hits = sum(r.hits for r in emu.server.core.faults.rules)
        return {"rc": rc, "out": out, "err": err, "requests": emu.requests(), "hits": hits,
                "secrets": emu.secrets()}
    finally:
        emu.stop()


@pytest.fixture(scope="session")
def inventory_runs(workspace):
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda case: _run_fault_case(workspace, case), FAULT_CASES))
    return dict((case[0], result) for case, result in zip(FAULT_CASES, results))


def _hosts(out):
    data = unwrap(json.loads(out))
    return data.get("_meta", {}).get("hostvars", {})


@pytest.mark.parametrize("case", FAULT_CASES, ids=[c[0] for c in FAULT_CASES])
def test_inventory_fault(case, inventory_runs):
    case_id, provider, _path, fault, _times, _extra, _config, expect = case
    if fault:
        harness.tally("faults")
    run = inventory_runs[case_id]
    baseline = _hosts(inventory_runs["baseline"]["out"])
    assert baseline, "the baseline inventory has no host"
    assert not harness.writes(run["requests"]), "the inventory sent a write"
    if fault:
        assert run["hits"] >= 1, "the fault never fired"
    text = run["out"] + run["err"]
    assert "EMUSECRET" not in text and not [s for s in run["secrets"] if len(s) >= 6 and s in text]
    if expect == "all":
        assert run["rc"] == 0, run["err"][-2000:]
        assert sorted(_hosts(run["out"])) == sorted(baseline)
    elif expect == "fail":
        assert run["rc"] != 0
        assert "could not read the sessions of %s" % provider in run["err"], run["err"][-2000:]
        assert C.REASONS[fault] in run["err"]
    else:
        assert run["rc"] == 0, run["err"][-2000:]
        hosts = _hosts(run["out"])
        kept = [h for h, v in baseline.items() if v.get("tunnel_provider") != provider]
        assert sorted(hosts) == sorted(kept), "the other providers' hosts must stay"
        assert "left out of the inventory" in run["err"] and C.REASONS[fault] in run["err"]


@pytest.fixture(scope="session")
def bad_source_runs(workspace):
    emu = harness.Emu()
    try:
        def one(case):
            case_id, options, drop_env, _needle = case
            rc, out, err = _inventory(workspace, emu, "bad-" + case_id, dict(SOURCE, **options), drop_env)
            return {"rc": rc, "out": out, "err": err}
        with ThreadPoolExecutor(max_workers=3) as pool:
            results = list(pool.map(one, BAD_SOURCES))
        runs = dict((case[0], result) for case, result in zip(BAD_SOURCES, results))
        runs["writes"] = harness.writes(emu.requests())
        return runs
    finally:
        emu.stop()


@pytest.mark.parametrize("case", BAD_SOURCES, ids=[c[0] for c in BAD_SOURCES])
def test_inventory_bad_source(case, bad_source_runs):
    harness.tally("bad_inputs")
    case_id, _options, _drop, needle = case
    run = bad_source_runs[case_id]
    assert not bad_source_runs["writes"], "a bad inventory source led to writes"
    assert run["rc"] != 0, "a bad source must fail the inventory"
    assert needle in run["err"], run["err"][-2000:]
    assert "Traceback" not in run["err"].split("to see the full traceback")[0]
