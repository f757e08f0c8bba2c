# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Errors raised by the provider clients; every text they carry is already masked."""

from __future__ import annotations


class TunnelError(Exception):
    """Base class of everything the collection raises on purpose."""


class TunnelConfigError(TunnelError, ValueError):
    """A bad option value, found before any request is sent."""

    def __init__(self, option, reason):
        self.option = option
        self.reason = reason
        super().__init__("%s: %s" % (option, reason))

    @classmethod
    def combine(cls, problems):
        """One error for several, each still named by its own option (``keys[2].acl: ...; keys[2].x: ...``)."""
        first = problems[0]
        return cls(first.option, "; ".join([first.reason] + [str(p) for p in problems[1:]]))


class TunnelApiError(TunnelError):
    """A provider API answered with an error, or could not be reached.

    ``status`` is None when no HTTP answer was received (time-out, dropped
    connection, TLS failure).  ``code`` is the provider's own error code where it
    sends one (``ERR_NGROK_226``), ``message`` its human text.  ``outcome`` says
    what is known about a write: ``not_sent``, ``rejected`` (the API refused it),
    or ``unknown`` (the request may have taken effect).
    """

    def __init__(self, provider, message, status=None, code=None, method=None,
                 url=None, details=None, outcome=None, attempts=1, option=None):
        self.provider = provider
        # The option to change, when the error shows a wrong setting (a 404 for a path the API does not know).
        self.option = option
        self.message = message
        self.status = status
        self.code = code
        self.method = method
        self.url = url
        self.details = details or {}
        self.outcome = outcome
        self.attempts = attempts
        super().__init__(self._render())

    def _render(self):
        where = ""
        if self.method and self.url:
            where = " %s %s" % (self.method, self.url)
        status = ""
        if self.status is not None:
            status = " returned HTTP %s" % self.status
        elif where:
            status = " failed"
        code = " %s:" % self.code if self.code else ":"
        text = "%s API%s%s%s %s" % (self.provider, where, status, code, self.message)
        if self.attempts > 1:
            text += " (after %d attempts)" % self.attempts
        if self.outcome == "unknown":
            text += (" The request may or may not have taken effect at %s; "
                     "check before running again." % self.provider)
        return text

    def as_dict(self):
        """A masked, JSON-friendly view for module results."""
        return {
            "provider": self.provider,
            "status": self.status,
            "code": self.code,
            "message": self.message,
            "method": self.method,
            "url": self.url,
            "outcome": self.outcome,
            "attempts": self.attempts,
            "option": self.option,
        }

    @property
    def is_not_found(self):
        """The API's answer for an object that does not exist (not a 404 for a wrong URL)."""
        return self.status == 404 and self.option is None

    @property
    def is_auth_error(self):
        return is_auth_failure(self.status, self.code)


def is_auth_failure(status, code):
    """An answer that refuses the credential: 401 or 403 (the providers use either), never a rate limit."""
    return status in (401, 403) and code not in ("ERR_NGROK_226",)


def refused_credential(message, option, env):
    """An auth failure's message with what to check: the credential's option, or its environment variables."""
    return "%s. The credential was refused: check %s (or the %s environment variable, read when the option is not " \
        "set)." % (message.rstrip(". "), option, " or ".join(env))


class TunnelDependencyError(TunnelError):
    """A Python library the task needs is missing on the host that runs it."""

    def __init__(self, library, reason, traceback_text=None):
        self.library = library
        self.traceback = traceback_text
        super().__init__(reason)


class TunnelResultError(TunnelError):
    """The task fails with a result to show (``strict`` and a provider failed, say)."""

    def __init__(self, message, result):
        self.result = result
        super().__init__(message)
