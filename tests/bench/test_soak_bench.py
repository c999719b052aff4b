"""Soak: a fixed rate of visitors, calendar clients, API readers and enrolments for a while.

The server runs as in production: gunicorn (WORKERS sync workers) with DEBUG off and the
manifest static files, and a Celery worker with beat embedded (SOAK_CELERY=0: none), on the
embedded defaults for the cache (the database table that holds the rate limits) and the broker
(files under VAR_DIR) unless SOAK_CACHE_URL / SOAK_BROKER_URL say otherwise. Its database is its
own (`integra_soak_<pid>` on PostgreSQL at 127.0.0.1:5432, dropped afterwards; a SQLite file
when PostgreSQL cannot be reached, or with SOAK_DATABASE=sqlite) and holds the demo
(`load_demo`: 7 centres, 43 courses, about 1,200 sessions). See `soak.py`.

The load is open-loop: request i is due at i / RATE seconds whatever became of those before it,
and its latency counts from then, so a server that stops answering shows as every request
queued behind it being slow (no coordinated omission). The mix: public pages and a static file,
calendar feeds (the centre feeds half of the time conditional, answered 304), API lists, the
staff's enrolment list and desk enrolments (with a token), and self-enrolments as a person makes
them (ask, read the code from the outbox, confirm), each from its own address behind one
trusted proxy, so the default rate limits hold.

Prints error counts, p50/p95/p99/max latency in all and per kind, the longest "whole-server
pause" (the longest run of consecutive requests all slower than SLOW, from the first one's due
time to the last one's answer) with whose processes used the CPUs meanwhile (web, database,
Celery, this client, anything else on the machine), the gunicorn workers' resident memory
(VmRSS) after the warm-up and at the end, and the load average at both ends: other work shares
the machine, so read the figures with it. Asserts no errors (no 5xx but a "busy" 503 with
Retry-After, no unexpected status, an answer to each) and that no worker was replaced or grew
by more than RSS_GROWTH_MAX. SOAK_SECONDS (default 60), SOAK_RATE (requests/s, default 25),
SOAK_WORKERS (default 5); `SOAK_SECONDS=300 SOAK_RATE=50 make bench` is the issue's soak.
SOAK_STEAL=30:3 takes every CPU away for 3 s from 30 s into the run (one spinning process per
CPU), as another program on the machine would: how long the server then stays slow.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.bench import soak

SECONDS = float(os.environ.get("SOAK_SECONDS", "60"))
RATE = float(os.environ.get("SOAK_RATE", "25"))
WORKERS = int(os.environ.get("SOAK_WORKERS", "5"))
CELERY = os.environ.get("SOAK_CELERY", "1") != "0"
# "AT:SECONDS": from AT seconds into the run, one spinning process per CPU for SECONDS.
STEAL = os.environ.get("SOAK_STEAL", "")
CLIENTS = 64  # client threads: requests in flight at most (more wait in the client's queue)
SLOW = 0.5  # seconds: a request this slow or slower is "slow"
PAUSE_MIN_REQUESTS = 3  # a pause is at least this many slow requests in a row
RSS_GROWTH_MAX = 64 * 1024  # KiB one worker may grow by from the warm-up to the end
WARM_UP = 4 * WORKERS  # requests of each kind before the measured run
REQUEST_TIMEOUT = 60.0
START_TIMEOUT = 60.0
MIX = {  # kind: (weight, the answers it may get)
    "page": (26, {200}),
    "static": (4, {200}),
    "feed": (10, {200}),
    "feed_304": (10, {304}),
    "api": (26, {200}),
    "staff_list": (8, {200}),
    "staff_enrol": (10, {201}),
    "self_ask": (6, {202}),
    "self_verify": (0, {201}),  # right after each self_ask answered 202
}
LANGUAGES = ["pl", "uk", "ru", "en"]


@dataclass
class Result:
    kind: str
    due: float  # when it was due (perf_counter)
    done: float = 0.0
    status: int = 0
    retry_after: str = ""
    error: str = ""

    @property
    def latency(self) -> float:
        return self.done - self.due

    @property
    def failed(self) -> bool:
        busy = self.status == 503 and bool(self.retry_after)
        return bool(self.error) or (self.status not in MIX[self.kind][1] and not busy)


class Mix:
    """Makes and sends the requests of each kind."""

    def __init__(self, base: str, database_url: str, data: dict[str, Any]) -> None:
        self.base, self.database_url, self.data = base, database_url, data
        self.random = random.Random(13)
        self.lock = threading.Lock()
        self.people = 0
        self.etags: dict[str, str] = {}
        self.staff = {"Authorization": f"Token {data['token']}", "Accept": "application/json"}

    def pick(self, items: list[Any]) -> Any:
        with self.lock:
            return self.random.choice(items)

    def person(self, prefix: str) -> tuple[int, dict[str, Any]]:
        with self.lock:
            self.people += 1
            n = self.people
        name, phone = f"Osoba {n}", f"+48{prefix}{n:06d}"
        return n, {"name": name, "phone": phone, "sms_consent": True, "language": "uk"}

    def send(self, result: Result, path: str, body: Any = None, **headers: str) -> Any:
        headers.setdefault("Accept-Language", self.pick(LANGUAGES))
        if body is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(  # noqa: S310
            self.base + path,
            data=None if body is None else json.dumps(body).encode(),
            headers=headers,
            method="GET" if body is None else "POST",
        )
        raw, answer = b"", None
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:  # noqa: S310
                result.status, raw, answer = int(response.status), response.read(), response
        except urllib.error.HTTPError as exc:
            result.status, raw, answer = exc.code, exc.read(), exc
        except OSError as exc:  # refused, reset, timed out
            result.error = repr(exc)
        result.done = time.perf_counter()
        if answer is not None:
            result.retry_after = answer.headers.get("Retry-After") or ""
            self.etags.setdefault(path, answer.headers.get("ETag") or "")
        try:
            return json.loads(raw) if body is not None and raw else None
        except ValueError:
            result.error = raw.decode(errors="replace")[:200]
            return None

    def run(self, kind: str, due: float) -> list[Result]:
        result = Result(kind, due)
        centre = self.pick(self.data["centres"])
        course_centre, course = self.pick(self.data["courses"])
        if kind == "page":
            page = f"/centres/{course_centre}/courses/{course}/"
            self.send(result, self.pick(["/", f"/centres/{centre}/", page, page + "enrol/"]))
        elif kind == "static":
            self.send(result, "/static/css/site.css")
        elif kind == "feed":
            feeds = [f"/calendars/{centre}.ics", f"/calendars/{course_centre}/{course}.ics"]
            self.send(result, self.pick(feeds))
        elif kind == "feed_304":
            path = f"/calendars/{centre}.ics"
            self.send(result, path, **{"If-None-Match": self.etags.get(path, "")})
        elif kind == "api":
            lists = [f"courses/?centre={centre}", f"sessions/?centre={centre}", "centres/"]
            self.send(result, "/api/v1/" + self.pick(lists), Accept="application/json")
        elif kind == "staff_list":
            path = f"/api/v1/enrolments/?course={self.pick(self.data['enrol'])}"
            self.send(result, path, **self.staff)
        elif kind == "staff_enrol":
            body = {"course": self.pick(self.data["enrol"]), "participant": self.person("601")[1]}
            self.send(result, "/api/v1/enrolments/", body, **self.staff)
        elif kind == "self_ask":
            return self.self_enrol(result)
        return [result]

    def self_enrol(self, result: Result) -> list[Result]:
        n, person = self.person("602")
        address = {"X-Forwarded-For": f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"}
        body = {"course": self.pick(self.data["enrol"]), "participant": person}
        asked = self.send(result, "/api/v1/enrolments/", body, **address)
        if result.status != 202 or not asked:
            return [result]
        verification = asked["verification"]
        code = soak.sms_code(self.database_url, verification)
        verify = Result("self_verify", time.perf_counter())
        body = {"verification": verification, "code": code}
        self.send(verify, "/api/v1/enrolments/verify/", body, **address)
        return [result, verify]


def _drive(mix: Mix, kinds: list[str]) -> tuple[list[Result], float, float]:
    """Send kinds[i] at start + i / RATE from CLIENTS threads: the results, the start, and how
    late the client itself was at most in sending one (its own pauses)."""
    lag = 0.0
    with ThreadPoolExecutor(CLIENTS) as pool:
        start = time.perf_counter() + 0.5
        futures = []
        for number, kind in enumerate(kinds):
            due = start + number / RATE
            time.sleep(max(due - time.perf_counter(), 0))
            lag = max(lag, time.perf_counter() - due)
            futures.append(pool.submit(mix.run, kind, due))
        return [r for future in futures for r in future.result()], start, lag


def _longest_pause(results: list[Result]) -> tuple[float, list[Result]]:
    """The longest run of consecutive requests (by due time) that were all slow, and its span."""
    best: tuple[float, list[Result]] = (0.0, [])
    run: list[Result] = []
    for result in [*sorted(results, key=lambda r: r.due), None]:
        if result is not None and result.latency >= SLOW:
            run.append(result)
            continue
        if len(run) >= PAUSE_MIN_REQUESTS:
            window = max(r.done for r in run) - run[0].due
            best = max(best, (window, run), key=lambda b: b[0])
        run = []
    return best


def _percentiles(results: list[Result]) -> str:
    ordered = sorted(r.latency for r in results)

    def at(share: float) -> str:
        return f"{ordered[min(int(len(ordered) * share), len(ordered) - 1)] * 1000:,.0f}"

    return f"p50 {at(0.5)}, p95 {at(0.95)}, p99 {at(0.99)}, max {at(1.0)} ms"


def _environment(scratch: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TESTING", "DEBUG")}
    return env | {
        "DATABASE_URL": database_url,
        "VAR_DIR": str(scratch / "var"),
        "SECRET_KEY": "soak-" + "x" * 50,
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "TRUSTED_PROXIES": "1",
        "CACHE_URL": os.environ.get("SOAK_CACHE_URL", "dbcache://integra_cache"),
        "CELERY_BROKER_URL": os.environ.get("SOAK_BROKER_URL", "filesystem://"),
        "SMS_BACKEND": "console",
        "SMS_QUIET_HOURS": "",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def test_bench_soak_a_fixed_rate_mix_through_gunicorn() -> None:
    load_start = soak.load_average()
    with ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="integra-soak-")))
        database_url = stack.enter_context(soak.database(scratch))
        env = _environment(scratch, database_url)
        data = soak.prepare(env)
        log = stack.enter_context(tempfile.TemporaryFile())
        base, server, beat = soak.serve(stack, env, workers=WORKERS, celery=CELERY, log=log)
        mix = Mix(base, database_url, data)
        deadline = time.monotonic() + START_TIMEOUT
        while mix.run("api", time.perf_counter())[0].status != 200:
            assert server.poll() is None, "gunicorn stopped"
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)

        # Warm-up: every worker imports everything, connects and builds the feeds once.
        warm_up = [kind for kind in MIX for _ in range(WARM_UP) if MIX[kind][0]]
        with ThreadPoolExecutor(WORKERS * 2) as pool:
            warm = [r for rs in pool.map(mix.run, warm_up, [0.0] * len(warm_up)) for r in rs]
        refused = [(r.kind, r.status, r.error) for r in warm if r.failed and r.kind != "feed_304"]
        assert not refused, refused[:5]
        workers = soak.children(server.pid)
        rss_start = soak.rss(workers)

        sampler = soak.Sampler(
            {
                "web": lambda: soak.tree(server.pid),
                "database": lambda: soak.backends(database_url.rsplit("/", 1)[1]),
                "celery": lambda: soak.tree(beat.pid) if beat else [],
                "client": lambda: [os.getpid()],
            }
        )
        sampler.start()
        weights = [weight for weight, _answers in MIX.values()]
        kinds = random.Random(7).choices(list(MIX), weights=weights, k=int(SECONDS * RATE))
        if STEAL:
            at, seconds = (float(part) for part in STEAL.split(":"))
            stealing = soak.steal(at + 0.5, seconds, cpus=os.cpu_count() or 2)
        results, start, lag = _drive(mix, kinds)
        if STEAL:
            stealing.join()
        sampler.stopped.set()
        sampler.join()
        rss_end = soak.rss(soak.children(server.pid))
        log.seek(0)
        lines = log.read().decode(errors="replace").splitlines()
        said = [line for line in lines if "Error" in line]
    load_end = soak.load_average()

    failed = [r for r in results if r.failed]
    window, paused = _longest_pause(results)
    end = max(r.done for r in results)
    print(
        f"\n[bench soak] {database_url.split(':')[0]}, gunicorn {WORKERS} sync workers"
        f"{', a Celery worker with beat' if CELERY else ''}, cache {env['CACHE_URL']}, broker "
        f"{env['CELERY_BROKER_URL']}; {len(results)} requests in {end - start:.0f} s "
        f"({RATE:.0f}/s planned; the client sent late by {lag * 1000:.0f} ms at most); load "
        f"average {load_start} at the start, {load_end} at the end\n"
        f"[bench soak] errors {len(failed)} ({len(failed) / len(results):.2%}); answers "
        f"{dict(sorted(Counter(r.status for r in results).items()))}; {_percentiles(results)}"
    )
    for kind in MIX:
        if of_kind := [r for r in results if r.kind == kind]:
            print(f"[bench soak]   {kind:<12} {len(of_kind):>6}  {_percentiles(of_kind)}")
    print(
        f"[bench soak] CPUs over the run: {sampler.during(start, end)}; the busiest second: "
        f"{sampler.peaks()}" + (f"; {os.cpu_count()} CPUs taken away for {STEAL}" if STEAL else "")
    )
    print(
        f"[bench soak] longest whole-server pause ({PAUSE_MIN_REQUESTS} or more requests in a row "
        f"all {SLOW * 1000:.0f} ms or slower): {window:.2f} s, {len(paused)} requests"
        + (
            f", {paused[0].due - start:.0f} s in; CPUs meanwhile: "
            f"{sampler.during(paused[0].due, paused[-1].done)}"
            if paused
            else ""
        )
        + f"; seconds with both CPUs busy: {sampler.saturated(1.9)} of {len(sampler.samples)}"
    )
    growth = {pid: rss_end.get(pid, 0) - kib for pid, kib in rss_start.items()}
    print(
        f"[bench soak] worker VmRSS (MiB) after the warm-up "
        f"{sorted(kib // 1024 for kib in rss_start.values())}, at the end "
        f"{sorted(kib // 1024 for kib in rss_end.values())}; growth at most "
        f"{max(growth.values()) // 1024} MiB (median {statistics.median(growth.values()) // 1024})"
    )
    if said:
        print("[bench soak] server log:\n" + "\n".join(said[:20]))
    assert not failed, [(r.kind, r.status, r.error) for r in failed[:10]]
    assert set(rss_end) == set(workers), "a worker was replaced"
    assert max(growth.values()) <= RSS_GROWTH_MAX, growth
