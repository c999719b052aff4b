"""Playwright driving Debian's Chromium against pytest-django's live server.

Playwright's own browser download is never used: the tests launch /usr/bin/chromium
(`make test` installs it with apt) and skip with the reason when it is missing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium: apt-get install chromium (make test installs it)")
    # Playwright's sync API keeps an event loop registered as running on this thread, so
    # Django would refuse ORM calls from the tests ("You cannot call this from an async
    # context") while the browser is up. Allowed only for as long as it is up.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as pw:
            launched = pw.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield launched
            launched.close()


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """A fresh phone-sized page whose browser speaks `lang` (its locale and Accept-Language)."""
    contexts = []

    def _open(lang: str = "uk") -> Page:
        context = browser.new_context(
            viewport=PHONE,
            locale=lang,
            extra_http_headers={"Accept-Language": lang},
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class OtherOrigin:
    """A static web server on 127.0.0.1 and a free port: a website that is not ours."""

    def __init__(self, root: Path) -> None:
        self.root = root
        handler = partial(_QuietHandler, directory=str(root))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def page(self, name: str, body: str) -> str:
        html = f'<!doctype html>\n<html lang="en"><meta charset="utf-8"><body>{body}</body></html>'
        (self.root / name).write_text(html, encoding="utf-8")
        return f"{self.url}/{name}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def other_origin(tmp_path: Path) -> Iterator[OtherOrigin]:
    root = tmp_path / "site"
    root.mkdir()
    server = OtherOrigin(root)
    yield server
    server.stop()
