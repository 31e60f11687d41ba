"""Workforce equality figures: recruitment likelihood (WRES 2, WDES 2), staff survey gaps,
senior-role representation. Sources and worked figures: docs/formulas.md.

Every result carries the counts it was worked out from and a `method` sentence, so a page can
show "How this was worked out" without working it out again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from socialvalue.domain.numbers import format_number, format_percent, format_ratio, quantize
from socialvalue.domain.status import relative_likelihood

__all__ = [
    "MEASURES",
    "SENIOR_BANDS",
    "SMALL_COUNT",
    "SURVEY_SUPPRESS_BELOW",
    "Characteristic",
    "GroupCounts",
    "Headcount",
    "Likelihood",
    "Measure",
    "Representation",
    "SurveyComparison",
    "SurveyResult",
    "band_key",
    "compare_survey",
    "recruitment_likelihood",
    "senior_representation",
]

HUNDRED = Decimal(100)
# REFERENCE.md section 3: counts below this are flagged as unstable (a setting of the call).
SMALL_COUNT = 10
# REFERENCE.md section 3 (unconfirmed there): survey groups under 11 respondents are suppressed.
SURVEY_SUPPRESS_BELOW = 11
# Senior roles: Agenda for Change bands 8c, 8d and 9, and very senior managers.
SENIOR_BANDS = ("8c", "8d", "9", "vsm")


class Characteristic(StrEnum):
    ETHNICITY = "ethnicity"
    DISABILITY = "disability"


@dataclass(frozen=True)
class Measure:
    """Which group is the reference (A, first in the ratio) and which the comparison (B)."""

    code: str
    name: str
    characteristic: Characteristic
    reference: str
    comparison: str
    not_stated: str = "Not stated"


MEASURES = {
    Characteristic.ETHNICITY: Measure(
        code="WRES 2",
        name="Relative likelihood of White applicants being appointed from shortlisting "
        "compared to BME applicants",
        characteristic=Characteristic.ETHNICITY,
        reference="White",
        comparison="BME",
    ),
    Characteristic.DISABILITY: Measure(
        code="WDES 2",
        name="Relative likelihood of non-disabled applicants being appointed from shortlisting "
        "compared to Disabled applicants",
        characteristic=Characteristic.DISABILITY,
        reference="Non-disabled",
        comparison="Disabled",
    ),
}


@dataclass(frozen=True)
class GroupCounts:
    shortlisted: int
    appointed: int


@dataclass(frozen=True)
class Likelihood:
    measure: Measure
    reference: GroupCounts
    comparison: GroupCounts
    not_stated: GroupCounts
    ratio: Decimal | None  # unrounded
    reason: str  # why there is no ratio; "" when there is one
    declaration_rate: Decimal | None  # percent of shortlisted who stated the characteristic
    small_counts: tuple[str, ...]  # the counts below the threshold, named
    threshold: int
    method: str

    @property
    def ratio_2dp(self) -> Decimal | None:
        return quantize(self.ratio, 2) if self.ratio is not None else None

    @property
    def unstable(self) -> bool:
        return bool(self.small_counts)

    def to_dict(self) -> dict[str, object]:
        return {
            "measure": self.measure.code,
            "reference_group": self.measure.reference,
            "comparison_group": self.measure.comparison,
            "shortlisted": {
                self.measure.reference: self.reference.shortlisted,
                self.measure.comparison: self.comparison.shortlisted,
                self.measure.not_stated: self.not_stated.shortlisted,
            },
            "appointed": {
                self.measure.reference: self.reference.appointed,
                self.measure.comparison: self.comparison.appointed,
                self.measure.not_stated: self.not_stated.appointed,
            },
            "ratio": str(self.ratio_2dp) if self.ratio is not None else None,
            "reason": self.reason or None,
            "declaration_rate_percent": (
                str(quantize(self.declaration_rate, 1))
                if self.declaration_rate is not None
                else None
            ),
            "unstable": self.unstable,
            "small_counts": list(self.small_counts),
            "threshold": self.threshold,
            "method": self.method,
        }


def recruitment_likelihood(
    measure: Measure,
    *,
    reference: GroupCounts,
    comparison: GroupCounts,
    not_stated: GroupCounts = GroupCounts(0, 0),
    threshold: int = SMALL_COUNT,
) -> Likelihood:
    """(appointed ÷ shortlisted, reference) ÷ (appointed ÷ shortlisted, comparison).

    People whose group is not stated are left out of both groups; the declaration rate (the
    share of all shortlisted whose group is stated) is reported beside the ratio. Any of the
    four counts below `threshold` makes the ratio unstable, and the small counts are named.
    """
    a, b = measure.reference, measure.comparison
    ratio, reason = relative_likelihood(
        events_a=Decimal(reference.appointed),
        population_a=Decimal(reference.shortlisted),
        events_b=Decimal(comparison.appointed),
        population_b=Decimal(comparison.shortlisted),
        group_a=f"{a} candidates",
        group_b=f"{b} candidates",
    )
    declared = reference.shortlisted + comparison.shortlisted
    everyone = declared + not_stated.shortlisted
    declaration = Decimal(declared) * HUNDRED / Decimal(everyone) if everyone else None
    small = tuple(
        f"{label} {count}"
        for label, count in (
            (f"{a} shortlisted", reference.shortlisted),
            (f"{a} appointed", reference.appointed),
            (f"{b} shortlisted", comparison.shortlisted),
            (f"{b} appointed", comparison.appointed),
        )
        if count < threshold
    )
    method = (
        f"{measure.code}: ({a} appointed {reference.appointed} ÷ {a} shortlisted "
        f"{reference.shortlisted}) ÷ ({b} appointed {comparison.appointed} ÷ {b} shortlisted "
        f"{comparison.shortlisted})"
    )
    if ratio is not None:
        method += f" = {format_ratio(ratio)}"
    else:
        method += f": {reason}"
    method += (
        f". {not_stated.shortlisted} shortlisted ({not_stated.appointed} appointed) whose "
        f"{measure.characteristic.value} is not stated are left out of both groups"
    )
    if declaration is not None:
        method += f"; {format_percent(declaration)} of those shortlisted stated it"
    method += "."
    if small:
        method += f" Unstable: fewer than {threshold} in " + ", ".join(small) + "."
    return Likelihood(
        measure=measure,
        reference=reference,
        comparison=comparison,
        not_stated=not_stated,
        ratio=ratio,
        reason=reason,
        declaration_rate=declaration,
        small_counts=small,
        threshold=threshold,
        method=method,
    )


# --- Staff survey ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyResult:
    """One group's answer to one question: `percent` of `respondents` said yes."""

    question: str
    group: str
    respondents: int
    percent: Decimal


def survey_yes_share(percent: Decimal, respondents: int) -> tuple[Decimal, Decimal]:
    """A group's survey answer as a share of its respondents, (said yes, respondents), for
    a ratio between groups: the ratio of two such shares is the ratio of the percentages.

    The survey publishes percentages, not counts, so "said yes" is a reconstructed number
    of people and need not be whole (12.5% of 20 respondents is 2.5)."""
    return percent * respondents / 100, Decimal(respondents)


@dataclass(frozen=True)
class SurveyComparison:
    question: str
    measure: Measure
    reference: SurveyResult | None
    comparison: SurveyResult | None
    gap_points: Decimal | None  # comparison percent minus reference percent
    ratio: Decimal | None  # comparison percent ÷ reference percent
    reason: str
    gap_label: str
    ratio_label: str
    suppressed: tuple[str, ...] = field(default_factory=tuple)
    method: str = ""

    def to_dict(self) -> dict[str, object]:
        def shown(result: SurveyResult | None) -> dict[str, object] | None:
            if result is None:
                return None
            hidden = result.group in self.suppressed
            return {
                "group": result.group,
                "respondents": result.respondents,
                "percent": None if hidden else str(result.percent),
                "suppressed": hidden,
            }

        return {
            "question": self.question,
            "measure": self.measure.characteristic.value,
            "reference": shown(self.reference),
            "comparison": shown(self.comparison),
            "gap_points": str(quantize(self.gap_points, 1))
            if self.gap_points is not None
            else None,
            "gap_label": self.gap_label,
            "ratio": str(quantize(self.ratio, 2)) if self.ratio is not None else None,
            "ratio_label": self.ratio_label,
            "reason": self.reason or None,
            "method": self.method,
        }


def compare_survey(
    question: str,
    measure: Measure,
    *,
    reference: SurveyResult | None,
    comparison: SurveyResult | None,
    suppress_below: int = SURVEY_SUPPRESS_BELOW,
) -> SurveyComparison:
    """Per question: the gap in percentage points and the ratio, comparison group against the
    reference group (BME against White; Disabled against non-disabled). For the harassment,
    bullying and abuse questions a positive gap and a ratio above 1 mean the comparison group
    reports more of it. A group under `suppress_below` respondents is not shown or compared."""
    a, b = measure.reference, measure.comparison
    gap_label = f"{b} minus {a}, percentage points"
    ratio_label = f"{b} ÷ {a}"
    suppressed = tuple(
        r.group for r in (reference, comparison) if r is not None and r.respondents < suppress_below
    )

    def result(
        *, gap_points: Decimal | None, ratio: Decimal | None, reason: str, method: str
    ) -> SurveyComparison:
        return SurveyComparison(
            question=question,
            measure=measure,
            reference=reference,
            comparison=comparison,
            gap_points=gap_points,
            ratio=ratio,
            reason=reason,
            gap_label=gap_label,
            ratio_label=ratio_label,
            suppressed=suppressed,
            method=method,
        )

    missing = [g for g, r in ((a, reference), (b, comparison)) if r is None]
    if missing:
        reason = "no comparison: no result for " + " or ".join(missing)
        return result(gap_points=None, ratio=None, reason=reason, method=reason)
    assert reference is not None and comparison is not None
    if suppressed:
        reason = (
            f"no comparison: fewer than {suppress_below} respondents in "
            + " and ".join(
                f"{r.group} ({r.respondents})"
                for r in (reference, comparison)
                if r.group in suppressed
            )
            + ", so the result is suppressed"
        )
        return result(gap_points=None, ratio=None, reason=reason, method=reason)
    gap = comparison.percent - reference.percent
    method = (
        f"Gap: {b} {format_percent(comparison.percent)} (of {comparison.respondents}) minus "
        f"{a} {format_percent(reference.percent)} (of {reference.respondents}) = "
        f"{format_number(gap, places=1)} percentage points"
    )
    if reference.percent == 0:
        reason = f"no ratio: {a} is 0%"
        return result(gap_points=gap, ratio=None, reason=reason, method=f"{method}; {reason}.")
    ratio = comparison.percent / reference.percent
    method += (
        f". Ratio: {format_percent(comparison.percent)} ÷ {format_percent(reference.percent)} "
        f"= {format_ratio(ratio)}."
    )
    return result(gap_points=gap, ratio=ratio, reason="", method=method)


# --- Senior-role representation -------------------------------------------------------------


def band_key(text: str) -> str:
    """A pay band as a short key: "Band 8c", "8C", "Band 8 - Range C" -> "8c"; VSM -> "vsm"."""
    cleaned = " ".join(str(text).lower().replace("-", " ").split())
    if cleaned in {"vsm", "very senior manager", "very senior managers"}:
        return "vsm"
    for prefix in ("agenda for change ", "afc ", "band "):
        if cleaned.startswith(prefix):
            cleaned = cleaned[len(prefix) :]
    cleaned = cleaned.replace(" range ", "").replace(" ", "")
    return cleaned


@dataclass(frozen=True)
class Representation:
    """The share of staff in senior bands who are in `group`, for a year and a benchmark."""

    characteristic: Characteristic
    group: str
    bands: tuple[str, ...]
    year: str
    in_group: int
    senior_staff: int
    not_stated: int
    share: Decimal | None  # percent of all senior staff
    benchmark_year: str | None
    benchmark_in_group: int | None
    benchmark_senior_staff: int | None
    benchmark_share: Decimal | None
    change_points: Decimal | None
    reason: str
    method: str

    def to_dict(self) -> dict[str, object]:
        def pct(value: Decimal | None) -> str | None:
            return str(quantize(value, 1)) if value is not None else None

        return {
            "characteristic": self.characteristic.value,
            "group": self.group,
            "bands": list(self.bands),
            "year": self.year,
            "in_group": self.in_group,
            "senior_staff": self.senior_staff,
            "not_stated": self.not_stated,
            "share_percent": pct(self.share),
            "benchmark_year": self.benchmark_year,
            "benchmark_in_group": self.benchmark_in_group,
            "benchmark_senior_staff": self.benchmark_senior_staff,
            "benchmark_share_percent": pct(self.benchmark_share),
            "change_points": pct(self.change_points),
            "reason": self.reason or None,
            "method": self.method,
        }


@dataclass(frozen=True)
class Headcount:
    """Staff in post in one band and group, for a year (as at its date)."""

    year: str
    band: str
    group: str  # the measure's reference, comparison or not_stated name
    headcount: int


def _senior(
    rows: Sequence[Headcount], year: str, bands: tuple[str, ...], group: str
) -> tuple[int, int, list[Headcount]]:
    chosen = [r for r in rows if r.year == year and band_key(r.band) in bands]
    total = sum(r.headcount for r in chosen)
    in_group = sum(r.headcount for r in chosen if r.group == group)
    return in_group, total, chosen


def senior_representation(
    measure: Measure,
    rows: Sequence[Headcount],
    *,
    year: str,
    benchmark_year: str | None = None,
    bands: Sequence[str] = SENIOR_BANDS,
) -> Representation:
    """Share of staff in senior bands who are in the comparison group (BME; Disabled):
    group headcount ÷ all headcount in those bands (staff whose group is not stated count in
    the whole, as WRES indicator 1 does, and are reported beside it), against the benchmark
    year's share, as a change in percentage points."""
    keys = tuple(band_key(b) for b in bands)
    group = measure.comparison
    in_group, total, chosen = _senior(rows, year, keys, group)
    not_stated = sum(r.headcount for r in chosen if r.group == measure.not_stated)
    share = Decimal(in_group) * HUNDRED / Decimal(total) if total else None
    band_text = ", ".join(b if b == "vsm" else f"band {b}" for b in keys).replace("vsm", "VSM")
    reason = "" if total else f"no share: no staff in {band_text} in {year}"
    method = (
        f"{year}: {group} staff in {band_text} {in_group} ÷ all staff in those bands {total}"
        + (f" = {format_percent(share)}" if share is not None else f": {reason}")
        + f" ({not_stated} whose {measure.characteristic.value} is not stated are in the whole)"
    )
    b_in = b_total = None
    b_share = change = None
    if benchmark_year is not None:
        b_in, b_total, _ = _senior(rows, benchmark_year, keys, group)
        b_share = Decimal(b_in) * HUNDRED / Decimal(b_total) if b_total else None
        if b_share is None:
            method += f"; no benchmark share: no staff in those bands in {benchmark_year}"
            reason = reason or f"no change: no staff in those bands in {benchmark_year}"
        else:
            method += (
                f"; benchmark {benchmark_year}: {b_in} ÷ {b_total} = {format_percent(b_share)}"
            )
            if share is not None:
                change = share - b_share
                method += f"; change {format_number(change, places=1)} percentage points"
    return Representation(
        characteristic=measure.characteristic,
        group=group,
        bands=keys,
        year=year,
        in_group=in_group,
        senior_staff=total,
        not_stated=not_stated,
        share=share,
        benchmark_year=benchmark_year,
        benchmark_in_group=b_in,
        benchmark_senior_staff=b_total,
        benchmark_share=b_share,
        change_points=change,
        reason=reason,
        method=method + ".",
    )
