# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Source options of the tunnel_sessions inventory against the emulator's default fleet.

Filters that can never match and an inventory its own filters empty (issue 18.6), hostnames that an
empty field leaves incomplete (16.17), a cache that follows the credentials (16.19).
Usage: source_checks.py <work dir>.
"""

from __future__ import annotations

import os
import sys

from emulator_fleet import expected_names
from inventory_checks import Suite, expect, run_checks


class SourceChecks(Suite):

    def never_matching_filters(self):
        for label, filters, text in (
                ("protocols", "{protocols: [tcp, bogus]}", "filters.protocols: 'bogus' is not a protocol of a session "
                 "(tcp, http, https, tls, tlstcp, udp); a filter on it would keep no session"),
                ("ports", "{ports: [-5, 99999]}", "filters.ports: -5, 99999 are not port numbers (1-65535)")):
            path = self.source("never-%s.tunnel_sessions.yml" % label, "filters: %s\n" % filters)
            self.ctl.clear_log()
            proc = self.inventory(path, ok=False)[1]
            expect(proc.returncode != 0, "filters %s must fail the inventory" % filters, proc.stdout[-2000:])
            expect(text in " ".join(proc.stderr.split()), "the error names the filter", text, proc.stderr[-3000:])
            counters = self.requests_made()[1]
            expect(counters["total"]["requests"] == 0, "a refused filter made requests", counters)
        print("ok filters that can never match fail before any request")

    def emptied_by_its_filters(self, entries):
        path = self.source("emptied.tunnel_sessions.yml", "filters: {ports: [2]}\n")
        inventory, proc = self.inventory(path)
        expect(inventory["_meta"]["hostvars"] == {}, "port 2 matches no session of the fleet", inventory)
        warning = ("tunnel_sessions: the inventory is empty, but the providers have %d sessions: the filters left "
                   "out %d. Check the source's options; an inventory sync that overwrites (AWX's overwrite) would "
                   "remove every host." % (len(entries), len(entries)))
        expect(warning in " ".join(proc.stderr.split()), "the warning of an emptied inventory", warning, proc.stderr)
        print("ok an inventory emptied by its own filters warns")

    def hostnames_fall_back(self, entries):
        nameless = [e["id"] for e in entries if not e["key_name"]]
        expect(nameless, "the default fleet has sessions without a key name", [e["key_name"] for e in entries])
        path = self.source("names.tunnel_sessions.yml", 'hostnames: ["{{ provider }}-{{ key_name }}", id]\n')
        inventory = self.inventory(path)[0]
        for entry in entries:
            entry["wanted"] = "%s-%s" % (entry["provider"], entry["key_name"]) if entry["key_name"] else entry["id"]
        names = expected_names(entries, "wanted")
        self.check_hosts(inventory, names, "hostnames with a fallback")
        expect(not [n for n in inventory["_meta"]["hostvars"] if n.endswith("-")], "a name ends in a separator")
        print("ok hostnames: %d sessions without a key name are named by their id" % len(nameless))

    def cache_follows_credentials(self, entries):
        cache_dir = os.path.join(self.work, "credential-cache")
        path = self.source("credential-cache.tunnel_sessions.yml", "cache: true\ncache_plugin: "
                           "ansible.builtin.jsonfile\ncache_connection: %s\ncache_timeout: 3600\n" % cache_dir)
        self.ctl.clear_log()
        first = self.inventory(path)[0]
        expect(sum(self.requests_made()[0].values()) == 7, "the first run lists every provider once")
        revoked = self.env(OPENPORT_TOKEN="op-revoked-token-0043")
        self.ctl.clear_log()
        inventory, proc = self.inventory(path, revoked)
        made = self.requests_made()[0]
        expect(made["openport"] >= 1, "a revoked token read the previous token's cached sessions", made)
        hosts = inventory["_meta"]["hostvars"].values()
        expect(not [h for h in hosts if h["tunnel_provider"] == "openport"], "Openport hosts without a valid token")
        expect("openport left out of the inventory" in proc.stderr, "the revoked token is reported", proc.stderr)
        self.ctl.clear_log()
        again = self.inventory(path)[0]
        expect(self.requests_made()[1]["total"]["requests"] == 0 and again == first,
               "the first token's entry is still cached")
        for name in os.listdir(cache_dir):
            with open(os.path.join(cache_dir, name), encoding="utf-8") as handle:
                self.outputs.append(name + "\n" + handle.read())
        expect("op-revoked-token-0043" not in "\n".join(self.outputs), "the revoked token was written")
        print("ok cache: a revoked token asks the API again, the previous token's entry stays")


def checks(suite, state, entries):
    suite.never_matching_filters()
    suite.emptied_by_its_filters(entries)
    suite.hostnames_fall_back(entries)
    suite.cache_follows_credentials(entries)


if __name__ == "__main__":
    sys.exit(run_checks(SourceChecks(sys.argv[1]), checks))
