"""A centre's logo upload: only small PNG, JPEG or WebP images. Pure: no database.

SVG is refused on purpose: an uploaded SVG can carry scripts, and the file is served from the
site's own origin. The type is read from the file's first bytes, not from its name."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_LOGO_BYTES = 512 * 1024
SIGNATURES = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/webp": (b"RIFF",),  # and "WEBP" at offset 8
}


def image_type(head: bytes) -> str:
    """The image type the first bytes announce ("" for anything else)."""
    for content_type, prefixes in SIGNATURES.items():
        if any(head.startswith(p) for p in prefixes):
            if content_type == "image/webp" and head[8:12] != b"WEBP":
                continue
            return content_type
    return ""


def validate_logo(upload: Any) -> None:
    """Refuse a file that is too large or is not a PNG, JPEG or WebP image."""
    if upload.size > MAX_LOGO_BYTES:
        raise ValidationError(
            _("The logo is too large: at most %(max)s KB."),
            params={"max": MAX_LOGO_BYTES // 1024},
            code="logo_too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not image_type(head):
        raise ValidationError(
            _("The logo must be a PNG, JPEG or WebP image."), code="logo_not_an_image"
        )
