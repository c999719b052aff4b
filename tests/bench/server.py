"""The project under gunicorn for a benchmark, and a load run against it (`tests.bench.load`)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def postgres_url() -> str:
    """The PostgreSQL test database pytest-django made, as a DATABASE_URL for the server."""
    db = connection.settings_dict
    user = quote(db.get("USER") or "postgres", safe="")
    auth = f"{user}:{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else user
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{quote(db['NAME'], safe='')}"


def sqlite_copy(path: Path) -> str:
    """The SQLite test database (in memory) copied to `path`, as a DATABASE_URL."""
    import sqlite3

    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    return f"sqlite:///{path}"


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own server
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


@contextmanager
def gunicorn(
    env: Mapping[str, str], *, workers: int, probe: str, label: str, app: str = "config.wsgi"
) -> Iterator[int]:
    """gunicorn (sync workers) serving `app` with `env` over the environment; yields its
    port once `probe` answers 200, and always stops it. Prints what the server logged beyond
    its own start and stop lines (warnings, tracebacks)."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
    ]
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(  # noqa: S603
            command,
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while _status(f"http://127.0.0.1:{port}{probe}") != 200:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"gunicorn did not start:\n{log.read().decode()[-3000:]}")
                time.sleep(0.2)
            yield port
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.seek(0)
            said = [
                line
                for line in log.read().decode(errors="replace").splitlines()
                if "] [INFO] " not in line
            ]
            if said:
                print(f"\n[{label}] server log:\n" + "\n".join(said[:30]))


@dataclass(frozen=True)
class Load:
    requests: int
    rate: float  # answers a second: each process's answers over its own time, summed
    statuses: Counter[int]
    sizes: Counter[int]


def load(
    port: int, path: str, *, clients: int, seconds: float, headers: tuple[str, ...] = ()
) -> Load:
    """`clients` processes of `tests.bench.load` against `path` for `seconds` together."""
    start = time.time() + 0.5  # all started and waiting
    runs = [
        subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "tests.bench.load",
                "127.0.0.1",
                str(port),
                path,
                str(start),
                str(seconds),
                *headers,
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(clients)
    ]
    statuses: Counter[int] = Counter()
    sizes: Counter[int] = Counter()
    rate = 0.0
    for run in runs:
        out, _ = run.communicate(timeout=seconds + 60)
        assert run.returncode == 0, out
        answer = json.loads(out)
        statuses.update({int(k): v for k, v in answer["statuses"].items()})
        sizes.update({int(k): v for k, v in answer["sizes"].items()})
        rate += sum(answer["statuses"].values()) / answer["elapsed"]
    return Load(sum(statuses.values()), rate, statuses, sizes)
