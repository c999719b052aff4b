"""A TCP proxy between the app and PostgreSQL that can fail on purpose, for the fault tests.

It listens on a free port of 127.0.0.1 and forwards to the real server; the machine's shared
PostgreSQL is never touched. `drop()` cuts every open connection (as a database restart does),
`refuse()` resets every new one, `freeze()` keeps accepting but forwards nothing in either
direction (a frozen machine or process), `heal()` forwards again."""

from __future__ import annotations

import selectors
import socket
import struct
import threading
from contextlib import suppress

FORWARD, REFUSE, FREEZE = "forward", "refuse", "freeze"


class FaultyProxy:
    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.mode = FORWARD
        self._pairs: set[tuple[socket.socket, socket.socket]] = set()
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    # The faults.

    def drop(self) -> None:
        """Every open connection is cut (new ones are forwarded)."""
        with self._lock:
            pairs, self._pairs = self._pairs, set()
        for pair in pairs:
            for side in pair:
                with suppress(OSError):
                    side.shutdown(socket.SHUT_RDWR)

    def refuse(self) -> None:
        self.mode = REFUSE

    def freeze(self) -> None:
        self.mode = FREEZE

    def heal(self) -> None:
        self.mode = FORWARD

    def close(self) -> None:
        self._closed.set()
        with suppress(OSError):
            self._listener.close()
        self.drop()

    # The forwarding.

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _address = self._listener.accept()
            except OSError:
                return
            if self.mode == REFUSE:
                # SO_LINGER 0: the close is a reset, as from a port nobody listens on.
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                client.close()
                continue
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        while self.mode == FREEZE and not self._closed.wait(0.05):
            pass  # accepted, and nothing more: no connection to the server yet
        try:
            server = socket.create_connection(self.target, timeout=5)
        except OSError:
            client.close()
            return
        pair = (client, server)
        with self._lock:
            self._pairs.add(pair)
        try:
            self._pump(client, server)
        finally:
            with self._lock:
                self._pairs.discard(pair)
            for side in pair:
                with suppress(OSError):
                    side.close()

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        other = {client: server, server: client}
        with selectors.DefaultSelector() as selector:
            selector.register(client, selectors.EVENT_READ)
            selector.register(server, selectors.EVENT_READ)
            while not self._closed.is_set():
                if self.mode == FREEZE:  # bytes wait in the kernel's buffers, unread
                    self._closed.wait(0.05)
                    continue
                for key, _events in selector.select(timeout=0.05):
                    source: socket.socket = key.fileobj  # type: ignore[assignment]
                    try:
                        data = source.recv(65536)
                        if not data:
                            return
                        other[source].sendall(data)
                    except OSError:
                        return
