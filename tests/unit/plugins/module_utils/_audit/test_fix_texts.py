# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every suggested fix of the key audit names real modules, roles, options, values and files.

A fix text mentions an option as ``<module or role> [with] <option>: <value>`` (a role's list
entry as ``<option>[].<field>: <value>``); the option belongs to the module or role named last
before it. The modules' options are read from their argument specs (each module's ``main()`` is
run up to the point where it builds its AnsibleModule), the roles' from ``meta/argument_specs.yml``.
A colon in a fix text is only for such a mention, and every name with an underscore must be a
module, a role, one of their options or a file of the collection, so that nothing escapes the check.
"""

from __future__ import annotations

import importlib
import os
import re

import pytest
import yaml

from ansible_collections.tunnelops.tunnels.plugins.module_utils import module_base
from ansible_collections.tunnelops.tunnels.plugins.module_utils._audit import rules

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", ".."))
MODULES = sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, "plugins", "modules"))
                 if name.endswith(".py") and not name.startswith("_"))
ROLES = sorted(os.listdir(os.path.join(ROOT, "roles")))
MENTION = re.compile(r"(?<![\w/.-])(?P<option>[a-z][a-z0-9_]*(?:\[\]\.[a-z][a-z0-9_]*)?): (?P<value>[^\s,;)]+)")
NAME = re.compile(r"[\w./-]*_[\w./-]*")
BOOLEANS = ("true", "false")


class _Spec(Exception):
    def __init__(self, argument_spec):
        super().__init__("argument spec")
        self.argument_spec = argument_spec


class _Capture:
    def __init__(self, argument_spec=None, **kwargs):
        raise _Spec(argument_spec)


def module_spec(monkeypatch, name):
    """The argument spec the module builds, read by running its main() up to its AnsibleModule."""
    module = importlib.import_module("ansible_collections.tunnelops.tunnels.plugins.modules." + name)
    monkeypatch.setattr(module_base, "AnsibleModule", _Capture)
    if hasattr(module, "AnsibleModule"):
        monkeypatch.setattr(module, "AnsibleModule", _Capture)
    with pytest.raises(_Spec) as caught:
        module.main()
    return caught.value.argument_spec


def role_spec(name):
    with open(os.path.join(ROOT, "roles", name, "meta", "argument_specs.yml")) as handle:
        return yaml.safe_load(handle)["argument_specs"]["main"]["options"]


@pytest.fixture(scope="module")
def specs():
    patch = pytest.MonkeyPatch()
    try:
        found = dict((name, module_spec(patch, name)) for name in MODULES)
    finally:
        patch.undo()
    found.update((name, role_spec(name)) for name in ROLES)
    return found


def option_of(spec, path):
    """The spec of ``option`` or ``option[].field``; None when there is no such option."""
    name, dummy, field = path.partition("[].")
    option = spec.get(name)
    if option is None or not field:
        return option
    return (option.get("options") or {}).get(field)


def problems_of(text, specs):
    """What is wrong with the mentions in one fix text."""
    problems = []
    for match in MENTION.finditer(text):
        named = [(m.start(), m.group(0)) for m in re.finditer(r"\b(%s)\b" % "|".join(specs), text[:match.start()])]
        if not named:
            problems.append("%r names no module or role before it" % match.group(0))
            continue
        subject = named[-1][1]
        option = option_of(specs[subject], match.group("option"))
        value = match.group("value").rstrip(".")
        if option is None:
            problems.append("%s has no option %s" % (subject, match.group("option")))
        elif option.get("choices") and value not in [str(c) for c in option["choices"]]:
            problems.append("%s %s: %r is not one of %s" % (subject, match.group("option"), value, option["choices"]))
        elif option.get("type") == "bool" and value not in BOOLEANS:
            problems.append("%s %s: %r is not a boolean" % (subject, match.group("option"), value))
    options = set(o for spec in specs.values() for o in spec) | set(
        "%s[].%s" % (o, f) for spec in specs.values() for o, s in spec.items() for f in (s.get("options") or {}))
    for name in NAME.findall(text):
        name = name.rstrip(".")
        if name not in specs and name not in options and not os.path.exists(os.path.join(ROOT, name)):
            problems.append("%r is not a module, role, option or file of the collection" % name)
    return problems


def test_the_argument_specs_are_read(specs):
    assert set(specs["ngrok_tunnel_session"]["action"]["choices"]) == {"stop", "restart", "update"}
    assert "openport_token" in specs["openport_key"]
    assert specs["key_provision"]["key_provision_keys"]["options"]["state"]["choices"] == ["present", "absent"]


@pytest.mark.parametrize("text, problem", [
    ("stop it (ngrok_tunnel_session state: stopped)", "ngrok_tunnel_session has no option state"),
    ("ngrok_tunnel_session with action: halt", "'halt' is not one of"),
    ("key_provision with exclusive: true", "key_provision has no option exclusive"),
    ("key_provision with key_provision_openport_exclusive: maybe", "not a boolean"),
    ("remove them: all of them", "names no module or role"),
    ("run ngrok_tunnel_sessions", "'ngrok_tunnel_sessions' is not a module"),
    ("run playbooks/no_such_playbook.yml", "is not a module, role, option or file"),
])
def test_the_check_finds_wrong_mentions(specs, text, problem):
    assert any(problem in p for p in problems_of(text, specs)), problems_of(text, specs)


@pytest.mark.parametrize("text", [
    "ngrok_tunnel_session with action: stop",
    "key_provision with key_provision_keys[].state: absent",
    "key_provision with key_provision_openport_exclusive: true or key_provision_ngrok_exclusive: true.",
    "run playbooks/provision_keys.yml",
])
def test_the_check_accepts_right_mentions(specs, text):
    assert problems_of(text, specs) == []


@pytest.mark.parametrize("rule", sorted(rules.RULES))
def test_every_fix_names_real_modules_and_options(specs, rule):
    fix = rules.RULES[rule][1]
    assert problems_of(fix, specs) == [], fix
