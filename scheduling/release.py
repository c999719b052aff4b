"""What this release renders with, as digests of the project's own files (their names and
bytes), read once per process. Kept HTML and feeds name them in their keys and ETags, so a
shared cache holds nothing an older release rendered and a calendar client fetches a feed again
when its words changed, with no number to raise by hand."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings


@cache
def _files(*patterns: str) -> str:
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for path in sorted(p for pattern in patterns for p in root.glob(pattern)):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def texts_version() -> str:
    """The compiled translations (`locale/*/LC_MESSAGES/*.mo`): the feeds' words."""
    return _files("locale/**/*.mo")


def html_version() -> str:
    """The templates and the compiled translations: the pages' HTML and words."""
    return _files("templates/**/*.html", "locale/**/*.mo")


def forget() -> None:
    """Read the files again at the next question (a test's release of its own)."""
    _files.cache_clear()
