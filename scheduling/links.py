"""Links to a centre's or a person's calendar: subscribe (webcal, Google, download, https) and
the embed snippet for a centre's website."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html

from courses.models import Centre, Course, Participant


@dataclass(frozen=True)
class SubscribeLinks:
    https: str
    webcal: str
    google: str
    download: str


def subscribe_links(
    centre: Centre,
    course: Course | None = None,
    *,
    lang: str = "",
    participant: Participant | None = None,
) -> SubscribeLinks:
    if participant is not None:
        path = reverse("calendar-private", kwargs={"token": participant.token})
    elif course is None:
        path = reverse("calendar-centre", kwargs={"centre": centre.slug})
    else:
        path = reverse("calendar-course", kwargs={"centre": centre.slug, "course": course.slug})
    query = f"?lang={lang}" if lang and lang != settings.LANGUAGE_CODE else ""
    https = settings.PUBLIC_BASE_URL + path + query
    webcal = "webcal://" + https.split("://", 1)[1]
    return SubscribeLinks(
        https=https,
        webcal=webcal,
        google="https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe=""),
        download=https + ("&" if query else "?") + "download=1",
    )


def embed_snippet(centre: Centre, *, lang: str = "pl", weeks: int = 4) -> str:
    url = settings.PUBLIC_BASE_URL + reverse("embed", kwargs={"centre": centre.slug})
    return format_html(
        '<iframe src="{}?lang={}&amp;weeks={}" title="{}" width="100%" height="640" '
        'loading="lazy" style="border:0"></iframe>',
        url,
        lang,
        weeks,
        centre.name,
    )
