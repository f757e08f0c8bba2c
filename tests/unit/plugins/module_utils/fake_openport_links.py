# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An in-memory Openport account with sessions, open-for-IP links and a click log (no sockets).

Opening a link logs a click from ``address`` (the address the fake server sees), as the real
service does; ``calls`` records every request, ``opened`` every link opened.
"""

from __future__ import annotations

import datetime
import threading

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError

UTC = datetime.timezone.utc
HOST = "https://api.openport.test"
PAGE = "<html><body><h1>Openport</h1><p>Port %s:%d is now available for your IP address %s for 24 hours.</p></body></html>"


def iso(when):
    return when.astimezone(UTC).isoformat()


class FakeCore:
    base_url = HOST + "/api/v2"


class _List:
    def __init__(self, fake, name, rows):
        self.fake, self.name, self.rows = fake, name, rows

    def list(self):
        with self.fake.lock:
            self.fake.calls.append(("GET", self.name))
            return [dict(r) for r in self.rows()]

    def iter(self, walk=None):
        return iter(self.list())


class FakeOpenportLinks:
    """``sessions``: (port, local_port, key name, secret or None); keys connected ``connected`` ago."""

    def __init__(self, sessions=(), address="198.51.100.7", server="openport.test", connected=None, now=None):
        self.now = now or datetime.datetime.now(UTC)
        self.address = address
        self.lock = threading.Lock()
        self.calls, self.opened, self.clicks_log = [], [], []
        self.page = None                      # set to change the page every link answers
        self.fail_ports = {}                  # port -> TunnelApiError raised when its link is opened
        self.core = FakeCore()
        self.key_records, self.records = {}, []
        for index, (port, local_port, name, secret) in enumerate(sessions):
            self.add_session(port, local_port, name, secret, server, connected)
        self.sessions = _List(self, "sessions", lambda: self.records)
        self.keys = _List(self, "keys", lambda: list(self.key_records.values()))
        self.link_clicks = _List(self, "clicks", lambda: self.clicks_log)

    def add_session(self, port, local_port, name, secret, server="openport.test", connected=None):
        key = self.key_records.setdefault(name, {"id": 100 + len(self.key_records), "name": name})
        key["last_connection_time"] = iso(self.now - (connected or datetime.timedelta(hours=30)))
        link = "%s/l/%d/%s" % (HOST, port, secret) if secret is not None else None
        self.records.append({"key": "%s/api/v2/keys/%d/" % (HOST, key["id"]), "port": port, "local_port": local_port,
                             "server": server, "http_forwarding_address": None, "open_port_for_ip_link": link,
                             "redirect_url": "%s/r/TOKEN%d/%d" % (HOST, key["id"], local_port)})

    def click(self, port, source, ago, key_name):
        self.clicks_log.append({"port": port, "source_ip": source, "key_name": key_name,
                                "timestamp": iso(self.now - ago)})

    def open_link(self, url):
        port = int(url.split("/l/")[1].split("/")[0])
        with self.lock:
            self.calls.append(("GET", "link %d" % port))
            if port in self.fail_ports:
                raise self.fail_ports[port]
            record = next(r for r in self.records if r["port"] == port)
            if record["open_port_for_ip_link"] != url:
                raise TunnelApiError("openport", "Not Found", status=404, method="GET", url=url)
            self.opened.append(port)
            name = next(k["name"] for k in self.key_records.values() if record["key"].endswith("/%d/" % k["id"]))
            self.clicks_log.append({"port": port, "source_ip": self.address, "key_name": name,
                                    "timestamp": iso(datetime.datetime.now(UTC))})
        return self.page if self.page is not None else PAGE % (record["server"], port, self.address)

    def reads(self, name):
        return sum(1 for method, what in self.calls if what == name)
