"""Helpers of the machines' tests: an echo server standing for sshd, and raw socket probes."""

from __future__ import annotations

import socket
import threading
import time


class EchoServer:
    """A tiny TCP server on 127.0.0.1 that sends back what it receives, each chunk prefixed with "<name>:"."""

    def __init__(self, name=b"sshd"):
        self.prefix = name + b":" if name else b""
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.peers = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, peer = self.sock.accept()
            except OSError:
                return
            self.peers.append(peer)
            threading.Thread(target=self._echo, args=(conn,), daemon=True).start()

    def _echo(self, conn):
        with conn:
            try:
                while data := conn.recv(65536):
                    conn.sendall(self.prefix + data)
            except OSError:
                pass

    def close(self):
        self.sock.close()


def talk(port, data=b"ping", source="127.0.0.1", timeout=3):
    """What the far end answers to `data` through 127.0.0.1:port, b"" when the connection is closed at once.

    ConnectionRefusedError when nothing listens."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout, source_address=(source, 0)) as sock:
        try:
            sock.sendall(data)
            return sock.recv(65536)
        except (ConnectionResetError, BrokenPipeError):
            return b""


def refused(port):
    """True when nothing listens on the port any more."""
    try:
        talk(port)
    except ConnectionRefusedError:
        return True
    return False


def eventually(check, timeout=5.0, interval=0.02):
    """Poll `check()` until it returns something truthy (agents retry in the background)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)
