# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What AWX does with the collection, reproduced against the emulator.

The custom credential types are read from ``extensions/awx/credential_types/*.yml``
and their ``injectors.env`` rendered the way AWX renders them (a sandboxed Jinja2
environment over the credential's inputs; an input left empty renders as an empty
string). Then, through ansible-runner as AWX calls it (``suppress_env_files``, the
environment only from the injectors):

1. the inventory source: ``ansible-inventory -i tunnel_sessions.yml --list --export``
   with the single credential of the all-providers type; the hosts must be the
   emulator's sessions;
2. the job template "Audit tunnel keys" (playbooks/audit_keys.yml) with the three
   per-provider credentials and the survey's default answers;
3. the job template "Provision tunnel keys" (playbooks/provision_keys.yml) as a
   *Check* job, which must not write.

No secret the emulator knows may appear in anything the runs leave behind.

Run from the collection root (the build copy) with the ecosystem venv:
``python tests/ecosystem/awx_jobs.py <work dir>``; the collection must be
importable from ANSIBLE_COLLECTIONS_PATH.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import sys

import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

ROOT = os.getcwd()
CREDENTIAL_TYPES = os.path.join(ROOT, "extensions", "awx", "credential_types")
SURVEYS = os.path.join(ROOT, "playbooks", "awx")
# tests.support (the inventory's expectations, derived from the emulator's raw state) and the emulator
# launcher (tools/emulator.py).
sys.path[:0] = [ROOT, os.path.join(ROOT, "tools")]
# pylint: disable=wrong-import-position,import-error
from emulator import Emulator  # noqa: E402
from tests.support.connection import CREDENTIALS, options  # noqa: E402
from tests.support.control import Control  # noqa: E402
from tests.support.inventory import STANDARD_INVENTORY_UPDATE_ENV, expected_names, expected_sessions, unwrap  # noqa: E402

INVENTORY_SOURCE = """plugin: tunnelops.tunnels.tunnel_sessions
hostnames: ["{{ key_name }}", id]
fail_on_provider_error: true
"""
CREDENTIAL_ENV = ("OPENPORT_TOKEN", "NGROK_API_KEY", "PINGGY_API_KEY",
                  "OPENPORT_API_URL", "NGROK_API_BASE_URL", "NGROK_API_URL", "PINGGY_API_URL")


def fail(message, *details):
    print("FAILED: " + message + "".join("\n  %s" % (d,) for d in details), file=sys.stderr)
    sys.exit(1)


def load_credential_types():
    types = {}
    for path in sorted(glob.glob(os.path.join(CREDENTIAL_TYPES, "*.yml"))):
        with open(path, encoding="utf-8") as handle:
            definition = yaml.safe_load(handle)
        check_credential_type(os.path.basename(path), definition)
        types[os.path.splitext(os.path.basename(path))[0]] = definition
    if sorted(types) != ["ngrok", "openport", "pinggy", "tunnel_providers"]:
        fail("credential types", sorted(types))
    return types


def check_credential_type(name, definition):
    """The shape AWX accepts (awx/main/fields.py CredentialInputField / CredentialTypeInjectorField)."""
    for key in ("name", "kind", "inputs", "injectors"):
        if key not in definition:
            fail("%s: no %s" % (name, key))
    if definition["kind"] != "cloud":
        fail("%s: kind %s" % (name, definition["kind"]))
    fields = definition["inputs"]["fields"]
    ids = [field["id"] for field in fields]
    for field in fields:
        if set(field) - {"id", "type", "label", "secret", "help_text", "multiline", "format", "choices"}:
            fail("%s: unknown keys in field %s" % (name, field["id"]), field)
        if field["type"] != "string" or not field.get("label"):
            fail("%s: field %s needs type string and a label" % (name, field["id"]))
        if field["id"].endswith(("_token", "_key")) and field.get("secret") is not True:
            fail("%s: credential field %s is not secret" % (name, field["id"]))
    for required in definition["inputs"].get("required", []):
        if required not in ids:
            fail("%s: required %s is no field" % (name, required))
    if set(definition["injectors"]) != {"env"}:
        fail("%s: only env injectors are expected" % name, definition["injectors"])
    for variable, template in definition["injectors"]["env"].items():
        if variable not in CREDENTIAL_ENV:
            fail("%s: %s is no variable the collection reads" % (name, variable))
        if template.replace("{{ ", "").replace(" }}", "") not in ids:
            fail("%s: %s injects %s, not a field" % (name, variable, template))


def inject(definition, inputs):
    """The environment AWX gives a job for one credential (CredentialType.inject_credential)."""
    unknown = set(inputs) - {field["id"] for field in definition["inputs"]["fields"]}
    if unknown:
        fail("inputs not in %s: %s" % (definition["name"], sorted(unknown)))
    env = ImmutableSandboxedEnvironment()
    return {variable: env.from_string(template).render(**inputs)
            for variable, template in definition["injectors"]["env"].items()}


def survey_answers(survey_file):
    """The survey's defaults as AWX sends them (a multi-select default becomes a list)."""
    with open(os.path.join(SURVEYS, survey_file), encoding="utf-8") as handle:
        spec = json.load(handle)["spec"]
    answers = {}
    for question in spec:
        default = question.get("default", "")
        if question["type"] == "multiselect":
            default = [item for item in str(default).split("\n") if item]
        answers[question["variable"]] = default
    return answers


class Job:
    """One AWX job: a private data dir given to ansible-runner."""

    def __init__(self, work, ident):
        self.ident = ident
        self.private = os.path.join(work, ident)
        for sub in ("inventory", "env", "project"):
            os.makedirs(os.path.join(self.private, sub), exist_ok=True)

    def run(self, envvars, **kwargs):
        import ansible_runner  # the ecosystem venv has it

        for name in CREDENTIAL_ENV:  # only what the credentials inject
            os.environ.pop(name, None)
        env = dict(envvars, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
        result = ansible_runner.run(private_data_dir=self.private, ident=self.ident, envvars=env, quiet=True,
                                    suppress_env_files=True, **kwargs)
        return result

    def leftovers(self):
        """Every file the run left in its private data dir, as text.

        Except ansible-runner's ``artifacts/<ident>/command``: its record of the environment it
        was given (the injected credentials, by design), mode 0600; AWX keeps the job events and
        the output, and deletes the private data dir with that file.
        """
        texts = {}
        command = os.path.join(self.private, "artifacts", self.ident, "command")
        if os.stat(command).st_mode & 0o077:
            fail("%s: ansible-runner's command file is readable by others" % self.ident)
        for path in glob.glob(os.path.join(self.private, "**", "*"), recursive=True):
            if os.path.isfile(path) and path != command:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    texts[os.path.relpath(path, self.private)] = handle.read()
        return texts


def check_no_secret(job, secrets):
    leaked = [(name, secret[:4] + "...") for name, text in job.leftovers().items() for secret in secrets
              if secret in text]
    if leaked:
        fail("%s: secrets in the runner's files" % job.ident, *leaked[:10])


def inventory_sync(work, types, credentials, ctl, secrets):
    job = Job(work, "inventory_update")
    source = os.path.join(job.private, "inventory", "tunnel_sessions.yml")
    with open(source, "w", encoding="utf-8") as handle:
        handle.write(INVENTORY_SOURCE)
    output = os.path.join(job.private, "artifacts", job.ident, "output.json")
    env = dict(STANDARD_INVENTORY_UPDATE_ENV)
    env.update(inject(types["tunnel_providers"], credentials))
    ctl.clear_log()
    result = job.run(env, binary="ansible-inventory",
                     cmdline="--list --export -i %s --output %s --playbook-dir %s"
                     % (source, output, os.path.dirname(source)))
    if result.status != "successful":
        fail("inventory update ended %s (rc %s)" % (result.status, result.rc), result.stdout.read()[-3000:])
    with open(output, encoding="utf-8") as handle:
        inventory = unwrap(json.load(handle))
    names = expected_names(expected_sessions(ctl.state()), "key_name")
    if sorted(inventory["_meta"]["hostvars"]) != sorted(names):
        fail("inventory hosts", sorted(inventory["_meta"]["hostvars"]), sorted(names))
    for provider in ("openport", "ngrok", "pinggy"):
        wanted = sorted(n for n, e in names.items() if e["provider"] == provider)
        if not wanted or sorted(inventory.get("provider_" + provider, {}).get("hosts", [])) != wanted:
            fail("group provider_%s" % provider, inventory.get("provider_" + provider), wanted)
    check_no_secret(job, secrets)
    return "inventory: %d hosts" % len(names)


def job_env(types, credentials):
    """A job template with the three per-provider credentials attached."""
    env = {}
    for provider in ("openport", "ngrok", "pinggy"):
        inputs = {key: value for key, value in credentials.items() if key.startswith(provider + "_")}
        env.update(inject(types[provider], inputs))
    return env


def copy_project(job):
    project = os.path.join(job.private, "project")
    shutil.rmtree(project)
    shutil.copytree(os.path.join(ROOT, "playbooks"), project)


def stats_artifact(result):
    for event in result.events:
        if event.get("event") == "playbook_on_stats":
            return event.get("event_data", {}).get("artifact_data", {})
    return {}


def audit_job(work, types, credentials, ctl, secrets):
    job = Job(work, "audit_keys")
    copy_project(job)
    answers = survey_answers("audit_keys.survey.json")
    reports = os.path.join(work, "audit-report")
    # The seed holds findings of every severity on purpose: here the job must run through.
    answers.update(audit_fail_severity="none", audit_report_dir=reports)
    ctl.clear_log()
    result = job.run(job_env(types, credentials), playbook="audit_keys.yml", extravars=answers)
    if result.status != "successful":
        fail("audit job ended %s (rc %s)" % (result.status, result.rc), result.stdout.read()[-3000:])
    counters = ctl.counters()
    if counters["total"]["writes"] or not all(counters[p]["reads"] for p in ("openport", "ngrok", "pinggy")):
        fail("the audit must read every provider and write nothing", counters)
    stats = stats_artifact(result).get("key_audit")
    if not stats or int(stats["total"]) < 1:
        fail("no key_audit artifact from set_stats", stats_artifact(result))
    produced = sorted(os.listdir(reports))
    if produced != ["key-audit.html", "key-audit.json", "key-audit.md"]:
        fail("audit reports", produced)
    check_no_secret(job, secrets)
    for name in produced:
        with open(os.path.join(reports, name), encoding="utf-8") as handle:
            text = handle.read()
        if any(secret in text for secret in secrets):
            fail("a secret in the report %s" % name)
    return "audit job: %s findings, %d requests" % (stats["total"], counters["total"]["requests"])


def provision_check_job(work, types, credentials, ctl, secrets):
    job = Job(work, "provision_keys")
    copy_project(job)
    answers = survey_answers("provision_keys.survey.json")
    ctl.clear_log()
    result = job.run(job_env(types, credentials), playbook="provision_keys.yml", extravars=answers,
                     cmdline="--check")
    if result.status != "successful":
        fail("provision check job ended %s (rc %s)" % (result.status, result.rc), result.stdout.read()[-3000:])
    counters = ctl.counters()
    if counters["total"]["writes"] or not counters["openport"]["reads"] or not counters["ngrok"]["reads"]:
        fail("a Check job reads Openport and ngrok and writes nothing", counters)
    check_no_secret(job, secrets)
    return "provision check job: %d reads, 0 writes" % counters["total"]["reads"]


def main():
    work = os.path.abspath(sys.argv[1])
    os.makedirs(work, exist_ok=True)
    types = load_credential_types()
    emulator = Emulator(sys.executable, ROOT, workdir=work)
    try:
        urls = emulator.start()
        ctl = Control(urls["control"])
        # ngrok's rate limit raised, as in the integration targets: these runs test the injection, not the pacing
        ctl.reset(config={"ngrok_rate_limit": 6000})
        credentials = options(urls)
        secrets = ctl.all_secrets()
        for credential in CREDENTIALS.values():
            if credential not in secrets:
                secrets.append(credential)
        notes = [inventory_sync(work, types, credentials, ctl, secrets),
                 audit_job(work, types, credentials, ctl, secrets),
                 provision_check_job(work, types, credentials, ctl, secrets)]
    finally:
        emulator.stop()
    print("ok AWX-style runs, credentials injected from %d credential types, no secret left: %s"
          % (len(types), "; ".join(notes)))


if __name__ == "__main__":
    main()
