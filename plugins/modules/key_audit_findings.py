#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: key_audit_findings
short_description: Apply the key audit policy to collected tunnel provider data
version_added: 0.1.0
description:
  - Takes the keys, credentials, sessions and history that the info modules collected and returns the findings of
    the key audit policy, with counts per severity, rule and provider. The C(tunnelops.tunnels.key_audit) role uses
    it; it can also be used on data gathered any other way (the providers' raw records are accepted too).
  - Pure computation on the controller's data; the module never contacts a provider and takes no credentials.
  - "Rules: V(weak_key) (RSA below O(policy.min_rsa_bits), DSA), V(unparseable_key), V(stale_key) (no connection for
    O(policy.stale_days)), V(never_used_key), V(duplicate_key) (one public key under several names, or, with
    O(policy.duplicates_across_providers), several providers), V(unapproved_key) and V(missing_key) (drift against
    O(approved_keys)), V(unknown_credential) (a session whose key or credential does not exist),
    V(click_outside_cidr) and V(client_outside_cidr) (addresses outside O(policy.allowed_cidrs)), V(old_agent)
    (ngrok agents older than O(policy.min_agent_version))."
  - Findings never quote a raw record; only the fields a rule needs are copied, so credentials (C(token),
    C(token_value)) cannot appear in them.
author:
  - tunnelops contributors (@tunnelops)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: The module only computes, from the listings it is given; it does the same in check mode.
  diff_mode:
    support: N/A
    details: The module changes nothing.
  platform:
    platforms: all
    details: The module runs on the controller and sends no request at all.
options:
  openport_keys:
    description: Openport keys, as M(tunnelops.tunnels.openport_key_info) returns them or as the API lists them.
    type: list
    elements: dict
    default: []
  ngrok_ssh_credentials:
    description: ngrok SSH credentials, as the info module returns them or as the API lists them.
    type: list
    elements: dict
    default: []
  ngrok_credentials:
    description:
      - ngrok tunnel credentials (authtokens). Only their IDs and descriptions are read, to know which credential
        a session uses.
    type: list
    elements: dict
    default: []
  sessions:
    description:
      - Active sessions, normalized as M(tunnelops.tunnels.tunnel_session_info) returns them (ngrok
        tunnel session records are accepted too).
      - A session whose C(key_known) is false is a V(unknown_credential) finding.
    type: list
    elements: dict
    default: []
  history:
    description:
      - Past Pinggy sessions and Openport link clicks, normalized as
        M(tunnelops.tunnels.tunnel_session_history_info) returns them.
      - Raw Pinggy history rows and raw Openport link clicks are accepted too.
    type: list
    elements: dict
    default: []
  approved_keys:
    description:
      - The approved keys, in the C(key_provision) role's format (C(name), C(public_key), C(providers), C(state)).
      - When set (even to an empty list), keys held at a provider but not approved for it are V(unapproved_key)
        findings, and approved keys missing at a provider of O(collected_providers) are V(missing_key) findings.
      - When not set, there is no drift check.
    type: list
    elements: dict
  collected_providers:
    description:
      - The providers whose data was collected. V(missing_key) is only reported for these, so that a provider that
        was not asked does not look empty.
    type: list
    elements: str
    choices: [openport, ngrok, pinggy]
    default: [openport, ngrok, pinggy]
  policy:
    description: The thresholds of the audit.
    type: dict
    default: {}
    suboptions:
      stale_days:
        description: An Openport key whose last connection is this many days old or older is stale.
        type: int
        default: 90
      never_used_grace_days:
        description: A key that never connected is reported once it is this many days old (new keys get time).
        type: int
        default: 1
      min_rsa_bits:
        description: RSA keys shorter than this are weak. DSA keys are always weak.
        type: int
        default: 2048
      allowed_cidrs:
        description:
          - Networks that link clicks and session client addresses may come from (CIDR notation).
          - Empty means addresses are not checked.
        type: list
        elements: str
        default: []
      min_agent_version:
        description: ngrok agents older than this version (for example V(3.5.0)) are reported. Not set, not checked.
        type: str
      duplicates_across_providers:
        description:
          - Also report one public key registered at several providers under the same name. By default only a key
            under several names, or registered twice at one provider, is a duplicate.
        type: bool
        default: false
      since:
        description: Ignore link clicks and history older than this ISO 8601 date or time.
        type: str
      severities:
        description:
          - Severity per rule, replacing the default, for example C(stale_key) set to C(high).
          - Severities are V(critical), V(high), V(medium), V(low) and V(info).
        type: dict
        default: {}
      disabled_rules:
        description: Rules not to apply.
        type: list
        elements: str
        default: []
  now:
    description:
      - The time the audit is made at (ISO 8601), for reproducible reports. If not set, the current UTC time.
    type: str
notes:
  - ngrok does not say when an SSH credential was last used, so V(stale_key) and V(never_used_key) only judge
    Openport keys.
seealso:
  - module: tunnelops.tunnels.tunnel_session_info
  - module: tunnelops.tunnels.tunnel_session_history_info
  - module: tunnelops.tunnels.openport_key_info
"""

EXAMPLES = r"""
- name: Read the Openport keys
  tunnelops.tunnels.openport_key_info:
  register: openport

- name: Read the ngrok authtokens and SSH credentials
  tunnelops.tunnels.ngrok_info:
    resources: [credentials, ssh_credentials]
  register: ngrok

- name: Read the active sessions of every provider
  tunnelops.tunnels.tunnel_session_info:
    strict: true
  register: active

- name: Read the last week of Pinggy history and Openport link clicks
  tunnelops.tunnels.tunnel_session_history_info:
    strict: true
  register: past

- name: Audit the keys against an approved list
  tunnelops.tunnels.key_audit_findings:
    openport_keys: "{{ openport.ssh_keys }}"
    ngrok_credentials: "{{ ngrok.credentials }}"
    ngrok_ssh_credentials: "{{ ngrok.ssh_credentials }}"
    sessions: "{{ active.sessions }}"
    history: "{{ past.history }}"
    approved_keys:
      - name: alice
        public_key: "{{ lookup('ansible.builtin.file', 'keys/alice.pub') }}"
      - name: bob
        public_key: "{{ lookup('ansible.builtin.file', 'keys/bob.pub') }}"
        providers: [ngrok]
    policy:
      stale_days: 60
      allowed_cidrs: [10.0.0.0/8, 192.0.2.0/24]
      min_agent_version: "3.5.0"
  register: audit

- name: Fail on high findings
  ansible.builtin.assert:
    that: audit.counts.at_or_above.high == 0
    fail_msg: "{{ audit.counts.at_or_above.high }} findings of high severity or above"
"""

RETURN = r"""
findings:
  description: The findings, most severe first, then by rule, provider and object.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: A stable identifier (the rule and a hash of the object), the same from one run to the next.
      type: str
      sample: weak_key-66f815d148
    rule:
      description: The rule that found it.
      type: str
      sample: weak_key
    severity:
      description: V(critical), V(high), V(medium), V(low) or V(info).
      type: str
      sample: high
    provider:
      description: V(openport), V(ngrok), V(pinggy), or V(multiple) for a key held at several providers.
      type: str
      sample: openport
    object:
      description: What the finding is about (C(type), C(id), C(name)).
      type: dict
      sample: {"type": "openport_key", "id": "102", "name": "legacy-rsa"}
    evidence:
      description: The facts behind the finding (fingerprints, times, addresses, counts); never a credential.
      type: dict
      sample: {"bits": 1024, "created": "2026-08-17T09:24:09Z", "fingerprint": "SHA256:/KMc3BTwn9eTsSIap+/GHDq50jGdjMUAhnW1YcBbT0s",
               "key_type": "ssh-rsa", "last_used": "2026-11-24T09:24:09Z",
               "weakness": "RSA key of 1024 bits is below the minimum of 2048"}
    fix:
      description: What to do about it.
      type: str
      sample: Generate an Ed25519 key (ssh-keygen -t ed25519), register it, then remove this key.
counts:
  description: How many findings, in total, per severity, at or above each severity, per rule and per provider.
  returned: always
  type: dict
  sample: {"total": 12, "by_severity": {"critical": 0, "high": 3, "medium": 8, "low": 1, "info": 0},
           "at_or_above": {"critical": 0, "high": 3, "medium": 11, "low": 12, "info": 12},
           "by_rule": {"click_outside_cidr": 1, "client_outside_cidr": 2, "duplicate_key": 1, "missing_key": 1,
                       "never_used_key": 1, "old_agent": 1, "stale_key": 1, "unapproved_key": 1,
                       "unknown_credential": 1, "unparseable_key": 1, "weak_key": 1},
           "by_provider": {"multiple": 1, "ngrok": 4, "openport": 6, "pinggy": 1}}
summary:
  description: How many objects of each kind were audited.
  returned: always
  type: dict
  sample: {"openport_keys": 7, "ngrok_ssh_credentials": 2, "ngrok_credentials": 1, "sessions": 6,
           "sessions_openport": 1, "sessions_ngrok": 4, "sessions_pinggy": 1, "session_history": 2, "link_clicks": 2,
           "approved_keys": 7}
policy:
  description: The policy applied, with every default filled in.
  returned: always
  type: dict
  sample: {"allowed_cidrs": ["10.0.0.0/8", "198.51.100.0/24"], "disabled_rules": [], "duplicates_across_providers": false,
           "min_agent_version": "3.0.0", "min_rsa_bits": 2048, "never_used_grace_days": 1, "severities": {},
           "since": "2026-11-19", "stale_days": 90}
now:
  description: The time the audit was made at (UTC).
  returned: always
  type: str
  sample: "2026-11-25T09:24:09Z"
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.tunnelops.tunnels.plugins.module_utils._audit import findings


def main():
    findings.run(AnsibleModule(argument_spec=findings.argument_spec(), supports_check_mode=True))


if __name__ == "__main__":
    main()
