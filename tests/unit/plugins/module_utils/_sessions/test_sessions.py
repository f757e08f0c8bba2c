# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the normalized session and history (plugins/module_utils/sessions.py, history.py)."""

from __future__ import annotations

import datetime
import json

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions import history as hist
from ansible_collections.tunnelops.tunnels.plugins.module_utils import connection
from ansible_collections.tunnelops.tunnels.plugins.module_utils._common import addresses, providers, timestamps
from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions import collect, info, normalize, query
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import (
    TunnelApiError, TunnelConfigError, TunnelDependencyError, TunnelResultError)
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils.fake_module import FakeTM

TODAY = datetime.date(2026, 11, 25)


# -- timestamps -------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("2025-09-04T10:11:14Z", "2025-09-04T10:11:14Z"),                      # ngrok
    ("2022-06-19T16:29:25+02:00", "2022-06-19T14:29:25Z"),                 # Openport, whole seconds
    ("2023-04-11T06:17:26.261628+02:00", "2023-04-11T04:17:26.261628Z"),   # Openport, microseconds
    ("2023-04-11T06:17:26.261628Z", "2023-04-11T06:17:26.261628Z"),        # Openport variant with Z
    ("2024-08-23T04:04:36.083+00:00", "2024-08-23T04:04:36.083Z"),         # Pinggy, milliseconds
    ("2024-08-23T04:04:36.083+0000", "2024-08-23T04:04:36.083Z"),
    ("2024-01-01T00:30:00-01:30", "2024-01-01T02:00:00Z"),
    ("2024-03-01T00:30:00+01:00", "2024-02-29T23:30:00Z"),                 # crosses a leap day
    ("2024-08-23T04:04:36", "2024-08-23T04:04:36Z"),                       # naive counts as UTC
    ("2024-08-23 04:04:36.1z", "2024-08-23T04:04:36.100Z"),
    (1724385876083, "2024-08-23T04:04:36.083Z"),                           # epoch milliseconds
    (1724385876, "2024-08-23T04:04:36Z"),                                  # epoch seconds
    (None, None), ("", None), ("yesterday", None), ("2024-13-40T00:00:00Z", None), (True, None),
])
def test_to_utc(value, expected):
    assert timestamps.to_utc(value) == expected


# -- Openport -----------------------------------------------------------------------

OPENPORT_KEYS = {
    15371: {"id": 15371, "name": "root@HQ", "url": "https://api.openport.io/api/v2/keys/15371/",
            "redirect_token": "tNGHAEe"},
}


def test_openport_tcp_session_with_joined_key():
    record = {
        "key": "https://api.openport.io/api/v2/keys/15371/", "port": 6260, "local_port": 22,
        "server": "openport.io", "http_forwarding_address": None,
        "open_port_for_ip_link": "https://api.openport.io/l/6260/s3cr3tlinkpart",
        "redirect_url": "https://api.openport.io/r/pdDrqgF7/22",
    }
    entry = normalize.normalize_openport_session(record, OPENPORT_KEYS)
    assert entry == {
        "provider": "openport", "id": "openport-openport.io-6260", "session_id": "openport-openport.io-6260",
        "public_host": "openport.io", "public_port": 6260, "public_url": "tcp://openport.io:6260",
        "protocol": "tcp", "udp": False, "local_port": 22, "key_id": "15371", "key_name": "root@HQ",
        "key_known": True, "region": "openport.io", "started_at": None, "client_ip": None,
        "agent_version": None, "protected": True, "redirect_url": "https://api.openport.io/r/********/22",
        "raw": dict(record, open_port_for_ip_link="https://api.openport.io/l/6260/********",
                    redirect_url="https://api.openport.io/r/********/22"),
    }
    assert "s3cr3tlinkpart" not in json.dumps(entry) and "pdDrqgF7" not in json.dumps(entry)
    assert sorted(entry) == sorted(normalize.SESSION_FIELDS)


def test_openport_http_forward_and_unknown_key():
    record = {"key": "https://api.openport.io/api/v2/keys/4642/", "port": 40497, "local_port": 8081,
              "server": "us.openport.io", "http_forwarding_address": "abcde.u.openport.io"}
    entry = normalize.normalize_openport_session(record, OPENPORT_KEYS)
    assert entry["protocol"] == "http"
    assert entry["public_host"] == "abcde.u.openport.io"
    assert entry["public_url"] == "https://abcde.u.openport.io"
    assert entry["public_port"] == 40497
    assert entry["region"] == "us.openport.io"
    assert (entry["key_id"], entry["key_name"], entry["key_known"]) == ("4642", None, False)


def test_openport_protection_is_known_from_the_link_only():
    # A session with an open-for-IP link is protected (the default: notes §1.6); without one, the API does not say.
    record = {"port": 6260, "server": "openport.io", "open_port_for_ip_link": "https://api.openport.io/l/6260/"}
    assert normalize.normalize_openport_session(record)["protected"] is True
    bare = normalize.normalize_openport_session({"port": 6260, "server": "openport.io", "redirect_url": ""})
    assert (bare["protected"], bare["redirect_url"]) == (None, None)


def test_openport_missing_fields():
    entry = normalize.normalize_openport_session({})
    assert entry["id"] == "openport-unknown-unknown"
    assert (entry["public_host"], entry["public_port"], entry["public_url"]) == (None, None, None)
    assert (entry["key_id"], entry["key_known"], entry["local_port"]) == (None, False, None)
    assert entry["protocol"] == "tcp"


# -- ngrok ----------------------------------------------------------------------------

NGROK_SESSION = {
    "id": "ts_32ELFaAa1bBb2cCc3dDd4eEe5fF", "agent_version": "3.5.0", "ip": "203.0.113.7",
    "credential": {"id": "cr_32ELEkz2jOTMtPWtYLYm5yxBjvW", "uri": "https://api.ngrok.com/credentials/cr_x"},
    "region": "eu", "started_at": "2025-09-04T10:00:00Z", "transport": "ngrok/2", "os": "linux",
    "uri": "https://api.ngrok.com/tunnel_sessions/ts_32ELFaAa1bBb2cCc3dDd4eEe5fF",
}
NGROK_CREDENTIALS = [
    {"id": "cr_32ELEkz2jOTMtPWtYLYm5yxBjvW", "description": "web-01 agent", "token": None, "acl": []},
    {"id": "sshcr_32ELEkz2jOTMtPWtYLYm5yxBjvX", "description": "ssh device 7",
     "public_key": "ssh-ed25519 AAAA dev7"},
]


def _tunnel(tid, url, proto, forwards_to, session_id=NGROK_SESSION["id"]):
    return {"id": tid, "public_url": url, "proto": proto, "forwards_to": forwards_to,
            "started_at": "2025-09-04T10:11:14Z", "region": "us",
            "tunnel_session": {"id": session_id, "uri": "https://api.ngrok.com/tunnel_sessions/" + session_id}}


def test_ngrok_tcp_and_https_tunnels_of_one_session():
    tcp = _tunnel("tn_1", "tcp://1.tcp.ngrok.io:20002", "tcp", "localhost:22")
    web = _tunnel("tn_2", "https://abc.ngrok.app", "https", "http://localhost:8080")
    entries = normalize.normalize_ngrok_sessions([NGROK_SESSION], [tcp, web], NGROK_CREDENTIALS)
    assert [e["id"] for e in entries] == ["tn_1", "tn_2"]
    first, second = entries
    assert (first["public_host"], first["public_port"], first["public_url"], first["protocol"]) == \
        ("1.tcp.ngrok.io", 20002, "tcp://1.tcp.ngrok.io:20002", "tcp")
    assert (second["public_host"], second["public_port"], second["protocol"]) == ("abc.ngrok.app", 443, "https")
    assert (first["local_port"], second["local_port"]) == (22, 8080)
    # a TCP tunnel is open to anyone who knows its address; whether an HTTPS one has a policy is unknown
    assert (first["protected"], second["protected"]) == (False, None)
    assert (first["redirect_url"], second["redirect_url"]) == (None, None)
    for entry in entries:
        assert entry["session_id"] == NGROK_SESSION["id"]
        assert (entry["key_id"], entry["key_name"], entry["key_known"]) == \
            ("cr_32ELEkz2jOTMtPWtYLYm5yxBjvW", "web-01 agent", True)
        assert (entry["region"], entry["client_ip"], entry["agent_version"]) == ("eu", "203.0.113.7", "3.5.0")
        assert entry["started_at"] == "2025-09-04T10:11:14Z"
        assert entry["raw"]["session"] == NGROK_SESSION
    assert first["raw"]["tunnel"] == tcp


def test_ngrok_http_url_without_port_and_forward_without_port():
    entry = normalize.normalize_ngrok_tunnel(_tunnel("tn_3", "http://abc.ngrok.app", "http", "http://localhost"),
                                             NGROK_SESSION, {})
    assert (entry["public_port"], entry["local_port"]) == (80, None)
    assert (entry["key_name"], entry["key_known"]) == (None, False)


def test_ngrok_session_without_tunnels_and_ssh_credential():
    session = dict(NGROK_SESSION, id="ts_2", credential={"id": "sshcr_32ELEkz2jOTMtPWtYLYm5yxBjvX"},
                   transport="ssh")
    entries = normalize.normalize_ngrok_sessions([session], [], NGROK_CREDENTIALS)
    assert len(entries) == 1
    entry = entries[0]
    assert (entry["id"], entry["session_id"]) == ("ts_2", "ts_2")
    assert (entry["public_host"], entry["public_port"], entry["public_url"], entry["protocol"]) == \
        (None, None, None, None)
    assert (entry["key_name"], entry["key_known"]) == ("ssh device 7", True)
    assert entry["started_at"] == "2025-09-04T10:00:00Z"
    assert entry["raw"] == {"tunnel": None, "session": session}
    assert entry["protected"] is None


def test_ngrok_tunnel_whose_session_is_gone():
    entries = normalize.normalize_ngrok_sessions([], [_tunnel("tn_9", "tls://x.ngrok.app", "tls", "", "ts_gone")])
    assert entries[0]["session_id"] == "ts_gone"
    assert (entries[0]["public_port"], entries[0]["key_id"], entries[0]["client_ip"]) == (443, None, None)


def test_ngrok_raw_drops_tokens():
    session = dict(NGROK_SESSION, token="32ELEkz2_secrettoken")
    entry = normalize.normalize_ngrok_tunnel(None, session, {})
    assert "secrettoken" not in json.dumps(entry)


# -- Pinggy -----------------------------------------------------------------------------

PINGGY_ACTIVE = {
    "id": "9345b393-d916-4a2e-816a-3347468a03c0", "userId": 4490909, "tokenId": 392084,
    "token": "AAXXYY99F", "tokenName": "edge-router", "virtualToken": "sJsufpgMMl-10003",
    "virtualTokenName": None, "subdomain": "mytest.v.awesomeapp.a.pinggy.link", "customdomain": None,
    "mode": "tcp", "modeUdp": "", "port": 10003,
    "creationTimestamp": "2024-08-23T04:04:36.083+00:00", "lastUpdateTimestamp": "2024-08-23T04:04:37.780+00:00",
}


def test_pinggy_tcp_session():
    entry = normalize.normalize_pinggy_session(PINGGY_ACTIVE)
    raw = dict(PINGGY_ACTIVE)
    del raw["token"], raw["virtualToken"]
    assert entry == {
        "provider": "pinggy", "id": PINGGY_ACTIVE["id"], "session_id": PINGGY_ACTIVE["id"],
        "public_host": "mytest.v.awesomeapp.a.pinggy.link", "public_port": 10003,
        "public_url": "tcp://mytest.v.awesomeapp.a.pinggy.link:10003", "protocol": "tcp", "udp": False,
        "local_port": None, "key_id": "392084", "key_name": "edge-router", "key_known": True, "region": None,
        "started_at": "2024-08-23T04:04:36.083Z", "client_ip": None, "agent_version": None, "protected": None,
        "redirect_url": None, "raw": raw,
    }
    text = json.dumps(entry)
    assert "AAXXYY99F" not in text and "sJsufpgMMl" not in text


def test_pinggy_http_session_with_custom_domain_only():
    record = dict(PINGGY_ACTIVE, mode="http", port=None, subdomain=None, customdomain="app.example.com",
                  tokenId=None, tokenName=None, creationTimestamp="2024-08-23T06:04:36.083+02:00")
    entry = normalize.normalize_pinggy_session(record)
    assert (entry["public_host"], entry["public_port"], entry["public_url"]) == \
        ("app.example.com", 443, "https://app.example.com")
    assert (entry["key_id"], entry["key_known"]) == (None, False)
    assert entry["started_at"] == "2024-08-23T04:04:36.083Z"


@pytest.mark.parametrize("mode, mode_udp, protocol, udp, url", [
    ("tcp", "udp", "tcp", True, "tcp://h.a.pinggy.link:10003"),
    ("", "udp", "udp", True, "udp://h.a.pinggy.link:10003"),
    (None, "UDP", "udp", True, "udp://h.a.pinggy.link:10003"),
    ("tlstcp", "", "tlstcp", False, "tcp://h.a.pinggy.link:10003"),
    ("tls", None, "tls", False, "tls://h.a.pinggy.link"),
])
def test_pinggy_modes(mode, mode_udp, protocol, udp, url):
    entry = normalize.normalize_pinggy_session(dict(PINGGY_ACTIVE, mode=mode, modeUdp=mode_udp,
                                                    subdomain="h.a.pinggy.link"))
    assert (entry["protocol"], entry["udp"], entry["public_url"]) == (protocol, udp, url)


def test_pinggy_missing_fields():
    entry = normalize.normalize_pinggy_session({"id": "x"})
    assert (entry["public_host"], entry["public_url"], entry["protocol"], entry["started_at"]) == \
        (None, None, None, None)


# -- history -----------------------------------------------------------------------------

PINGGY_HISTORY_ROW = {
    "start_time": "2025-02-06T16:16:44.571+00:00", "end_time": "2025-02-07T06:15:26.294+00:00",
    "user_email": "youremail@example.com", "token_value": "AAXXYY99F", "virtual_token_value": "vt-SECRET-1",
    "domains": ["test.example.com", "test.a.pinggy.link"], "mode": "http", "mode_udp": "",
    "client_ip": "[5.7.152.215]:48696", "port": None,
}


def test_pinggy_history_row():
    entry = hist.normalize_pinggy_history(PINGGY_HISTORY_ROW)
    raw = dict(PINGGY_HISTORY_ROW)
    del raw["token_value"], raw["virtual_token_value"]
    assert entry == {
        "provider": "pinggy", "kind": "session", "started_at": "2025-02-06T16:16:44.571Z",
        "ended_at": "2025-02-07T06:15:26.294Z", "client_ip": "5.7.152.215", "client_port": 48696,
        "public_host": "test.example.com", "public_hosts": ["test.example.com", "test.a.pinggy.link"],
        "public_port": None, "protocol": "http", "udp": False, "key_name": None, "raw": raw,
    }
    assert "AAXXYY99F" not in json.dumps(entry) and "vt-SECRET-1" not in json.dumps(entry)


@pytest.mark.parametrize("value, ip, port", [
    ("[5.7.152.215]:48696", "5.7.152.215", 48696),
    ("[2001:db8::1]:22", "2001:db8::1", 22),
    ("[2001:db8::1]", "2001:db8::1", None),
    ("1.2.3.4:5", "1.2.3.4", 5),
    ("1.2.3.4", "1.2.3.4", None),
    ("2001:db8::1", "2001:db8::1", None),
    (None, None, None), ("", None, None),
])
def test_split_client_address(value, ip, port):
    assert addresses.split_client_address(value) == (ip, port)


def test_pinggy_history_tcp_row_without_domains():
    row = dict(PINGGY_HISTORY_ROW, mode="tcp", mode_udp="udp", port=10003, domains=None, end_time=None)
    entry = hist.normalize_pinggy_history(row)
    assert (entry["protocol"], entry["udp"], entry["public_port"]) == ("tcp", True, 10003)
    assert (entry["public_host"], entry["public_hosts"], entry["ended_at"]) == (None, [], None)


@pytest.mark.parametrize("timestamp, expected", [
    ("2021-11-15T18:23:34.113431+01:00", "2021-11-15T17:23:34.113431Z"),
    ("2021-11-15T17:23:34.113431Z", "2021-11-15T17:23:34.113431Z"),
    ("2021-11-15T18:23:34+01:00", "2021-11-15T17:23:34Z"),
])
def test_openport_click(timestamp, expected):
    row = {"port": 12345, "source_ip": "1.2.3.4", "timestamp": timestamp, "key_name": "EURO44"}
    entry = hist.normalize_openport_click(row)
    assert entry == {
        "provider": "openport", "kind": "link_click", "started_at": expected, "ended_at": None,
        "client_ip": "1.2.3.4", "client_port": None, "public_host": None, "public_hosts": [],
        "public_port": 12345, "protocol": None, "udp": False, "key_name": "EURO44", "raw": row,
    }


def test_history_window_defaults_to_a_week_ending_today():
    assert hist.history_window(today=TODAY) == (datetime.date(2026, 11, 19), TODAY)


def test_history_window_pinggy_limit_names_history_from():
    with pytest.raises(TunnelConfigError) as err:
        hist.history_window("2026-09-25", "2026-10-01", providers=("pinggy",), today=TODAY)
    assert err.value.option == "history_from"
    assert "more than 60 days ago" in str(err.value)
    assert hist.history_window("2026-09-26", None, providers=("pinggy",), today=TODAY)[0] == \
        datetime.date(2026, 9, 26)


def test_history_window_old_end_without_start():
    with pytest.raises(TunnelConfigError) as err:
        hist.history_window(None, "2026-01-01", providers=("pinggy",), today=TODAY)
    assert err.value.option == "history_to"


def test_history_window_from_after_to():
    for chosen in (("pinggy",), ("openport",)):
        with pytest.raises(TunnelConfigError) as err:
            hist.history_window("2026-11-20", "2026-11-10", providers=chosen, today=TODAY)
        assert err.value.option == "history_to"
        assert "2026-11-10 is before history_from 2026-11-20" in str(err.value)


def test_history_window_openport_has_no_60_day_limit():
    assert hist.history_window("2025-01-01", "2025-02-01", providers=("openport",), today=TODAY) == \
        (datetime.date(2025, 1, 1), datetime.date(2025, 2, 1))


def test_history_window_bad_date():
    with pytest.raises(TunnelConfigError) as err:
        hist.history_window("25/11/2026", None, today=TODAY)
    assert err.value.option == "history_from"


# -- collecting ------------------------------------------------------------------------

class FakeList:
    def __init__(self, give):
        self.list = give

    def iter(self, walk=None):
        return iter(self.list())


class FakeClient:
    def __init__(self, **lists):
        self.lists = lists
        self.calls = []
        self.stats = {"requests": 0}

    def _give(self, name):
        self.calls.append(name)
        value = self.lists[name]
        if isinstance(value, Exception):
            raise value
        return value

    @property
    def sessions(self):
        return FakeList(lambda: self._give("sessions"))

    @property
    def keys(self):
        return FakeList(lambda: self._give("keys"))

    @property
    def link_clicks(self):
        return FakeList(lambda: self._give("clicks"))

    def list_active_sessions(self):
        return self._give("active")

    def list_many(self, names):
        self.calls.append(tuple(names))
        return dict((n, self.lists[n]) for n in names)

    def iter_history(self, start, end, walk=None, today=None):
        self.calls.append(("history", start, end))
        return iter(self.lists["history"])


def test_collect_sessions_joins_keys_once_and_reports_a_failed_provider():
    openport = FakeClient(sessions=[{"key": "https://x/api/v2/keys/15371/", "port": p, "server": "openport.io"}
                                    for p in (1, 2, 3)], keys=list(OPENPORT_KEYS.values()))
    ngrok = FakeClient(tunnel_sessions=[NGROK_SESSION], tunnels=[], credentials=NGROK_CREDENTIALS[:1],
                       ssh_credentials=[])
    pinggy = FakeClient(active=TunnelApiError("pinggy", "Unauthorized", status=401, method="GET",
                                              url="http://127.0.0.1/pinggy/session/active"))
    found, errors = collect.collect_sessions({"pinggy": pinggy, "ngrok": ngrok, "openport": openport})
    assert [e["provider"] for e in found] == ["openport"] * 3 + ["ngrok"]
    assert all(e["key_name"] == "root@HQ" for e in found[:3])
    assert sorted(openport.calls) == ["keys", "sessions"]
    assert ngrok.calls == [("tunnel_sessions", "tunnels", "credentials", "ssh_credentials")]
    assert errors == [{"provider": "pinggy", "status": 401, "code": None,
                       "message": "pinggy API GET http://127.0.0.1/pinggy/session/active returned HTTP 401: "
                                  "Unauthorized"}]


def test_collect_sessions_unexpected_answer_is_a_provider_error():
    found, errors = collect.collect_sessions({"pinggy": FakeClient(active=[None])})
    assert found == []
    assert errors[0]["provider"] == "pinggy"
    assert "could not read the answer (AttributeError" in errors[0]["message"]


def test_collect_history_filters_clicks_by_window_and_sorts():
    clicks = [{"port": 1, "source_ip": "1.1.1.1", "timestamp": "2026-11-20T00:30:00+01:00", "key_name": "a"},
              {"port": 2, "source_ip": "2.2.2.2", "timestamp": "2026-11-21T10:00:00Z", "key_name": "b"},
              {"port": 3, "source_ip": "3.3.3.3", "timestamp": "2026-11-24T23:30:00-01:00", "key_name": "c"}]
    pinggy = FakeClient(history=[dict(PINGGY_HISTORY_ROW, start_time="2026-11-21T09:00:00.000+00:00")])
    entries, errors = hist.collect_history({"openport": FakeClient(clicks=clicks), "pinggy": pinggy},
                                           datetime.date(2026, 11, 20), datetime.date(2026, 11, 24),
                                           today=TODAY)
    assert errors == []
    # 2026-11-20T00:30+01:00 is the 19th in UTC; 2026-11-24T23:30-01:00 is the 25th.
    assert [(e["provider"], e["client_ip"]) for e in entries] == [("pinggy", "5.7.152.215"),
                                                                  ("openport", "2.2.2.2")]
    assert pinggy.calls == [("history", datetime.date(2026, 11, 20), datetime.date(2026, 11, 24))]


# -- choosing, filtering, querying -------------------------------------------------------

def test_select_providers_defaults_to_those_with_credentials():
    params = {"openport_token": "t", "ngrok_api_key": None, "pinggy_api_key": "k"}
    assert connection.select_providers(params) == ["openport", "pinggy"]
    assert connection.select_providers(params, supported=("openport",)) == ["openport"]


def test_select_providers_named_without_credential():
    with pytest.raises(TunnelConfigError) as err:
        connection.select_providers({"openport_token": "t"}, ["openport", "ngrok"])
    assert err.value.option == "ngrok_api_key"
    assert "NGROK_API_KEY" in str(err.value)


def test_select_providers_none_configured():
    with pytest.raises(TunnelConfigError) as err:
        connection.select_providers({})
    assert err.value.option == "providers"
    assert "openport_token (or OPENPORT_TOKEN)" in str(err.value)


def test_select_providers_unsupported():
    with pytest.raises(TunnelConfigError) as err:
        connection.select_providers({"ngrok_api_key": "k"}, ["ngrok"], supported=("openport", "pinggy"))
    assert "'ngrok' is not a provider" in str(err.value)


SAMPLE = [
    dict(normalize._session("openport"), id="a", protocol="tcp", key_name="web-01", public_port=6260, local_port=22),
    dict(normalize._session("ngrok"), id="b", protocol="https", key_name="web-02", public_port=443, local_port=8080),
    dict(normalize._session("pinggy"), id="c", protocol="tcp", udp=True, key_name="db", public_port=10003),
    dict(normalize._session("pinggy"), id="d", protocol="udp", udp=True, key_name=None, public_port=10004),
]


@pytest.mark.parametrize("kwargs, ids", [
    ({}, ["a", "b", "c", "d"]),
    ({"providers": ["pinggy"]}, ["c", "d"]),
    ({"protocols": ["TCP"]}, ["a", "c"]),
    ({"protocols": ["udp"]}, ["c", "d"]),
    ({"key_names": ["web-*"]}, ["a", "b"]),
    ({"key_names": ["db", "web-02"]}, ["b", "c"]),
    ({"ports": [22, 10004]}, ["a", "d"]),
    ({"ports": [443], "providers": ["ngrok", "openport"]}, ["b"]),
])
def test_filter_sessions(kwargs, ids):
    assert [s["id"] for s in query.filter_sessions(SAMPLE, **kwargs)] == ids


def test_query_sessions():
    assert query.query_sessions(SAMPLE, "[?udp].id") == ["c", "d"]
    assert query.query_sessions(SAMPLE, query.compile_query("length(@)")) == 4


def test_query_sessions_bad_expression():
    with pytest.raises(TunnelConfigError) as err:
        query.compile_query("[?udp")
    assert err.value.option == "query"
    with pytest.raises(TunnelConfigError):
        query.query_sessions(SAMPLE, "sum([].id)")


# -- the info modules' glue ---------------------------------------------------------------

def test_prepare_info_without_jmespath_fails_only_when_query_is_used(monkeypatch):
    monkeypatch.setattr(query, "HAS_JMESPATH", False)
    tm = FakeTM(FakeClient(), dict(pinggy_api_key="k", providers=None, query=None))
    clients, compiled = info.prepare_info(tm, providers.PROVIDERS)
    assert (list(clients), compiled) == (["pinggy"], None)
    tm = FakeTM(FakeClient(), dict(pinggy_api_key="k", providers=None, query="[].id"))
    with pytest.raises(TunnelDependencyError) as err:
        info.prepare_info(tm, providers.PROVIDERS)
    assert err.value.library == "jmespath" and "query option" in str(err.value)
    assert tm.built == []


def test_info_result_strict_fails_with_the_errors():
    client = FakeClient()
    client.stats["requests"] = 3
    error = {"provider": "ngrok", "message": "ngrok API: boom", "status": 500, "code": None}
    tm = FakeTM(params=dict(strict=False))
    result = info.info_result(tm, {"ngrok": client}, "sessions", [], [error], query.compile_query("length(@)"))
    assert result == {"changed": False, "sessions": [], "errors": [error], "providers": ["ngrok"],
                      "api_requests": {"ngrok": 3}, "query_result": 0}
    tm = FakeTM(params=dict(strict=True))
    with pytest.raises(TunnelResultError) as err:
        info.info_result(tm, {"ngrok": client}, "sessions", [], [error])
    assert str(err.value) == "strict is true and 1 of 1 providers failed: ngrok API: boom"
    assert err.value.result["errors"] == [error]
