"""Small shared pieces: requests/responses, ids, timestamps, ordered collections, masking.

Standard library only: the emulator must run on a bare Python >= 3.11.
"""

from __future__ import annotations

import json
import re
import secrets as _secrets
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from itertools import islice
from urllib.parse import parse_qs

UTC = timezone.utc
MASK = "********"
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# Every secret the emulator mints contains this marker, so a leak is easy to grep for.
CANARY = "EMUSECRET"


# --------------------------------------------------------------------------- requests

@dataclass
class Request:
    """One parsed HTTP request, as the provider handlers see it."""

    method: str
    path: str                      # full URL path, no query
    query: str                     # raw query string ('' when absent)
    headers: object                # http.client.HTTPMessage (case-insensitive get)
    body: bytes
    scheme: str = "http"
    host: str = "127.0.0.1"
    subpath: str = ""              # path below the provider's base URL
    client_ip: str = ""            # the peer's address (Openport's open-for-IP links admit it)
    _params: dict | None = field(default=None, repr=False)

    @property
    def params(self) -> dict:
        """Query parameters as lists of values (blank values kept, like Django/DRF)."""
        if self._params is None:
            self._params = parse_qs(self.query, keep_blank_values=True)
        return self._params

    def param(self, name, default=None):
        values = self.params.get(name)
        return values[-1] if values else default

    def header(self, name, default=None):
        return self.headers.get(name, default)

    @property
    def origin(self) -> str:
        """scheme://host as the client addressed us: links must point back here."""
        return f"{self.scheme}://{self.host}"

    @property
    def full_path(self) -> str:
        return self.path + ("?" + self.query if self.query else "")

    def content_type(self) -> str:
        return (self.header("Content-Type") or "").split(";")[0].strip().lower()


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: list = field(default_factory=list)
    content_type: str | None = "application/json"


def json_response(status, obj, headers=None) -> Response:
    body = json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()
    return Response(status, body, list(headers or []))


def empty_response(status=204, headers=None) -> Response:
    return Response(status, b"", list(headers or []), content_type=None)


def html_response(status, text, headers=None) -> Response:
    return Response(status, text.encode(), list(headers or []), content_type="text/html")


# --------------------------------------------------------------------------- ids

def base62(n: int, width: int) -> str:
    out = []
    while n:
        n, r = divmod(n, 62)
        out.append(BASE62[r])
    return "".join(reversed(out)).rjust(width, "0")


# byte -> base62 char (256 % 62 != 0 makes the first few chars slightly likelier: harmless here)
_RAND62 = bytes(ord(BASE62[i % 62]) for i in range(256))


def rand62(rng, n: int) -> str:
    # one randbytes() + translate(): scale seeds mint hundreds of thousands of these
    return rng.randbytes(n).translate(_RAND62).decode()


# base62 of this number starts with "32", like the ids in ngrok's own examples (2025).
ID_TIME_BASE = 3 * 62**5 + 2 * 62**4


def ksuid(seq: int, rng) -> str:
    """27 base62 chars, KSUID-like: a 6-char time part, then 21 random chars.

    The time part is a per-state counter rather than the wall clock, so seeded ids
    are stable across runs and still sort in creation order (newest-first lists and
    `before_id` cursors compare ids as strings, as with real KSUIDs).
    """
    return base62(ID_TIME_BASE + seq, 6) + rand62(rng, 21)


def op_id() -> str:
    """An ngrok operation id: random per response, never seeded."""
    return "op_" + _secrets.token_bytes(27).translate(_RAND62).decode()


# --------------------------------------------------------------------------- time

def utcnow() -> datetime:
    return datetime.now(UTC)


def _last_sunday(year: int, month: int) -> date:
    d = date(year, month, 31)          # only used for March and October (31 days)
    return d - timedelta(days=(d.weekday() + 1) % 7)


@lru_cache(maxsize=64)
def _summer_time(year: int):
    return (datetime.combine(_last_sunday(year, 3), time(1), tzinfo=UTC),
            datetime.combine(_last_sunday(year, 10), time(1), tzinfo=UTC))


_CET, _CEST = timezone(timedelta(hours=1)), timezone(timedelta(hours=2))


def brussels_tz(dt: datetime) -> timezone:
    """EU summer time rule (last Sunday of March/October, 01:00 UTC): +02:00 else +01:00.

    Hand-rolled because zoneinfo needs tzdata, which a bare system may lack.
    """
    start, end = _summer_time(dt.year)
    return _CEST if start <= dt < end else _CET


def fmt_openport(dt, z=False):
    """DRF DateTimeField style: isoformat(), microseconds only when non-zero."""
    if dt is None:
        return None
    if z:
        return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return dt.astimezone(brussels_tz(dt)).isoformat()


def fmt_ngrok(dt):
    """RFC 3339, UTC, second precision, Z suffix."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fmt_pinggy(dt):
    """Spring/Jackson style: milliseconds and a +00:00 offset."""
    if dt is None:
        return None
    dt = dt.astimezone(UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}+00:00"


def parse_time(value):
    """Accept datetimes or ISO strings (with Z) from raw seed items."""
    if value is None or isinstance(value, datetime):
        return value
    dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


# --------------------------------------------------------------------------- collections

class Collection:
    """Records keyed by id and kept in id order.

    Ids are ints (Openport) or KSUID-like strings (ngrok) whose order is creation
    order. The sorted id list is cached and only rebuilt after an out-of-order insert
    or a delete, so paging 100k items costs a bisect and a slice per page.
    """

    def __init__(self):
        self.items: dict = {}
        self._order: list | None = []

    def __len__(self):
        return len(self.items)

    def __contains__(self, key):
        return key in self.items

    def get(self, key):
        return self.items.get(key)

    def values(self):
        return [self.items[k] for k in self.order()]

    def add(self, rec):
        key = rec["id"]
        new = key not in self.items
        self.items[key] = rec
        if self._order is not None and new:
            if not self._order or key > self._order[-1]:
                self._order.append(key)
            else:
                self._order = None

    def remove(self, key):
        rec = self.items.pop(key, None)
        if rec is not None:
            self._order = None
        return rec

    def order(self) -> list:
        if self._order is None:
            self._order = sorted(self.items)
        return self._order

    def slice(self, offset, limit):
        """Ascending page for offset pagination."""
        return [self.items[k] for k in islice(self.order(), offset, offset + limit)]

    def before(self, before_id, limit):
        """Descending page (newest first) of the items whose id sorts below before_id."""
        keys = self.order()
        end = bisect_left(keys, before_id) if before_id else len(keys)
        start = max(0, end - limit)
        return [self.items[k] for k in reversed(keys[start:end])]


# --------------------------------------------------------------------------- masking

_SECRET_PARAM = re.compile(r"(?i)(^|&)((?:token|api_key|apikey|key|secret|password)=)[^&]*")
SECRET_BODY_KEYS = {"token", "token_value", "password", "secret", "api_key"}


def mask_query(query: str) -> str:
    return _SECRET_PARAM.sub(lambda m: m.group(1) + m.group(2) + MASK, query)


# Openport's capability paths: the link's secret (/l/<port>/<secret>) and the redirect token (/r/<token>/).
_CAPABILITY_PATH = re.compile(r"^(/openport/(?:l/\d+|r)/)[^/]+")


def mask_path(full_path: str) -> str:
    path, sep, query = full_path.partition("?")
    path = _CAPABILITY_PATH.sub(lambda m: m.group(1) + MASK, path)
    return path + sep + mask_query(query) if sep else path


def mask_auth(value: str) -> str:
    scheme, sep, dummy = value.strip().partition(" ")
    return f"{scheme} {MASK}" if sep else MASK


def mask_body(obj):
    """Copy of a logged JSON body with credential-like values hidden."""
    if isinstance(obj, dict):
        return {k: (MASK if k.lower() in SECRET_BODY_KEYS and isinstance(v, str) else mask_body(v))
                for k, v in obj.items()}
    if isinstance(obj, list):
        return [mask_body(v) for v in obj]
    return obj
