"""What computes a computed indicator from saved imports (ADR 024).

`COMPUTATIONS` maps the name an indicator's `computation` holds to a function giving, for an
organisation and one of the indicator's periods, the value to store: the same fields a person
records (value, numerator/denominator, parts) plus the method sentence and where it came from
(imports and files, factor set, assumptions). No value when nothing is imported for the period.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from socialvalue.domain.numbers import read_spans, spans_text
from socialvalue.domain.periods import FinancialYear, Period
from socialvalue.domain.workforce import MEASURES, Characteristic, survey_yes_share
from socialvalue.equality import figures


@dataclass(frozen=True)
class Computed:
    period: Period
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    parts: dict = field(default_factory=dict)
    method: str = ""
    source: dict = field(default_factory=dict)

    @property
    def fields(self) -> dict:
        return {
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "parts": self.parts,
        }


def _source(computation: str, found: list[figures.Figure]) -> dict:
    imports = sorted({i for f in found for i in f.imports})
    merged: dict[tuple, dict] = {}
    for f in found:
        for item in f.files:
            held = merged.setdefault(
                (item["import"], item["file"]),
                {"import": item["import"], "file": item["file"], "sha256": item["sha256"]},
            )
            held["rows"] = sorted(set(held.get("rows", [])) | set(item["rows"]))
            if item.get("counted rows"):
                spans = read_spans(held.get("counted rows", "")) + read_spans(item["counted rows"])
                held["counted rows"] = spans_text(spans)
    files = list(merged.values())
    factor_sets = [f.factor_set for f in found if f.factor_set]
    assumptions: dict = {}
    for f in found:
        assumptions.update(f.assumptions)
    return {
        "kind": "computed",
        "computation": computation,
        "imports": imports,
        "files": files,
        "factor_set": factor_sets[0] if factor_sets else None,
        "assumptions": assumptions,
        "figures": [
            {
                "title": f.title,
                "period": f.period,
                "figure": f.headline,
                **{k: v for k, v in f.data.items() if k not in ("method", "reason")},
            }
            for f in found
        ],
    }


def _ratio_parts(indicator, found: dict[str, figures.Figure], counts) -> tuple[dict, list[str]]:
    """Parts of a ratio_band target from figures keyed by characteristic, each part's group A
    and group B as the target names them (White over BME; BME over White for the survey)."""
    parts, notes = {}, []
    for part in indicator.target_params.get("parts", []):
        characteristic = Characteristic(part["key"])
        figure = found.get(characteristic.value)
        if figure is None:
            notes.append(f"{part['label']}: nothing imported")
            continue
        got = counts(figure, part["group_a"]), counts(figure, part["group_b"])
        if None in got:
            notes.append(f"{part['label']}: {figure.headline}")
            continue
        (events_a, population_a), (events_b, population_b) = got
        parts[part["key"]] = {
            "events_a": events_a,
            "population_a": population_a,
            "events_b": events_b,
            "population_b": population_b,
        }
    return parts, notes


def recruitment(indicator, organisation, period: Period) -> Computed | None:
    found = figures.recruitment(organisation, period.financial_year)
    if not found:
        return None
    by_key = {f.key.split(":")[1]: f for f in found}

    def counts(figure, group):
        data = figure.data
        if group not in data["shortlisted"]:
            return None
        return Decimal(data["appointed"][group]), Decimal(data["shortlisted"][group])

    parts, notes = _ratio_parts(indicator, by_key, counts)
    method = " ".join(f.method for f in found) + "".join(f" {n}." for n in notes)
    return Computed(
        period,
        parts=parts,
        method=method,
        source=_source("workforce.recruitment_likelihood", found),
    )


def _survey(topic: str):
    def compute(indicator, organisation, period: Period) -> Computed | None:
        found = [
            f
            for f in figures.staff_survey(organisation, period.financial_year)
            if f.key.startswith(f"survey:{topic}:")
        ]
        if not found:
            return None
        by_key = {f.key.rsplit(":", 1)[1]: f for f in found}

        def counts(figure, group):
            # The share who said yes, as "events" of the respondents: the ratio of the two
            # is the ratio of the percentages. A suppressed group has no percentage.
            for side in ("reference", "comparison"):
                shown = figure.data[side]
                measure = MEASURES[Characteristic(figure.data["measure"])]
                name = measure.reference if side == "reference" else measure.comparison
                if name == group and shown and shown["percent"] is not None:
                    return survey_yes_share(Decimal(shown["percent"]), int(shown["respondents"]))
            return None

        parts, notes = _ratio_parts(indicator, by_key, counts)
        method = " ".join(f"{f.title}: {f.method}" for f in found)
        method += "".join(f" {n}." for n in notes)
        return Computed(
            period,
            parts=parts,
            method=method,
            source=_source(f"survey.harassment_{topic}", found),
        )

    return compute


# The parts of a benchmark with parts that senior representation fills, by the first word of
# the part's key ("ethnic-minority", "disabled").
_REPRESENTATION_GROUPS = {
    "ethnic": "ethnicity",
    "ethnicity": "ethnicity",
    "bme": "ethnicity",
    "disabled": "disability",
    "disability": "disability",
}


def representation(indicator, organisation, period: Period) -> Computed | None:
    named = indicator.target_params.get("benchmark_period")
    benchmark = FinancialYear.parse(named) if named else None
    found = figures.representation(
        organisation,
        period.financial_year,
        # The benchmark year's own figure is worked out on its own, not against itself.
        benchmark=benchmark if benchmark != period.financial_year else None,
    )
    by_key = {f.key: f for f in found}
    ethnicity = by_key.get("representation:ethnicity")
    if ethnicity is None or not ethnicity.denominator:
        return None
    method = " ".join(f"{f.title}: {f.method}" for f in found)
    target = indicator.target
    if getattr(target, "parts", ()):
        # A benchmark with parts (ADR 019): each part its own share, by what it names.
        parts = {}
        for part in target.parts:
            group = _REPRESENTATION_GROUPS.get(part.key.split("-")[0].split("_")[0].lower())
            figure = by_key.get(f"representation:{group}") if group else None
            if figure is not None and figure.denominator:
                parts[part.key] = {
                    "numerator": figure.numerator,
                    "denominator": figure.denominator,
                }
        return Computed(
            period,
            parts=parts,
            method=method,
            source=_source("workforce.senior_representation", found),
        )
    if "representation:disability" in by_key:
        method += (
            " The value recorded is the ethnic minority share; the Disabled share is worked out "
            "above beside it (the target has one figure)."
        )
    return Computed(
        period,
        numerator=ethnicity.numerator,
        denominator=ethnicity.denominator,
        method=method,
        source=_source("workforce.senior_representation", found),
    )


def virtual_outpatients(indicator, organisation, period: Period) -> Computed | None:
    found = figures.outpatients(organisation, period.start, period.end)
    share = next((f for f in found if f.key == "outpatients:virtual_share"), None)
    if share is None or not share.denominator:
        return None
    used = [f for f in found if f.value is not None]
    method = " ".join(f"{f.title}: {f.method}" for f in found)
    return Computed(
        period,
        numerator=share.numerator,
        denominator=share.denominator,
        method=method,
        source=_source("outpatients.virtual_share", used or [share]),
    )


def paper_reams(indicator, organisation, period: Period) -> Computed | None:
    found = figures.paper(organisation, period.start, period.end)
    if not found:
        return None
    [paper] = found
    return Computed(
        period,
        value=paper.value,
        method=f"{paper.title}: {paper.method}",
        source=_source("paper.reams", found),
    )


# The names are those of socialvalue/domain/computations.py (ADR 025), which says in words
# what each computes, what it reads and its version.
COMPUTATIONS: dict[str, Callable[..., Computed | None]] = {
    "workforce.recruitment_likelihood": recruitment,
    "survey.harassment_public": _survey("public"),
    "survey.harassment_managers": _survey("managers"),
    "survey.harassment_colleagues": _survey("colleagues"),
    "workforce.senior_representation": representation,
    "outpatients.virtual_share": virtual_outpatients,
    "paper.reams": paper_reams,
}


def compute(indicator, organisation, period: Period) -> Computed | None:
    function = COMPUTATIONS.get(indicator.computation or "")
    if function is None:
        return None
    return function(indicator, organisation, period)
