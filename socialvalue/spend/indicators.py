"""Computed indicators fed by spend imports (issue 14 item 4, ADR 023 and ADR 025).

An indicator with `source: computed` and `computation: spend.local_spend` takes its values
from the organisation's counted ledger lines alone: for each of its periods that has lines,
the spend with suppliers placed inside the local area. Each value's source names the import
that triggered it, every import, file and row counted in the period (as row ranges), the
rows counted as local, the supplier matches used (register supplier, how matched, postcode,
district, why local) and the definition of local in force. Payments to individuals are never
local (never placed), so no person's name is ever in a source.

Recomputed after every import (the `import_done` signal, so after a corrected file too):
`measurement_compute` stores a new version only when the figure or its inputs changed.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from socialvalue.charters.models import Indicator
from socialvalue.domain.computations import computation
from socialvalue.domain.ledger.grouping import joined_ranges
from socialvalue.domain.periods import Frequency, Period
from socialvalue.domain.places import Place
from socialvalue.domain.spend import Share
from socialvalue.imports.models import Import, ImportFile
from socialvalue.measurements.models import Measurement
from socialvalue.measurements.services import (
    Reading,
    charter_first_year,
    indicator_earlier_years,
    measurement_compute,
    organisations_reporting_on,
)
from socialvalue.organisations.models import Organisation
from socialvalue.sources.services import source_computed
from socialvalue.spend.services import Classifier, line_groups

logger = logging.getLogger(__name__)

LOCAL_SPEND = "spend.local_spend"
SPEND_COMPUTATIONS = (LOCAL_SPEND,)
ZERO = Decimal(0)


@dataclass
class _PeriodWork:
    """What one period's value is worked out from."""

    total: Decimal = ZERO
    influenceable: Decimal = ZERO
    local: Decimal = ZERO
    unplaced: Decimal = ZERO
    lines: int = 0
    # Per file: its groups' rows (each as ranges, `LineGroup.rows`) and how many lines.
    rows: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    local_rows: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    file_lines: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    local_lines: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    suppliers: dict[tuple, dict] = field(default_factory=dict)


def spend_indicators(organisation: Organisation) -> list[Indicator]:
    """The computed spend indicators the organisation reports on."""
    candidates = Indicator.objects.filter(
        source="computed", computation__in=SPEND_COMPUTATIONS
    ).select_related("charter__organisation")
    return [i for i in candidates if organisation in organisations_reporting_on(i)]


def recompute_spend_indicators(
    organisation: Organisation, *, trigger: Import | None = None, reason: str = ""
) -> list[Measurement]:
    """Recompute every computed spend indicator of the organisation; the new versions stored
    (a period whose figure and inputs did not change stores nothing)."""
    indicators = spend_indicators(organisation)
    if not indicators:
        return []
    classifier = Classifier(organisation)
    if classifier.area.empty:
        # With no local area nothing can be placed: a value of £0 would be a false figure.
        logger.info("%s has no local area: local spend not computed", organisation.code)
        return []
    stored: list[Measurement] = []
    months = _months(organisation, classifier)
    by_frequency: dict[str, dict[Period, _PeriodWork]] = {}
    for indicator in indicators:
        frequency = indicator.frequency_enum
        if frequency.value not in by_frequency:
            by_frequency[frequency.value] = _periods(months, frequency)
        first_year = charter_first_year(indicator.charter)
        todo = [
            (period, work)
            for period, work in by_frequency[frequency.value].items()
            if first_year is None or period.start >= first_year.start
        ]
        # Before the charter's first year, only the whole years its target is built on (a
        # baseline year, the previous year: ADR 020), each as one figure for the year.
        earlier = [e.period for e in indicator_earlier_years(indicator, first_year=first_year)]
        if earlier:
            annual = Frequency.ANNUAL.value
            if annual not in by_frequency:
                by_frequency[annual] = _periods(months, Frequency.ANNUAL)
            todo += [(p, by_frequency[annual][p]) for p in earlier if p in by_frequency[annual]]
        for period, work in todo:
            try:
                value = measurement_compute(
                    indicator=indicator,
                    organisation=organisation,
                    period=period,
                    reading=Reading(value=work.local),
                    source=_source(organisation, classifier, period, work, trigger),
                    reason=reason,
                )
            except ValueError as error:  # a figure outside the indicator's bounds
                logger.error("%s %s: not stored: %s", indicator.code, period.start, error)
                continue
            if value is not None:
                stored.append(value)
    return stored


def _months(organisation, classifier: Classifier) -> dict[tuple[int, int], _PeriodWork]:
    """What each month's value is worked out from, from the lines summed per month, file and
    supplier as written (`line_groups`), each supplier as written classified once."""
    months: dict[tuple[int, int], _PeriodWork] = {}
    for group in line_groups(organisation, by_file=True):
        month = (group.month.year, group.month.month)
        work = months.get(month)
        if work is None:
            work = months[month] = _PeriodWork()
        name, amount = group.name, group.amount
        line_class = classifier(name, group.company, group.postcode)
        work.total += amount
        work.lines += group.lines
        file_id = group.file_id
        work.rows[file_id].append(group.rows)
        work.file_lines[file_id] += group.lines
        if not line_class.influenceable:
            continue
        work.influenceable += amount
        placement = line_class.placement
        if placement.place is Place.UNPLACED:
            work.unplaced += amount
        elif placement.place is Place.LOCAL:
            work.local += amount
            work.local_rows[file_id].append(group.rows)
            work.local_lines[file_id] += group.lines
            key = (line_class.match.key, name if line_class.match.key is None else "")
            used = work.suppliers.get(key)
            if used is None:
                used = work.suppliers[key] = _supplier_used(classifier, line_class, name)
            used["lines"] += group.lines
            used["amount"] += amount
    return months


def _periods(
    months: dict[tuple[int, int], _PeriodWork], frequency: Frequency
) -> dict[Period, _PeriodWork]:
    """The months' work combined into the periods of the frequency (each a whole number of
    months)."""
    periods: dict[Period, _PeriodWork] = {}
    for (year, month), part in sorted(months.items()):
        period = Period.containing(frequency, date(year, month, 1))
        work = periods.get(period)
        if work is None:
            work = periods[period] = _PeriodWork()
        work.total += part.total
        work.influenceable += part.influenceable
        work.local += part.local
        work.unplaced += part.unplaced
        work.lines += part.lines
        for file_id, rows in part.rows.items():
            work.rows[file_id].extend(rows)
            work.file_lines[file_id] += part.file_lines[file_id]
        for file_id, rows in part.local_rows.items():
            work.local_rows[file_id].extend(rows)
            work.local_lines[file_id] += part.local_lines[file_id]
        for key, used in part.suppliers.items():
            mine = work.suppliers.get(key)
            if mine is None:
                work.suppliers[key] = dict(used)
            else:
                mine["lines"] += used["lines"]
                mine["amount"] += used["amount"]
    return periods


def _supplier_used(classifier: Classifier, line_class, name: str) -> dict:
    match = line_class.match
    placement = line_class.placement
    if match.key is not None:
        supplier = classifier.suppliers[match.key]
        who = {
            "supplier": f"no. {supplier.pk}: {supplier.name}",
            "matched by": match.method.value if match.method else "",
            "postcode": supplier.postcode or "(the ledger's)",
        }
    else:
        who = {"supplier": f"{name} (not in the register)", "matched by": "none"}
    return {**who, "district": placement.district, "why local": placement.reason} | {
        "lines": 0,
        "amount": ZERO,
    }


# A source's label is at most this long (Source.label); its inputs hold every row.
LABEL_LENGTH = 300


def source_label(imports: list[int], files: list[tuple[str, str, str, int, int]]) -> str:
    """Shown after "From" on the indicator page: "import 12, hand.csv rows 2–3 (local: 2)".
    `files` holds (name, row ranges, local row ranges, rows, local rows). When the ranges
    do not fit, each file's numbers of rows stand instead (the ranges are in the inputs, on
    the source's page), never ranges cut off part way."""
    head = f"import{'s' if len(imports) > 1 else ''} {', '.join(str(i) for i in imports)}, "
    label = head + "; ".join(
        f"{name} rows {ranges} (local: {local or 'none'})" for name, ranges, local, _, _ in files
    )
    if len(label) <= LABEL_LENGTH:
        return label
    label = head + "; ".join(
        f"{name}: {rows:,} rows (local: {local:,})" for name, _, _, rows, local in files
    )
    return label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1] + "…"


def _source(organisation, classifier: Classifier, period: Period, work: _PeriodWork, trigger):
    files = {
        f.pk: f
        for f in ImportFile.objects.filter(pk__in=work.rows.keys()).select_related("import_record")
    }
    imports = sorted({f.import_record_id for f in files.values()})
    used_import = trigger if trigger is not None and trigger.pk in imports else None
    if used_import is None and imports:
        used_import = Import.objects.get(pk=imports[-1])
    saved_area = classifier.saved_area
    share = Share(work.local, work.influenceable)
    # Each file's rows as ranges, worked out once for the inputs and the label.
    ranges = {
        pk: (joined_ranges(rows), joined_ranges(work.local_rows.get(pk, [])))
        for pk, rows in work.rows.items()
    }
    inputs = {
        "period": f"{period.start.isoformat()} to {period.end.isoformat()}",
        "figures": {
            "local spend": work.local,
            "influenceable spend": work.influenceable,
            "could not be placed": work.unplaced,
            "total spend": work.total,
            "local share of influenceable": share.percent() if work.influenceable else "",
            "lines": work.lines,
        },
        "imports": imports,
        "files": [
            {
                "import": files[pk].import_record_id,
                "file": files[pk].name,
                "sha256": files[pk].sha256,
                "rows": ranges[pk][0],
                "local rows": ranges[pk][1],
            }
            for pk in sorted(work.rows)
        ],
        "local suppliers": sorted(
            work.suppliers.values(), key=lambda s: (-s["amount"], s["supplier"])
        ),
        "local area": {
            "chosen": list(saved_area.chosen) if saved_area else [],
            "local authority districts": sorted(classifier.area.authorities),
            "postcode districts": sorted(classifier.area.postcode_districts),
            "rule": "a postcode district counts as local only if all its authorities are local",
            "last changed": (
                f"{saved_area.updated_at:%Y-%m-%d} by {saved_area.updated_by}"
                if saved_area and saved_area.updated_by
                else ""
            ),
        },
    }
    label = source_label(
        imports,
        [
            (
                files[pk].name,
                ranges[pk][0],
                ranges[pk][1],
                work.file_lines[pk],
                work.local_lines.get(pk, 0),
            )
            for pk in sorted(work.rows)
        ],
    )
    return source_computed(
        organisation=organisation,
        computation=computation(LOCAL_SPEND),
        inputs=inputs,
        label=label,
        import_record=used_import,
    )
