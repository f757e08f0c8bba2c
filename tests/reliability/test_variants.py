# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The decisions table's "cope with both" variants, run with the modules and the inventory (issue 16.10).

shared/providers/README.md decides what the emulator does where the real APIs are unconfirmed, and names
a plausible alternative the collection must also cope with. The emulator has a switch for each
(tests/emulator/README.md, "Config switches"); here each of six switches is an emulator configuration
under which real module tasks (one playbook, harness.run_case_chunks) and real ansible-inventory runs
(credentials and URLs in the environment) show what a user sees, and the emulator's log what it received:

- ``openport_auth_status: 403``, ``pinggy_auth_status: 403``, ``ngrok_auth_status: 401``: a refused
  credential is a clear error naming its option, as under the default status, after one request and no write;
- ``pinggy_error_shape: spring``: Pinggy's errors in Spring Boot's shape read as text, not as a dump of JSON,
  and its refusal of the window's oldest day is known as such (the window asked again from the next day);
- ``ngrok_empty_last_page``: a full last page that links to an empty one gives complete listings;
- ``ngrok_retry_after``: a rate-limited answer's Retry-After is waited for, and the task does not fail.
"""

from __future__ import annotations

import datetime
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import cases as C
import harness
from tests.support.inventory import unwrap  # harness put the repository root on sys.path

BAD = "not-the-credential"
# ngrok's limit for the Retry-After cases: 2 requests in a window of 3 s at the emulator, Retry-After 3 (longer
# than the client's own window, harness.NGROK_WINDOW, so that a client that waits its window instead is caught);
# the client's own limit raised so that the emulator, not the client, paces.
RETRY_AFTER = {"ngrok_rate_limit": 2, "ngrok_rate_window": 3, "ngrok_retry_after": 3}
CLIENT_UNPACED = 1000
# The auth variants: (variant, config, provider, credential option, environment variable, status).
AUTH = [
    ("openport-401", {}, "openport", "openport_token", "OPENPORT_TOKEN", 401),
    ("openport-403", {"openport_auth_status": 403}, "openport", "openport_token", "OPENPORT_TOKEN", 403),
    ("pinggy-401", {}, "pinggy", "pinggy_api_key", "PINGGY_API_KEY", 401),
    ("pinggy-403", {"pinggy_auth_status": 403}, "pinggy", "pinggy_api_key", "PINGGY_API_KEY", 403),
    ("pinggy-spring-401", {"pinggy_error_shape": "spring"}, "pinggy", "pinggy_api_key", "PINGGY_API_KEY", 401),
    ("ngrok-403", {}, "ngrok", "ngrok_api_key", "NGROK_API_KEY", 403),
    ("ngrok-401", {"ngrok_auth_status": 401}, "ngrok", "ngrok_api_key", "NGROK_API_KEY", 401),
]
# Pinggy's oldest day: 60 days before today (UTC), which a server counting from now refuses.
EDGE = (datetime.datetime.now(datetime.timezone.utc).date() - datetime.timedelta(days=60)).isoformat()
# A module task per provider that reads, and one that would write after its listing.
KEY = C.NEW_KEYS["rel-created"]
AUTH_TASKS = {
    "openport": [("openport_key_info", {}), ("openport_keys", {"keys": [{"name": "x", "public_key": KEY}]})],
    "pinggy": [("tunnel_session_info", {"providers": ["pinggy"], "strict": True}),
               ("tunnel_session_history_info", {"providers": ["pinggy"], "strict": True})],
    "ngrok": [("ngrok_info", {"resources": ["credentials"]}),
              ("ngrok_ssh_credentials", {"credentials": [{"public_key": KEY, "description": "x"}]})],
}


def task(module, **args):
    return {"tunnelops.tunnels." + module: args}


def auth_cases():
    return [{"id": "%s-%s" % (variant, module), "task": task(module, **dict(args, **{option: BAD})),
             "setup": {"config": config}}
            for variant, config, provider, option, _env, _status in AUTH for module, args in AUTH_TASKS[provider]]


def listing_cases():
    empty_last = {"ngrok_empty_last_page": True}
    return [
        # 3 + 197 credentials: two full pages, and a link to an empty third one
        {"id": "empty-last-page-ngrok_info", "task": task("ngrok_info", resources=["credentials"]),
         "setup": {"config": empty_last, "scale": {"ngrok_credentials": 197}}},
        # 4 + 96 tunnels: one full page
        {"id": "empty-last-page-tunnel_session_info", "task": task("tunnel_session_info", providers=["ngrok"]),
         "setup": {"config": empty_last, "scale": {"ngrok_tunnels": 96}}},
        # 3 + 97 SSH credentials, in check mode: every one would be removed, the new key created
        {"id": "empty-last-page-ngrok_ssh_credentials", "check": True,
         "task": task("ngrok_ssh_credentials", exclusive=True, credentials=[{"public_key": KEY, "description": "a"}]),
         "setup": {"config": empty_last, "scale": {"ngrok_ssh_credentials": 97}}},
        # Pinggy refuses the oldest day of the window (it counts 60 days from now): the refusal, in either shape,
        # is known as the edge and the window asked again from the next day
        {"id": "spring-edge-day", "task": task("tunnel_session_history_info", providers=["pinggy"], history_from=EDGE),
         "setup": {"config": {"pinggy_error_shape": "spring", "pinggy_history_boundary": "now"}}},
        {"id": "pinggy-edge-day", "task": task("tunnel_session_history_info", providers=["pinggy"], history_from=EDGE),
         "setup": {"config": {"pinggy_history_boundary": "now"}}},
        # 3 + 247 credentials: three pages at 2 requests per 3 s
        {"id": "retry-after-ngrok_info", "task": task("ngrok_info", resources=["credentials"],
                                                      ngrok_rate_limit=CLIENT_UNPACED),
         "setup": {"config": RETRY_AFTER, "scale": {"ngrok_credentials": 247}}},
    ]


@pytest.fixture(scope="session")
def variant_records(workspace):
    return harness.run_case_chunks(workspace, auth_cases() + listing_cases(), "variants", workers=2, verbosity="-v")


def provider_requests(record, provider):
    return [r for r in record["requests"] if r["provider"] == provider]


@pytest.mark.parametrize("variant", AUTH, ids=[a[0] for a in AUTH])
def test_a_refused_credential_is_named(variant, variant_records):
    name, config, provider, option, env, status = variant
    for module, _args in AUTH_TASKS[provider]:
        record = variant_records["%s-%s" % (name, module)]
        assert not record.get("missing"), record.get("tail")
        result, msg = record["result"], str(record["result"].get("msg") or "")
        assert result.get("failed"), "%s accepted a bad credential" % module
        assert option in msg and env in msg, "%s: the error does not name %s (or %s): %s" % (module, option, env, msg)
        assert "HTTP %d" % status in msg, msg
        assert "{" not in msg.split("HTTP", 1)[1], "%s: JSON instead of the provider's text: %s" % (module, msg)
        assert BAD not in msg and "Traceback" not in msg, msg
        if config.get("pinggy_error_shape") == "spring":
            # Spring Boot's {"timestamp", "status", "error", "path"}: its error text, not the object
            assert "HTTP %d: Unauthorized." % status in msg and "timestamp" not in msg, msg
        asked = provider_requests(record, provider)
        assert [r["status"] for r in asked] == [status], "%s: one request, refused, no retry: %s" % (module, asked)
        assert not harness.writes(record["requests"]), "%s wrote with a refused credential" % module


def test_a_full_last_page_that_links_to_an_empty_one(variant_records):
    record = variant_records["empty-last-page-ngrok_info"]
    assert len(record["result"]["credentials"]) == len(record["state"]["ngrok"]["credentials"]) == 200
    pages = [r for r in record["requests"] if r["path"].startswith("/ngrok/credentials")]
    assert [r["status"] for r in pages] == [200, 200, 200], pages
    assert "before_id=" in pages[-1]["path"], "the empty page was asked for: %s" % pages

    record = variant_records["empty-last-page-tunnel_session_info"]
    tunnels = set(t["public_url"] for t in record["state"]["ngrok"]["tunnels"])
    assert len(tunnels) == 100 and set(s["public_url"] for s in record["result"]["sessions"]) == tunnels
    assert record["result"]["errors"] == []

    record = variant_records["empty-last-page-ngrok_ssh_credentials"]
    assert record["result"]["counts"]["removed"] == 100 and record["result"]["counts"]["created"] == 1, \
        record["result"]["counts"]
    assert not harness.writes(record["requests"])


@pytest.mark.parametrize("case", ["spring-edge-day", "pinggy-edge-day"])
def test_a_refused_edge_day_is_known_in_both_shapes(case, variant_records):
    record = variant_records[case]
    result = record["result"]
    assert not result.get("failed"), result.get("msg")
    asked = provider_requests(record, "pinggy")
    assert [r["status"] for r in asked] == [400, 200], asked
    assert "/session/history/%s/" % EDGE in asked[0]["path"] and EDGE not in asked[1]["path"], asked
    assert any(EDGE in w for w in result.get("warnings", [])), result


def test_retry_after_is_waited_for(variant_records):
    record = variant_records["retry-after-ngrok_info"]
    assert not record["result"].get("failed"), record["result"].get("msg")
    assert len(record["result"]["credentials"]) == 250
    statuses = [r["status"] for r in provider_requests(record, "ngrok")]
    # two pages fill the window; the third is refused once, and asked again only after Retry-After
    assert statuses == [200, 200, 429, 200], statuses


# -- the inventory ------------------------------------------------------------------------------------------

# (label, emulator config, scale, source options, environment, what to expect)
INVENTORY = [("auth-%s" % name, config, {}, {"providers": [provider]}, {env: BAD}, "refused")
             for name, config, provider, _option, env, _status in AUTH]
INVENTORY += [
    ("empty-last-page", {"ngrok_empty_last_page": True}, {"ngrok_tunnels": 96}, {"providers": ["ngrok"]}, {},
     "complete"),
    ("retry-after", RETRY_AFTER, {}, {"providers": ["ngrok"], "ngrok_rate_limit": CLIENT_UNPACED}, {}, "complete"),
]


def run_inventory(ws, case):
    """ansible-inventory --list against a fresh emulator in this configuration."""
    label, config, scale, source, env, _expect = case
    emu = harness.Emu()
    try:
        emu.server.reset("default", scale)
        emu.server.configure(**config)
        folder = ws.mkdir("variants-inventory", label)
        path = harness.write_yaml(os.path.join(folder, "tunnel_sessions.yml"), dict(
            {"plugin": "tunnelops.tunnels.tunnel_sessions", "fail_on_provider_error": True}, **source))
        environment = ws.env(dict(emu.provider_env(), ANSIBLE_INVENTORY_UNPARSED_FAILED="True", **env),
                             home=ws.mkdir("variants-inventory", label, "home"))
        started = time.monotonic()
        rc, out, err = harness.run([os.path.join(harness.BIN, "ansible-inventory"), "-i", path, "--list"],
                                   environment, cwd=folder)
        seconds = time.monotonic() - started
        harness.keep_output("variants inventory %s stdout" % label, out)
        harness.keep_output("variants inventory %s stderr" % label, err)
        hostvars = unwrap(json.loads(out)).get("_meta", {}).get("hostvars", {}) if rc == 0 else {}
        return {"rc": rc, "hostvars": hostvars, "err": err, "requests": emu.requests(), "seconds": seconds}
    finally:
        emu.stop()


@pytest.fixture(scope="session")
def inventory_runs(workspace):
    with ThreadPoolExecutor(max_workers=3) as pool:
        return dict(zip([c[0] for c in INVENTORY], pool.map(lambda case: run_inventory(workspace, case), INVENTORY)))


@pytest.mark.parametrize("variant", AUTH, ids=[a[0] for a in AUTH])
def test_the_inventory_names_a_refused_credential(variant, inventory_runs):
    name, _config, provider, option, env, status = variant
    run = inventory_runs["auth-" + name]
    assert run["rc"] != 0, "the inventory accepted a bad credential"
    assert option in run["err"] and env in run["err"], "the error does not name %s (or %s): %s" % (option, env,
                                                                                                   run["err"][-2000:])
    assert BAD not in run["err"] and "Traceback" not in run["err"]
    assert [r["status"] for r in run["requests"] if r["provider"] == provider][:1] == [status], run["requests"]


def test_the_inventory_with_an_empty_last_page(inventory_runs):
    run = inventory_runs["empty-last-page"]
    assert run["rc"] == 0, run["err"][-2000:]
    assert len(run["hostvars"]) == 100, sorted(run["hostvars"])[:5]
    pages = [r for r in run["requests"] if r["path"].startswith("/ngrok/tunnels")]
    assert [r["status"] for r in pages] == [200, 200] and "before_id=" in pages[1]["path"], pages


def test_the_inventory_waits_for_retry_after(inventory_runs):
    run = inventory_runs["retry-after"]
    assert run["rc"] == 0, run["err"][-2000:]
    assert len(run["hostvars"]) == 4, sorted(run["hostvars"])
    statuses = [r["status"] for r in run["requests"]]
    assert 429 in statuses, statuses
    # every refused request was asked again once the window had room: never refused twice in a row per path
    last = {}
    for request in run["requests"]:
        assert not (request["status"] == 429 and last.get(request["path"]) == 429), run["requests"]
        last[request["path"]] = request["status"]
    assert run["seconds"] >= RETRY_AFTER["ngrok_retry_after"]
