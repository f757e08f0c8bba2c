# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fault matrix: every module's reads, creates, updates and deletes under every fault.

A case is plain data for the generated playbook (``task``, ``setup``) plus a ``check``
function that judges the outcome from the registered result and what the emulator
holds and received afterwards.
"""

from __future__ import annotations

import datetime
import random

from tests.emulator.sshkeys import make_key

from harness import STALL_SECONDS

# Seed facts (the default seed is deterministic; conftest checks these against the state).
FRESH_LAPTOP_ID = 15372
CI_RUNNER = "ci runner"
ALICE = "alice laptop"
LIVE_SESSION_AGENT = "3.22.1"


def new_key(name, kind="ed25519"):
    return make_key(random.Random("reliability-" + name), kind, comment=name)


NEW_KEYS = dict((name, new_key(name)) for name in (
    "rel-created", "rel-bulk-1", "rel-bulk-2", "rel-ssh", "rel-ssh-b1", "rel-ssh-b2", "rel-check"))


def identity(text):
    return " ".join((text or "").split()[:2])


# -- faults ------------------------------------------------------------------

REASONS = {
    "429": "HTTP 429", "429ra": "HTTP 429", "500": "HTTP 500", "502": "HTTP 502", "503": "HTTP 503",
    "504": "HTTP 504", "drop": "dropped", "stall": "timeout", "malformed": "not valid JSON",
    "html": "HTTP 502", "midwalk": "HTTP 503", "shape": "HTTP 200", "html200": "HTTP 200",
}


def rule(fault, provider, method, path, times=1, apply=False):
    spec = {"provider": provider, "method": method, "path": path, "times": times}
    if apply:
        spec["apply"] = True
    if fault in ("429", "429ra", "500", "502", "503", "504"):
        spec.update(action="status", status=int(fault[:3]))
        if fault == "429ra":
            spec["retry_after"] = 1
    elif fault == "midwalk":
        spec.update(action="status", status=503, nth=2)
    elif fault == "stall":
        spec.update(action="stall", stall_seconds=STALL_SECONDS)
    elif fault == "add_items":
        spec.update(action="add_items", count=3)
    elif fault == "shape":
        # A 2xx answer that is JSON but not the record the API documents.
        spec.update(action="status", status=200, body={"unexpected": "shape"})
    elif fault == "html200":
        # A captive portal or a proxy answering 200 with its own page.
        spec.update(action="html", status=200)
    else:
        spec["action"] = fault
    return spec


READ_FAULTS = ("429", "429ra", "500", "502", "503", "504", "drop", "stall", "malformed", "html", "midwalk",
               "add_items")
PERSISTENT_READ_FAULTS = ("429", "429ra", "500", "502", "503", "504", "drop", "stall", "malformed", "html",
                          "midwalk")
WRITE_FAULTS = ("429", "429ra", "500", "502", "503", "504", "drop", "stall", "malformed", "html")
APPLIED_WRITE_FAULTS = ("500", "502", "504", "drop", "stall", "malformed", "html")
PERSISTENT_WRITE_FAULTS = (("429", False), ("503", False), ("drop", True))

# Write faults after which the write must still succeed: the request was refused and may
# be sent again, or its answer was lost and the collection finds the object (or state) again.
WRITE_MUST_PASS = {
    (f, False) for f in ("429", "429ra", "502", "503", "504", "drop", "html")
} | {(f, True) for f in ("502", "504", "drop", "stall", "html", "malformed", "shape", "html200")}
# A 2xx answer that is not the documented record, for a write that did not take effect: never "done".
WRITE_MUST_FAIL = {("shape", False), ("html200", False)}
# Every write that has an object to read back (not the session actions) meets these answers too (16.25, 18.2).
UNBELIEVABLE_WRITE_FAULTS = (("shape", False, False), ("shape", True, False), ("html200", False, False),
                             ("html200", True, False))


# -- reads ---------------------------------------------------------------------

def _today():
    return datetime.datetime.now(datetime.timezone.utc).date()


def read_targets():
    """(name, task, provider, path, items(result) -> list of ids or None, mid-walk setup)."""
    history_from = (_today() - datetime.timedelta(days=45)).isoformat()
    return [
        ("openport_key_info", {"tunnelops.tunnels.openport_key_info": {}}, "openport", "/keys/$",
         lambda r: [k["id"] for k in r.get("ssh_keys", r.get("keys", []))], {"config": {"openport_max_limit": 2}}),
        ("openport_node_info", {"tunnelops.tunnels.openport_node_info": {}}, "openport", "/nodes/$",
         lambda r: [n.get("name") for n in r.get("nodes", [])], {"config": {"openport_max_limit": 1}}),
        ("openport_link_click_info", {"tunnelops.tunnels.openport_link_click_info": {}}, "openport",
         "/openforiplinkclicks/$", None, {"config": {"openport_max_limit": 3}}),
        ("ngrok_info", {"tunnelops.tunnels.ngrok_info": {"resources": ["credentials"]}}, "ngrok",
         "/credentials$", lambda r: [c["id"] for c in r.get("credentials", [])],
         {"scale": {"ngrok_credentials": 150}}),
        ("tunnel_session_info_ngrok", {"tunnelops.tunnels.tunnel_session_info": {
            "providers": ["ngrok"], "strict": True}}, "ngrok", "/tunnel_sessions$",
         lambda r: [s["id"] for s in r.get("sessions", [])], {"scale": {"ngrok_sessions": 150}}),
        ("tunnel_session_info_pinggy", {"tunnelops.tunnels.tunnel_session_info": {
            "providers": ["pinggy"], "strict": True}}, "pinggy", "/session/active",
         lambda r: [s["id"] for s in r.get("sessions", [])], None),
        ("tunnel_session_history_info", {"tunnelops.tunnels.tunnel_session_history_info": {
            "providers": ["pinggy"], "history_from": history_from, "strict": True}}, "pinggy",
         "/session/history/", None, {"config": {"pinggy_max_size": 4}}),
    ]


# The HTTP core is shared: every fault runs against one read of each pagination style
# (Openport offsets, ngrok cursors, Pinggy pages); the other reads get a representative set.
FULL_READS = ("openport_key_info", "ngrok_info", "tunnel_session_history_info")
SAMPLE_READ_FAULTS = (("503", False), ("drop", False), ("html", True), ("midwalk", False))


def read_cases():
    cases = []
    for name, task, provider, path, items, midwalk in read_targets():
        for fault in READ_FAULTS:
            for persistent in (False, True):
                if persistent and fault not in PERSISTENT_READ_FAULTS:
                    continue
                if name not in FULL_READS and (fault, persistent) not in SAMPLE_READ_FAULTS:
                    continue
                if fault == "midwalk" and midwalk is None:
                    continue
                setup = dict(midwalk or {}) if fault in ("midwalk", "add_items") else {}
                setup["faults"] = [rule(fault, provider, "GET", path, times=None if persistent else 1)]
                cases.append({
                    "id": "read-%s-%s-%s" % (name, fault, "persistent" if persistent else "transient"),
                    "family": name, "op": "read", "fault": fault, "provider": provider,
                    "expect": "fail" if persistent else "ok", "task": task, "setup": setup,
                    "items": items,
                })
    return cases


# -- writes --------------------------------------------------------------------

class WriteTarget:
    """One write operation: the task, the request it makes, and how to see it in the state."""

    def __init__(self, name, op, task, provider, method, path, done, matches, pre_state=None):
        self.name, self.op, self.task = name, op, task
        self.provider, self.method, self.path = provider, method, path
        self.done = done          # state -> True when the change is in effect
        self.matches = matches    # state -> objects that are the target (never more than one)
        self.pre_state = pre_state


def _op_keys(state):
    return state["openport"]["keys"]


def _ng(state, coll):
    return state["ngrok"][coll]


def write_targets(seed_state):
    fresh = [k for k in _op_keys(seed_state) if k["id"] == FRESH_LAPTOP_ID][0]
    ci = [c for c in _ng(seed_state, "credentials") if c.get("description") == CI_RUNNER][0]
    alice = [c for c in _ng(seed_state, "ssh_credentials") if c.get("description") == ALICE][0]
    live = [s for s in _ng(seed_state, "tunnel_sessions") if s["agent_version"] == LIVE_SESSION_AGENT][0]

    def op_with_key(name):
        return lambda st: [k for k in _op_keys(st) if identity(k["public_key"]) == identity(NEW_KEYS[name])]

    def ng_described(coll, description):
        return lambda st: [c for c in _ng(st, coll) if c.get("description") == description]

    def by_id(coll, ident):
        return lambda st: [c for c in _ng(st, coll) if c["id"] == ident]

    return [
        WriteTarget("openport_key", "create", {"tunnelops.tunnels.openport_key": {
            "public_key": NEW_KEYS["rel-created"], "name": "rel-created"}}, "openport", "POST", "/keys/$",
            lambda st: len(op_with_key("rel-created")(st)) == 1, op_with_key("rel-created")),
        WriteTarget("openport_key", "update", {"tunnelops.tunnels.openport_key": {
            "public_key": fresh["public_key"], "name": "rel-renamed"}}, "openport", "PATCH",
            "/keys/%d/$" % FRESH_LAPTOP_ID,
            lambda st: [k["name"] for k in _op_keys(st) if k["id"] == FRESH_LAPTOP_ID] == ["rel-renamed"],
            lambda st: [k for k in _op_keys(st) if k["name"] == "rel-renamed"]),
        WriteTarget("openport_key", "delete", {"tunnelops.tunnels.openport_key": {
            "name": "fresh-laptop", "state": "absent"}}, "openport", "DELETE", "/keys/%d/$" % FRESH_LAPTOP_ID,
            lambda st: not [k for k in _op_keys(st) if k["id"] == FRESH_LAPTOP_ID],
            lambda st: [k for k in _op_keys(st) if k["id"] == FRESH_LAPTOP_ID]),
        WriteTarget("openport_keys", "create", {"tunnelops.tunnels.openport_keys": {"keys": [
            {"public_key": NEW_KEYS["rel-bulk-1"], "name": "rel-bulk-1"},
            {"public_key": NEW_KEYS["rel-bulk-2"], "name": "rel-bulk-2"}]}}, "openport", "POST", "/keys/$",
            lambda st: len(op_with_key("rel-bulk-1")(st)) == 1 and len(op_with_key("rel-bulk-2")(st)) == 1,
            lambda st: op_with_key("rel-bulk-1")(st) or op_with_key("rel-bulk-2")(st)),
        WriteTarget("ngrok_credential", "create", {"tunnelops.tunnels.ngrok_credential": {
            "description": "rel-cred", "metadata": "m1"}}, "ngrok", "POST", "/credentials$",
            lambda st: len(ng_described("credentials", "rel-cred")(st)) == 1,
            ng_described("credentials", "rel-cred")),
        WriteTarget("ngrok_credential", "update", {"tunnelops.tunnels.ngrok_credential": {
            "description": CI_RUNNER, "metadata": "rel-meta"}}, "ngrok", "PATCH", "/credentials/%s$" % ci["id"],
            lambda st: [c.get("metadata") for c in by_id("credentials", ci["id"])(st)] == ["rel-meta"],
            ng_described("credentials", CI_RUNNER)),
        WriteTarget("ngrok_credential", "delete", {"tunnelops.tunnels.ngrok_credential": {
            "description": CI_RUNNER, "state": "absent"}}, "ngrok", "DELETE", "/credentials/%s$" % ci["id"],
            lambda st: not by_id("credentials", ci["id"])(st), by_id("credentials", ci["id"])),
        WriteTarget("ngrok_api_key", "create", {"tunnelops.tunnels.ngrok_api_key": {
            "description": "rel-apikey"}}, "ngrok", "POST", "/api_keys$",
            lambda st: len(ng_described("api_keys", "rel-apikey")(st)) == 1, ng_described("api_keys", "rel-apikey")),
        WriteTarget("ngrok_ssh_credential", "create", {"tunnelops.tunnels.ngrok_ssh_credential": {
            "public_key": NEW_KEYS["rel-ssh"], "description": "rel-ssh"}}, "ngrok", "POST", "/ssh_credentials$",
            lambda st: len(ng_described("ssh_credentials", "rel-ssh")(st)) == 1,
            ng_described("ssh_credentials", "rel-ssh")),
        WriteTarget("ngrok_ssh_credential", "update", {"tunnelops.tunnels.ngrok_ssh_credential": {
            "public_key": alice["public_key"], "description": ALICE, "metadata": "rel-meta"}}, "ngrok", "PATCH",
            "/ssh_credentials/%s$" % alice["id"],
            lambda st: [c.get("metadata") for c in by_id("ssh_credentials", alice["id"])(st)] == ["rel-meta"],
            ng_described("ssh_credentials", ALICE)),
        WriteTarget("ngrok_ssh_credential", "delete", {"tunnelops.tunnels.ngrok_ssh_credential": {
            "public_key": alice["public_key"], "state": "absent"}}, "ngrok", "DELETE",
            "/ssh_credentials/%s$" % alice["id"],
            lambda st: not by_id("ssh_credentials", alice["id"])(st), by_id("ssh_credentials", alice["id"])),
        WriteTarget("ngrok_ssh_credentials", "create", {"tunnelops.tunnels.ngrok_ssh_credentials": {"credentials": [
            {"public_key": NEW_KEYS["rel-ssh-b1"], "description": "rel-ssh-b1"},
            {"public_key": NEW_KEYS["rel-ssh-b2"], "description": "rel-ssh-b2"}]}}, "ngrok", "POST",
            "/ssh_credentials$",
            lambda st: (len(ng_described("ssh_credentials", "rel-ssh-b1")(st)) == 1
                        and len(ng_described("ssh_credentials", "rel-ssh-b2")(st)) == 1),
            lambda st: ng_described("ssh_credentials", "rel-ssh-b1")(st) or
            ng_described("ssh_credentials", "rel-ssh-b2")(st)),
        WriteTarget("ngrok_tunnel_session", "stop", {"tunnelops.tunnels.ngrok_tunnel_session": {
            "action": "stop", "id": [live["id"]]}}, "ngrok", "POST", "/tunnel_sessions/%s/stop$" % live["id"],
            # stopped: gone, or still listed while its agent leaves (the emulator's ngrok_stop_linger_seconds)
            lambda st: all(s.get("_leaving") for s in by_id("tunnel_sessions", live["id"])(st)),
            by_id("tunnel_sessions", live["id"])),
    ]


# Every fault against the two riskiest writes (creates: duplicates, a token shown once);
# a representative set against every other write.
FULL_WRITES = (("openport_key", "create"), ("ngrok_credential", "create"))
SAMPLE_WRITE_FAULTS = (("503", False, False), ("drop", True, False), ("stall", True, False),
                       ("malformed", True, False), ("503", False, True))


def write_cases(seed_state):
    cases = []
    for target in write_targets(seed_state):
        variants = [(f, False, False) for f in WRITE_FAULTS]
        variants += [(f, True, False) for f in APPLIED_WRITE_FAULTS]
        variants += [(f, apply, True) for f, apply in PERSISTENT_WRITE_FAULTS]
        if (target.name, target.op) not in FULL_WRITES:
            variants = list(SAMPLE_WRITE_FAULTS)
        if target.name != "ngrok_tunnel_session":
            variants += list(UNBELIEVABLE_WRITE_FAULTS)
        for fault, apply, persistent in variants:
            kind = "persistent" if persistent else ("applied" if apply else "transient")
            if persistent:
                # A write refused every time fails; one that lands every time may be found again.
                expect = "either" if apply else "fail"
            elif (fault, apply) in WRITE_MUST_FAIL:
                expect = "fail"
            else:
                expect = "ok" if (fault, apply) in WRITE_MUST_PASS else "either"
            cases.append({
                "id": "%s-%s-%s-%s" % (target.op, target.name, fault, kind),
                "family": target.name, "op": target.op, "fault": fault, "provider": target.provider,
                "apply": apply, "expect": expect, "task": target.task, "target": target,
                "setup": {"faults": [rule(fault, target.provider, target.method, target.path,
                                          times=None if persistent else 1, apply=apply)]},
            })
    return cases


# -- the verification step itself fails (18.1) ------------------------------------------------------------

def verify_cases(seed_state):
    """A create whose answer is lost (it took effect), then every look-up of the list fails: the failure must
    keep the unknown outcome and list the create in done_before_failure."""
    cases = []
    for target in write_targets(seed_state):
        if target.op != "create":
            continue
        listing = target.path  # the create's path is the collection's listing path
        faults = [rule("drop", target.provider, "POST", target.path, apply=True),
                  # The first listing is the task's own (it finds nothing to change); every later one fails.
                  dict(rule("503", target.provider, "GET", listing, times=None), nth=2)]
        cases.append({"id": "verify-%s-lookup-fails" % target.name, "family": target.name, "op": "verify",
                      "fault": "drop+503", "provider": target.provider, "target": target, "task": target.task,
                      "setup": {"faults": faults}})
    return cases


# -- reads answered with another shape (18.3) ---------------------------------------------------------------

def shape_read_cases():
    """Lists whose items are not records, or whose answer is not the documented list: an error, never an empty
    list. ``bad_items`` keeps the real envelope and replaces its items; ``status`` answers a whole other body."""
    bad_items = {"action": "bad_items", "items": ["x"]}
    reads = [
        ("openport_key_info", {"tunnelops.tunnels.openport_key_info": {}}, "openport", "/keys/$", bad_items),
        ("openport_node_info", {"tunnelops.tunnels.openport_node_info": {}}, "openport", "/nodes/$", bad_items),
        ("openport_link_click_info", {"tunnelops.tunnels.openport_link_click_info": {}}, "openport",
         "/openforiplinkclicks/$", bad_items),
        ("ngrok_info", {"tunnelops.tunnels.ngrok_info": {"resources": ["credentials"]}}, "ngrok", "/credentials$",
         bad_items),
        ("tunnel_session_info_ngrok", {"tunnelops.tunnels.tunnel_session_info": {
            "providers": ["ngrok"], "strict": True}}, "ngrok", "/tunnel_sessions$", dict(bad_items, items=[None])),
        ("tunnel_session_info_pinggy_items", {"tunnelops.tunnels.tunnel_session_info": {
            "providers": ["pinggy"], "strict": True}}, "pinggy", "/session/active", bad_items),
        ("tunnel_session_info_pinggy_shape", {"tunnelops.tunnels.tunnel_session_info": {
            "providers": ["pinggy"], "strict": True}}, "pinggy", "/session/active",
         {"action": "status", "status": 200, "body": {"unexpected": "shape"}}),
        # Pinggy answering 200 with an empty body: an inventory sync would have dropped every Pinggy host.
        ("tunnel_session_info_pinggy_empty", {"tunnelops.tunnels.tunnel_session_info": {
            "providers": ["pinggy"], "strict": True}}, "pinggy", "/session/active",
         {"action": "status", "status": 200, "raw": ""}),
    ]
    return [{"id": "shape-read-%s" % name, "family": name, "op": "read", "fault": "shape", "provider": provider,
             "task": task, "setup": {"faults": [dict(fault, provider=provider, method="GET", path=path, times=None)]}}
            for name, task, provider, path, fault in reads]
