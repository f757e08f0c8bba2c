# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fault matrix: every module's reads and writes under every fault the emulator injects.

All module cases run first, through real ansible-playbook runs (three at a time, each
against its own emulator); each parametrised test then judges one case from the
registered result and the emulator's state, request log and fault hits.
"""

from __future__ import annotations

import pytest

import cases as C
import harness

READS = C.read_cases()


@pytest.mark.parametrize("case", READS, ids=[c["id"] for c in READS])
def test_read_fault(case, fault_records):
    harness.tally("faults")
    record = harness.record_of(fault_records, case["id"])
    result = record["result"]
    msg = result.get("msg") or ""
    assert not harness.writes(record["requests"]), "a read sent a write"
    hits = sum(rule["hits"] for rule in record["faults"]["rules"])
    assert hits >= 1, "the fault never fired: %s" % record["faults"]
    if case["expect"] == "ok":
        assert not result.get("failed"), "the read should pass once the fault is gone: %s" % msg
        if case["items"] is not None:
            ids = case["items"](result)
            assert ids and len(ids) == len(set(ids)), "duplicates or nothing in the listing"
    else:
        assert result.get("failed"), "a fault that never passes must fail the read"
        assert case["provider"] in msg and C.REASONS[case["fault"]] in msg, msg
        harness.assert_secret_free(msg, record)
        assert "Traceback" not in msg and "exception" not in (result.get("module_stderr") or "")


def _check_write(case, record):
    target = case["target"]
    result = record["result"]
    state = record["state"]
    msg = result.get("msg") or ""
    matches = target.matches(state)
    assert len(matches) <= 1, "duplicate objects after the fault: %s" % [m.get("id") for m in matches]
    landed = target.done(state)
    was_done = target.done(record["before"])
    hits = sum(rule["hits"] for rule in record["faults"]["rules"])
    assert hits >= 1, "the fault never fired: %s" % record["faults"]
    if result.get("failed"):
        assert case["expect"] != "ok", "the write should succeed despite the fault: %s" % msg
        assert "MODULE FAILURE" not in msg and "Traceback" not in msg, msg
        assert case["provider"] in msg, msg
        harness.assert_secret_free(msg, record)
        if landed and not was_done:
            # The change happened: the failure must say so (no silently lost change).
            assert ("may or may not have taken effect" in msg or "Changes made before the failure" in msg), msg
    else:
        assert case["expect"] != "fail", "the write should fail: the fault never passes"
        assert landed, "the module reports success but the emulator does not show the change"
        assert result.get("changed") is True
        if target.name in ("ngrok_credential", "ngrok_api_key") and target.op == "create":
            assert result.get("token") == matches[0].get("token"), "the token returned is not the object's"


def pytest_generate_tests(metafunc):
    if "write_case_id" in metafunc.fixturenames:
        ids = [c["id"] for c in C.write_cases(harness.seed_state())]
        metafunc.parametrize("write_case_id", ids, ids=ids)


def test_write_fault(write_case_id, write_cases, fault_records):
    harness.tally("faults")
    case = [c for c in write_cases if c["id"] == write_case_id][0]
    _check_write(case, harness.record_of(fault_records, case["id"]))
