"""The soak bench's machinery: a database of its own, the server's processes, and what the
machine's CPUs did meanwhile (whose processes used them, second by second)."""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any

import psycopg

ROOT = Path(__file__).resolve().parents[2]
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
PG = f"host={PG_HOST} port={PG_PORT} user={PG_USER}"
TICK = os.sysconf("SC_CLK_TCK")
# What the server needs to know of the demo: the staff's token, where to enrol, what to read.
SETUP = """
import json
from rest_framework.authtoken.models import Token
from courses.models import Centre, Course
from django.contrib.auth.models import User
staff = User.objects.get(username="demo-staff")
mine = Course.objects.filter(centre__staff=staff, booking_mode="course", published=True)
print(json.dumps({
    "token": Token.objects.get_or_create(user=staff)[0].key,
    "centres": list(Centre.objects.order_by("pk").values_list("slug", flat=True)),
    "courses": [[c.centre.slug, c.slug] for c in Course.objects.select_related("centre")],
    "enrol": list(mine.order_by("pk").values_list("pk", flat=True)),
}))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def load_average() -> str:
    return "/".join(f"{load:.2f}" for load in os.getloadavg())


@contextmanager
def database(scratch: Path) -> Iterator[str]:
    """A fresh database of this run's own, as a DATABASE_URL: `integra_soak_<pid>` on the
    PostgreSQL at 127.0.0.1:5432 (dropped afterwards), else (or with SOAK_DATABASE=sqlite) a
    SQLite file in `scratch`."""
    name = f"integra_soak_{os.getpid()}"
    try:
        if os.environ.get("SOAK_DATABASE") == "sqlite":
            raise psycopg.OperationalError("SQLite asked for")
        admin = psycopg.connect(f"{PG} dbname=postgres connect_timeout=3", autocommit=True)
    except psycopg.OperationalError:
        yield f"sqlite:///{scratch / 'soak.sqlite3'}"
        return
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare(env: dict[str, str]) -> dict[str, Any]:
    """Migrate, make the cache table, load the demo, collect the static files; the demo's
    token, centres and courses (see SETUP)."""
    manage = [sys.executable, "manage.py"]
    for command in (
        ["migrate", "--noinput"],
        ["createcachetable"],
        ["load_demo", "--force"],
        ["collectstatic", "--noinput"],
    ):
        subprocess.run([*manage, *command, "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    shell = subprocess.run(  # noqa: S603
        [*manage, "shell", "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return dict(json.loads(shell.stdout.decode().strip().splitlines()[-1]))


def sms_code(database_url: str, verification: str) -> str:
    """The code SMS'd for `verification`, as the person reads it: from the outbox's context, or
    from the text once the dispatcher has sent it (and emptied the context)."""
    query = (
        "SELECT m.context, m.body FROM notifications_outboundmessage m "
        "JOIN courses_phoneverification v ON v.id = m.verification_id WHERE v.public_id = {}"
    )
    row: Any
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=30) as db:
            row = db.execute(query.format("?"), [verification]).fetchone()
        row = (json.loads(row[0]), row[1])
    else:
        with psycopg.connect(f"{PG} dbname={database_url.rsplit('/', 1)[1]}") as db:
            row = db.execute(query.format("%s"), [verification]).fetchone()
    context, body = row
    if context.get("code"):
        return str(context["code"])
    found = re.search(r"\b\d{6}\b", body or "")
    assert found, f"no code in the outbox for {verification}"
    return found[0]


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def serve(
    stack: ExitStack, env: dict[str, str], *, workers: int, celery: bool, log: IO[bytes]
) -> tuple[str, subprocess.Popen[bytes], subprocess.Popen[bytes] | None]:
    """gunicorn (sync workers) on a free port and, with `celery`, a Celery worker with beat
    embedded; both stopped when `stack` closes. The base URL and the two processes."""
    address = f"127.0.0.1:{free_port()}"
    env["PUBLIC_BASE_URL"] = f"http://{address}"
    options: dict[str, Any] = {"cwd": ROOT, "env": env, "stdout": log, "stderr": log}
    beat = None
    if celery:
        command = [str(Path(sys.executable).with_name("celery")), "-A", "config", "worker"]
        command += ["-B", "--concurrency", "1", "--loglevel", "WARNING"]
        beat = subprocess.Popen(command, **options)  # noqa: S603
        stack.callback(_stop, beat)
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", address]
    command += ["--workers", str(workers), "--worker-class", "sync"]
    server = subprocess.Popen(command, **options)  # noqa: S603
    stack.callback(_stop, server)
    return f"http://{address}", server, beat


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def tree(pid: int) -> list[int]:
    """`pid` and all its descendants."""
    found = [pid]
    for child in children(pid):
        found += tree(child)
    return found


def rss(pids: list[int]) -> dict[int, int]:
    """VmRSS (KiB) of each of `pids` that still runs."""
    sizes = {}
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            continue
        if found := re.search(r"VmRSS:\s+(\d+)", status):
            sizes[pid] = int(found[1])
    return sizes


def backends(database_name: str) -> list[int]:
    """The PostgreSQL server processes serving `database_name` (by their process titles)."""
    title = f" {PG_USER} {database_name} ".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
                if cmdline.startswith(b"postgres: ") and title in cmdline:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _ticks(pid: int) -> int:
    """CPU time (user + system, in clock ticks) `pid` has used."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, IndexError):
        return 0
    return int(fields[11]) + int(fields[12])


def _machine() -> tuple[int, int, int]:
    """The machine's CPU time so far (ticks, all CPUs): busy, iowait, total."""
    user, nice, system, idle, iowait, irq, softirq, steal = map(
        int, Path("/proc/stat").read_text().split()[1:9]
    )
    busy = user + nice + system + irq + softirq + steal
    return busy, iowait, busy + idle + iowait


class Sampler(threading.Thread):
    """Each second: the machine's busy and iowait CPU, and the CPU time each group of processes
    has used (a process that ends keeps its last reading): to read slow moments against."""

    def __init__(self, groups: dict[str, Callable[[], list[int]]]) -> None:
        super().__init__(daemon=True)
        self.groups = groups
        self.seen: dict[str, dict[int, int]] = {name: {} for name in groups}
        # (time, busy CPUs, iowait CPUs, CPUs used by each group)
        self.samples: list[tuple[float, float, float, dict[str, float]]] = []
        self.stopped = threading.Event()

    def _used(self) -> dict[str, int]:
        for name, pids in self.groups.items():
            for pid in pids():
                self.seen[name][pid] = max(self.seen[name].get(pid, 0), _ticks(pid))
        return {name: sum(seen.values()) for name, seen in self.seen.items()}

    def run(self) -> None:
        before, used, at = _machine(), self._used(), time.perf_counter()
        while not self.stopped.wait(1.0):
            now, now_used, now_at = _machine(), self._used(), time.perf_counter()
            span = (now[2] - before[2]) or 1
            cpus = (now[2] - before[2]) / TICK / max(now_at - at, 1e-3)  # CPUs the machine has
            shares = {name: (now_used[name] - used[name]) / span * cpus for name in used}
            busy = (now[0] - before[0]) / span * cpus
            self.samples.append((now_at, busy, (now[1] - before[1]) / span * cpus, shares))
            before, used, at = now, now_used, now_at

    def during(self, start: float, end: float) -> str:
        """CPUs in use on average from `start` to `end` (perf_counter), in all and by group."""
        inside = [s for s in self.samples if start <= s[0] <= end + 1.0] or self.samples[-1:]
        if not inside:
            return "no samples"
        busy = statistics.mean(s[1] for s in inside)
        groups = {name: statistics.mean(s[3][name] for s in inside) for name in self.groups}
        others = busy - sum(groups.values())
        parts = ", ".join(f"{name} {used:.2f}" for name, used in groups.items())
        iowait = statistics.mean(s[2] for s in inside)
        return f"{busy:.2f} CPUs busy ({parts}, other processes {others:.2f}), iowait {iowait:.2f}"

    def peaks(self) -> str:
        """The busiest second of each group, in CPUs: bursts the averages hide."""
        return ", ".join(
            f"{name} {max((s[3][name] for s in self.samples), default=0.0):.2f}"
            for name in self.groups
        )

    def saturated(self, cpus: float) -> int:
        """Seconds in which at least `cpus` CPUs were busy."""
        return sum(s[1] >= cpus for s in self.samples)


def steal(at: float, seconds: float, cpus: int) -> threading.Thread:
    """From `at` seconds on, `cpus` processes spin for `seconds`: the CPU another program (a
    test run, a batch job, a vacuum) takes from the server for a moment."""

    def spin() -> None:
        time.sleep(at)
        loop = (
            f"import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end: pass"
        )
        spinners = [subprocess.Popen([sys.executable, "-c", loop]) for _ in range(cpus)]  # noqa: S603
        for spinner in spinners:
            spinner.wait()

    thread = threading.Thread(target=spin, daemon=True)
    thread.start()
    return thread
