"""The default database's settings (`config.settings` reads its address and timeouts)."""

from __future__ import annotations

from typing import Any

import environ

env = environ.Env()  # config.settings has read .env into the environment already


def default_database(
    database: dict[str, Any], *, connect_timeout: int, statement_timeout: float
) -> dict[str, Any]:
    """`database` (django-environ's settings of DATABASE_URL) with what each engine needs."""
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # Writers wait for each other instead of failing at once with "database is locked".
        database.setdefault("OPTIONS", {}).update(
            {"timeout": statement_timeout or 20, "transaction_mode": "IMMEDIATE"}
        )
        return database
    database.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    # A connection kept from an earlier request is checked before it is used again: after a
    # database restart the next request reconnects instead of failing.
    database.setdefault("CONN_HEALTH_CHECKS", True)
    if database["ENGINE"] == "django.db.backends.postgresql":
        database["ENGINE"] = "config.postgresql"  # Django's, with the client-side wait
        options = database.setdefault("OPTIONS", {})
        if connect_timeout:
            options.setdefault("connect_timeout", connect_timeout)
        if statement_timeout:
            timeout = f"-c statement_timeout={int(statement_timeout * 1000)}"
            options["options"] = f"{options.get('options', '')} {timeout}".strip()
        # Statements run on a server-bound cursor (the rate limits' count, config/cache.py, and
        # the compiled reads, courses/compiled.py) are prepared once per connection. Behind
        # PgBouncer older than 1.21 in transaction mode, which cannot keep prepared statements,
        # set DATABASE_PREPARED_STATEMENTS=0.
        if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
            options.setdefault("prepare_threshold", 0)
    return database
