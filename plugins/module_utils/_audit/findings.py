# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The key_audit_findings module: the audit policy over collected data (no API calls)."""

from __future__ import annotations

import datetime

from ansible_collections.tunnelops.tunnels.plugins.module_utils._audit import rules
from ansible_collections.tunnelops.tunnels.plugins.module_utils._audit.records import UTC, iso, parse_time

DATA = ("openport_keys", "ngrok_ssh_credentials", "ngrok_credentials", "sessions", "history", "approved_keys")
_RECORDS = dict(type="list", elements="dict", default=[], no_log=False)
POLICY_OPTIONS = dict(
    stale_days=dict(type="int", default=90),
    never_used_grace_days=dict(type="int", default=1),
    min_rsa_bits=dict(type="int", default=2048),
    allowed_cidrs=dict(type="list", elements="str", default=[]),
    min_agent_version=dict(type="str"),
    duplicates_across_providers=dict(type="bool", default=False),
    since=dict(type="str"),
    severities=dict(type="dict", default={}),
    disabled_rules=dict(type="list", elements="str", default=[]),
)


def argument_spec():
    spec = dict((name, dict(_RECORDS)) for name in DATA if name != "approved_keys")
    spec.update(
        approved_keys=dict(type="list", elements="dict", no_log=False),
        collected_providers=dict(type="list", elements="str", choices=["openport", "ngrok", "pinggy"],
                                 default=["openport", "ngrok", "pinggy"]),
        policy=dict(type="dict", default={}, options=POLICY_OPTIONS),
        now=dict(type="str"),
    )
    return spec


def run(module):
    p = module.params
    now = datetime.datetime.now(UTC).replace(microsecond=0)
    if p["now"]:
        now = parse_time(p["now"])
        if now is None:
            module.fail_json(msg="now: %r is not an ISO 8601 date or time" % p["now"])
    data = dict((name, p[name]) for name in DATA)
    try:
        findings = rules.audit(data, p["policy"], now, collected=p["collected_providers"])
    except rules.AuditPolicyError as exc:
        module.fail_json(msg=str(exc))
    module.exit_json(changed=False, findings=findings, counts=rules.count_findings(findings),
                     summary=rules.summarize_data(data), policy=p["policy"], now=iso(now))
