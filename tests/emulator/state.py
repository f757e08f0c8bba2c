"""The emulator's in-memory world: one account per provider plus a few foreign objects.

Records keep datetimes and internal flags (keys starting with "_"); the provider
modules turn them into API representations at response time, so a config switch
(e.g. Openport's timestamp style) applies to everything already stored.
"""

from __future__ import annotations

import random

from .common import Collection, ksuid, utcnow


class OpenportState:
    def __init__(self):
        self.keys = Collection()           # this account's keys, int ids
        self.foreign_keys = Collection()   # keys registered by "another account"
        self.pub_index = {}                # (type, blob) -> key id, across ALL accounts
        self.sessions = []                 # active sessions (no ids in the API)
        self.clicks = []                   # link clicks; see ordered_clicks()
        self.clicks_sorted = True
        self.nodes = []
        self.next_id = 1
        self.counter_reset_time = None
        # Link secrets and session tokens: a stream of their own, so they never shift the seed's values.
        self.link_rng = random.Random("tunnelops-emulator/openport-links")

    def ordered_clicks(self):
        """Clicks in ascending timestamp order (sorted lazily after out-of-order inserts)."""
        if not self.clicks_sorted:
            self.clicks.sort(key=lambda r: r["timestamp"])
            self.clicks_sorted = True
        return self.clicks


class NgrokState:
    COLLECTIONS = ("api_keys", "credentials", "ssh_credentials", "tunnel_sessions", "tunnels", "endpoints")

    def __init__(self):
        for name in self.COLLECTIONS:
            setattr(self, name, Collection())
        self.foreign_ssh = {}              # (type, blob) -> key text, keys used by another account
        self.owner_id = None               # the account's user id (usr_...)
        self.id_seq = 0
        self.revoked_tokens = set()        # tokens of deleted API keys: ERR_NGROK_203 from then on
        self.leaving = {}                  # stopped session id -> time.monotonic() when its agent is gone

    def collection(self, name) -> Collection:
        return getattr(self, name)


class PinggyState:
    def __init__(self):
        self.active = []
        self.history = []                  # see ordered_history()
        self.history_sorted = True
        self.user_id = 4490909
        self.user_email = "ops@example.com"

    def ordered_history(self):
        """History rows in ascending start_time order (sorted lazily, like clicks)."""
        if not self.history_sorted:
            self.history.sort(key=lambda r: r["start_time"])
            self.history_sorted = True
        return self.history


class State:
    def __init__(self, seed_name="default"):
        self.seed_name = seed_name
        self.rng = random.Random(f"tunnelops-emulator/{seed_name}")
        self.now = utcnow()
        self.openport = OpenportState()
        self.ngrok = NgrokState()
        self.pinggy = PinggyState()
        self.secrets = []                  # every secret minted, deleted objects included
        self._secret_set = set()

    def add_secret(self, value):
        if value and value not in self._secret_set:
            self._secret_set.add(value)
            self.secrets.append(value)

    def next_ngrok_suffix(self) -> str:
        self.ngrok.id_seq += 1
        return ksuid(self.ngrok.id_seq, self.rng)
