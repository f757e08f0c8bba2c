# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.masking import (
    MASK, mask_text, mask_url, redact, register_secret)


def test_mask_url_query_token_anywhere():
    assert mask_url("https://api.openport.io/api/v2/keys/?limit=100&offset=100&token=abc123") == \
        "https://api.openport.io/api/v2/keys/?limit=100&offset=100&token=" + MASK
    assert mask_url("https://x/keys/?token=abc&limit=1") == "https://x/keys/?token=%s&limit=1" % MASK


def test_mask_url_open_for_ip_secret():
    assert mask_url("https://openport.io/l/12345/abscsqdfklmagsdgq") == "https://openport.io/l/12345/" + MASK
    assert mask_url("https://api.openport.io/l/6260/") == "https://api.openport.io/l/6260/"


def test_mask_url_redirect_token():
    # /r/<token>/<local_port>: the token finds the key's current port (a capability, masked like the link).
    assert mask_url("https://api.openport.io/r/pdDrqgF7/22") == "https://api.openport.io/r/%s/22" % MASK
    assert mask_text("302 from http://127.0.0.1:9/openport/r/tNGHAEe/2222 to x") == \
        "302 from http://127.0.0.1:9/openport/r/%s/2222 to x" % MASK
    assert mask_url("https://example.test/r/docs/page") == "https://example.test/r/docs/page"


def test_mask_text_bearer_json_and_known():
    text = 'Authorization: Bearer abc.def-123 {"token": "cr_tok_1", "token_value": "AAXXYY99F"}'
    masked = mask_text(text)
    assert "abc.def-123" not in masked and "cr_tok_1" not in masked and "AAXXYY99F" not in masked
    register_secret("canary-xyz-987")
    assert mask_text("error: canary-xyz-987 rejected") == "error: %s rejected" % MASK
    assert mask_text("short", secrets=["abc"]) == "short"


def test_redact_removes_secret_fields_recursively():
    rec = {"id": "9345", "token": None, "tokenId": 392084, "virtualToken": "sJsufpgMMl-10003",
           "nested": [{"token_value": "AAXXYY99F", "domains": ["a"]}]}
    out = redact(rec)
    assert out == {"id": "9345", "tokenId": 392084, "nested": [{"domains": ["a"]}]}
    assert rec["nested"][0]["token_value"] == "AAXXYY99F"


def test_mask_text_token_assignment_in_prose():
    assert mask_text("refused token=abc123 for key") == "refused token=%s for key" % MASK
    assert mask_text("token=abc123") == "token=" + MASK
    assert mask_text("my_token=abc123") == "my_token=abc123"


def test_redact_never_rewrites_user_data():
    record = {"id": "cr_1", "description": "bearer tokens for the basic plan", "metadata": '{"auth": "Basic x1"}',
              "name": "login with token=abc123 please", "comment": "see /l/123/abc for details",
              "acl": ["bind:bearer.example.com"]}
    assert redact(record) == record


def test_mask_text_keeps_free_text_and_masks_known_fields():
    assert mask_text("the description 'use bearer auth' is 25 bytes") == "the description 'use bearer auth' is 25 bytes"
    assert mask_text("basic plan") == "basic plan"
    assert mask_text("Authorization: Bearer abc.def-123") == "Authorization: Bearer " + MASK
    assert "dXNlcjpwYXNz" not in mask_text('{"Authorization": "Basic dXNlcjpwYXNz"}')


def test_redact_masks_known_secrets_and_urls_with_secrets():
    register_secret("KnownSecret-4711")
    record = {"description": "copied KnownSecret-4711 here", "uri": "https://api.test/keys/?token=abc123",
              "open_port_for_ip_link": "https://openport.io/l/6260/s3cretpart", "token": "other-secret-99",
              "nested": {"note": "other-secret-99 again"}}
    shown = redact(record)
    assert shown["description"] == "copied %s here" % MASK
    assert shown["uri"] == "https://api.test/keys/?token=" + MASK
    assert shown["open_port_for_ip_link"] == "https://openport.io/l/6260/" + MASK
    assert "token" not in shown
    # The value of a secret field is a known secret from then on, wherever it appears.
    assert shown["nested"]["note"] == "%s again" % MASK


def test_a_record_secret_is_masked_in_later_messages_and_lists_are_redacted_record_by_record():
    first, second = {"id": "a", "virtualToken": "vt-first-0001"}, {"id": "b", "note": "vt-first-0001"}
    assert redact([first, second]) == [{"id": "a"}, {"id": "b", "note": "vt-first-0001"}]
    # Records are masked against this run's secrets and their own (linear in a fleet's size); messages against all.
    assert mask_text("the agent vt-first-0001 failed") == "the agent %s failed" % MASK
    register_secret("RunCredential-77")
    assert redact({"id": "c", "note": "RunCredential-77"}) == {"id": "c", "note": MASK}
