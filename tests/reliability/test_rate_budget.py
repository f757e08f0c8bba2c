# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ngrok's rate limit is per account (issue 16.1): two API keys of one account share one budget.

The emulator counts the limit per account, as ngrok does ("Your account is rate limited"). A play
creates a second API key of the account, then lists every collection with the first key and with
the second, by turns, faster than the account's budget allows. The client paces per account (its
API base URL), so the emulator refuses nothing; a client that paced per key would give each key a
budget of its own and run into HTTP 429.
"""

from __future__ import annotations

import os

import pytest

import harness

LIMIT, WINDOW = 12, 4.0
ROUNDS = 3


@pytest.fixture(scope="session")
def budget_run(workspace):
    emu = harness.Emu(ngrok_rate_limit=LIMIT, ngrok_rate_window=WINDOW)
    try:
        pace = {"ngrok_rate_limit": LIMIT, "ngrok_rate_window": WINDOW, "retries": 3, "timeout": 10}
        tasks = [{"name": "a second API key of the account", "tunnelops.tunnels.ngrok_api_key": {
            "description": "second key for the budget"}, "register": "second"}]
        for round_ in range(ROUNDS):
            for key in ("{{ first_key }}", "{{ second.token }}"):
                # Six collections walked side by side: six requests at once, by each key in turn.
                tasks.append({"name": "every collection, round %d" % round_,
                              "tunnelops.tunnels.ngrok_info": {"ngrok_api_key": key}})
        play = {"name": "one budget per account", "hosts": "localhost", "connection": "local", "gather_facts": False,
                "module_defaults": emu.module_defaults(**pace), "tasks": tasks,
                "vars": {"first_key": emu.creds["ngrok_api_key"]}}
        path = harness.write_yaml(workspace.path("budget", "play.yml"), [play])
        # The pacing files of this run only: nothing else counts against this emulator's account.
        env = workspace.env({"TUNNELOPS_PACING_DIR": workspace.mkdir("budget", "pacing"),
                             "NGROK_RATE_WINDOW": str(WINDOW)}, home=workspace.mkdir("budget", "home"))
        rc, out, err = harness.run([os.path.join(harness.BIN, "ansible-playbook"), "-i", "localhost,", path], env,
                                   cwd=os.path.dirname(path))
        harness.keep_output("budget stdout", out)
        harness.keep_output("budget stderr", err)
        return rc, out + err, emu.requests()
    finally:
        emu.stop()


def test_two_api_keys_of_one_account_share_one_budget(budget_run):
    rc, output, requests = budget_run
    assert rc == 0, output[-3000:]
    ngrok = [r for r in requests if r["provider"] == "ngrok"]
    assert len(ngrok) > 2 * LIMIT, "too few requests to go over one budget: %d" % len(ngrok)
    refused = [r for r in ngrok if r["status"] == 429]
    assert not refused, "%d requests refused for the account's rate limit" % len(refused)
