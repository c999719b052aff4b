"""Bar charts of the funders' report, drawn as inline SVG with a table of the same figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext

from courses.selectors.funder_report import FunderReport

CHART_WIDTH = 400
LABEL_WIDTH = 120
BAR_SPACE = 220
ROW_HEIGHT = 26


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    y: int
    width: int

    @property
    def short_label(self) -> str:
        return self.label if len(self.label) <= 16 else self.label[:15] + "…"

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + 6


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart drawn as inline SVG, with the same figures as a table."""

    slug: str
    title: str
    label_heading: str
    value_heading: str
    bars: list[Bar] = field(default_factory=list)

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * ROW_HEIGHT

    @property
    def width(self) -> int:
        return CHART_WIDTH

    @property
    def bar_x(self) -> int:
        return LABEL_WIDTH


def bar_chart(
    *,
    slug: str,
    title: str,
    label_heading: str,
    value_heading: str,
    rows: Sequence[tuple[str, int, str]],
) -> BarChart:
    """`rows`: (label, length of the bar, text shown). A suppressed count has no bar."""
    top = max((length for _label, length, _text in rows), default=0)
    bars = []
    for i, (label, length, text) in enumerate(rows):
        width = round(BAR_SPACE * length / top) if top else 0
        bars.append(Bar(label, text, i * ROW_HEIGHT, max(width, 1) if length else 0))
    return BarChart(slug, title, label_heading, value_heading, bars)


def funder_charts(report: FunderReport) -> list[BarChart]:
    """Present marks per week (or month), and participants by country of origin."""
    week = report.timeline_unit == "week"
    timeline = [
        (
            formats.date_format(row.start, "SHORT_DATE_FORMAT" if week else "YEAR_MONTH_FORMAT"),
            row.present,
            str(row.present),
        )
        for row in report.timeline
    ]
    origin = [
        (row.label, 0 if row.count.suppressed else row.count.value, str(row.count))
        for row in report.by_country
    ]
    return [
        bar_chart(
            slug="attendance-over-time",
            title=gettext("Present marks per week") if week else gettext("Present marks per month"),
            label_heading=gettext("Week from") if week else gettext("Month"),
            value_heading=gettext("Present marks"),
            rows=timeline,
        ),
        bar_chart(
            slug="participants-by-origin",
            title=gettext("Participants by country of origin"),
            label_heading=gettext("Country of origin"),
            value_heading=gettext("Participants"),
            rows=origin,
        ),
    ]
