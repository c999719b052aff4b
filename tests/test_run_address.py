"""`make run` on another address: absolute links (personal link, SMS, feeds) follow RUN_ADDR
unless PUBLIC_BASE_URL names the public address."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CODE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "from scheduling.links import subscribe_links; from courses.models import Centre; "
    "print(s.PUBLIC_BASE_URL); print(subscribe_links(Centre(slug='cic-poznan'), lang='uk').https)"
)


def base_url(tmp_path: Path, **env: str) -> list[str]:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", CODE],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


@pytest.mark.parametrize(
    ("run_addr", "expected"),
    [
        ("127.0.0.1:8123", "http://127.0.0.1:8123"),
        ("8124", "http://127.0.0.1:8124"),
        ("0.0.0.0:8125", "http://127.0.0.1:8125"),  # every interface: this machine's address
        ("localhost:8126", "http://localhost:8126"),
    ],
)
def test_links_follow_the_address_served(tmp_path, run_addr: str, expected: str) -> None:
    url, feed = base_url(tmp_path, RUN_ADDR=run_addr)

    assert url == expected
    assert feed.startswith(expected + "/calendars/cic-poznan.ics")


def test_public_base_url_wins_over_the_address_served(tmp_path) -> None:
    url, feed = base_url(
        tmp_path, RUN_ADDR="127.0.0.1:8123", PUBLIC_BASE_URL="https://zapisy.example.org/"
    )

    assert url == "https://zapisy.example.org"
    assert feed.startswith("https://zapisy.example.org/calendars/")


def test_without_either_links_name_the_default_port(tmp_path) -> None:
    assert base_url(tmp_path)[0] == "http://127.0.0.1:8000"


def test_bin_run_hands_its_address_to_every_process() -> None:
    script = (ROOT / "bin" / "run").read_text()

    assert "export RUN_ADDR=$ADDR" in script
    assert script.index("export RUN_ADDR") < script.index("celery")
