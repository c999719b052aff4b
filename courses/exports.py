"""Files people download: a person's data as JSON, and report exports."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse


def json_download(data: Any, filename: str) -> HttpResponse:
    """A person's data as a JSON file to save, never cached on the way."""
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
