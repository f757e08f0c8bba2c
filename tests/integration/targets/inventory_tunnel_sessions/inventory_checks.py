# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible-inventory with the tunnel_sessions plugin against the emulator's default fleet.

Usage: inventory_checks.py <work dir>.  Each check prints one line; the first
failed expectation stops the run with a message saying what differed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

from emulator_fleet import (NGROK_RATE_LIMIT_RAISED, SECRET_FIELDS, Control, expected_names, expected_requests,
                            expected_sessions, load_config, unwrap)

HERE = os.path.dirname(os.path.abspath(__file__))
CREDENTIAL_ENV = ("OPENPORT_TOKEN", "NGROK_API_KEY", "PINGGY_API_KEY")
URL_ENV = ("OPENPORT_API_URL", "NGROK_API_BASE_URL", "NGROK_API_URL", "PINGGY_API_URL")


class Failed(Exception):
    pass


def expect(condition, message, *details):
    if not condition:
        raise Failed(message + "".join("\n  %s" % (d,) for d in details))


def safe_group(name):
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def secret_keys(obj, path=""):
    """Paths of the keys of ``obj`` (nested) that name a credential field and hold a value."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key in SECRET_FIELDS and value not in (None, ""):
                yield path + key
            else:
                yield from secret_keys(value, path + key + ".")
    elif isinstance(obj, list):
        for index, value in enumerate(obj):
            yield from secret_keys(value, "%s%d." % (path, index))


class Suite:
    def __init__(self, work):
        self.work = work
        self.config = load_config(os.path.join(HERE, "..", "..", "integration_config.yml"))
        self.ctl = Control(self.config["emulator_control_url"])
        self.outputs = []  # every text the plugin produced, for the secret scan
        self.list_seconds = None  # how long main_inventory's --list took

    # -- running ansible ----------------------------------------------------------

    def env(self, credentials=True, **extra):
        env = dict((k, v) for k, v in os.environ.items() if k not in CREDENTIAL_ENV + URL_ENV)
        if credentials:
            env.update(OPENPORT_TOKEN=self.config["openport_token"], NGROK_API_KEY=self.config["ngrok_api_key"],
                       PINGGY_API_KEY=self.config["pinggy_api_key"])
        env.update(ANSIBLE_NOCOLOR="1", ANSIBLE_INVENTORY_UNPARSED_FAILED="1", NGROK_RATE_LIMIT=NGROK_RATE_LIMIT_RAISED)
        env.update(extra)
        return env

    def source(self, name, text):
        urls = ("openport_api_url: %s\nngrok_api_url: %s\npinggy_api_url: %s\n"
                % (self.config["emulator_openport_url"], self.config["emulator_ngrok_url"],
                   self.config["emulator_pinggy_url"]))
        path = os.path.join(self.work, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("plugin: tunnelops.tunnels.tunnel_sessions\n" + urls + text)
        return path

    def run(self, args, env, ok=True):
        proc = subprocess.run(args, env=env, cwd=self.work, capture_output=True, text=True, timeout=600,
                              check=False)
        self.outputs.append(proc.stdout + proc.stderr)
        if ok:
            expect(proc.returncode == 0, "%s failed (rc %s)" % (" ".join(args[:3]), proc.returncode),
                   proc.stdout[-3000:], proc.stderr[-3000:])
        return proc

    def inventory(self, path, env=None, extra=(), ok=True):
        proc = self.run(["ansible-inventory", "-i", path, "--list"] + list(extra), env or self.env(), ok=ok)
        return (unwrap(json.loads(proc.stdout)) if proc.returncode == 0 else None), proc

    def graph(self, path, env=None):
        return self.run(["ansible-inventory", "-i", path, "--graph"], env or self.env()).stdout

    def requests_made(self):
        counters = self.ctl.counters()
        return dict((p, counters[p]["requests"]) for p in ("openport", "ngrok", "pinggy")), counters

    # -- checks ---------------------------------------------------------------------

    def check_hosts(self, inventory, names, what, raw=False):
        hostvars = inventory["_meta"]["hostvars"]
        expect(sorted(hostvars) == sorted(names), "%s: the hosts differ" % what,
               "got      %s" % sorted(hostvars), "expected %s" % sorted(names))
        for name, entry in names.items():
            hv = hostvars[name]
            if raw:
                expect(isinstance(hv.get("tunnel_raw"), dict), "%s: %s has no tunnel_raw with raw_host_var: true"
                       % (what, name), sorted(hv))
            else:
                expect("tunnel_raw" not in hv, "%s: %s has tunnel_raw, and raw_host_var is off" % (what, name))
            for field in ("provider", "id", "protocol", "public_url", "key_name", "region"):
                expect(hv["tunnel_" + field] == entry[field], "%s: %s tunnel_%s is %r, expected %r"
                       % (what, name, field, hv["tunnel_" + field], entry[field]))
            if entry["ssh"]:
                expect((hv.get("ansible_host"), hv.get("ansible_port")) == tuple(entry["ssh"]),
                       "%s: %s ansible_host/ansible_port" % (what, name), hv.get("ansible_host"), hv.get("ansible_port"))
            else:
                expect("ansible_host" not in hv and "ansible_port" not in hv,
                       "%s: %s (%s) must not have ansible_host" % (what, name, entry["protocol"]))
        return hostvars

    def members(self, inventory, group):
        return sorted((inventory.get(group) or {}).get("hosts", []))

    def main_inventory(self, state, entries):
        path = self.source("main.tunnel_sessions.yml", """
hostnames: ["{{ key_name }}", id]
compose:
  endpoint: tunnel_public_url
  ssh_target: "(ansible_host ~ ':' ~ ansible_port) if ansible_host is defined else 'none'"
groups:
  ssh_reachable: ansible_port is defined
keyed_groups:
  - key: "(tunnel_local_port | string) if tunnel_local_port is not none else ''"
    prefix: local
""")
        self.ctl.clear_log()
        started = time.monotonic()
        inventory = self.inventory(path)[0]
        self.list_seconds = time.monotonic() - started  # parallel()'s baseline: the same run without latency
        made, counters = self.requests_made()
        names = expected_names(entries, "key_name")
        hostvars = self.check_hosts(inventory, names, "--list")
        # Concrete values of the default fleet (tests/emulator/seed.py).
        spot = {"root@HQ": ("openport.io", 6260), "nas-basement": ("us.openport.io", 31022),
                "ci_runner": ("4.tcp.ngrok.io", 15432), "prod_agents": ("0.tcp.ngrok.io", 12345)}
        for name, endpoint in spot.items():
            expect((hostvars[name]["ansible_host"], hostvars[name]["ansible_port"]) == endpoint,
                   "%s is not at %s" % (name, endpoint), hostvars[name])
        expect(hostvars["prod_agents-2"]["tunnel_protocol"] == "https", "prod_agents-2 is the https tunnel")
        expect(hostvars["prod_agents"]["tunnel_key_name"] == "prod agents", "the key name keeps its space")
        expect(hostvars["office-gateway"]["endpoint"] == "https://k7f3qz.u.openport.io", "office-gateway url")
        pinggy = dict((hv["tunnel_public_host"], hv) for hv in hostvars.values() if hv["tunnel_provider"] == "pinggy")
        expect((pinggy["mytest.v.awesomeapp.a.pinggy.link"]["ansible_port"], pinggy["game.a.pinggy.link"]["ansible_port"])
               == (10003, 24210), "pinggy tcp and tlstcp ports")
        expect(pinggy["demo.a.pinggy.link"]["endpoint"] == "https://demo.a.pinggy.link"
               and "ansible_host" not in pinggy["demo.a.pinggy.link"], "pinggy http tunnel url", pinggy)
        for name, entry in names.items():
            hv = hostvars[name]
            target = "%s:%s" % tuple(entry["ssh"]) if entry["ssh"] else "none"
            expect(hv["endpoint"] == entry["public_url"] and hv["ssh_target"] == target, "composed vars of " + name, hv)
            expect(not any(k.startswith(("openport_", "ngrok_", "pinggy_")) for k in hv), "a credential option "
                   "became a host variable of " + name, sorted(hv))
        # Default groups, the composed group and keyed groups.
        groups = {}
        for name, entry in names.items():
            wanted = ["provider_" + entry["provider"], "protocol_%s" % entry["protocol"]]
            wanted += ["region_%s" % entry["region"]] if entry["region"] else []
            wanted += ["key_%s" % entry["key_name"]] if entry["key_name"] else []
            wanted += ["ssh_reachable"] if entry["ssh"] else []
            wanted += ["local_%s" % entry["local_port"]] if entry["local_port"] is not None else []
            for group in wanted:
                groups.setdefault(safe_group(group), []).append(name)
        for group, hosts in groups.items():
            expect(self.members(inventory, group) == sorted(hosts), "group %s" % group,
                   self.members(inventory, group), sorted(hosts))
        expect(sorted(g for g in inventory if g not in ("_meta", "all", "ungrouped")) == sorted(groups),
               "the set of groups differs", sorted(inventory), sorted(groups))
        expect(made == expected_requests(state), "requests per provider", made, expected_requests(state))
        expect(counters["total"]["writes"] == 0, "an inventory run must not write", counters)
        expect(self.members(inventory, "key_prod_agents") == ["prod_agents", "prod_agents-2"], "key_prod_agents")
        # --graph: the exact block of a group; hosts come in the plugin's stable order (provider, id).
        text = self.graph(path)
        ordered = sorted(groups["provider_openport"], key=lambda n: names[n]["id"])
        block = "  |--@provider_openport:\n" + "".join("  |  |--%s\n" % h for h in ordered)
        expect(block in text, "--graph lacks the provider_openport block", block, text)
        expect(block == "  |--@provider_openport:\n  |  |--build-runner-01\n  |  |--root@HQ\n"
               "  |  |--office-gateway\n  |  |--nas-basement\n", "the default fleet's Openport hosts", block)
        # A name made from a key with a space is still a host pattern.
        host = unwrap(json.loads(self.run(["ansible-inventory", "-i", path, "--host", "prod_agents"], self.env()).stdout))
        expect(host == hostvars["prod_agents"], "--host prod_agents", host)
        print("ok main inventory: %d hosts, %d groups, requests %s" % (len(names), len(groups), made))
        return path, names

    def per_provider(self, entries):
        by_provider = dict((p, [e for e in entries if e["provider"] == p]) for p in ("openport", "ngrok", "pinggy"))
        # ngrok alone, its key from a template (a lookup), no credential in the environment.
        path = self.source("ngrok.tunnel_sessions.yml", """
providers: [ngrok]
ngrok_api_key: "{{ lookup('ansible.builtin.env', 'IT_NGROK_SECRET') }}"
default_groups: []
""")
        self.ctl.clear_log()
        inventory = self.inventory(path, self.env(credentials=False, IT_NGROK_SECRET=self.config["ngrok_api_key"]))[0]
        made = self.requests_made()[0]
        self.check_hosts(inventory, expected_names(by_provider["ngrok"]), "ngrok only")
        expect(sorted(k for k in inventory if k != "_meta") == ["all", "ungrouped"], "default_groups: [] left groups",
               sorted(inventory))
        expect(made == {"openport": 0, "ngrok": 4, "pinggy": 0}, "ngrok only: requests", made)
        # Openport alone, keyed by server.
        path = self.source("openport.tunnel_sessions.yml", """
providers: [openport]
default_groups: [provider]
keyed_groups:
  - key: tunnel_region
    prefix: server
""")
        inventory = self.inventory(path)[0]
        names = expected_names(by_provider["openport"])
        self.check_hosts(inventory, names, "openport only")
        servers = sorted(set("server_" + safe_group(e["region"]) for e in by_provider["openport"]))
        expect(sorted(k for k in inventory if k.startswith("server_")) == servers, "openport keyed groups", servers)
        # Pinggy alone, with a conditional group.
        path = self.source("pinggy.tunnel_sessions.yml", "providers: [pinggy]\ngroups:\n  web: tunnel_protocol == 'http'\n")
        inventory = self.inventory(path)[0]
        names = expected_names(by_provider["pinggy"])
        self.check_hosts(inventory, names, "pinggy only")
        web = sorted(n for n, e in names.items() if e["protocol"] == "http")
        expect(self.members(inventory, "web") == web and len(web) == 1, "pinggy web group", web)
        print("ok per provider: ngrok (templated key), openport, pinggy")

    def raw_record(self, entries):
        """raw is no host variable by default, but compose, groups and keyed_groups still read it;
        raw_host_var: true sets the record, without its secrets."""
        path = self.source("raw_off.tunnel_sessions.yml", """
compose:
  # a string: ansible-core 2.16 renders compose to text, 2.19+ keeps native types
  record_detail: "raw.session.os if provider == 'ngrok' else ((raw.userId | string) if provider == 'pinggy' else raw.server)"
  forwards_to: tunnel_raw.tunnel.forwards_to
groups:
  raw_linux: provider == 'ngrok' and raw.session.os == 'linux'
keyed_groups:
  - key: raw.session.transport
    prefix: transport
""")
        inventory = self.inventory(path)[0]
        names = expected_names(entries)
        hostvars = self.check_hosts(inventory, names, "raw_host_var off")
        linux, transports = [], {}
        for name, entry in names.items():
            hv, record = hostvars[name], entry["record"]
            detail = {"ngrok": lambda: record["session"]["os"], "pinggy": lambda: str(record["userId"]),
                      "openport": lambda: record["server"]}[entry["provider"]]()
            expect(hv.get("record_detail") == detail, "compose from raw: %s record_detail" % name,
                   hv.get("record_detail"), detail)
            if entry["provider"] == "ngrok":
                if record["tunnel"]:
                    expect(hv.get("forwards_to") == record["tunnel"]["forwards_to"],
                           "compose from tunnel_raw: %s forwards_to" % name, hv.get("forwards_to"))
                if record["session"]["os"] == "linux":
                    linux.append(name)
                transports.setdefault("transport_" + safe_group(record["session"]["transport"]), []).append(name)
            else:
                expect("forwards_to" not in hv, "%s: forwards_to from a record without a tunnel" % name, hv)
        expect(self.members(inventory, "raw_linux") == sorted(linux) and linux, "groups from raw: raw_linux",
               self.members(inventory, "raw_linux"), sorted(linux))
        for group, hosts in transports.items():
            expect(self.members(inventory, group) == sorted(hosts), "keyed_groups from raw: " + group,
                   self.members(inventory, group), sorted(hosts))
        expect(transports, "the default fleet has ngrok sessions")

        path = self.source("raw_on.tunnel_sessions.yml", "raw_host_var: true\n")
        inventory = self.inventory(path)[0]
        hostvars = self.check_hosts(inventory, names, "raw_host_var on", raw=True)
        for name, entry in names.items():
            raw, record = hostvars[name]["tunnel_raw"], entry["record"]
            if entry["provider"] == "ngrok":
                expect(raw["session"]["id"] == record["session"]["id"] and raw["session"]["os"]
                       == record["session"]["os"], "%s: tunnel_raw.session" % name, raw)
                expect((raw["tunnel"] or {}).get("id") == (record["tunnel"] or {}).get("id"),
                       "%s: tunnel_raw.tunnel" % name, raw)
            elif entry["provider"] == "pinggy":
                expect((raw["id"], raw["userId"], raw["mode"]) == (record["id"], record["userId"], record["mode"]),
                       "%s: tunnel_raw" % name, raw)
                expect("token" not in raw and "virtualToken" not in raw, "%s: a Pinggy secret in tunnel_raw" % name,
                       sorted(raw))
            else:
                expect((raw["port"], raw["server"], raw["local_port"]) ==
                       (record["port"], record["server"], record["local_port"]), "%s: tunnel_raw" % name, raw)
            held = sorted(secret_keys(raw))
            expect(not held, "%s: tunnel_raw holds secret fields" % name, held)
        print("ok raw: no tunnel_raw by default, compose/groups/keyed_groups read raw; raw_host_var: true sets it "
              "on %d hosts without secrets" % len(names))

    def filters(self, entries):
        path = self.source("filters.tunnel_sessions.yml", """
filters:
  protocols: [tcp, tlstcp]
include:
  - provider != 'openport'
  - tunnel_public_port == 6260
exclude:
  - key_name == 'ci runner'
""")
        inventory = self.inventory(path)[0]
        kept = [e for e in entries if e["protocol"] in ("tcp", "tlstcp")
                and (e["provider"] != "openport" or e["ssh"][1] == 6260) and e["key_name"] != "ci runner"]
        self.check_hosts(inventory, expected_names(kept), "filters/include/exclude")
        expect(len(kept) == 4, "the default fleet has 4 such tunnels", [e["id"] for e in kept])
        print("ok filters, include, exclude: %d hosts" % len(kept))

    def provider_error(self, entries):
        path = self.source("partial.tunnel_sessions.yml", "")
        env = self.env(PINGGY_API_KEY="wrong-pinggy-key-0042")
        inventory, proc = self.inventory(path, env)
        others = [e for e in entries if e["provider"] != "pinggy"]
        self.check_hosts(inventory, expected_names(others), "pinggy refused")
        warning = ("tunnel_sessions: pinggy left out of the inventory: pinggy API GET %s/session/active returned "
                   "HTTP 401 unauthorized: Unauthorized. Please enter a valid token."
                   % self.config["emulator_pinggy_url"])
        expect(warning in " ".join(proc.stderr.split()), "the warning text", warning, proc.stderr)
        strict = self.source("strict.tunnel_sessions.yml", "fail_on_provider_error: true\n")
        proc = self.inventory(strict, env, ok=False)[1]
        expect(proc.returncode != 0 and "could not read the sessions of pinggy" in proc.stderr,
               "fail_on_provider_error must fail the inventory", proc.returncode, proc.stderr[-2000:])
        expect("wrong-pinggy-key-0042" not in proc.stdout + proc.stderr, "the refused key was printed")
        print("ok a failing provider: warning, or an error with fail_on_provider_error")

    def cache(self, names):
        cache_dir = os.path.join(self.work, "cache")
        path = self.source("cached.tunnel_sessions.yml", """
hostnames: ["{{ key_name }}", id]
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: %s
cache_timeout: 3600
""" % cache_dir)
        self.ctl.clear_log()
        first = self.inventory(path)[0]
        made = self.requests_made()[0]
        expect(sum(made.values()) == 7, "the first cached run lists every provider once", made)
        self.ctl.clear_log()
        second = self.inventory(path)[0]
        counters = self.requests_made()[1]
        expect(counters["total"]["requests"] == 0, "a cached run made requests", counters)
        expect(first == second and sorted(second["_meta"]["hostvars"]) == sorted(names), "cached inventory differs")
        files = [os.path.join(cache_dir, f) for f in os.listdir(cache_dir) if not f.endswith("_salt")]
        expect(len(files) == 1, "one cache file (and the salt of its key)", files)
        with open(files[0], encoding="utf-8") as handle:
            text = handle.read()
        self.outputs.append(text)
        expect("tcp://4.tcp.ngrok.io:15432" in text, "the cache holds the sessions")
        # ansible-inventory has --flush-cache only from ansible-core 2.17 on; ansible-playbook has it on all.
        self.run(["ansible-playbook", "-i", path, "--flush-cache", "--list-hosts", os.path.join(HERE, "ping.yml")],
                 self.env())
        made = self.requests_made()[0]
        expect(sum(made.values()) == 7, "--flush-cache asks the providers again", made)
        print("ok cache: second run 0 requests, --flush-cache 7")

    def scale(self):
        scale = {"openport_sessions": 2100, "ngrok_sessions": 230, "pinggy_sessions": 30}
        self.ctl.reset(scale=scale)
        try:
            state = self.ctl.state()
            entries = expected_sessions(state)
            path = self.source("scale.tunnel_sessions.yml", "default_groups: [provider]\n")
            self.ctl.clear_log()
            inventory = self.inventory(path)[0]
            made = self.requests_made()[0]
            expect(len(inventory["_meta"]["hostvars"]) == len(entries) > 2300, "scaled host count",
                   len(inventory["_meta"]["hostvars"]), len(entries))
            expect(made == expected_requests(state), "requests equal the pages", made, expected_requests(state))
            expect(made == {"openport": 4, "ngrok": 6, "pinggy": 1}, "pages of the scaled fleet", made)
            print("ok scale: %d hosts from %s requests" % (len(entries), made))
        finally:
            self.ctl.reset()

    def parallel(self, path):
        """With 2 s of latency per request, 7 requests one after the other would take 14 s more."""
        baseline = self.list_seconds
        self.ctl.call("POST", "/config", {"latency_ms": 2000})
        try:
            self.ctl.clear_log()
            started = time.monotonic()
            self.inventory(path)
            slow = time.monotonic() - started
        finally:
            self.ctl.call("POST", "/config", {"latency_ms": 0})
        made = self.requests_made()[0]
        expect(sum(made.values()) == 7, "requests with latency", made)
        expect(slow >= 2.0, "the latency was not applied (%.1fs)" % slow)
        # In parallel (providers side by side, each provider's lists side by side) about 2 s more; one after
        # the other at least 14 s more. The margin is for a busy test machine.
        expect(slow - baseline < 10.0, "the requests were not sent in parallel: %.1fs with 2s latency per request, "
               "%.1fs without" % (slow, baseline))
        print("ok parallel: 7 requests with 2s latency each: %.1fs, without: %.1fs" % (slow, baseline))

    def ping(self, path, names):
        proc = self.run(["ansible-playbook", "-i", path, os.path.join(HERE, "ping.yml")], self.env())
        recap = dict((m.group(1).strip(), m.group(2)) for m in
                     re.finditer(r"^(\S.*?)\s+: (ok=\d+\s+changed=\d+\s+unreachable=\d+\s+failed=\d+)", proc.stdout, re.M))
        expect(sorted(recap) == sorted(names), "ping recap hosts", sorted(recap), sorted(names))
        bad = dict((h, r) for h, r in recap.items() if not re.match(r"ok=2\s+changed=0\s+unreachable=0\s+failed=0", r))
        expect(not bad, "ping failed on some hosts", bad)
        print("ok ansible.builtin.ping on %d hosts" % len(recap))

    def secrets(self, state):
        secrets = self.ctl.all_secrets(state)
        expect(len(secrets) >= 7 and self.config["ngrok_api_key"] in secrets, "the emulator's secrets", secrets)
        text = "\n".join(self.outputs)
        leaked = [s for s in secrets if s in text]
        expect(not leaked, "secrets found in the inventory output or cache", leaked)
        print("ok no secret (of %d) in %d outputs" % (len(secrets), len(self.outputs)))


def run_checks(suite, checks):
    """``checks(suite, state, entries)`` against a freshly reset default fleet, then the secret scan;
    exit status 1 at the first failed expectation."""
    suite.ctl.reset()
    state = suite.ctl.state()
    try:
        checks(suite, state, expected_sessions(state))
        suite.secrets(state)
    except Failed as exc:
        print("FAILED: %s" % exc, file=sys.stderr)
        return 1
    return 0


def checks(suite, state, entries):
    path, names = suite.main_inventory(state, entries)
    suite.per_provider(entries)
    suite.raw_record(entries)
    suite.filters(entries)
    suite.provider_error(entries)
    suite.cache(names)
    suite.ping(path, names)
    suite.parallel(path)
    suite.scale()


if __name__ == "__main__":
    sys.exit(run_checks(Suite(sys.argv[1]), checks))
