# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json
import random

import pytest
import requests

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.core import (
    RECORD, HttpCore, RetryPolicy, parse_retry_after)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport.client import OpenportClient, parse_openport_error
from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok.client import NgrokClient, parse_ngrok_error
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils._http.fake_http import (
    Reply, script, session_with)

TOKEN = "op-SECRET-token-1234"


def make_core(handler, retries=3, **kwargs):
    session, adapter = session_with(handler)
    sleeps = []

    def auth(headers, params):
        params["token"] = TOKEN

    kwargs.setdefault("error_parser", parse_openport_error)
    core = HttpCore("openport", "https://api.example.test/api/v2", auth=auth,
                    retry=RetryPolicy(retries=retries, rng=random.Random(1)),
                    secrets=(TOKEN,), sleep=sleeps.append, session=session, **kwargs)
    return core, adapter, sleeps


def test_get_retries_503_then_succeeds_with_backoff():
    core, adapter, sleeps = make_core(script(Reply(503, {"detail": "busy"}), Reply(503), Reply(200, {"ok": 1})))
    resp = core.request("GET", "keys/")
    assert resp.data == {"ok": 1}
    assert len(adapter.requests) == 3
    # equal jitter: attempt 1 waits in [0.25, 0.5], attempt 2 in [0.5, 1.0]
    assert 0.25 <= sleeps[0] <= 0.5
    assert 0.5 <= sleeps[1] <= 1.0
    assert core.stats["retries"] == 2


def test_backoff_is_capped_and_grows():
    policy = RetryPolicy(retries=10, backoff=1.0, backoff_max=8.0, rng=random.Random(0))
    delays = [policy.delay(n) for n in range(1, 8)]
    assert all(d <= 8.0 for d in delays)
    assert delays[0] <= 1.0 and delays[3] >= 4.0
    assert min(delays[4:]) >= 4.0


def test_retry_after_header_is_honoured_on_429():
    core, adapter, sleeps = make_core(script(Reply(429, {"detail": "slow"}, headers={"Retry-After": "7"}),
                                             Reply(200, {"ok": True})))
    assert core.request("GET", "keys/").data == {"ok": True}
    assert sleeps == [7.0]


def test_retry_after_http_date():
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", clock=lambda: 1445412470.0) == pytest.approx(10.0)
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_gives_up_after_retries_with_masked_error():
    core, adapter, sleeps = make_core(script(Reply(502, text="<html><body><h1>502 Bad Gateway</h1>nginx</body></html>")),
                                      retries=2)
    with pytest.raises(TunnelApiError) as err:
        core.request("GET", "keys/")
    text = str(err.value)
    assert len(adapter.requests) == 3
    assert TOKEN not in text
    assert "token=********" in text
    assert "HTTP 502" in text and "502 Bad Gateway nginx" in text
    assert "(after 3 attempts)" in text


def test_post_is_not_retried_on_503_without_verification():
    core, adapter, sleeps = make_core(script(Reply(503, {"detail": "unavailable"}), Reply(201, {"id": 1})))
    with pytest.raises(TunnelApiError) as err:
        core.request("POST", "keys/", json_body={"name": "a"})
    assert len(adapter.requests) == 1
    assert err.value.outcome == "unknown"
    assert "may or may not have taken effect" in str(err.value)


def test_post_lost_answer_is_recovered_by_lookup_not_resent():
    core, adapter, sleeps = make_core(script(Reply(504, text="gateway timeout"), Reply(201, {"id": 2})))
    found = {"id": 1, "name": "a"}
    resp = core.request("POST", "keys/", json_body={"name": "a"}, verify_write=lambda: found)
    assert resp.data == found and resp.recovered is True
    assert [r.method for r in adapter.requests] == ["POST"]


def test_post_retried_when_lookup_proves_it_did_not_happen():
    core, adapter, sleeps = make_core(script(Reply(503), Reply(201, {"id": 9})))
    resp = core.request("POST", "keys/", json_body={"name": "a"}, verify_write=lambda: None)
    assert resp.data == {"id": 9}
    assert [r.method for r in adapter.requests] == ["POST", "POST"]


def test_post_retried_after_429_because_it_was_refused():
    core, adapter, sleeps = make_core(script(Reply(429), Reply(201, {"id": 3})))
    assert core.request("POST", "keys/", json_body={}).data == {"id": 3}
    assert len(adapter.requests) == 2


def test_post_not_retried_on_500():
    core, adapter, sleeps = make_core(script(Reply(500, {"detail": "boom"}), Reply(201, {"id": 3})))
    with pytest.raises(TunnelApiError) as err:
        core.request("POST", "keys/", json_body={}, verify_write=lambda: None)
    assert len(adapter.requests) == 1
    assert err.value.status == 500 and "boom" in str(err.value)


def test_post_dropped_connection_then_lookup():
    drop = Reply(raises=requests.exceptions.ConnectionError("Connection aborted. RemoteDisconnected"))
    core, adapter, sleeps = make_core(script(drop, Reply(201, {"id": 4})))
    calls = []
    resp = core.request("POST", "keys/", json_body={}, verify_write=lambda: calls.append(1) or {"id": 4})
    assert resp.recovered and calls == [1]
    assert len(adapter.requests) == 1


def test_post_refused_connection_is_resent_without_lookup():
    refused = Reply(raises=requests.exceptions.ConnectionError("NewConnectionError: [Errno 111] Connection refused"))
    core, adapter, sleeps = make_core(script(refused, Reply(201, {"id": 5})))
    resp = core.request("POST", "keys/", json_body={}, verify_write=lambda: pytest.fail("no lookup needed"))
    assert resp.data == {"id": 5} and len(adapter.requests) == 2


def test_post_malformed_success_body_is_resolved_by_lookup():
    core, adapter, sleeps = make_core(script(Reply(201, text="{not json")))
    resp = core.request("POST", "keys/", json_body={}, verify_write=lambda: {"id": 6})
    assert resp.data == {"id": 6} and resp.recovered and len(adapter.requests) == 1


def test_post_malformed_success_body_not_found_by_lookup_did_not_take_effect():
    core, adapter, sleeps = make_core(script(Reply(201, text="{not json")))
    with pytest.raises(TunnelApiError) as err:
        core.request("POST", "keys/", json_body={}, verify_write=lambda: None)
    # The server answered, and the object is not there: the write did not take effect (no retry either).
    assert err.value.outcome is None and "not valid JSON" in str(err.value)
    assert "was not found afterwards: the request did not take effect" in str(err.value)
    assert len(adapter.requests) == 1


def test_post_timed_out_is_not_resent_when_lookup_finds_nothing():
    # The server may still be working on it: a second POST could make a second object.
    timeout = Reply(raises=requests.exceptions.ReadTimeout("read timed out"))
    core, adapter, sleeps = make_core(script(timeout, Reply(201, {"id": 7})), timeout=2)
    with pytest.raises(TunnelApiError) as err:
        core.request("POST", "keys/", json_body={}, verify_write=lambda: None)
    assert err.value.outcome == "unknown" and "may or may not have taken effect" in str(err.value)
    assert len(adapter.requests) == 1


def test_patch_and_delete_are_retried():
    core, adapter, sleeps = make_core(script(Reply(503), Reply(200, {"name": "b"})))
    assert core.request("PATCH", "keys/1/", json_body={"name": "b"}).data == {"name": "b"}
    core, adapter, sleeps = make_core(script(Reply(504), Reply(404, {"detail": "Not found."})))
    resp = core.request("DELETE", "keys/1/")
    assert resp.recovered and len(adapter.requests) == 2


def test_delete_404_on_first_attempt_is_an_error():
    core, adapter, sleeps = make_core(script(Reply(404, {"detail": "Not found."})))
    with pytest.raises(TunnelApiError) as err:
        core.request("DELETE", "keys/1/")
    assert err.value.status == 404 and "Not found." in str(err.value)


def test_get_malformed_json_is_retried_then_reported():
    core, adapter, sleeps = make_core(script(Reply(200, text="<html>proxy</html>")), retries=1)
    with pytest.raises(TunnelApiError) as err:
        core.request("GET", "keys/")
    assert len(adapter.requests) == 2
    assert "not valid JSON" in str(err.value) and "proxy" in str(err.value)


def test_expect_text_returns_a_page_without_json_retries():
    page = "<html><body>Port 6260 is now available for your IP address</body></html>"
    core, adapter, sleeps = make_core(script(Reply(200, text=page, headers={"Content-Type": "text/html"})))
    resp = core.request("GET", "https://api.example.test/l/6260/abc", expect="text")
    assert resp.data == page
    assert len(adapter.requests) == 1 and sleeps == []


def test_expect_text_still_retries_a_5xx_and_reports_4xx():
    core, adapter, sleeps = make_core(script(Reply(503, text="busy"), Reply(404, text="<h1>Not Found</h1>")),
                                      retries=2)
    with pytest.raises(TunnelApiError) as err:
        core.request("GET", "https://api.example.test/l/6260/abc", expect="text")
    assert len(adapter.requests) == 2 and err.value.status == 404


def test_timeout_on_get_retried_and_reported():
    core, adapter, sleeps = make_core(script(Reply(raises=requests.exceptions.ReadTimeout("read timed out"))),
                                      retries=1, timeout=2)
    with pytest.raises(TunnelApiError) as err:
        core.request("GET", "keys/")
    assert "no answer within 2.0 seconds" in str(err.value)
    assert len(adapter.requests) == 2


def test_ca_path_and_validate_certs_win_over_requests_ca_bundle(monkeypatch):
    # requests would let these variables replace a session's verify setting.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
    monkeypatch.setenv("CURL_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
    for kwargs, expected in ((dict(validate_certs=False), False), (dict(ca_path="/tmp/private-ca.pem"),
                                                                   "/tmp/private-ca.pem")):
        core, adapter, sleeps = make_core(script(Reply(200, {})), **kwargs)
        seen = []
        send = adapter.send
        adapter.send = lambda request, **kw: seen.append(kw.get("verify")) or send(request, **kw)
        core.request("GET", "keys/")
        assert seen == [expected]


def test_tls_error_not_retried_and_explains_options():
    core, adapter, sleeps = make_core(script(Reply(raises=requests.exceptions.SSLError("CERTIFICATE_VERIFY_FAILED"))))
    with pytest.raises(TunnelApiError) as err:
        core.request("GET", "keys/")
    assert len(adapter.requests) == 1
    assert "ca_path" in str(err.value) and "validate_certs" in str(err.value)


def test_secret_in_error_body_and_exception_is_masked():
    echo = Reply(403, {"detail": "Invalid token %s." % TOKEN})
    core, adapter, sleeps = make_core(script(echo))
    with pytest.raises(TunnelApiError) as err:
        core.request("GET", "keys/")
    assert TOKEN not in str(err.value) and TOKEN not in json.dumps(err.value.as_dict())
    exc = requests.exceptions.ConnectionError("HTTPSConnectionPool: /keys/?token=%s failed" % TOKEN)
    core, adapter, sleeps = make_core(script(Reply(raises=exc)), retries=0)
    with pytest.raises(TunnelApiError) as err:
        core.request("GET", "keys/")
    assert TOKEN not in str(err.value)


def test_auth_goes_in_query_and_is_never_in_shown_url():
    core, adapter, sleeps = make_core(script(Reply(200, {"results": []})))
    resp = core.request("GET", "keys/")
    assert "token=" + TOKEN in adapter.requests[0].url
    assert TOKEN not in resp.url
    assert resp.url == "https://api.example.test/api/v2/keys/?token=********"


def test_ngrok_client_headers_and_bearer_masked():
    key = "ngrok-SECRET-apikey-9"
    client = NgrokClient(key, "https://api.ngrok.test", rate_limit=0, sleep=lambda s: None)
    session, adapter = session_with(script(Reply(401, {"error_code": "ERR_NGROK_203", "status_code": 401,
                                                       "msg": "bad key Bearer %s" % key, "details": {}})))
    session.headers.update(client.core.session.headers)
    client.core.session = session
    with pytest.raises(TunnelApiError) as err:
        client.ssh_credentials.list()
    sent = adapter.requests[0]
    assert sent.headers["ngrok-version"] == "2"
    assert sent.headers["Authorization"] == "Bearer " + key
    assert key not in str(err.value)
    assert err.value.code == "ERR_NGROK_203"


def test_ngrok_404_without_code_and_advice():
    assert parse_ngrok_error(404, {"details": {"operation_id": "op_1"}, "msg": "Resource not found",
                                   "status_code": 404}, "") == (None, "Resource not found")
    code, msg = parse_ngrok_error(429, {"error_code": "ERR_NGROK_226", "msg": "Your account is rate limited."}, "")
    assert code == "ERR_NGROK_226" and "ngrok_rate_limit" in msg
    code, msg = parse_ngrok_error(404, {"status_code": 404, "msg": "Not Found", "details": {"path": "/x"}}, "")
    assert "no such API path: /x" in msg


def test_openport_field_errors():
    assert parse_openport_error(400, {"name": ["key with this name already exists."]}, "") == \
        (None, "name: key with this name already exists.")
    assert parse_openport_error(401, {"detail": "Invalid token."}, "") == (None, "Invalid token.")
    assert parse_openport_error(502, None, "<html>") == (None, None)


def test_openport_client_masks_token_in_error():
    client = OpenportClient(TOKEN, "https://api.example.test/api/v2", retries=0, sleep=lambda s: None)
    session, adapter = session_with(script(Reply(403, {"detail": "Invalid token."})))
    client.core.session = session
    with pytest.raises(TunnelApiError) as err:
        client.keys.list()
    assert str(err.value) == ("openport API GET https://api.example.test/api/v2/keys/?limit=1000&offset=0"
                              "&token=******** returned HTTP 403: Invalid token.")


def test_a_429_without_retry_after_is_retried_for_at_least_one_full_window():
    core, adapter, sleeps = make_core(script(Reply(429, {"detail": "rate limited"})), retries=2)
    core.retry = RetryPolicy(retries=2, backoff=1.0, backoff_max=30.0, rate_window=60.0, rng=random.Random(1))
    with pytest.raises(TunnelApiError) as err:
        core.request("GET", "keys/")
    assert err.value.status == 429
    assert sum(sleeps) >= 60.0, "gave up after %.1f s, before the rate window had passed" % sum(sleeps)
    assert sum(sleeps[:-1]) < 60.0, "waited on after a whole window had passed"
    # Once the window has passed, the next answer decides.
    core, adapter, sleeps = make_core(script(*([Reply(429)] * 6 + [Reply(200, {"ok": 1})])), retries=2)
    core.retry = RetryPolicy(retries=2, backoff=1.0, backoff_max=30.0, rate_window=60.0, rng=random.Random(1))
    assert core.request("GET", "keys/").data == {"ok": 1}


def test_a_429_with_retry_after_or_without_a_window_keeps_the_retry_count():
    core, adapter, sleeps = make_core(script(Reply(429, headers={"Retry-After": "1"})), retries=2)
    core.retry = RetryPolicy(retries=2, rate_window=60.0, rng=random.Random(1))
    with pytest.raises(TunnelApiError):
        core.request("GET", "keys/")
    assert len(adapter.requests) == 3
    core, adapter, sleeps = make_core(script(Reply(429)), retries=2)
    with pytest.raises(TunnelApiError):
        core.request("GET", "keys/")
    assert len(adapter.requests) == 3


def test_retries_zero_means_no_retry_even_for_a_429():
    core, adapter, sleeps = make_core(script(Reply(429)), retries=0)
    core.retry = RetryPolicy(retries=0, rate_window=60.0)
    with pytest.raises(TunnelApiError):
        core.request("GET", "keys/")
    assert len(adapter.requests) == 1 and sleeps == []


def test_the_ngrok_client_waits_out_its_rate_window():
    client = NgrokClient("ngrok-key", "https://api.ngrok.test", rate_limit=0, rate_window=60.0, retries=2)
    assert client.core.retry.rate_window == 60.0


# -- writes whose 2xx answer is not the documented record (issues 16.25, 18.1, 18.2) ----------------

@pytest.mark.parametrize("reply", [Reply(200, {"unexpected": "shape"}), Reply(201, ["x"]), Reply(200, {"id": None}),
                                   Reply(200, text="<html><body>Welcome to the hotel wifi</body></html>"),
                                   Reply(200)])
def test_post_answered_with_something_that_is_not_a_record_is_looked_up(reply):
    core, adapter, sleeps = make_core(script(reply))
    resp = core.request("POST", "keys/", json_body={"name": "a"}, accept=RECORD, verify_write=lambda: {"id": 8})
    assert resp.data == {"id": 8} and resp.recovered and len(adapter.requests) == 1
    core, adapter, sleeps = make_core(script(reply))
    with pytest.raises(TunnelApiError) as err:
        core.request("POST", "keys/", json_body={"name": "a"}, accept=RECORD, verify_write=lambda: None)
    assert "did not take effect" in str(err.value) and len(adapter.requests) == 1
    assert "not a record with an id" in str(err.value) or "not valid JSON" in str(err.value)


def test_a_lost_create_whose_lookup_fails_keeps_the_unknown_outcome():
    drop = Reply(raises=requests.exceptions.ConnectionError("Connection aborted. RemoteDisconnected"))
    core, adapter, sleeps = make_core(script(drop))

    def lookup_fails():
        raise TunnelApiError("openport", "Service Unavailable", status=503, method="GET",
                             url="https://api.example.test/api/v2/keys/?token=********", attempts=3)
    with pytest.raises(TunnelApiError) as err:
        core.request("POST", "keys/", json_body={}, accept=RECORD, verify_write=lookup_fails)
    text = str(err.value)
    assert err.value.outcome == "unknown" and "may or may not have taken effect" in text
    assert "dropped" in text and "503" in text and "looking" in text
    assert err.value.method == "POST"
    # The same when the answer was unreadable and the lookup fails.
    core, adapter, sleeps = make_core(script(Reply(200, text="<html>portal</html>")))
    with pytest.raises(TunnelApiError) as err:
        core.request("POST", "keys/", json_body={}, accept=RECORD, verify_write=lookup_fails)
    assert err.value.outcome == "unknown" and "503" in str(err.value)


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
@pytest.mark.parametrize("reply", [Reply(200, text="<html><body>Welcome</body></html>"), Reply(200, text="{\"id\": 1, ")])
def test_patch_or_delete_answered_with_an_unreadable_body_is_an_unknown_outcome(method, reply):
    core, adapter, sleeps = make_core(script(reply))
    with pytest.raises(TunnelApiError) as err:
        core.request(method, "keys/1/", json_body={"name": "b"} if method == "PATCH" else None,
                     accept=RECORD if method == "PATCH" else None)
    assert err.value.outcome == "unknown" and err.value.status == 200
    assert len(adapter.requests) == 1


def test_patch_answered_with_json_of_another_shape_is_an_unknown_outcome():
    core, adapter, sleeps = make_core(script(Reply(200, {"unexpected": "shape"})))
    with pytest.raises(TunnelApiError) as err:
        core.request("PATCH", "keys/1/", json_body={"name": "b"}, accept=RECORD)
    assert err.value.outcome == "unknown" and "not a record with an id" in str(err.value)


def test_delete_answered_204_or_json_is_done():
    for reply in (Reply(204), Reply(200, {}), Reply(200, {"id": 1})):
        core, adapter, sleeps = make_core(script(reply))
        assert core.request("DELETE", "keys/1/").status in (200, 204)


def test_a_read_of_another_shape_is_an_error_at_once():
    core, adapter, sleeps = make_core(script(Reply(200, ["x"])))
    with pytest.raises(TunnelApiError) as err:
        core.request("GET", "keys/1/", accept=RECORD)
    assert "not a record with an id" in str(err.value) and len(adapter.requests) == 1


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_credential_names_its_option_and_variable(status):
    core, adapter, sleeps = make_core(script(Reply(status, {"detail": "Invalid token."})),
                                      credential_names=("openport_token", ["OPENPORT_TOKEN"]))
    with pytest.raises(TunnelApiError) as err:
        core.request("GET", "keys/")
    assert str(err.value).endswith("returned HTTP %d: Invalid token. The credential was refused: check openport_token "
                                   "(or the OPENPORT_TOKEN environment variable, read when the option is not set)."
                                   % status)
    assert len(adapter.requests) == 1 and sleeps == []


@pytest.mark.parametrize("reply", [Reply(404, {"detail": "Not found."}), Reply(400, {"detail": "Bad."}),
                                   Reply(403, {"error_code": "ERR_NGROK_226", "msg": "rate limited"})])
def test_other_errors_name_no_credential(reply):
    core, adapter, sleeps = make_core(script(reply), retries=0, credential_names=("openport_token", ["OPENPORT_TOKEN"]),
                                      error_parser=lambda status, data, text: (data.get("error_code"), None))
    with pytest.raises(TunnelApiError) as err:
        core.request("GET", "keys/")
    assert "openport_token" not in str(err.value)
