"""An increase on a benchmark with parts (ethnicity and disability) keeps its parts apart:
each part is recorded, pooled and judged against its own benchmark-year figure, and the
indicator stands as its worst part (issue 11 item 4, ADR 019, docs/targets.md).

Hand-worked figures (LEAD-02: senior roles, benchmarked on 2022/23):
- ethnic minority 71 of 500 = 14.2% against 12% in 2022/23: up, achieved;
- disabled 16 of 516 = 3.1008% against 3.4%: down, missed; the indicator is missed.
- A group: member A 30 of 200 and 5 of 200, member B 41 of 300 and 11 of 316. Pooled from
  summed numerators and denominators: 71 of 500 = 14.2% and 16 of 516 = 3.1%; an average of
  the members' percentages would give 14.33% and 2.99%.
"""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
import yaml

from socialvalue.domain.charterfile import CharterFileError, dump_charter, parse_charter
from socialvalue.domain.periods import FinancialYear, Frequency
from socialvalue.domain.shapes import Shape
from socialvalue.domain.status import Observation, Status, assess, combine, rollup
from socialvalue.domain.targets import (
    TargetError,
    parse_target,
    reading_change,
    shape_of,
)
from socialvalue.domain.valuesheet import (
    COLUMNS,
    IndicatorSpec,
    SheetContext,
    parse,
    sheet_rows,
    validate,
)

FY = FinancialYear(2023)
YEAR = FY.periods(Frequency.ANNUAL)[0]
UNIT = "% of senior roles"
PARTS = [
    {"key": "ethnic-minority", "label": "ethnic minority", "benchmark_value": 12},
    {"key": "disabled", "label": "disabled", "benchmark_value": 3.4},
]
PARAMS = {"benchmark_period": "2022/23", "measure": "share", "parts": PARTS}
TARGET = parse_target("increase_on_benchmark", PARAMS)


def share(numerator, denominator):
    return {"numerator": Decimal(numerator), "denominator": Decimal(denominator)}


def reading(period=YEAR, em=(71, 500), dis=(16, 516), **kw):
    return Observation(period, parts={"ethnic-minority": share(*em), "disabled": share(*dis)}, **kw)


def judge(observations, *, as_of=date(2024, 4, 1), target=TARGET, frequency=Frequency.ANNUAL):
    return assess(
        target, year=FY, frequency=frequency, observations=observations, as_of=as_of, unit=UNIT
    )


# The target ------------------------------------------------------------------------------


def test_parts_are_read_and_written_back_unchanged():
    assert [p.key for p in TARGET.parts] == ["ethnic-minority", "disabled"]
    assert TARGET.parts[1].benchmark_value == Decimal("3.4")
    assert parse_target("increase_on_benchmark", TARGET.to_params()) == TARGET
    assert shape_of(TARGET) is Shape.SHARE_PARTS
    value = parse_target("increase_on_benchmark", {**PARAMS, "measure": "value"})
    assert shape_of(value) is Shape.PARTS


def test_without_parts_a_benchmark_is_as_before():
    plain = parse_target("increase_on_benchmark", {"benchmark_period": "2022/23"})
    assert plain.parts == ()
    assert shape_of(plain) is Shape.SHARE
    assert plain.to_params() == {"benchmark_period": "2022/23"}


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({**PARAMS, "parts": [PARTS[0]]}, "parts: Enter at least two parts"),
        ({**PARAMS, "benchmark_value": 10}, "benchmark_value: Enter each part's benchmark value"),
        (
            {**PARAMS, "parts": [PARTS[0], {**PARTS[1], "benchmark_value": 140}]},
            "parts[1].benchmark_value: Benchmark value must be a percentage between 0 and 100",
        ),
        (
            {**PARAMS, "parts": [PARTS[0], {**PARTS[0], "label": "again"}]},
            'parts[1].key: Use a different key: "ethnic-minority" is taken',
        ),
        ({**PARAMS, "parts": [PARTS[0], {**PARTS[1], "value": 3}]}, "parts[1].value"),
    ],
)
def test_bad_parts_are_refused_saying_where(params, problem):
    with pytest.raises(TargetError) as raised:
        parse_target("increase_on_benchmark", params)
    assert problem in str(raised.value)


def test_the_target_in_words_names_each_part_and_its_benchmark():
    assert TARGET.describe(FY, unit=UNIT) == (
        "Each part higher than its 2022/23 benchmark (ethnic minority 12%; disabled 3.4%)"
    )


def test_changing_from_no_parts_to_parts_would_orphan_the_readings():
    plain = parse_target("increase_on_benchmark", {"benchmark_period": "2022/23"})
    assert reading_change(plain, TARGET) == (
        "what it records from a numerator and denominator to a numerator and denominator "
        "for each part"
    )
    fewer = parse_target(
        "increase_on_benchmark", {**PARAMS, "parts": [PARTS[0], {"key": "lgb", "label": "LGB"}]}
    )
    assert reading_change(TARGET, fewer) == "its parts, taking away the part disabled"
    # New benchmark figures keep the readings.
    moved = parse_target(
        "increase_on_benchmark",
        {**PARAMS, "parts": [PARTS[0], {**PARTS[1], "benchmark_value": 3.5}]},
    )
    assert reading_change(TARGET, moved) is None


# Status ------------------------------------------------------------------------------------


def test_each_part_is_judged_against_its_own_benchmark_and_the_worst_stands():
    result = judge([reading()])
    assert result.status is Status.MISSED
    ethnic, disabled = result.parts
    assert (ethnic.status, disabled.status) == (Status.ACHIEVED, Status.MISSED)
    assert ethnic.actual == Decimal("14.2")
    assert round(disabled.actual, 4) == Decimal("3.1008")
    assert result.explanation == (
        "ethnic minority: 71 of 500 senior roles (14.2%) against 12% in 2022/23, up; "
        "disabled: 16 of 516 senior roles (3.1%) against 3.4% in 2022/23, down "
        "(by 31 March)"
    )


def test_one_part_cannot_hide_the_other():
    # Pooled into one share, 87 of 1,016 = 8.56% would say nothing of either group.
    both_up = judge([reading(dis=(18, 516))])  # 3.49% > 3.4%
    assert both_up.status is Status.ACHIEVED
    assert [p.status for p in both_up.parts] == [Status.ACHIEVED, Status.ACHIEVED]


def test_a_part_level_with_its_benchmark_has_not_increased():
    result = judge([reading(em=(60, 500))])  # exactly 12%
    assert result.parts[0].status is Status.MISSED
    assert "against 12% in 2022/23, no change" in result.explanation


def test_a_part_without_its_benchmark_figure_has_no_target_and_says_so():
    target = parse_target(
        "increase_on_benchmark",
        {**PARAMS, "parts": [PARTS[0], {"key": "disabled", "label": "disabled"}]},
    )
    result = judge([reading()], target=target)
    assert result.parts[1].status is Status.NO_DATA
    assert result.status is Status.NO_DATA  # an unknown is worse than a part achieved
    assert "disabled: 16 of 516 senior roles (3.1%); benchmark for 2022/23 not yet recorded" in (
        result.explanation
    )
    # With no benchmark figure at all and nothing recorded, there is no target, as without
    # parts, even before the year's one period has ended.
    bare = parse_target(
        "increase_on_benchmark",
        {**PARAMS, "parts": [{"key": "a", "label": "A"}, {"key": "b", "label": "B"}]},
    )
    nothing = judge([], target=bare, as_of=date(2024, 1, 15))
    assert (nothing.status, nothing.explanation) == (
        Status.NO_DATA,
        "Benchmark for 2022/23 not yet recorded for any part",
    )


def test_a_part_with_a_zero_denominator_has_no_share():
    result = judge([reading(dis=(0, 0))])
    assert result.parts[1].status is Status.NO_DATA
    assert "disabled: no share for disabled: the total recorded is 0" in result.explanation


def test_nothing_recorded_is_not_yet_due_then_no_data():
    during = judge([], as_of=date(2023, 10, 1))
    assert (during.status, during.explanation) == (
        Status.NOT_YET_DUE,
        "Nothing due until 2023/24 has ended",
    )
    after = judge([], as_of=date(2024, 4, 1))
    assert after.status is Status.NO_DATA
    assert after.explanation == "No value recorded for 2023/24"


def test_the_benchmark_year_itself_has_no_target():
    result = assess(
        TARGET,
        year=FinancialYear(2022),
        frequency=Frequency.ANNUAL,
        observations=[reading(FinancialYear(2022).periods(Frequency.ANNUAL)[0])],
        as_of=date(2023, 4, 1),
        unit=UNIT,
    )
    assert result.status is Status.NOT_YET_DUE
    assert "targets start after the 2022/23 benchmark year" in result.explanation


def test_during_the_year_a_part_below_its_benchmark_is_at_risk_or_off_track_and_gaps_cap():
    q1, q2, *_ = FY.periods(Frequency.QUARTERLY)
    # Q1 and Q2 pooled: ethnic minority 30+31 of 250+250 = 12.2% (up, on track);
    # disabled 4+4 of 250+250 = 1.6% (below 90% of 3.4% = 3.06%: off track).
    observations = [
        reading(q1, em=(30, 250), dis=(4, 250)),
        reading(q2, em=(31, 250), dis=(4, 250)),
    ]
    result = judge(observations, as_of=date(2023, 10, 15), frequency=Frequency.QUARTERLY)
    assert [p.status for p in result.parts] == [Status.ON_TRACK, Status.OFF_TRACK]
    assert result.status is Status.OFF_TRACK
    assert "61 of 500 senior roles (12.2%)" in result.explanation
    # Disabled 8 of 250 = 3.2% is at least 3.06%: at risk. With Q2 missing after it closed,
    # ethnic minority 12.8% is at best at risk too.
    gappy = judge(
        [reading(q1, em=(32, 250), dis=(8, 250))],
        as_of=date(2023, 10, 15),
        frequency=Frequency.QUARTERLY,
    )
    assert [p.status for p in gappy.parts] == [Status.AT_RISK, Status.AT_RISK]
    assert "no value for" in gappy.explanation and q2.label in gappy.explanation


def test_a_group_pools_each_part_from_its_members_summed_figures():
    members = {
        "A": [reading(em=(30, 200), dis=(5, 200))],
        "B": [reading(em=(41, 300), dis=(11, 316))],
    }
    observations = rollup(members=members)
    combined = combine(TARGET, observations)
    ethnic, disabled = combined.parts
    assert (ethnic.numerator, ethnic.denominator, ethnic.value) == (71, 500, Decimal("14.2"))
    assert (disabled.numerator, disabled.denominator) == (16, 516)
    result = assess(
        TARGET,
        year=FY,
        frequency=Frequency.ANNUAL,
        observations=observations,
        as_of=date(2024, 4, 1),
        unit=UNIT,
        members=("A", "B"),
    )
    assert [p.status for p in result.parts] == [Status.ACHIEVED, Status.MISSED]
    # A member with nothing recorded is a gap: not achieved on one member's figures.
    one = assess(
        TARGET,
        year=FY,
        frequency=Frequency.ANNUAL,
        observations=rollup(members={"A": members["A"], "B": []}),
        as_of=date(2024, 4, 1),
        unit=UNIT,
        members=("A", "B"),
    )
    assert one.parts[0].status is Status.NO_DATA  # 15% is up, but B is missing
    assert "B" in one.explanation


def test_a_benchmark_on_values_with_parts_takes_each_parts_latest_figure():
    target = parse_target(
        "increase_on_benchmark",
        {
            "benchmark_period": "2022/23",
            "measure": "value",
            "parts": [
                {"key": "em", "label": "ethnic minority", "benchmark_value": 60},
                {"key": "dis", "label": "disabled", "benchmark_value": 20},
            ],
        },
    )
    q1, q2, *_ = FY.periods(Frequency.QUARTERLY)
    observations = [
        Observation(q1, parts={"em": Decimal(55), "dis": Decimal(21)}),
        Observation(q2, parts={"em": Decimal(62), "dis": Decimal(19)}),
    ]
    result = assess(
        target,
        year=FY,
        frequency=Frequency.QUARTERLY,
        observations=observations,
        as_of=date(2023, 10, 15),
        unit="colleagues",
    )
    assert [p.actual for p in result.parts] == [62, 19]  # the latest, never 117 and 40
    assert [p.status for p in result.parts] == [Status.ON_TRACK, Status.AT_RISK]
    assert "ethnic minority: 62 colleagues against 60 colleagues in 2022/23, up" in (
        result.explanation
    )


# The values sheet --------------------------------------------------------------------------


def _context() -> SheetContext:
    spec = IndicatorSpec(
        code="LEAD-02",
        shape=Shape.SHARE_PARTS,
        frequency=Frequency.ANNUAL,
        kind_label="Increase on a benchmark year",
        periods=frozenset({YEAR.key}),
        organisations=("RXN",),
        recordable=frozenset({"RXN"}),
        parts=("ethnic-minority", "disabled"),
        unit=UNIT,
    )
    return SheetContext(
        charter="RXN-SV", years=("2023/24",), indicators={"LEAD-02": spec}, today=date(2024, 6, 1)
    )


def _sheet(*rows: dict[str, str]):
    lines = [",".join(COLUMNS)]
    for cells in rows:
        row = {"charter": "RXN-SV", "indicator": "LEAD-02", "organisation": "RXN"}
        row["period"] = YEAR.key
        row.update(cells)
        lines.append(",".join(row.get(c, "") for c in COLUMNS))
    return validate(parse("v.csv", ("\n".join(lines) + "\n").encode()), _context())


def test_a_values_sheet_takes_a_share_for_each_part():
    checked = _sheet(
        {"part": "ethnic-minority", "numerator": "71", "denominator": "500"},
        {"part": "disabled", "numerator": "16", "denominator": "516"},
    )
    assert not checked.problems
    (entry,) = checked.entries
    assert entry.parts == {"ethnic-minority": share(71, 500), "disabled": share(16, 516)}


def test_a_values_sheet_refuses_bad_part_shares_saying_where():
    checked = _sheet(
        {"part": "ethnic-minority", "numerator": "71", "denominator": "50"},
        {"part": "disabled", "numerator": "1.5", "denominator": "516", "value": "3"},
    )
    problems = [str(p) for p in checked.problems]
    assert any(
        "Row 2" in p and "numerator must not be more than the denominator" in p for p in problems
    )
    assert any("Row 3" in p and "numerator must be a whole number" in p for p in problems)
    assert any("Row 3" in p and "value does not apply to LEAD-02" in p for p in problems)
    missing = _sheet({"part": "disabled", "numerator": "16", "denominator": "516"})
    assert "ethnic-minority is missing" in str(missing.problems[0])


def test_a_values_sheet_writes_one_row_per_part_with_its_share():
    spec = _context().indicators["LEAD-02"]
    rows = sheet_rows(
        charter="RXN-SV", indicator=spec, organisation="RXN", period=YEAR, recorded=reading()
    )
    assert [(r["part"], r["numerator"], r["denominator"]) for r in rows] == [
        ("ethnic-minority", 71, 500),
        ("disabled", 16, 516),
    ]


# The charter file ----------------------------------------------------------------------------


SEED = (
    Path(__file__).parents[2]
    / "socialvalue/charters/seeds/lancashire-teaching-hospitals-2023-24.yaml"
)
SCHEMA = Path(__file__).parents[2] / "socialvalue/domain/charter.schema.json"


def _lead02(spec):
    found = [i for t in spec.themes for p in t.pledges for i in p.indicators if i.code == "LEAD-02"]
    return found[0]


def test_a_charter_file_with_benchmark_parts_is_written_back_as_read():
    text = SEED.read_text(encoding="utf-8").replace(
        "{key: ethnic-minority, label: ethnic minority}",
        "{key: ethnic-minority, label: ethnic minority, benchmark_value: 12.5}",
    )
    spec = parse_charter(text, path="lead02.yaml")
    parts = _lead02(spec).target.parts
    assert [part.benchmark_value for part in parts] == [Decimal("12.5"), None]
    written = dump_charter(spec)
    assert "benchmark_value: 12.5" in written
    assert parse_charter(written, path="again.yaml") == spec
    jsonschema.validate(yaml.safe_load(written), json.loads(SCHEMA.read_text()))


def test_a_charter_file_with_a_benchmark_for_the_whole_beside_parts_is_refused():
    text = SEED.read_text(encoding="utf-8").replace(
        "benchmark_period: 2022/23\n",
        "benchmark_period: 2022/23\n              benchmark_value: 10\n",
    )
    with pytest.raises(CharterFileError) as refused:
        parse_charter(text, path="bad.yaml")
    assert "Enter each part's benchmark value, not one for the whole" in str(refused.value)


def test_the_last_day_of_the_year_judges_the_year_and_a_leap_day_does_not():
    # An annual figure reaches 31 March: on that day the year is judged, as after it.
    last_day = judge([reading()], as_of=date(2024, 3, 31))
    assert (last_day.status, [p.status for p in last_day.parts]) == (
        Status.MISSED,
        [Status.ACHIEVED, Status.MISSED],
    )
    # Quarterly, on 29 February 2024 with Q1 to Q3 recorded and Q4 running: no gap, not final.
    # Pooled: ethnic minority 3 × 36 of 3 × 250 = 14.4%; disabled 3 × 8 of 3 × 250 = 3.2%,
    # below 3.4% but not below 90% of it (3.06%): at risk.
    q1, q2, q3, _q4 = FY.periods(Frequency.QUARTERLY)
    observations = [reading(q, em=(36, 250), dis=(8, 250)) for q in (q1, q2, q3)]
    leap = judge(observations, as_of=date(2024, 2, 29), frequency=Frequency.QUARTERLY)
    assert [p.status for p in leap.parts] == [Status.ON_TRACK, Status.AT_RISK]
    assert leap.status is Status.AT_RISK and not leap.gaps
    assert leap.explanation.endswith("(by 31 December)")


def test_a_part_without_its_benchmark_takes_the_figure_recorded_for_the_benchmark_year():
    # ADR 020: the 2022/23 figures recorded (one for the whole year): ethnic minority 60 of 500
    # = 12%, disabled 17 of 500 = 3.4%. The charter gives neither.
    bare = parse_target(
        "increase_on_benchmark",
        {**PARAMS, "parts": [{k: p[k] for k in ("key", "label")} for p in PARTS]},
    )
    earlier = [
        reading(FinancialYear(2022).periods(Frequency.ANNUAL)[0], em=(60, 500), dis=(17, 500))
    ]
    result = assess(
        bare,
        year=FY,
        frequency=Frequency.ANNUAL,
        observations=[reading()],
        previous_observations=earlier,
        as_of=date(2024, 4, 1),
        unit=UNIT,
    )
    assert [p.target for p in result.parts] == [12, Decimal("3.4")]
    assert [p.status for p in result.parts] == [Status.ACHIEVED, Status.MISSED]
    assert result.explanation == (
        "ethnic minority: 71 of 500 senior roles (14.2%) against 12% in 2022/23, up; "
        "disabled: 16 of 516 senior roles (3.1%) against 3.4% in 2022/23, down (by 31 March)"
    )
    # Nothing recorded for 2022/23: no benchmark, as before.
    none = assess(
        bare,
        year=FY,
        frequency=Frequency.ANNUAL,
        observations=[reading()],
        previous_observations=[],
        as_of=date(2024, 4, 1),
        unit=UNIT,
    )
    assert none.status is Status.NO_DATA
    assert "ethnic minority: 71 of 500 senior roles (14.2%); benchmark for 2022/23 not yet" in (
        none.explanation
    )
