# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The key audit policy: collected provider data in, findings out.

Pure functions, no I/O.  ``audit(data, policy, now)`` returns the findings in
a deterministic order, each::

    {"id", "rule", "severity", "provider", "object": {"type", "id", "name"},
     "evidence": {...}, "fix": "..."}

The ``id`` is a hash of what the finding is about (rule, provider, object and,
for grouped findings, the address), so it stays the same from run to run and
can be used to track or silence a finding.  Evidence is built from the few
fields ``audit_input`` copies, never from a raw record, so no credential can
reach a report.
"""

from __future__ import annotations

import datetime
import hashlib

from ansible_collections.tunnelops.tunnels.plugins.module_utils._audit import records as inp
from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.addresses import inside, parse_ip, parse_networks
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.sshkey import key_weakness

SEVERITIES = ("critical", "high", "medium", "low", "info")
RULES = {
    # rule: (default severity, suggested fix)
    "weak_key": ("high", "Generate an Ed25519 key (ssh-keygen -t ed25519), register it, then remove this key."),
    "unparseable_key": ("medium", "Remove this entry and register a valid OpenSSH public key line."),
    "stale_key": ("medium", "Remove the key if the device is retired (key_provision with "
                            "key_provision_keys[].state: absent), or confirm the owner still needs it."),
    "never_used_key": ("low", "Remove the key if nobody is going to use it, or check that the device "
                              "it was made for can connect."),
    "duplicate_key": ("medium", "Register each public key once, under one name; remove the extra entries "
                                "or give them the same name."),
    "unapproved_key": ("high", "Add the key to the approved list, or remove it (key_provision with "
                               "key_provision_openport_exclusive: true or key_provision_ngrok_exclusive: true "
                               "removes the keys that are not listed)."),
    "missing_key": ("medium", "Run the key_provision role (playbooks/provision_keys.yml) to register "
                              "the approved key."),
    "unknown_credential": ("high", "Find out who runs this session; if nobody owns it, stop it "
                                   "(ngrok_tunnel_session with action: stop, for an ngrok session) and "
                                   "rotate the account's credentials."),
    "click_outside_cidr": ("medium", "Check who opened the link from this address; if it is not expected, "
                                     "kill the session and re-register the key to get a new link."),
    "client_outside_cidr": ("medium", "Check that the agent is expected to run from this address; if not, "
                                      "stop the session (ngrok_tunnel_session with action: stop, for an "
                                      "ngrok agent) and rotate its credential."),
    "old_agent": ("medium", "Update the agent (ngrok update, or ngrok_tunnel_session with action: update) "
                            "to at least the minimum version."),
}
DEFAULT_POLICY = {
    "stale_days": 90,
    "never_used_grace_days": 1,
    "min_rsa_bits": 2048,
    "allowed_cidrs": [],
    "min_agent_version": None,
    "duplicates_across_providers": False,
    "since": None,
    "severities": {},
    "disabled_rules": [],
}
SSH_PROVIDERS = ("openport", "ngrok")


class AuditPolicyError(ValueError):
    """The policy or the approved list cannot be used; the message names the option."""


def make_policy(policy=None):
    """Defaults merged with ``policy`` (None values mean the default) and checked."""
    merged = dict(DEFAULT_POLICY)
    for name, value in (policy or {}).items():
        if name not in DEFAULT_POLICY:
            raise AuditPolicyError("policy.%s is not a policy setting; known: %s" % (name, ", ".join(DEFAULT_POLICY)))
        if value is not None:
            merged[name] = value
    for name in ("stale_days", "never_used_grace_days", "min_rsa_bits"):
        if not isinstance(merged[name], int) or merged[name] < 0:
            raise AuditPolicyError("policy.%s must be a whole number of 0 or more, not %r" % (name, merged[name]))
    for rule, severity in (merged["severities"] or {}).items():
        if rule not in RULES:
            raise AuditPolicyError("policy.severities: %r is not a rule; rules: %s" % (rule, ", ".join(sorted(RULES))))
        if severity not in SEVERITIES:
            raise AuditPolicyError("policy.severities.%s: %r is not one of %s" % (rule, severity, ", ".join(SEVERITIES)))
    unknown = sorted(set(merged["disabled_rules"] or ()) - set(RULES))
    if unknown:
        raise AuditPolicyError("policy.disabled_rules: %s not a rule; rules: %s"
                               % (", ".join(unknown), ", ".join(sorted(RULES))))
    try:
        merged["networks"] = parse_networks("policy.allowed_cidrs", merged["allowed_cidrs"])
    except TunnelConfigError as exc:
        raise AuditPolicyError(str(exc))
    merged["min_version"] = inp.version_tuple(merged["min_agent_version"])
    if merged["min_agent_version"] is not None and merged["min_version"] is None:
        raise AuditPolicyError("policy.min_agent_version: %r is not a version such as 3.5.0"
                               % (merged["min_agent_version"],))
    merged["since_time"] = inp.parse_time(merged["since"])
    if merged["since"] is not None and merged["since_time"] is None:
        raise AuditPolicyError("policy.since: %r is not an ISO 8601 date or time" % (merged["since"],))
    return merged


class _Findings:
    def __init__(self, policy):
        self.policy = policy
        self.items = {}

    def add(self, rule, provider, obj, evidence, part=""):
        if rule in (self.policy["disabled_rules"] or ()):
            return
        seed = "|".join(str(v) for v in (rule, provider, obj["type"], obj["id"], part))
        fid = "%s-%s" % (rule, hashlib.sha256(seed.encode("utf-8")).hexdigest()[:10])
        severity = (self.policy["severities"] or {}).get(rule) or RULES[rule][0]
        self.items[fid] = {"id": fid, "rule": rule, "severity": severity, "provider": provider,
                           "object": dict(obj), "evidence": evidence, "fix": RULES[rule][1]}

    def sorted(self):
        rank = dict((s, i) for i, s in enumerate(SEVERITIES))
        return sorted(self.items.values(), key=lambda f: (
            rank[f["severity"]], f["rule"], f["provider"], f["object"]["type"],
            _natural(f["object"]["id"]), f["id"]))


def _natural(value):
    text = "" if value is None else str(value)
    return (0, int(text), "") if text.isdigit() else (1, 0, text)


def _obj(record):
    return {"type": record["type"], "id": record["id"], "name": record["name"]}


def _key_evidence(record):
    key = record["key"]
    evidence = {"fingerprint": key.fingerprint if key else None,
                "key_type": key.type if key else None, "bits": key.bits if key else None}
    if record["created"]:
        evidence["created"] = inp.iso(record["created"])
    if record["tracks_use"]:
        evidence["last_used"] = inp.iso(record["last_used"])
    return evidence


def _days(now, stamp):
    return (now - stamp).days


def _key_rules(found, keys, policy, now):
    for rec in keys:
        if rec["key"] is None:
            found.add("unparseable_key", rec["provider"], _obj(rec), {"problem": rec["key_problem"]})
            continue
        weakness = key_weakness(rec["key"], policy["min_rsa_bits"])
        if weakness:
            evidence = _key_evidence(rec)
            evidence["weakness"] = weakness
            found.add("weak_key", rec["provider"], _obj(rec), evidence)
        if not rec["tracks_use"]:
            continue
        if rec["last_used"] is None:
            age = _days(now, rec["created"]) if rec["created"] else None
            if age is None or age >= policy["never_used_grace_days"]:
                evidence = _key_evidence(rec)
                evidence["days_since_created"] = age
                found.add("never_used_key", rec["provider"], _obj(rec), evidence)
        elif _days(now, rec["last_used"]) >= policy["stale_days"]:
            evidence = _key_evidence(rec)
            evidence["days_since_last_use"] = _days(now, rec["last_used"])
            evidence["stale_days"] = policy["stale_days"]
            found.add("stale_key", rec["provider"], _obj(rec), evidence)


def _duplicate_rule(found, keys, policy):
    groups = {}
    for rec in keys:
        if rec["key"] is not None:
            groups.setdefault(rec["key"].identity, []).append(rec)
    for holders in groups.values():
        if len(holders) < 2:
            continue
        names = sorted(set(str(h["name"]) for h in holders))
        providers = sorted(set(h["provider"] for h in holders))
        per_provider = max(sum(1 for h in holders if h["provider"] == p) for p in providers)
        if len(names) < 2 and per_provider < 2 and not (policy["duplicates_across_providers"] and len(providers) > 1):
            continue
        key = holders[0]["key"]
        evidence = {"fingerprint": key.fingerprint, "names": names, "providers": providers,
                    "holders": [{"provider": h["provider"], "type": h["type"], "id": h["id"], "name": h["name"]}
                                for h in sorted(holders, key=lambda h: (h["provider"], _natural(h["id"])))]}
        provider = providers[0] if len(providers) == 1 else "multiple"
        found.add("duplicate_key", provider, {"type": "public_key", "id": key.fingerprint, "name": ", ".join(names)},
                  evidence)


def _drift_rules(found, keys, approved, collected):
    allowed = {}
    retired = {}
    for entry in approved:
        target = allowed if entry["present"] else retired
        target.setdefault(entry["key"].identity, set()).update(entry["providers"])
    held = set()
    for rec in keys:
        if rec["key"] is None:
            continue
        identity = rec["key"].identity
        held.add((identity, rec["provider"]))
        if rec["provider"] in allowed.get(identity, ()):
            continue
        evidence = _key_evidence(rec)
        if rec["provider"] in retired.get(identity, ()):
            evidence["reason"] = "the approved list marks this key absent"
        elif identity in allowed:
            evidence["reason"] = "the key is approved only for %s" % ", ".join(sorted(allowed[identity]))
        else:
            evidence["reason"] = "the key is not in the approved list"
        found.add("unapproved_key", rec["provider"], _obj(rec), evidence)
    for entry in approved:
        if not entry["present"]:
            continue
        for provider in entry["providers"]:
            if provider in collected and provider in SSH_PROVIDERS and (entry["key"].identity, provider) not in held:
                found.add("missing_key", provider,
                          {"type": "approved_key", "id": entry["key"].fingerprint, "name": entry["name"]},
                          {"fingerprint": entry["key"].fingerprint, "key_type": entry["key"].type,
                           "approved_index": entry["index"], "expected_at": provider})


def _session_rules(found, sessions, known_ids, policy):
    networks = policy["networks"]
    seen = set()
    for rec in sessions:
        ident = (rec["provider"], rec["id"])
        if ident in seen:
            continue
        seen.add(ident)
        obj = {"type": "tunnel_session", "id": rec["id"], "name": rec["key_name"]}
        base = {"key_id": rec["key_id"], "public_url": rec["public_url"], "client_ip": rec["client_ip"]}
        known = rec["key_known"]
        if known is None and rec["provider"] == "ngrok":
            known = rec["key_id"] in known_ids
        if known is False:
            found.add("unknown_credential", rec["provider"], obj, dict(base))
        address = parse_ip(rec["client_ip"])
        if networks and address is not None and not inside(address, networks):
            evidence = dict(base, allowed_cidrs=[str(n) for n in networks])
            found.add("client_outside_cidr", rec["provider"], obj, evidence)
        version = inp.version_tuple(rec["agent_version"])
        if policy["min_version"] and version is not None and version < policy["min_version"]:
            evidence = dict(base, agent_version=rec["agent_version"], min_agent_version=str(policy["min_agent_version"]))
            found.add("old_agent", rec["provider"], obj, evidence)


def _grouped_addresses(found, rows, policy, rule, group_of, describe):
    """Rows from addresses outside the allowed networks, one finding per group."""
    networks = policy["networks"]
    if not networks:
        return
    groups = {}
    for row in rows:
        address = parse_ip(row["address"])
        if address is None or inside(address, networks):
            continue
        if policy["since_time"] and row["at"] and row["at"] < policy["since_time"]:
            continue
        groups.setdefault(group_of(row, str(address)), []).append(row)
    for group, members in groups.items():
        stamps = sorted(m["at"] for m in members if m["at"])
        provider, obj, evidence = describe(group, members)
        evidence.update({"count": len(members), "first_seen": inp.iso(stamps[0]) if stamps else None,
                         "last_seen": inp.iso(stamps[-1]) if stamps else None,
                         "allowed_cidrs": [str(n) for n in networks]})
        found.add(rule, provider, obj, evidence, part=group[-1])


def _click_rules(found, clicks, history, policy):
    def click_group(row, address):
        return (row["key_name"], address)

    def click_describe(group, members):
        ports = sorted(set(m["port"] for m in members if m["port"] is not None))
        return "openport", {"type": "link_click_source", "id": group[1], "name": group[0]}, \
            {"source_ip": group[1], "key_name": group[0], "ports": ports}

    def history_group(row, address):
        return (address,)

    def history_describe(group, members):
        hosts = sorted(set(m["host"] for m in members if m["host"]))
        return "pinggy", {"type": "session_client", "id": group[0], "name": hosts[0] if hosts else None}, \
            {"client_ip": group[0], "hosts": hosts[:10]}

    rows = [dict(c, address=c["source_ip"]) for c in clicks]
    _grouped_addresses(found, rows, policy, "click_outside_cidr", click_group, click_describe)
    rows = [dict(h, address=h["client_ip"], at=h["started_at"]) for h in history]
    _grouped_addresses(found, rows, policy, "client_outside_cidr", history_group, history_describe)


def read_data(data):
    """The collected data (lists of records) as the rules' records."""
    keys = [inp.key_record("openport", r) for r in data.get("openport_keys") or ()]
    keys += [inp.key_record("ngrok", r) for r in data.get("ngrok_ssh_credentials") or ()]
    approved = data.get("approved_keys")
    if approved is not None:
        approved = [inp.approved_record(i, r) for i, r in enumerate(approved)]
        bad = ["approved_keys[%d] (%s): %s" % (a["index"], a["name"], a["key_problem"]) for a in approved if a["key"] is None]
        if bad:
            raise AuditPolicyError("; ".join(bad))
    history = list(data.get("history") or ()) + list(data.get("session_history") or ())
    history += list(data.get("link_clicks") or ())
    return {
        "keys": keys,
        "credentials": [inp.credential_record(r) for r in data.get("ngrok_credentials") or ()],
        "sessions": [inp.session_record(r) for r in data.get("sessions") or ()],
        "history": [inp.history_record(r) for r in history if not inp.is_click(r)],
        "clicks": [inp.click_record(r) for r in history if inp.is_click(r)],
        "approved": approved,
    }


def audit(data, policy=None, now=None, collected=SSH_PROVIDERS + ("pinggy",)):
    """Findings for the collected ``data`` under ``policy`` at time ``now`` (UTC datetime)."""
    policy = make_policy(policy)
    now = now or datetime.datetime.now(inp.UTC)
    recs = read_data(data)
    found = _Findings(policy)
    _key_rules(found, recs["keys"], policy, now)
    _duplicate_rule(found, recs["keys"], policy)
    if recs["approved"] is not None:
        _drift_rules(found, recs["keys"], recs["approved"], set(collected))
    known_ids = set(c["id"] for c in recs["credentials"]) | set(k["id"] for k in recs["keys"] if k["provider"] == "ngrok")
    _session_rules(found, recs["sessions"], known_ids, policy)
    _click_rules(found, recs["clicks"], recs["history"], policy)
    return found.sorted()


def summarize_data(data):
    """How many objects of each kind the audit looked at (for the report's summary table)."""
    recs = read_data(dict(data, approved_keys=None))
    sessions = set((s["provider"], s["id"]) for s in recs["sessions"])
    summary = {
        "openport_keys": sum(1 for k in recs["keys"] if k["provider"] == "openport"),
        "ngrok_ssh_credentials": sum(1 for k in recs["keys"] if k["provider"] == "ngrok"),
        "ngrok_credentials": len(recs["credentials"]),
        "sessions": len(sessions),
    }
    for provider in ("openport", "ngrok", "pinggy"):
        summary["sessions_" + provider] = sum(1 for s in sessions if s[0] == provider)
    summary["session_history"] = len(recs["history"])
    summary["link_clicks"] = len(recs["clicks"])
    if data.get("approved_keys") is not None:
        summary["approved_keys"] = len(data["approved_keys"])
    return summary


def count_findings(findings):
    """Counts for reports and AWX: total, per severity, at or above each severity, per rule and provider."""
    by_severity = dict((s, 0) for s in SEVERITIES)
    by_rule = dict((r, 0) for r in sorted(RULES))
    by_provider = {}
    for finding in findings:
        by_severity[finding["severity"]] += 1
        by_rule[finding["rule"]] += 1
        by_provider[finding["provider"]] = by_provider.get(finding["provider"], 0) + 1
    at_or_above, running = {}, 0
    for severity in SEVERITIES:
        running += by_severity[severity]
        at_or_above[severity] = running
    return {"total": len(findings), "by_severity": by_severity, "at_or_above": at_or_above,
            "by_rule": by_rule, "by_provider": dict(sorted(by_provider.items()))}
