# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP core every provider client stands on.

One ``requests.Session`` per client (connections kept alive, safe to share
between the threads that fetch pages), time-outs, TLS options, retries with
exponential backoff and jitter, ``Retry-After``, client-side pacing, and one
error type whose texts are masked.

Writes are retried only where that is provably safe: a request that never left
(connection refused) or that the API refused for the rate (429) is sent again;
PUT, PATCH and DELETE set a state and may be repeated; a POST whose outcome is
unknown is retried only after ``verify_write`` has shown it did not take effect,
so that one create never makes two objects.
"""

from __future__ import annotations

import json
import random
import threading
import time
import traceback

try:
    import requests
    from requests.adapters import HTTPAdapter
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:  # pragma: no cover - exercised through the modules
    requests = None
    HTTPAdapter = object
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

try:
    from urllib.parse import urlencode
except ImportError:  # pragma: no cover
    from urllib import urlencode

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import (
    TunnelApiError, TunnelError, is_auth_failure, refused_credential)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.masking import mask_text, mask_url

COLLECTION_VERSION = "0.1.0"
USER_AGENT = "tunnelops.tunnels/%s" % COLLECTION_VERSION

RETRY_STATUSES = frozenset((429, 502, 503, 504))
IDEMPOTENT_METHODS = frozenset(("GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"))
READ_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))
MAX_RETRY_AFTER = 300.0


class RetryPolicy:
    """How often and how long to wait between attempts."""

    def __init__(self, retries=5, backoff=0.5, backoff_max=30.0, rng=None, rate_window=None):
        self.retries = max(0, int(retries))
        self.backoff = float(backoff)
        self.backoff_max = float(backoff_max)
        self.rng = rng or random.Random()
        # A provider whose rate limit is a rolling window (ngrok: 60 s) may refuse with 429 and no
        # Retry-After until the window has passed: such a 429 is retried, past ``retries``, until
        # at least one whole window was waited (unless retries is 0).
        self.rate_window = float(rate_window) if rate_window else None

    def gives_up(self, attempts, rate_limited, rate_waited):
        """True when no attempt is left after ``attempts``."""
        if attempts <= self.retries:
            return False
        waiting_out = self.retries and self.rate_window and rate_limited and rate_waited < self.rate_window
        return not waiting_out

    def delay(self, attempt, retry_after=None):
        """Seconds to wait before attempt number ``attempt + 1`` (attempt counts from 1)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), MAX_RETRY_AFTER)
        ceiling = min(self.backoff_max, self.backoff * (2 ** (attempt - 1)))
        # "Equal jitter": never less than half the backoff, spread over the rest.
        return ceiling / 2.0 + self.rng.uniform(0, ceiling / 2.0)


class Shape:
    """What an answer must be to be believed: ``check(data)``, and ``what`` it is called in messages."""

    def __init__(self, check, what):
        self.check = check
        self.what = what

    def __call__(self, data):
        return self.check(data)


# A record of a REST collection, as a create, an update or a read of one object answers it.
RECORD = Shape(lambda data: isinstance(data, dict) and data.get("id") not in (None, ""), "a record with an id")
# What a delete answers (204 No Content at ngrok and Openport).
NO_CONTENT = Shape(lambda data: data is None, "an empty answer (204 No Content)")


class Response:
    """A decoded API answer."""

    def __init__(self, status, data, headers=None, url=None, recovered=False):
        self.status = status
        self.data = data
        self.headers = headers or {}
        self.url = url
        # True when a write's answer was lost and the object was found afterwards.
        self.recovered = recovered


def parse_retry_after(value, clock=time.time):
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        from email.utils import parsedate_to_datetime
        when = parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - clock())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _short_body(text):
    """A readable excerpt of a non-JSON error body (an HTML page from a proxy)."""
    import re
    text = re.sub(r"(?is)<(script|style)[^>]*>.*?</\1>", " ", text or "")
    text = re.sub(r"(?s)<[^>]+>", " ", text)
    text = " ".join(text.split())
    return text[:200] or "(empty body)"


_UNDECODED = object()


class _Attempt:
    """The outcome of one try: an answer, or an exception and whether the request left."""

    def __init__(self, response=None, error=None, sent=True):
        self.response = response
        self.error = error
        self.sent = sent
        # A read's body, decoded once while checking it (a page of 1,000 records is not parsed twice).
        self.decoded = _UNDECODED


class _Call:
    """One logical request and what its attempts have shown so far."""

    def __init__(self, method, url, params, json_body, verify_write, allow_not_found_on_retry, accept=None,
                 listing=False):
        self.method = method
        self.accept = accept
        # A list is never "not found": a 404 on it means a wrong base URL.
        self.listing = listing
        self.url = url
        self.headers = {}
        self.query = dict(params or {})
        self.json_body = json_body
        self.verify_write = verify_write
        self.allow_not_found_on_retry = allow_not_found_on_retry
        self.shown_url = None
        self.attempts = 0
        # True once an attempt may have taken effect although its answer was lost.
        self.ambiguous = False
        # Seconds waited after 429 answers (see RetryPolicy.rate_window).
        self.rate_waited = 0.0


class HttpCore:
    """Sends requests to one provider's API.

    ``auth`` is a callable ``(headers, params) -> None`` that adds credentials;
    ``error_parser`` turns an error answer into ``(code, message)``.
    ``secrets`` are masked in every text this class produces.
    """

    def __init__(self, provider, base_url, auth=None, error_parser=None, timeout=30.0,
                 validate_certs=True, ca_path=None, retry=None, pacer=None,
                 secrets=(), headers=None, pool_size=16, sleep=time.sleep, session=None, url_option=None,
                 credential_names=None):
        self.provider = provider
        # The option that sets base_url, named when a 404 shows that the URL is wrong.
        self.url_option = url_option or "%s_api_url" % provider
        # (option, environment variables) of the credential, named when the API refuses it.
        self.credential_names = credential_names
        self.base_url = base_url.rstrip("/")
        self.auth = auth
        self.error_parser = error_parser or (lambda status, data, text: (None, None))
        self.timeout = float(timeout)
        self.retry = retry or RetryPolicy()
        self.pacer = pacer
        self.secrets = tuple(s for s in secrets if s)
        self.sleep = sleep
        self.stats = {"requests": 0, "retries": 0, "writes": 0, "waited": 0.0}
        self._stats_lock = threading.Lock()
        self.session = session or requests.Session()
        if session is None:
            adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool_size, max_retries=0)
            self.session.mount("https://", adapter)
            self.session.mount("http://", adapter)
        self.session.verify = (ca_path or True) if validate_certs else False
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        if headers:
            self.session.headers.update(headers)

    # -- URLs ---------------------------------------------------------------

    def url_for(self, path):
        if path.startswith("http://") or path.startswith("https://"):
            return path
        return self.base_url + "/" + path.lstrip("/")

    def mask(self, text):
        return mask_url(mask_text(text, self.secrets))

    # -- the request loop ---------------------------------------------------

    def request(self, method, path, params=None, json_body=None, expect=None,
                verify_write=None, allow_not_found_on_retry=True, accept=None, listing=False):
        """Send one logical request, retrying where it is safe, and decode the answer.

        ``verify_write`` (POST only) is called after an attempt whose outcome is
        unknown; it returns the created object's record, or None when the write
        did not take effect and may be sent again.  ``accept`` (a Shape) is what a
        2xx answer must be: a read of another shape is an error; a write answered
        with an unreadable body or another shape is looked up with ``verify_write``,
        or fails with an unknown outcome for the caller to verify.  ``listing``: the path is a list, so
        that any 404 means a wrong base URL (the error's ``option`` names it).
        ``expect="text"``: the answer is a page, not JSON (an Openport link's HTML);
        ``data`` is its text.
        """
        call = _Call(method.upper(), self.url_for(path), params, json_body, verify_write, allow_not_found_on_retry,
                     accept, listing)
        if self.auth:
            self.auth(call.headers, call.query)
        call.shown_url = self.mask(call.url + ("?" + urlencode(sorted(call.query.items())) if call.query else ""))
        while True:
            call.attempts += 1
            attempt = self._send(call.method, call.url, call.headers, call.query, call.json_body)
            if expect == "text" and attempt.response is not None:
                attempt.decoded = attempt.response.text
            failure = self._classify(call.method, attempt)
            if failure is None:
                return self._success(call, attempt)
            done = self._after_failure(call, attempt, failure)
            if done is not None:
                return done
            self._wait(call, attempt, failure[1])

    def _success(self, call, attempt):
        resp = attempt.response
        decodes, data = _decode(resp) if attempt.decoded is _UNDECODED else (True, attempt.decoded)
        result = Response(resp.status_code, data, resp.headers, call.shown_url)
        problem = self._answer_problem(call, resp, decodes, data)
        if problem is None:
            return result
        outcome = None if call.method in READ_METHODS else "unknown"
        cause = TunnelApiError(self.provider, problem, status=resp.status_code, method=call.method,
                               url=call.shown_url, outcome=outcome, attempts=call.attempts)
        if outcome is None or call.verify_write is None:
            raise cause
        # The server answered the write, but not with what it documents: find the object.
        found = self._verify(call, cause)
        if found is None:
            raise TunnelApiError(self.provider, "%s; the object was not found afterwards: the request did not take "
                                 "effect" % problem, status=resp.status_code, method=call.method,
                                 url=call.shown_url, attempts=call.attempts)
        return Response(result.status, found, result.headers, result.url, recovered=True)

    def _answer_problem(self, call, resp, decodes, data):
        """Why a 2xx answer cannot be believed, or None."""
        if not decodes:
            return "the answer is not valid JSON: %s" % self.mask(_short_body(resp.text))
        if call.accept is not None and not call.accept(data):
            shown = "(empty body)" if data is None else json.dumps(data)[:200]
            return "the answer is not %s: %s" % (call.accept.what, self.mask(shown))
        if data is None and resp.status_code != 204 and call.verify_write is not None:
            return "the answer is empty"
        return None

    def _verify(self, call, cause):
        """``call.verify_write()``; when the look-up fails too, the write's unknown outcome is kept and both named."""
        try:
            return call.verify_write()
        except TunnelError as exc:
            raise TunnelApiError(self.provider, "%s; looking the object up afterwards, to see whether it took effect, "
                                 "failed too: %s" % (cause.message, self.mask(str(exc))), status=cause.status,
                                 code=cause.code, method=call.method, url=call.shown_url, outcome="unknown",
                                 attempts=call.attempts)

    def _after_failure(self, call, attempt, failure):
        """After a failed attempt: a Response that settles it, an error raised, or None to try again."""
        retryable, dummy, unsafe_outcome = failure
        method = call.method
        if (method == "DELETE" and call.ambiguous and call.allow_not_found_on_retry
                and attempt.response is not None and _missing_object(attempt.response)):
            # An earlier attempt's answer was lost and the object is gone now: it took effect.
            return Response(204, None, url=call.shown_url, recovered=True)
        call.ambiguous = call.ambiguous or unsafe_outcome
        if not retryable or self.retry.gives_up(call.attempts, _rate_limited(attempt), call.rate_waited):
            raise self._error(method, call.shown_url, attempt, call.attempts,
                              "unknown" if (unsafe_outcome and method not in READ_METHODS) else None, call.listing)
        if unsafe_outcome and method not in IDEMPOTENT_METHODS:
            if call.verify_write is None:
                raise self._error(method, call.shown_url, attempt, call.attempts, "unknown")
            found = self._verify(call, self._error(method, call.shown_url, attempt, call.attempts, "unknown"))
            if found is not None:
                return Response(201, found, url=call.shown_url, recovered=True)
            if isinstance(attempt.error, requests.exceptions.Timeout):
                # The server may still be working on it: sending it again could make a second object.
                raise self._error(method, call.shown_url, attempt, call.attempts, "unknown")
        return None

    def _wait(self, call, attempt, retry_after):
        delay = self.retry.delay(call.attempts, retry_after)
        if attempt.response is not None and attempt.response.status_code == 429:
            call.rate_waited += delay
            if self.pacer:
                self.pacer.penalise(delay)
        with self._stats_lock:
            self.stats["retries"] += 1
            self.stats["waited"] += delay
        self.sleep(delay)

    def _send(self, method, url, headers, params, json_body):
        try:
            return self._send_once(method, url, headers, params, json_body)
        finally:
            if self.pacer:
                self.pacer.answered()

    def _send_once(self, method, url, headers, params, json_body):
        headers = dict(headers)
        data = None
        if json_body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(json_body)
        if self.pacer:
            waited = self.pacer.acquire()
            if waited:
                with self._stats_lock:
                    self.stats["waited"] += waited
        with self._stats_lock:
            self.stats["requests"] += 1
            if method not in READ_METHODS:
                self.stats["writes"] += 1
        try:
            # verify is passed on each request: requests lets REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE
            # override a session's verify, which would ignore ca_path and validate_certs=false.
            resp = self.session.request(method, url, params=params or None, data=data,
                                        headers=headers, verify=self.session.verify,
                                        timeout=(min(self.timeout, 10.0), self.timeout))
            return _Attempt(response=resp)
        except requests.exceptions.ConnectTimeout as exc:
            return _Attempt(error=exc, sent=False)
        except requests.exceptions.SSLError as exc:
            return _Attempt(error=exc, sent=False)
        except requests.exceptions.ConnectionError as exc:
            # A refused connection never carried the request; a dropped one may have.
            return _Attempt(error=exc, sent=not _is_refused(exc))
        except requests.exceptions.Timeout as exc:
            return _Attempt(error=exc, sent=True)
        except requests.exceptions.RequestException as exc:
            return _Attempt(error=exc, sent=False)

    def _classify(self, method, attempt):
        """None for success, else (retryable, retry_after, outcome_unknown)."""
        if attempt.error is not None:
            if isinstance(attempt.error, requests.exceptions.SSLError):
                return (False, None, False)
            retryable = isinstance(attempt.error, (requests.exceptions.ConnectionError,
                                                   requests.exceptions.Timeout))
            return (retryable, None, attempt.sent)
        resp = attempt.response
        status = resp.status_code
        if status < 400:
            if method in READ_METHODS and attempt.decoded is _UNDECODED:
                decodes, attempt.decoded = _decode(resp)
                if not decodes:
                    # A proxy's page or a cut-off body on a read: read it again.
                    return (True, None, False)
            return None
        retry_after = parse_retry_after(resp.headers.get("Retry-After"))
        if status == 429:
            return (True, retry_after, False)
        if status in RETRY_STATUSES or status >= 500:
            return (status in RETRY_STATUSES or method in READ_METHODS, retry_after, True)
        return (False, None, False)

    def _error(self, method, shown_url, attempt, attempts, outcome, listing=False):
        if attempt.error is not None:
            exc = attempt.error
            if isinstance(exc, requests.exceptions.SSLError):
                reason = ("TLS certificate verification failed (%s). Set ca_path to the CA bundle "
                          "that signed the server's certificate, or validate_certs=false "
                          "for a test server." % _first_line(exc))
            elif isinstance(exc, requests.exceptions.Timeout):
                reason = "no answer within %s seconds (timeout)" % self.timeout
            elif isinstance(exc, requests.exceptions.ConnectionError):
                reason = "the connection failed or was dropped (%s)" % _first_line(exc)
            else:
                reason = _first_line(exc)
            return TunnelApiError(self.provider, self.mask(reason), method=method, url=shown_url,
                                  outcome=outcome or ("not_sent" if not attempt.sent else None),
                                  attempts=attempts)
        resp = attempt.response
        text = resp.text or ""
        try:
            data = resp.json()
        except ValueError:
            data = None
        if resp.status_code < 400:
            code, message = None, "the answer is not valid JSON: %s" % _short_body(text)
        else:
            code, message = self.error_parser(resp.status_code, data, text)
            if not message:
                message = _short_body(text) if data is None else json.dumps(data)[:300]
            if self.credential_names and is_auth_failure(resp.status_code, code):
                message = refused_credential(message, *self.credential_names)
        option = None
        if resp.status_code == 404 and (listing or not _missing_object(resp)):
            option = self.url_option
            message = "%s (the API has no such path%s: check %s, the API's base URL)" % (
                message.split(" (no such API path")[0], _named_path(data), option)
        return TunnelApiError(self.provider, self.mask(message), status=resp.status_code,
                              code=code, method=method, url=shown_url, option=option,
                              details=data.get("details") if isinstance(data, dict) and isinstance(data.get("details"), dict) else None,
                              outcome=outcome or ("rejected" if method not in READ_METHODS else None),
                              attempts=attempts)

    def close(self):
        self.session.close()


def _decode(resp):
    """(True, data) when the body is empty or JSON, else (False, None)."""
    if resp.status_code == 204 or not resp.content:
        return True, None
    try:
        return True, resp.json()
    except ValueError:
        return False, None


def _missing_object(resp):
    """True for a 404 that is the API's answer for a missing object: JSON that names no path.

    A 404 for a path the API does not know (ngrok: ``details.path``; Spring: ``path``; a web
    server's or a proxy's HTML page) means a wrong base URL, never that the object is absent.
    """
    if resp.status_code != 404:
        return False
    try:
        data = resp.json()
    except ValueError:
        return False
    if not isinstance(data, dict):
        return False
    details = data.get("details") if isinstance(data.get("details"), dict) else {}
    return not (details.get("path") or data.get("path"))


def _named_path(data):
    if isinstance(data, dict):
        details = data.get("details") if isinstance(data.get("details"), dict) else {}
        path = details.get("path") or data.get("path")
        if path:
            return " %s" % str(path)[:200]
    return ""


def _rate_limited(attempt):
    """A 429 that does not say when to come back."""
    resp = attempt.response
    return resp is not None and resp.status_code == 429 and not resp.headers.get("Retry-After")


def _is_refused(exc):
    text = repr(exc)
    return "Connection refused" in text or "NewConnectionError" in text or "Name or service not known" in text


def _first_line(exc):
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else exc.__class__.__name__
