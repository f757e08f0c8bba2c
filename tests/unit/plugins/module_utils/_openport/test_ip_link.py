# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""openport_ip_link: which links are opened, learning the source address, check mode, results."""

from __future__ import annotations

import datetime
import json
import threading
import time

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import (
    TunnelApiError, TunnelConfigError, TunnelResultError)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport import ip_link, ip_link_clicks
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils.fake_module import FakeTM
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils.fake_openport_links import (
    FakeOpenportLinks)

H = datetime.timedelta(hours=1)
ME, OTHER = "198.51.100.7", "203.0.113.66"


def fleet(n=2, **kwargs):
    return FakeOpenportLinks([(6000 + i, 22, "pi-%d" % i, "SECRET%dxyz" % i) for i in range(n)], address=ME, **kwargs)


def run(fake, check_mode=False, cache="", **params):
    params.setdefault("source_ip_cache", cache)
    tm = FakeTM(fake, params=params, check_mode=check_mode)
    return tm, ip_link.run(tm)


def actions(result):
    return dict((e["port"], e["action"]) for e in result["links"])


def test_given_source_without_clicks_opens_every_link_and_masks_them():
    fake = fleet()
    tm, result = run(fake, ports=[6000], sessions=["openport-openport.test-6001"], source_ip=ME)
    assert sorted(fake.opened) == [6000, 6001]
    assert result["changed"] and result["opened"] == 2 and result["unchanged"] == 0
    assert actions(result) == {6000: "opened", 6001: "opened"}
    assert (result["source_ip"], result["source_ip_from"]) == (ME, "option")
    entry = result["links"][0]
    assert entry["link"] == "https://api.openport.test/l/6000/********"
    assert entry["redirect_url"] == "https://api.openport.test/r/********/22"
    assert entry["valid_until"] and "no click from this controller" in entry["reason"]
    assert "SECRET" not in json.dumps(result) and "TOKEN" not in json.dumps(result)
    assert [d["action"] for d in tm.done] == ["opened", "opened"]
    assert result["diff"] == {"before": {"open": []},
                              "after": {"open": ["openport-openport.test-6000", "openport-openport.test-6001"]}}
    # the click log is read once when the address is given
    assert fake.reads("clicks") == 1


def test_a_valid_click_from_the_same_address_is_left_alone():
    fake = fleet()
    fake.click(6000, ME, 2 * H, "pi-0")
    fake.click(6001, OTHER, 1 * H, "pi-1")
    dummy, result = run(fake, ports=[6000, 6001], source_ip=ME)
    assert fake.opened == [6001]
    assert actions(result) == {6000: "unchanged", 6001: "opened"}
    assert result["links"][0]["valid_until"] and "opened from %s" % ME in result["links"][0]["reason"]
    assert result["diff"]["before"] == {"open": ["openport-openport.test-6000"]}


def test_a_click_logged_with_its_port_as_text_counts():
    fake = fleet(1)
    fake.click(6000, ME, 2 * H, "pi-0")
    fake.clicks_log[-1]["port"] = "6000"
    dummy, result = run(fake, ports=[6000], source_ip=ME)
    assert fake.opened == [] and actions(result) == {6000: "unchanged"}


def test_second_run_changes_nothing():
    fake = fleet(3)
    run(fake, ports=[6000, 6001, 6002], source_ip=ME)
    dummy, again = run(fake, ports=[6000, 6001, 6002], source_ip=ME)
    assert not again["changed"] and again["opened"] == 0 and again["unchanged"] == 3
    assert len(fake.opened) == 3


@pytest.mark.parametrize("ago,renew,opened", [
    (23.5 * 3600, 3600, True),     # expires in 30 min: renewed
    (23.5 * 3600, 0, False),       # still valid, renew_before 0
    (22 * 3600, 3600, False),      # 2 h left
    (25 * 3600, 0, True),          # expired
])
def test_renew_before(ago, renew, opened):
    fake = fleet(1)
    fake.click(6000, ME, datetime.timedelta(seconds=ago), "pi-0")
    dummy, result = run(fake, ports=[6000], source_ip=ME, renew_before=renew)
    assert (fake.opened == [6000]) is opened


def test_a_click_older_than_the_session_or_of_another_key_does_not_count():
    fake = fleet(2)
    # pi-0's key connected 30 h ago; pi-1's 10 min ago (a new session on port 6001)
    fake.key_records["pi-1"]["last_connection_time"] = (fake.now - datetime.timedelta(minutes=10)).isoformat()
    fake.click(6000, ME, 2 * H, "other-key")   # same port, another key (another server's session)
    fake.click(6001, ME, 2 * H, "pi-1")        # before pi-1's key connected again: another session's click
    dummy, result = run(fake, ports=[6000, 6001], source_ip=ME)
    assert sorted(fake.opened) == [6000, 6001]
    assert "older than the session" in result["links"][1]["reason"]


def test_unknown_address_is_learned_from_the_clicks_this_run_needed_anyway(tmp_path):
    cache = str(tmp_path / "source.json")
    fake = fleet(3)
    fake.click(6001, ME, 2 * H, "pi-1")
    fake.click(6002, OTHER, 2 * H, "pi-2")
    dummy, result = run(fake, cache=cache, ports=[6000, 6001, 6002])
    # 6000 had no click at all: opened; the log then shows it came from ME, so 6001 is open, 6002 is not
    assert fake.opened == [6000, 6002]
    assert actions(result) == {6000: "opened", 6001: "unchanged", 6002: "opened"}
    assert (result["source_ip"], result["source_ip_from"]) == (ME, "click_log")
    assert fake.reads("clicks") == 2
    with open(cache) as handle:
        saved = json.load(handle)
    assert saved[fake.core.base_url]["source_ip"] == ME and "SECRET" not in json.dumps(saved)
    # the next run knows the address from the file: no click, the log read once
    fake.calls[:] = []
    dummy, again = run(fake, cache=cache, ports=[6000, 6001, 6002])
    assert not again["changed"] and again["source_ip_from"] == "cache" and fake.reads("clicks") == 1


def test_unknown_address_with_every_port_clicked_opens_one_link_to_learn_it():
    fake = fleet(3)
    for port, ago in ((6000, 3), (6001, 5), (6002, 4)):
        fake.click(port, ME, ago * H, "pi-%d" % (port - 6000))
    dummy, result = run(fake, ports=[6000, 6001, 6002])
    assert fake.opened == [6001]               # the oldest click
    assert result["changed"] and result["opened"] == 1 and result["unchanged"] == 2
    assert "to learn the address" in result["links"][1]["reason"]
    assert result["source_ip"] == ME


def test_address_not_in_the_log_after_the_click_opens_every_link_and_warns():
    fake = fleet(3)
    fake.click(6001, ME, 2 * H, "pi-1")
    fake.address = None                       # the log shows no source for the new clicks
    dummy, result = run(fake, ports=[6000, 6001, 6002])
    assert sorted(fake.opened) == [6000, 6001, 6002]
    assert result["source_ip"] is None and "source_ip" in result["warnings"][0]


def test_a_remembered_address_that_changed_is_followed(tmp_path):
    cache = str(tmp_path / "source.json")
    fake = fleet(2)
    ip_link_clicks.remember_source(cache, fake.core.base_url, OTHER, fake.now)
    fake.click(6001, OTHER, 2 * H, "pi-1")     # open for the old address only
    dummy, result = run(fake, cache=cache, ports=[6000, 6001])
    assert sorted(fake.opened) == [6000, 6001]
    assert result["source_ip"] == ME and "now, not from %s" % OTHER in result["warnings"][0]
    assert ip_link_clicks.remembered_source(cache, fake.core.base_url, fake.now) == ME


def test_an_old_remembered_address_is_not_used(tmp_path):
    cache = str(tmp_path / "source.json")
    fake = fleet(1)
    ip_link_clicks.remember_source(cache, fake.core.base_url, ME, fake.now - 2 * H)
    assert ip_link_clicks.remembered_source(cache, fake.core.base_url, fake.now) is None
    assert ip_link_clicks.remembered_source(cache, "https://elsewhere/api/v2", fake.now) is None
    assert ip_link_clicks.cache_path("") is None


def test_check_mode_opens_nothing_and_says_what_would_be_opened():
    fake = fleet(3)
    fake.click(6001, ME, 2 * H, "pi-1")
    fake.click(6002, ME, 2 * H, "pi-2")
    tm, result = run(fake, check_mode=True, ports=[6000, 6001], source_ip=ME)
    assert fake.opened == [] and not any(what.startswith("link") for dummy, what in fake.calls)
    assert actions(result) == {6000: "would_open", 6001: "unchanged"}
    assert result["changed"] and result["opened"] == 1 and tm.done == []
    # without an address, every port with a recent click is a link that may be opened
    dummy, unknown = run(fake, check_mode=True, ports=[6001, 6002])
    assert actions(unknown) == {6001: "would_open", 6002: "would_open"} and fake.opened == []
    assert "not known yet" in unknown["links"][0]["reason"]


def test_no_sessions_given_sends_no_request():
    fake = fleet()
    dummy, result = run(fake, sessions=[])
    assert result["changed"] is False and result["links"] == [] and fake.calls == []


@pytest.mark.parametrize("params,option,text", [
    ({}, "ports", "give the sessions"),
    ({"ports": [6000, 6001, 6000]}, "ports", "6000 is given twice (ports[0] and ports[2])"),
    ({"ports": [0]}, "ports", "not a TCP port"),
    ({"sessions": ["openport-a-1", "openport-a-1"]}, "sessions", "given twice"),
    ({"sessions": ["tn_2ZyxWVuTsRqPoNmLkJiHgFeDcBa"]}, "sessions", "not an Openport session id"),
    ({"ports": [6000], "source_ip": "not-an-address"}, "source_ip", "not an IP address"),
    ({"ports": [6000], "renew_before": 86400}, "renew_before", "less than a day"),
    ({"ports": [6000], "concurrency": 0}, "concurrency", "1 to 64"),
])
def test_bad_options_fail_before_any_request(params, option, text):
    fake = fleet()
    with pytest.raises(TunnelConfigError) as err:
        run(fake, **params)
    assert err.value.option == option and text in str(err.value)
    assert fake.calls == []


@pytest.mark.parametrize("params,option,text", [
    ({"ports": [7000]}, "ports", "no active session of this Openport account has this port"),
    ({"sessions": ["openport-openport.test-7000"]}, "sessions", "may belong to another account"),
    ({"ports": [6000], "sessions": ["openport-openport.test-6000"]}, "sessions",
     "names the same session (openport-openport.test-6000) as ports[0] 6000"),
])
def test_unknown_or_repeated_sessions_fail_before_any_click(params, option, text):
    fake = fleet()
    with pytest.raises(TunnelConfigError) as err:
        run(fake, source_ip=ME, **params)
    assert err.value.option == option and text in str(err.value) and "Nothing was opened" in str(err.value)
    assert fake.opened == [] and fake.reads("clicks") == 0


def test_a_link_without_its_secret_names_the_setting_that_turns_protection_off():
    fake = FakeOpenportLinks([(6000, 22, "pi-0", "SECRETxyz"), (6001, 22, "pi-1", "")], address=ME)
    with pytest.raises(TunnelConfigError) as err:
        run(fake, ports=[6000, 6001])
    text = str(err.value)
    assert err.value.option == "ports" and "ports[1] 6001" in text and "ports[0]" not in text
    assert "ip link protection" in text and "--ip-link-protection False" in text
    assert "https://api.openport.test/l/6001/ without the secret part" in text
    assert fake.opened == []


def test_missing_foreign_or_mismatched_links_and_shared_ports_are_refused():
    fake = FakeOpenportLinks([(6000, 22, "a", None), (6001, 22, "b", "S1xyz"), (6002, 22, "c", "S2xyz")], address=ME)
    fake.records[1]["open_port_for_ip_link"] = "https://api.openport.test/l/9999/S1xyz"
    fake.add_session(6002, 22, "d", "S3xyz", server="us.openport.test")
    with pytest.raises(TunnelConfigError) as err:
        run(fake, ports=[6000, 6001, 6002])
    text = str(err.value)
    assert "ports[0] 6000: the API gives no open-for-IP link" in text
    assert "ports[1] 6001: its open_port_for_ip_link https://api.openport.test/l/9999/******** is not" in text
    assert "ports[2] 6002: 2 sessions have this port" in text and "S1xyz" not in text
    assert fake.opened == []


def test_a_page_without_the_answer_or_a_refused_link_fails_with_what_was_opened():
    fake = fleet(3)
    fake.fail_ports[6001] = TunnelApiError("openport", "Not Found", status=404, method="GET",
                                           url="https://api.openport.test/l/6001/SECRET1xyz")
    fake.page = "<html>Welcome to the hotel wifi</html>"
    with pytest.raises(TunnelResultError) as err:
        run(fake, ports=[6000, 6001], source_ip=ME)
    result = err.value.result
    assert actions(result) == {6000: "failed", 6001: "failed"}
    assert "does not say 'is now available'" in result["links"][0]["error"]
    assert "refresh the inventory" in result["links"][1]["error"]
    assert "SECRET" not in str(err.value) + json.dumps(result)


def test_partial_failure_keeps_the_opened_links_in_the_result():
    fake = fleet(2)
    fake.fail_ports[6001] = TunnelApiError("openport", "connection refused", method="GET", url="x")
    tm = FakeTM(fake, params={"ports": [6000, 6001], "source_ip": ME, "source_ip_cache": ""})
    with pytest.raises(TunnelResultError) as err:
        ip_link.run(tm)
    assert err.value.result["changed"] and actions(err.value.result) == {6000: "opened", 6001: "failed"}
    assert [d["id"] for d in tm.done] == ["openport-openport.test-6000"]


def test_links_are_opened_side_by_side_within_the_concurrency():
    fake = fleet(24)
    state = {"now": 0, "most": 0}
    lock = threading.Lock()
    open_link = fake.open_link

    def slow(url):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        time.sleep(0.02)
        with lock:
            state["now"] -= 1
        return open_link(url)

    fake.open_link = slow
    dummy, result = run(fake, ports=list(range(6000, 6024)), source_ip=ME, concurrency=6)
    assert result["opened"] == 24 and 2 <= state["most"] <= 6
