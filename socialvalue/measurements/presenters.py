"""Display-ready values for progress pages."""

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.urls import reverse

from socialvalue.domain.numbers import format_number, quantize, row_ranges, strip_zeros
from socialvalue.domain.periods import format_date
from socialvalue.domain.status import Assessment, Status
from socialvalue.domain.wording import counts_whole_things, is_money
from socialvalue.domain.wording import figure as figure_with_unit
from socialvalue.measurements.citations import citation_of
from socialvalue.measurements.models import Evidence, Measurement, Review, ReviewState
from socialvalue.measurements.progress import CharterProgress, IndicatorProgress


@dataclass(frozen=True)
class StatusTag:
    text: str
    classes: str


def status_tag(status: Status) -> StatusTag:
    return StatusTag(text=status.label, classes=f"nhsuk-tag--{status.colour}")


def figure(value) -> str:
    return "–" if value is None else format_number(value)


def summary_figure(value, unit: str = "") -> str:
    """A figure in a summary (the dashboard): money to the pound and whole things whole; the
    indicator page gives the exact figure."""
    if value is None:
        return "–"
    if is_money(unit) or counts_whole_things(unit):
        return format_number(quantize(value, 0))
    return format_number(value)


@dataclass(frozen=True)
class DashboardRow:
    code: str
    title: str
    theme: str
    owner: str
    status: str
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
        status=a.status.value,
        tag=status_tag(a.status),
        target=a.target_text,
        actual=summary_figure(a.actual, indicator.unit),
        expected=summary_figure(a.expected_to_date, indicator.unit),
        forecast=summary_figure(a.forecast, indicator.unit),
        explanation=a.explanation,
        waiting=item.waiting,
        overdue=item.overdue_text,
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


def reading_text(measurement, unit: str = "") -> str:
    """What a version of a value says, in words: "62", "250 of 1,000", "Done on 3 May 2024";
    a plain value with the indicator's `unit` when given, as the indicator page writes
    figures: "£41,250,000.50", "62 people", "1 project"."""
    pieces = []
    if measurement.value is not None:
        pieces.append(
            figure_with_unit(measurement.value, unit, summary=False)
            if unit
            else figure(measurement.value)
        )
    if measurement.numerator is not None or measurement.denominator is not None:
        pieces.append(f"{figure(measurement.numerator)} of {figure(measurement.denominator)}")
    for key, part in measurement.to_domain().parts.items():
        if isinstance(part, Mapping) and "numerator" in part:
            pieces.append(f"{key}: {figure(part['numerator'])} of {figure(part['denominator'])}")
        elif isinstance(part, Mapping):
            counts = {k: figure(v) for k, v in part.items()}
            pieces.append(
                f"{key}: {counts.get('events_a')} of {counts.get('population_a')} vs "
                f"{counts.get('events_b')} of {counts.get('population_b')}"
            )
        else:
            pieces.append(f"{key}: {figure(part)}")
    if measurement.milestone_state:
        state = measurement.milestone_state.replace("_", " ").capitalize()
        if measurement.achieved_on:
            state += f" on {format_date(measurement.achieved_on)}"
        pieces.append(state)
    if measurement.self_status:
        pieces.append(f"{Status(measurement.self_status).label}: {measurement.narrative}")
    text = "; ".join(pieces) or "No figure"
    if citation := citation_of(measurement):
        text += f" (source: {citation})"
    return text


@dataclass(frozen=True)
class InputRow:
    key: str
    text: str


_MAX_INPUT_ROWS = 500


def inputs_rows(inputs, prefix: str = "") -> list[InputRow]:
    """A source's structured inputs as rows of "what: value" for people to read, nested
    keys joined by " › ", lists of numbers (rows) as ranges ("4–80, 82"). Long inputs are
    cut at 500 rows with a last row saying how many more there are."""
    rows: list[InputRow] = []
    _flatten(inputs, prefix, rows)
    if len(rows) > _MAX_INPUT_ROWS:
        more = len(rows) - _MAX_INPUT_ROWS
        rows = [*rows[:_MAX_INPUT_ROWS], InputRow("…", f"and {more} more")]
    return rows


def _flatten(value, key: str, rows: list[InputRow]) -> None:
    if isinstance(value, Mapping):
        for name, item in value.items():
            label = str(name).replace("_", " ")
            _flatten(item, f"{key} › {label}" if key else label, rows)
    elif (
        isinstance(value, list)
        and value
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        rows.append(InputRow(key, row_ranges(value)))
    elif isinstance(value, list):
        if not value:
            rows.append(InputRow(key, "none"))
        for index, item in enumerate(value, start=1):
            _flatten(item, f"{key} {index}", rows)
    else:
        rows.append(InputRow(key, "–" if value is None or value == "" else _shown(value)))


# A decimal figure as the inputs keep it, exact, in text: "17289684.65000000".
_DECIMAL_TEXT = re.compile(r"-?\d+\.\d+")


def _shown(value) -> str:
    """An input as people read it: a decimal figure kept as text with its thousands marked
    and the zeros after its last digit dropped, down to two decimals (pence), exactly
    ("17,289,684.65", "-0.50", "0.0088", "25": never rounded); anything else as it is (codes
    and numbers without a point, such as a company number, are left alone)."""
    if isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value):
        number = strip_zeros(Decimal(value))
        if number.as_tuple().exponent == -1:
            number = number.quantize(Decimal("0.01"))
        return f"{number:,f}"
    return str(value)


@dataclass(frozen=True)
class HistoryEntry:
    """One version in an indicator's history table, as it stood at the moment shown."""

    measurement: object
    state: str  # a ReviewState value
    reviews: list
    superseded_by: int | None  # a newer version recorded by then, while this one waits
    evidence: list

    @property
    def state_label(self) -> str:
        return ReviewState(self.state).label


def history_of(visible, indicator, year) -> list:
    """The indicator's values for the year, newest first, from `visible` (the values the
    person may read), with everything a row of the history table shows read with them, in
    a fixed number of queries: the organisation, who recorded it, its source (less its
    workings, which are on the source's page), the indicator (and so its charter, which the
    review form asks about); then their reviews with the reviewers (`history_reviews`, oldest
    first), their evidence (`history_evidence`), read only when a value has some (most have
    none), and for a correction, the version it corrects with that version's source (read
    only when there is one). An empty year costs one query."""
    rows = list(
        visible.filter(indicator=indicator, period_start__gte=year.start, period_end__lte=year.end)
        .select_related("organisation", "recorded_by", "source")
        .defer("source__inputs", "source__method", "recorded_by__password")
        .annotate(has_evidence=Exists(Evidence.objects.filter(measurement=OuterRef("pk"))))
        .order_by("-recorded_at", "-pk")
    )
    if not rows:
        return rows
    reviews: dict[int, list] = defaultdict(list)
    for review in Review.objects.filter(measurement__in=[m.pk for m in rows]).select_related(
        "reviewed_by"
    ):
        reviews[review.measurement_id].append(review)
    evidence: dict[int, list] = defaultdict(list)
    if with_evidence := [m.pk for m in rows if m.has_evidence]:
        for item in Evidence.objects.filter(measurement__in=with_evidence):
            evidence[item.measurement_id].append(item)
    corrected = {m.supersedes_id for m in rows if m.supersedes_id}
    earlier = (
        {
            e.pk: e
            for e in Measurement.objects.filter(pk__in=corrected)
            .select_related("source")
            .defer("source__inputs", "source__method")
        }
        if corrected
        else {}
    )
    for m in rows:
        m.indicator = indicator
        m.history_reviews = reviews[m.pk]
        m.history_evidence = evidence[m.pk]
        if m.supersedes_id:
            m.supersedes = earlier[m.supersedes_id]
    return rows


def history_as_known(measurements, known_on) -> list[HistoryEntry]:
    """The history table's rows (values from `history_of`) as known at `known_on` (None:
    now), ADR 021: only the versions given (the view keeps those recorded by then), each
    with the reviews made by then and its state then, and for one waiting, the newest
    version given for its period.
    A version with no review rows at all (made outside the services) is taken as decided
    when it was recorded, as the status engine takes it."""
    measurements = list(measurements)
    newest: dict[tuple, int] = {}
    for m in measurements:
        key = (m.organisation_id, m.period_start, m.period_end)
        newest[key] = max(newest.get(key, 0), m.version)
    entries = []
    for m in measurements:
        every = m.history_reviews
        newest_version = newest[(m.organisation_id, m.period_start, m.period_end)]
        if known_on is None:
            reviews, state = every, m.state
        else:
            reviews = [r for r in every if r.reviewed_at <= known_on]
            if reviews:
                state = reviews[-1].decision
            elif every:
                state = ReviewState.SUBMITTED
            else:
                state = m.state
        waiting = state == ReviewState.SUBMITTED
        entries.append(
            HistoryEntry(
                measurement=m,
                state=state,
                reviews=reviews,
                superseded_by=newest_version if waiting and newest_version > m.version else None,
                evidence=m.history_evidence,
            )
        )
    return entries
