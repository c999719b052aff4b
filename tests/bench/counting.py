"""What the benchmarks share."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


class QueryCounter:
    """Counts every query run while installed with `connection.execute_wrapper` (no query log
    limit, and unlike Django's query log it is not cleared when a request starts)."""

    def __init__(self) -> None:
        self.queries = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.queries += 1
        return execute(sql, params, many, context)


def seconds_per_call(call: Callable[[], object], calls: int) -> float:
    """The mean seconds of `call`, run `calls` times in a row."""
    started = time.perf_counter()
    for _ in range(calls):
        call()
    return (time.perf_counter() - started) / calls
