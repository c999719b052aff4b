"""A closed-loop HTTP load: `python -m tests.bench.load HOST PORT PATH START SECONDS [HEADER...]`.

One process, one request in flight: it sends `GET PATH` (HTTP/1.0, so gunicorn's sync workers
close the connection and nothing is kept alive), reads the whole answer, and sends the next,
from the wall-clock time START for SECONDS (the last answer may end a little later). Prints a
JSON line: the answers' status codes and sizes, and the seconds they took. Several processes
started with the same START make one load: the benchmarks run the same load against each path
in turn, so the generator's own cost weighs on all alike. Standard library only, so that it
starts fast and costs little.
"""

from __future__ import annotations

import json
import socket
import sys
import time
from collections import Counter


def _one(host: str, port: int, request: bytes) -> tuple[int, int]:
    """(status, bytes of the answer after its headers)."""
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(request)
        chunks = []
        while data := sock.recv(262144):
            chunks.append(data)
    answer = b"".join(chunks)
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), len(body)


def main(argv: list[str]) -> None:
    host, port, path, start, seconds, *headers = argv
    lines = [f"GET {path} HTTP/1.0", f"Host: {host}", *headers, "", ""]
    request = "\r\n".join(lines).encode()
    statuses: Counter[int] = Counter()
    sizes: Counter[int] = Counter()
    time.sleep(max(0.0, float(start) - time.time()))
    began = time.perf_counter()
    end = began + float(seconds)
    while time.perf_counter() < end:
        status, size = _one(host, int(port), request)
        statuses[status] += 1
        sizes[size] += 1
    elapsed = time.perf_counter() - began
    print(json.dumps({"statuses": statuses, "sizes": sizes, "elapsed": elapsed}))


if __name__ == "__main__":
    main(sys.argv[1:])
