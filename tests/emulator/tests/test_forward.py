"""forward.py on its own: byte pumps, half-close, policy, closing."""

from __future__ import annotations

import socket
import threading

import pytest

from machines_util import EchoServer, refused
from tests.emulator.forward import ForwardHub


@pytest.fixture
def hub():
    h = ForwardHub()
    yield h
    h.stop()


def test_big_transfer_both_ways_at_once_and_half_close(hub):
    server = EchoServer(name=b"")
    fwd = hub.open(("127.0.0.1", server.port), lambda ip: True)
    payload = bytes(range(256)) * 16384                      # 4 MiB: far more than the socket buffers
    with socket.create_connection(("127.0.0.1", fwd.port), timeout=10) as sock:
        sender = threading.Thread(target=lambda: (sock.sendall(payload), sock.shutdown(socket.SHUT_WR)))
        sender.start()
        got = bytearray()
        while chunk := sock.recv(1 << 16):                    # the echo's EOF arrives after our half-close
            got += chunk
        sender.join()
    assert got == payload and fwd.accepted == 1
    server.close()


def test_policy_refuses_and_a_broken_policy_refuses_too(hub):
    server = EchoServer()
    calls = []

    def policy(ip):
        calls.append(ip)
        if len(calls) == 2:
            raise RuntimeError("bug")
        return len(calls) == 3

    fwd = hub.open(("127.0.0.1", server.port), policy)
    answers = []
    for dummy in range(3):
        with socket.create_connection(("127.0.0.1", fwd.port), timeout=5) as sock:
            sock.sendall(b"x")
            try:
                answers.append(sock.recv(100))
            except ConnectionResetError:
                answers.append(b"")
    assert answers == [b"", b"", b"sshd:x"] and calls == ["127.0.0.1"] * 3
    assert (fwd.accepted, fwd.refused) == (1, 2)
    server.close()


def test_close_stops_listening_and_a_dead_target_closes_the_client(hub):
    fwd = hub.open(("127.0.0.1", 1), lambda ip: True)       # nothing listens on port 1
    with socket.create_connection(("127.0.0.1", fwd.port), timeout=5) as sock:
        assert sock.recv(10) == b""
    port = fwd.port
    fwd.close()
    assert refused(port) and fwd.describe()["closed"]
    again = hub.open(("127.0.0.1", 1), lambda ip: True, port=port)   # the same port can be taken again
    assert again.port == port
