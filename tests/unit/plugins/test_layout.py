# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The layers of plugins/module_utils (docs/dev/contracts.md, "Architecture") and the size of functions.

Read from the source files, so that a new import across the layers, or a function that grows
past 40 lines of code, fails here before review.
"""

from __future__ import annotations

import ast
import os

import pytest

PLUGINS = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "plugins"))
MODULE_UTILS = os.path.join(PLUGINS, "module_utils")
PREFIX = "ansible_collections.tunnelops.tunnels.plugins.module_utils"
PROVIDERS = {"_openport", "_ngrok", "_pinggy"}

# part of module_utils -> the other parts it may import
ALLOWED = {
    "_http": set(),
    "_common": {"_http"},
    "_state": {"_http"},
    "_openport": {"_http", "_common", "_state"},
    "_ngrok": {"_http", "_common", "_state"},
    "_pinggy": {"_http", "_common", "_state"},
    "connection": {"_http", "_common"} | PROVIDERS,
    "_sessions": {"_http", "_common", "connection"} | PROVIDERS,
    "_audit": {"_http", "_common", "_openport"},
    "module_base": {"_http", "connection"},
}
MAX_FUNCTION_LINES = 40
MAX_FILE_LINES = 400


def python_files(top):
    for root, dummy, files in os.walk(top):
        for name in sorted(files):
            if name.endswith(".py"):
                yield os.path.join(root, name)


def part_of(path):
    """``_ngrok`` for module_utils/_ngrok/client.py, ``connection`` for module_utils/connection.py."""
    return os.path.relpath(path, MODULE_UTILS).split(os.sep)[0].replace(".py", "")


def imported_parts(path):
    with open(path) as handle:
        tree = ast.parse(handle.read())
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module + "." + alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            if name.startswith(PREFIX + "."):
                yield name[len(PREFIX) + 1:].split(".")[0]


def code_lines(lines, node):
    """Lines of ``node`` that hold code: no blank lines, comments or docstring."""
    skip = set()
    first = node.body[0] if node.body else None
    if isinstance(first, ast.Expr) and isinstance(getattr(first, "value", None), ast.Constant) \
            and isinstance(first.value.value, str):
        skip = set(range(first.lineno, first.end_lineno + 1))
    return sum(1 for number in range(node.lineno, node.end_lineno + 1)
               if number not in skip and lines[number - 1].strip() and not lines[number - 1].strip().startswith("#"))


def test_every_part_of_module_utils_has_a_layer():
    parts = set(part_of(path) for path in python_files(MODULE_UTILS))
    assert parts == set(ALLOWED), "add the new part to ALLOWED here and to docs/dev/contracts.md"


@pytest.mark.parametrize("path", list(python_files(MODULE_UTILS)), ids=lambda p: os.path.relpath(p, MODULE_UTILS))
def test_imports_follow_the_layers(path):
    part = part_of(path)
    wrong = sorted(set(p for p in imported_parts(path) if p != part and p not in ALLOWED[part]))
    assert not wrong, "%s may not import %s (allowed: %s)" % (part, ", ".join(wrong), sorted(ALLOWED[part]))


def test_no_provider_package_imports_another_and_http_imports_no_provider():
    for path in python_files(MODULE_UTILS):
        part = part_of(path)
        if part in PROVIDERS or part == "_http":
            assert not (set(imported_parts(path)) - {part}) & PROVIDERS, path


def test_functions_are_short_and_files_small():
    long_ones = []
    for path in python_files(PLUGINS):
        with open(path) as handle:
            text = handle.read()
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                size = code_lines(lines, node)
                if size > MAX_FUNCTION_LINES:
                    long_ones.append("%s:%d %s (%d lines)" % (os.path.relpath(path, PLUGINS), node.lineno,
                                                              node.name, size))
        if path.startswith(MODULE_UTILS):
            size = sum(1 for line in lines if line.strip() and not line.strip().startswith("#"))
            if size > MAX_FILE_LINES:
                long_ones.append("%s (%d lines)" % (os.path.relpath(path, PLUGINS), size))
    assert not long_ones, "split these by responsibility: " + "; ".join(long_ones)
