# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writes whose answer cannot be believed, verified by reading the object back (machine.py, convergence.py).

A write can end without an answer to believe: its answer was lost after the retries (a time-out,
a dropped connection), or the API answered 2xx with something that is not the record it documents
(a proxy's or a captive portal's HTML page, cut-off JSON, JSON of another shape).  Such a write is
never counted as done on its word: the object is read back, and

- when it shows the write in effect, the write is done (noted ``recovered``);
- when it shows it not in effect, the task fails saying so (nothing was changed);
- when the read fails too, the task fails keeping the write's unknown outcome, naming both errors,
  and the write is noted with ``outcome: unknown`` so that ``done_before_failure`` lists it.
"""

from __future__ import annotations

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.core import RECORD
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError, TunnelError

UNKNOWN = "unknown"


def is_record(answer):
    """A record with an id, as the HTTP core checks a create's or an update's answer."""
    return RECORD(answer)


class Check:
    """One write to verify: what it is (``kind``, ``label``), how to read its object back (``fetch``),
    when its answer is believed (``believe(answer)``) and when the object read back shows it done (``done(now)``)."""

    def __init__(self, provider, kind, label, fetch, believe, done):
        self.provider = provider
        self.kind = kind
        self.label = label
        self.fetch = fetch
        self.believe = believe
        self.done = done


def verified(check, write, note_unknown):
    """``(answer, recovered)`` of ``write()`` once it is shown to be in effect; see the module docstring.

    ``note_unknown()`` notes the write as possibly done before the failure is raised.
    """
    try:
        answer = write()
    except TunnelApiError as exc:
        if exc.outcome != UNKNOWN:
            raise
        return read_back(check, exc, note_unknown), True
    if check.believe(answer):
        return answer, False
    return read_back(check, None, note_unknown), True


def read_back(check, cause, note_unknown):
    """The object read back when it shows the write done; else the failure that says what is known."""
    try:
        now = check.fetch()
    except TunnelError as failure:
        note_unknown()
        raise unverified(check, cause, failure)
    if check.done(now):
        return now
    raise not_in_effect(check, cause)


def _why(check, cause):
    if cause is not None:
        return cause.message
    return "the API's answer to the %s is not the %s record it documents" % (check.kind, check.label)


def unverified(check, cause, failure):
    """The write's outcome stays unknown: its answer could not be believed and the read back failed."""
    text = "%s; reading the %s back, to see whether the %s took effect, failed too: %s" % (
        _why(check, cause), check.label, check.kind, str(failure))
    return _error(check, cause, text, UNKNOWN)


def not_in_effect(check, cause):
    text = "%s; reading the %s back shows that the %s did not take effect" % (
        _why(check, cause), check.label, check.kind)
    # An answer lost in transit (no status) may still be applied later: say so. A server that answered has finished.
    lost = cause is not None and cause.status is None
    return _error(check, cause, text, UNKNOWN if lost else None)


def _error(check, cause, text, outcome):
    if cause is None:
        return TunnelApiError(check.provider or "the provider", text, outcome=outcome)
    return TunnelApiError(cause.provider, text, status=cause.status, code=cause.code, method=cause.method,
                          url=cause.url, details=cause.details, outcome=outcome, attempts=cause.attempts)


def differs(check, record, fields):
    """The created record exists but does not hold what was sent (``fields``)."""
    return TunnelApiError(check.provider or "the provider", "the %s %s was created, but the API holds other values "
                          "than were sent for %s" % (check.label, (record or {}).get("id"), ", ".join(sorted(fields))))
