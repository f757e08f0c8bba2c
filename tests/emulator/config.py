"""Run-time settings: latency, the ngrok rate limit and the decision-table variants.

Defaults are the decisions of shared/providers/README.md; each switch selects the
"plausible alternative" that the collection must also cope with.
"""

from __future__ import annotations

DEFAULTS = {
    "latency_ms": 0,
    "jitter_ms": 0,
    "ngrok_rate_limit": 120,
    "ngrok_rate_window": 60,
    "openport_auth_status": 401,
    "openport_max_limit": None,
    "openport_nodes_require_token": False,
    "openport_timestamp_z": False,
    "openport_name_unique": True,
    "openport_link_secret": True,
    "pinggy_auth_status": 401,
    "pinggy_error_shape": "pinggy",
    "pinggy_max_size": 2000,
    "ngrok_auth_status": 403,
    "ngrok_empty_last_page": False,
    "ngrok_retry_after": None,
    # Issue 16 / 18 fidelity switches (README "Config switches" names the doc passage of each).
    "ngrok_rate_limit_scope": "account",
    "ngrok_session_checks": True,
    "ngrok_action_refused_status": 400,
    # Strict since the collection copes (issue 16.3, 16.9): a stopped agent stays listed while it leaves,
    # and a PATCH of acl [] leaves the rules; the kinder variants are 0 and "clears".
    "ngrok_stop_linger_seconds": 3,
    "ngrok_acl_empty": "ignored",
    "openport_clicks_order": "asc",
    "pinggy_history_order": "asc",
    "pinggy_history_boundary": "utc_day",   # "now" is stricter: a candidate once the client has a margin (16.7)
    "pinggy_history_tz_hours": 14,
}


def _number(lo=0, allow_none=False, integer=False):
    def check(v):
        if v is None and allow_none:
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v < lo:
            raise ValueError(f"must be a number >= {lo}" + (" or null" if allow_none else ""))
        if integer and int(v) != v:
            raise ValueError("must be an integer")
        return int(v) if integer else v
    return check


def _choice(*allowed):
    def check(v):
        if v not in allowed:
            raise ValueError(f"must be one of {list(allowed)}")
        return v
    return check


def _bool(v):
    if not isinstance(v, bool):
        raise ValueError("must be true or false")
    return v


def _tz_hours(v):
    """A whole-hour UTC offset as time zones have them: -12 .. +14."""
    if isinstance(v, bool) or not isinstance(v, int) or not -12 <= v <= 14:
        raise ValueError("must be an integer between -12 and 14")
    return v


CHECKS = {
    "latency_ms": _number(),
    "jitter_ms": _number(),
    "ngrok_rate_limit": _number(lo=1, integer=True),
    "ngrok_rate_window": _number(lo=0.001),
    "openport_auth_status": _choice(401, 403),
    "openport_max_limit": _number(lo=1, allow_none=True, integer=True),
    "openport_nodes_require_token": _bool,
    "openport_timestamp_z": _bool,
    "openport_name_unique": _bool,
    "openport_link_secret": _bool,
    "pinggy_auth_status": _choice(401, 403),
    "pinggy_error_shape": _choice("pinggy", "spring"),
    "pinggy_max_size": _number(lo=1, integer=True),
    "ngrok_auth_status": _choice(403, 401),
    "ngrok_empty_last_page": _bool,
    "ngrok_retry_after": _number(lo=0, allow_none=True, integer=True),
    "ngrok_rate_limit_scope": _choice("account", "key"),
    "ngrok_session_checks": _bool,
    "ngrok_action_refused_status": _choice(400, 500),
    "ngrok_stop_linger_seconds": _number(),
    "ngrok_acl_empty": _choice("clears", "ignored"),
    "openport_clicks_order": _choice("asc", "desc"),
    "pinggy_history_order": _choice("asc", "desc", "shuffled"),
    "pinggy_history_boundary": _choice("utc_day", "now", "tz"),
    "pinggy_history_tz_hours": _tz_hours,
}


def validate(changes: dict) -> dict:
    """Checked copy of a /config body; raises ValueError naming the bad key."""
    if not isinstance(changes, dict):
        raise ValueError("the body must be a JSON object")
    out = {}
    for key, value in changes.items():
        if key not in CHECKS:
            raise ValueError(f"unknown config key {key!r}; known: {sorted(CHECKS)}")
        try:
            out[key] = CHECKS[key](value)
        except ValueError as exc:
            raise ValueError(f"{key}: {exc}") from None
    return out
