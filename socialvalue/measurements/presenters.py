"""Display-ready values for progress pages."""

from dataclasses import dataclass

from django.urls import reverse

from socialvalue.domain.numbers import format_number
from socialvalue.domain.status import Assessment, Status
from socialvalue.measurements.progress import CharterProgress, IndicatorProgress


@dataclass(frozen=True)
class StatusTag:
    text: str
    classes: str


def status_tag(status: Status) -> StatusTag:
    return StatusTag(text=status.label, classes=f"nhsuk-tag--{status.colour}")


def figure(value) -> str:
    return "–" if value is None else format_number(value)


@dataclass(frozen=True)
class DashboardRow:
    code: str
    title: str
    theme: str
    owner: str
    tag: StatusTag
    target: str
    actual: str
    expected: str
    forecast: str
    explanation: str
    waiting: int
    overdue: str
    url: str


def dashboard_row(item: IndicatorProgress, *, year_label: str) -> DashboardRow:
    a: Assessment = item.assessment
    indicator = item.indicator
    return DashboardRow(
        code=indicator.code,
        title=indicator.title,
        theme=indicator.pledge.theme.title,
        owner=str(indicator.owner) if indicator.owner else "Not assigned",
        tag=status_tag(a.status),
        target=a.target_text,
        actual=figure(a.actual),
        expected=figure(a.expected_to_date),
        forecast=figure(a.forecast),
        explanation=a.explanation,
        waiting=item.waiting,
        overdue=", ".join(p.label for p in item.overdue),
        url=reverse("measurements:view_indicator", args=[indicator.charter.code, indicator.code])
        + f"?year={year_label}",
    )


@dataclass(frozen=True)
class ThemeSummary:
    title: str
    counts: list[tuple[StatusTag, int]]
    total: int


def theme_summaries(progress: CharterProgress) -> list[ThemeSummary]:
    themes: dict[int, tuple[str, list[Status]]] = {}
    for item in progress.indicators:
        theme = item.indicator.pledge.theme
        themes.setdefault(theme.pk, (theme.title, []))[1].append(item.assessment.status)
    return [
        ThemeSummary(
            title=title,
            counts=[(status_tag(s), statuses.count(s)) for s in Status if statuses.count(s)],
            total=len(statuses),
        )
        for title, statuses in themes.values()
    ]
