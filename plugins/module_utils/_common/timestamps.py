# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ISO 8601 timestamps from the APIs and from module options, compared as aware datetimes.

Openport writes ``2022-06-19T16:29:25+02:00`` (microseconds only when non-zero)
and may write ``Z``; Python 3.9's ``fromisoformat`` reads neither ``Z`` nor
every fraction length, hence this small parser.
"""

from __future__ import annotations

import datetime
import re

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError

UTC = datetime.timezone.utc
_EPOCH = datetime.datetime(1970, 1, 1)
_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?"
    r"\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$")


def parse_iso(text):
    """An aware datetime from an ISO 8601 date or timestamp; None when it does not parse.

    A date alone is midnight UTC; a timestamp without an offset is taken as UTC.
    """
    match = _ISO.match(str(text).strip()) if text is not None else None
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    tz = UTC
    if offset and offset not in ("Z", "z"):
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
        if minutes >= 24 * 60:
            return None
        tz = datetime.timezone(sign * datetime.timedelta(minutes=minutes))
    try:
        return datetime.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                                 int(second or 0), micro, tzinfo=tz)
    except ValueError:
        return None


def parse_time_option(option, value):
    """The datetime a module option names, or None when it is empty.

    Raises ``TunnelConfigError`` naming the option when the value is not a date
    (``2026-01-31``) or an ISO 8601 timestamp (``2026-01-31T08:00:00+01:00``).
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day, tzinfo=UTC)
    when = parse_iso(value)
    if when is None:
        raise TunnelConfigError(option, "%r is not a date (YYYY-MM-DD) or an ISO 8601 timestamp "
                                "(YYYY-MM-DDTHH:MM:SS with an optional fraction and Z or +HH:MM offset)"
                                % (str(value)[:60],))
    return when


def check_window(after, before, after_option, before_option):
    """Refuse a window whose start is not before its end."""
    if after is not None and before is not None and after >= before:
        raise TunnelConfigError(after_option, "must be earlier than %s (%s is not before %s)"
                                % (before_option, after.isoformat(), before.isoformat()))


def to_utc(value):
    """An API timestamp as an ISO 8601 UTC string ending in ``Z``, or None.

    Reads ``Z`` and numeric offsets (``+01:00``, ``+0000``), any fraction of a
    second (timestamps.parse_iso), and epoch numbers (seconds, or milliseconds
    when that large).  A naive timestamp counts as UTC.  The source's precision
    is kept: whole seconds, milliseconds or microseconds.
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        millis = int(round(value if abs(value) >= 1e11 else value * 1000))
        return _format_utc(_EPOCH + datetime.timedelta(milliseconds=millis))
    when = parse_iso(value)
    if when is None:
        return None
    return _format_utc(when.astimezone(UTC).replace(tzinfo=None))


def _format_utc(when):
    text = when.strftime("%Y-%m-%dT%H:%M:%S")
    micro = when.microsecond
    if micro and micro % 1000 == 0:
        text += ".%03d" % (micro // 1000)
    elif micro:
        text += ".%06d" % micro
    return text + "Z"
