"""What this release renders with, as digests of the project's own files (their names and
bytes) and Django's version, worked out when the process starts (`SchedulingConfig.ready`),
from the files its code was loaded with. Kept HTML and feeds name them in their keys and ETags,
so a shared cache holds nothing an older release rendered and a calendar client fetches a feed
again when its words changed, with no number to raise by hand."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings

CODE = "**/*.py"
TEMPLATES = "templates/**/*.html"
TEXTS = "locale/**/*.mo"


@cache
def _files(*patterns: str) -> str:
    root = Path(settings.BASE_DIR)
    found = {p for pattern in patterns for p in _matches(root, pattern) if p.is_file()}
    digest = hashlib.sha256(django.get_version().encode())
    for path in sorted(found):
        digest.update(b"\0" + str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _matches(root: Path, pattern: str) -> list[Path]:
    """The project's files `pattern` names; the code's in each of the project's own apps (and
    its settings' package), not in the virtualenv or the tests."""
    if pattern != CODE:
        return list(root.glob(pattern))
    packages = {Path(config.path) for config in apps.get_app_configs()}
    packages.add(root / "config")
    return [p for package in packages if package.is_relative_to(root) for p in package.glob(CODE)]


def texts_version() -> str:
    """The compiled translations: the feeds' words (their format has `FORMAT_VERSION`)."""
    return _files(TEXTS)


def html_version() -> str:
    """The code, the templates and the compiled translations: the pages' HTML and words."""
    return _files(CODE, TEMPLATES, TEXTS)


def forget(**_signal: object) -> None:
    """Read the files again at the next question: a test's release of its own, or a file that
    the development server saw changed without restarting (a template or a translation)."""
    _files.cache_clear()
