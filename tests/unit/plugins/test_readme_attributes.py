# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The README's check mode and diff table says what each module's attributes say (issue 16.22).

Every module in plugins/modules is in exactly one row, and the row's words for check mode and diff
match the module's C(check_mode.support) and C(diff_mode.support) (its own, or its doc fragments')."""

from __future__ import annotations

import importlib
import os
import re

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
MODULES = sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, "plugins", "modules"))
                 if name.endswith(".py") and not name.startswith("_"))
# How the README words each support level of an attribute.
WORDS = {"full": "yes", "partial": "partly", "none": "no", "N/A": "not applicable"}


def fragment_attributes(name):
    """The attributes a doc fragment of the collection (``tunnelops.tunnels.attributes.info_module``) declares.

    ansible-core's own fragments (``ansible.builtin.action_common_attributes``) describe the attributes and leave
    their support to the module."""
    if not name.startswith("tunnelops.tunnels."):
        return {}
    parts = name.split(".")
    module = importlib.import_module("ansible_collections.tunnelops.tunnels.plugins.doc_fragments." + parts[2])
    variable = parts[3].upper() if len(parts) > 3 else "DOCUMENTATION"
    return (yaml.safe_load(getattr(module.ModuleDocFragment, variable)) or {}).get("attributes") or {}


def support(module_name, attribute):
    """The module's support of an attribute: its own, else the last of its fragments that states one."""
    doc = yaml.safe_load(importlib.import_module(
        "ansible_collections.tunnelops.tunnels.plugins.modules." + module_name).DOCUMENTATION)
    found = None
    for fragment in doc.get("extends_documentation_fragment") or []:
        found = fragment_attributes(fragment).get(attribute, {}).get("support", found)
    return (doc.get("attributes") or {}).get(attribute, {}).get("support", found)


def readme_rows():
    """{module: (check mode words, diff words)} from the README's table whose header is module | check mode | diff."""
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        text = handle.read()
    table = text.split("| module | check mode | diff |\n", 1)[1].split("\n\n", 1)[0]
    rows = {}
    for line in table.splitlines()[1:]:
        names, check, diff = [cell.strip() for cell in line.strip("|").split("|")]
        for name in re.findall(r"`([a-z_]+)`", names):
            assert name not in rows, "%s is in two rows of the README's table" % name
            rows[name] = (check.split(":")[0], diff.split(":")[0])
    return rows


def test_every_module_is_in_the_table():
    assert sorted(readme_rows()) == MODULES


@pytest.mark.parametrize("name", MODULES)
def test_the_table_says_what_the_attributes_say(name):
    check, diff = readme_rows()[name]
    assert (check, diff) == (WORDS[support(name, "check_mode")], WORDS[support(name, "diff_mode")])


def test_the_readme_claims_no_more():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        text = handle.read()
    assert not re.search(r"every module supports[^.]*diff", text, re.I)
