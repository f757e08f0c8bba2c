# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Faults on the verification step (issue 18.1) and reads answered with another shape (18.3).

A create whose answer is lost took effect, and every look-up that should prove it fails: the task
must fail keeping the unknown outcome ("may or may not have taken effect") and list the create in
``done_before_failure``, so that the token or the key is never lost silently. A list whose items
are not records, or whose envelope is wrong, must fail the read, never give an empty list.
(Writes answered 2xx with another shape or an HTML page are part of the fault matrix: cases.py.)
"""

from __future__ import annotations

import pytest

import cases as C
import harness

VERIFY = C.verify_cases(harness.seed_state())
SHAPES = C.shape_read_cases()


@pytest.fixture(scope="session")
def verification_records(workspace):
    return harness.run_case_chunks(workspace, VERIFY + SHAPES, "verification", workers=2)


def _clean_failure(result, record, provider):
    msg = result.get("msg") or ""
    assert result.get("failed"), "the task did not fail: %s" % result
    assert provider in msg and "MODULE FAILURE" not in msg and "Traceback" not in msg, msg
    harness.assert_secret_free(msg, record)
    return msg


@pytest.mark.parametrize("case", VERIFY, ids=[c["id"] for c in VERIFY])
def test_a_failing_verification_keeps_the_unknown_outcome(case, verification_records):
    harness.tally("faults")
    record = harness.record_of(verification_records, case["id"])
    result = record["result"]
    msg = _clean_failure(result, record, case["provider"])
    assert "may or may not have taken effect" in msg, msg
    assert "503" in msg, "the failing look-up is not named: %s" % msg
    unknown = [d for d in result.get("done_before_failure") or [] if d.get("outcome") == "unknown"]
    assert unknown, "the create of unknown outcome is not in done_before_failure: %s" % result
    assert result.get("changed") is True
    matches = case["target"].matches(record["state"])
    assert len(matches) == 1, "the lost create should have made exactly one object: %s" % matches
    assert len(harness.writes(record["requests"])) <= 2, "the create was sent again blindly"


@pytest.mark.parametrize("case", SHAPES, ids=[c["id"] for c in SHAPES])
def test_a_read_of_another_shape_fails_never_gives_an_empty_list(case, verification_records):
    harness.tally("faults")
    record = harness.record_of(verification_records, case["id"])
    msg = _clean_failure(record["result"], record, case["provider"])
    assert "not a record" in msg or "did not answer with a list" in msg, msg
    assert not harness.writes(record["requests"])
