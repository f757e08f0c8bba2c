# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The openport_ip_link module: open the open-for-IP links of Openport sessions from the controller.

Every port Openport opens is protected by default: a connection is refused until the session's
secret link (``/l/<port>/<secret>``) was opened from the connecting address, which may then reach
the port for 24 hours (notes §1.6). The module reads the sessions and their links from the API
(``/sessions/``), reads the click log once (``/openforiplinkclicks/``) to see which ports are
already open for this controller's address, and opens the others side by side, each answer checked
for "is now available". See ip_link_clicks.py for how the address is known.
"""

from __future__ import annotations

import datetime
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError, TunnelResultError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.masking import mask_text, mask_url
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport.ip_link_clicks import (
    VALIDITY, assess, cache_path, learn_source, recent_clicks, remember_source, remembered_source)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport.ip_link_targets import (
    check_options, select_targets)

AVAILABLE = "is now available"        # what the vendor's tests assert on the page (openport-go utils.py)
UTC = datetime.timezone.utc
NOT_LEARNED = ("the click log does not show which address this run's clicks came from, so every selected link "
               "that may not be open for this controller was opened; give source_ip (or OPENPORT_SOURCE_IP) to "
               "open only the links that need it")


def now_utc():
    return datetime.datetime.now(UTC)


def _stamp(when):
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if when else None


def _both(first, second):
    with ThreadPoolExecutor(max_workers=2) as pool:
        a, b = pool.submit(first), pool.submit(second)
        return a.result(), b.result()


def run(tm):
    request = check_options(tm.params)
    opening = Opening(tm, request)
    if request.empty:
        return opening.result([])
    client = tm.client("openport")
    records, keys = _both(client.sessions.list, client.keys.list)
    targets = select_targets(request, records, keys)
    opening.start(client)
    clicks = recent_clicks(client, set(t["port"] for t in targets), opening.now)
    return opening.run(targets, clicks)


class Opening:
    """One run: which links to open, opening them, learning the source address, the result."""

    def __init__(self, tm, request):
        self.tm = tm
        self.request = request
        self.now = now_utc()
        self.client = None
        self.cache = cache_path(tm.params.get("source_ip_cache"))
        self.source, self.origin = request.source_ip, ("option" if request.source_ip else None)
        self.states = {}
        self.entries = {}
        self.warnings = []

    def start(self, client):
        self.client = client
        if self.source is None:
            self.source = remembered_source(self.cache, client.core.base_url, self.now)
            self.origin = "cache" if self.source else None

    def assess(self, targets, clicks):
        for target in targets:
            self.states[target["id"]] = assess(target, clicks, self.source, self.now, self.request.renew_before)

    def pending(self, targets, states=("click",)):
        return [t for t in targets if t["id"] not in self.entries and self.states[t["id"]][0] in states]

    def run(self, targets, clicks):
        self.assess(targets, clicks)
        if self.tm.check_mode:
            for target in self.pending(targets, ("click", "maybe")):
                self.entries[target["id"]] = self.entry(target, "would_open")
            return self.result(targets)
        first = self.pending(targets)
        maybes = self.pending(targets, ("maybe",))
        if not first and maybes:
            first = [self.probe(maybes)]
        opened = self.open_links(first)
        if opened and self.origin != "option":
            self.open_links(self.after_learning(targets, clicks, opened))
        return self.result(targets)

    def probe(self, maybes):
        """The address is unknown and every port has a recent click from somewhere: the link whose click is
        the oldest is opened first, and the log then shows which address this run's click came from."""
        target = min(maybes, key=lambda t: self.states[t["id"]][2])
        dummy, reason, until = self.states[target["id"]]
        self.states[target["id"]] = ("click", "opened to learn the address Openport sees this controller's clicks "
                                     "come from (%s)" % reason, until)
        return target

    def after_learning(self, targets, clicks, opened):
        """The links still to open once the log has shown (or not) where this run's clicks came from."""
        ports = set(t["port"] for t in opened)
        after = recent_clicks(self.client, ports, self.now)
        learned = learn_source([c for c in clicks if c.port in ports], after, ports)
        if learned is None:
            if self.source is None:
                self.warnings.append(NOT_LEARNED)
                return self.pending(targets, ("click", "maybe"))
            self.warnings.append("this run's clicks are not in the click log yet, so the remembered source "
                                 "address %s was not checked again" % self.source)
            return self.pending(targets)
        if self.source and learned != self.source:
            self.warnings.append("Openport sees this controller's clicks come from %s now, not from %s as "
                                 "remembered" % (learned, self.source))
        self.source, self.origin = learned, "click_log"
        remember_source(self.cache, self.client.core.base_url, learned, self.now)
        self.assess([t for t in targets if t["id"] not in self.entries], clicks)
        return self.pending(targets)

    def open_links(self, targets):
        """Open the links side by side (at most ``concurrency`` at once); the targets opened."""
        if not targets:
            return []
        workers = min(self.request.concurrency, len(targets))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(self.open_one, targets))
        opened = []
        for target, when, error in outcomes:
            if error is None:
                self.tm.record("opened", id=target["id"], port=target["port"])
                self.entries[target["id"]] = self.entry(target, "opened", when + VALIDITY)
                opened.append(target)
            else:
                self.entries[target["id"]] = self.entry(target, "failed", error=error)
        return opened

    def open_one(self, target):
        try:
            page = self.client.open_link(target["link"])
        except TunnelApiError as exc:
            return target, None, mask_text("opening the link failed: %s (the session may have ended or moved "
                                           "to another port: refresh the inventory)" % exc)
        if AVAILABLE not in (page or ""):
            return target, None, mask_text("the link answered, but its page does not say %r, so the port may "
                                           "still be closed: %s" % (AVAILABLE, " ".join(str(page).split())[:200]))
        return target, now_utc(), None

    def entry(self, target, action, valid_until=None, error=None):
        reason, until = self.states.get(target["id"], ("click", None, None))[1:]
        entry = dict((k, target[k]) for k in ("id", "port", "server", "local_port", "key_name", "redirect_url"))
        entry.update(action=action, reason=reason, link=mask_url(target["link"]),
                     valid_until=_stamp(valid_until or (until if action == "unchanged" else None)))
        if error:
            entry["error"] = error
        return entry

    def result(self, targets):
        links = [self.entries.get(t["id"]) or self.entry(t, "unchanged") for t in targets]
        count = dict((a, sum(1 for e in links if e["action"] == a)) for a in ("opened", "would_open", "failed"))
        result = {"changed": bool(count["opened"] or count["would_open"]), "links": links,
                  "opened": count["opened"] + count["would_open"],
                  "unchanged": sum(1 for e in links if e["action"] == "unchanged"),
                  "source_ip": self.source, "source_ip_from": self.origin}
        if self.tm.diff:
            before = sorted(e["id"] for e in links if e["action"] == "unchanged")
            after = sorted(e["id"] for e in links if e["action"] != "failed")
            result["diff"] = {"before": {"open": before}, "after": {"open": after}}
        if count["failed"]:
            failed = [e for e in links if e["action"] == "failed"]
            raise TunnelResultError("%d of %d links could not be opened: %s%s" % (len(failed), len(links), "; ".join(
                "%s: %s" % (e["id"], e["error"]) for e in failed), "".join(". " + w for w in self.warnings)), result)
        if self.warnings:
            result["warnings"] = list(self.warnings)
        return result
