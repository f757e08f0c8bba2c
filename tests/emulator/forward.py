"""Real TCP forwards for the simulated machines: a public port on 127.0.0.1 -> a machine's local port.

One selector thread accepts on every listening socket (a fleet of 1,000 machines is 1,000
listeners, not 1,000 threads). Each accepted connection that the forward's `allow(peer_ip)`
admits gets a byte pump: one thread per direction, so a connection that sends both ways at
once (ssh, scp) never deadlocks. A refused connection is closed at once, as a provider that
drops a visitor it does not admit. Closing a forward closes its listener (new connections get
"connection refused") and shuts down the connections it carries.
"""

from __future__ import annotations

import selectors
import socket
import threading

BUFFER = 64 * 1024
CONNECT_TIMEOUT = 5


class Forward:
    """One listening port; `allow(peer_ip) -> bool` decides per connection."""

    def __init__(self, hub, sock, target, allow):
        self.hub, self.sock, self.target, self.allow = hub, sock, target, allow
        self.host, self.port = sock.getsockname()[:2]
        self.accepted = self.refused = 0
        self.closed = False
        self._conns = set()
        self._lock = threading.Lock()

    @property
    def open_connections(self):
        with self._lock:
            return len(self._conns) // 2

    def describe(self):
        return {"host": self.host, "port": self.port, "target": f"{self.target[0]}:{self.target[1]}",
                "accepted": self.accepted, "refused": self.refused, "open": self.open_connections,
                "closed": self.closed}

    def close(self):
        """Stop listening and cut every connection this forward carries."""
        with self._lock:
            if self.closed:
                return
            self.closed = True
            conns, self._conns = list(self._conns), set()
        self.hub.unregister(self.sock)
        self.sock.close()
        for conn in conns:
            _shutdown(conn)

    # ------------------------------------------------------------------ hub side

    def _on_accept(self, conn, peer):
        try:
            admitted = not self.closed and self.allow(peer[0])
        except Exception:          # a broken policy must refuse, never admit
            admitted = False
        if not admitted:
            self.refused += 1
            _shutdown(conn)
            conn.close()
            return
        self.accepted += 1
        conn.setblocking(True)
        threading.Thread(target=self._pump, args=(conn,), name=f"forward-{self.port}", daemon=True).start()

    def _pump(self, client):
        try:
            upstream = socket.create_connection(self.target, timeout=CONNECT_TIMEOUT)
        except OSError:            # nothing listens on the machine's local port
            _shutdown(client)
            client.close()
            return
        upstream.settimeout(None)
        with self._lock:
            if self.closed:
                upstream.close()
                client.close()
                return
            self._conns.update((client, upstream))
        other = threading.Thread(target=_copy, args=(upstream, client), daemon=True)
        other.start()
        _copy(client, upstream)
        other.join()
        with self._lock:
            self._conns.difference_update((client, upstream))
        client.close()
        upstream.close()


def _copy(src, dst):
    """One direction; EOF is passed on as a half-close so the other direction may finish."""
    try:
        while True:
            data = src.recv(BUFFER)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        _shutdown(src)
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def _shutdown(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class ForwardHub:
    """The accept loop of every forward (one thread, started on the first forward)."""

    def __init__(self):
        self._sel = selectors.DefaultSelector()
        self._lock = threading.Lock()
        self._thread = None
        self._stop = threading.Event()

    def open(self, target, allow, host="127.0.0.1", port=0) -> Forward:
        """Listen on host:port (0: any free port; a taken port raises OSError) and forward to target."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, int(port)))
            sock.listen(128)
            sock.setblocking(False)
        except OSError:
            sock.close()
            raise
        fwd = Forward(self, sock, target, allow)
        with self._lock:
            self._sel.register(sock, selectors.EVENT_READ, fwd)
            if self._thread is None:
                self._stop.clear()
                self._thread = threading.Thread(target=self._run, name="forward-hub", daemon=True)
                self._thread.start()
        return fwd

    def unregister(self, sock):
        with self._lock:
            try:
                self._sel.unregister(sock)
            except (KeyError, ValueError, OSError):
                pass

    def _run(self):
        while not self._stop.is_set():
            try:
                events = self._sel.select(timeout=0.2)
            except OSError:        # a listener closed under us; the next round has a clean set
                continue
            for key, dummy in events:
                try:
                    conn, peer = key.fileobj.accept()
                except OSError:    # closed meanwhile, or another accept took it
                    continue
                key.data._on_accept(conn, peer)

    def stop(self):
        with self._lock:
            fwds = [key.data for key in self._sel.get_map().values()]
        for fwd in fwds:
            fwd.close()
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(2)
