"""Property-based tests: the charter reader and the target parser, fed arbitrary input, give
either a value or a problem message (FILE:LINE: field: message, or TargetError), never any
other exception. A target they accept can be described and its goal shown for every year
a charter may report on, so nothing accepted can make a page fail.

Runs are derandomised (the same examples every run) and keep no example database.
"""

from __future__ import annotations

import re
import string
from datetime import date
from decimal import Decimal

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialvalue.domain import bounds
from socialvalue.domain.charterfile import (
    CharterFileError,
    CharterSpec,
    parse_charter,
    spec_from_dict,
)
from socialvalue.domain.numbers import format_number
from socialvalue.domain.periods import FinancialYear
from socialvalue.domain.targets import TargetError, TargetKind, parse_target

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
PROBLEM = re.compile(r"^test\.yaml:\d+: \S[^\n]*: \S[^\n]*$")

PARAM_NAMES = [
    "value",
    "comparison",
    "parts",
    "key",
    "label",
    "group_a",
    "group_b",
    "baseline_period",
    "baseline_value",
    "rate_percent",
    "target_percent",
    "lower",
    "upper",
    "benchmark_period",
    "benchmark_value",
    "measure",
    "due",
    "recurs",
    "description",
    "level",
    "direction",
]
TRICKY_TEXT = [
    "NaN",
    "-Infinity",
    "sNaN",
    "1e26",
    "1e-30",
    "1e999999999",
    "-0",
    "1,000,000.5",
    "100000000000",
    "100000000000.0001",
    "99999999999.9999",
    "0.00001",
    "2024-02-30",
    "2024-02-29",
    "0000-01-01",
    "9999-12-31",
    "2101-03-31",
    "0000/01",
    "9999/00",
    "1990/91",
    "2100/01",
    "2023/25",
    "FY 2020/21",
    "at_least",
    "at_most",
    "share",
    "value",
    "increase",
    "9" * 200,
    "",
    " ",
]

numbers = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=-(10**12), max_value=10**12, places=4),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    numbers,
    st.sampled_from(TRICKY_TEXT),
    st.text(max_size=20),
    st.dates(),
    st.builds(FinancialYear, st.integers(min_value=-5, max_value=10_000)),
)
json_like = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(PARAM_NAMES) | st.text(max_size=8), children, max_size=5),
    ),
    max_leaves=20,
)
params = st.dictionaries(st.sampled_from(PARAM_NAMES), json_like, max_size=6)
kinds = st.sampled_from([k.value for k in TargetKind]) | st.text(max_size=12) | scalars


def _shown_for_every_year(target) -> None:
    """What a page does with a target: describe it and format its goal, for any year."""
    for year in (FinancialYear(bounds.FIRST_YEAR), FinancialYear(2024), FinancialYear(2100)):
        for previous in (None, Decimal(0), bounds.MAX_AMOUNT):
            text = target.describe(year, previous_actual=previous, unit="£")
            assert text
            goal = target.goal(year, previous_actual=previous)
            if goal is not None:
                for figure in (goal.value, goal.lower, goal.upper):
                    if figure is not None:
                        format_number(figure)
    assert parse_target(target.kind, target.to_params()) == target


@SETTINGS
@given(kind=kinds, params=params)
def test_the_target_parser_gives_a_target_or_a_target_error(kind, params):
    try:
        target = parse_target(kind, params)
    except TargetError as error:
        assert error.problems
        assert all(isinstance(f, str) and message for f, message in error.problems)
        return
    _shown_for_every_year(target)


@SETTINGS
@given(kind=st.sampled_from([k.value for k in TargetKind]), params=params)
def test_every_kind_with_arbitrary_parameters(kind, params):
    try:
        target = parse_target(kind, params)
    except TargetError as error:
        assert error.problems
        return
    _shown_for_every_year(target)


edge_numbers = st.one_of(
    st.sampled_from(
        [0, 1, "0.0001", "99.9999", 100, "100.0001", "99999999999.9999", 10**11, 10**11 + 1]
    ),
    st.decimals(min_value=0, max_value=10**11, places=4),
    st.decimals(min_value=0, max_value=100, places=4),
    st.integers(min_value=0, max_value=10**11),
)
years = st.integers(min_value=1985, max_value=2105).map(
    lambda start: f"{start}/{(start + 1) % 100:02d}"
)
dates = st.dates(min_value=date(1985, 1, 1), max_value=date(2105, 12, 31)).map(date.isoformat)
count_parts = st.lists(
    st.fixed_dictionaries(
        {"key": st.sampled_from(["a", "b", "c"]), "label": st.just("things"), "value": edge_numbers}
    ),
    min_size=1,
    max_size=3,
)
ratio_parts = st.lists(
    st.fixed_dictionaries(
        {
            "key": st.sampled_from(["e", "d"]),
            "label": st.just("Ethnicity"),
            "group_a": st.just("A"),
            "group_b": st.just("B"),
        }
    ),
    min_size=1,
    max_size=2,
)
NEAR_VALID = {
    "count": {"value": edge_numbers, "comparison": st.sampled_from(["at_least", "at_most"])},
    "counts": {"parts": count_parts},
    "growth_from_baseline": {
        "baseline_period": years,
        "baseline_value": edge_numbers,
        "rate_percent": edge_numbers,
    },
    "growth_on_previous": {"rate_percent": edge_numbers},
    "reduction_from_baseline": {
        "baseline_period": years,
        "baseline_value": edge_numbers,
        "rate_percent": edge_numbers,
    },
    "share": {"target_percent": edge_numbers},
    "ratio_band": {"lower": edge_numbers, "upper": edge_numbers, "parts": ratio_parts},
    "increase_on_benchmark": {
        "benchmark_period": years,
        "benchmark_value": edge_numbers,
        "measure": st.sampled_from(["share", "value"]),
    },
    "milestone": {"due": dates, "recurs": st.booleans()},
    "maintain": {"level": edge_numbers},
    "direction": {"direction": st.sampled_from(["increase", "decrease", "maintain", "deliver"])},
}


@st.composite
def near_valid_targets(draw) -> tuple[str, dict]:
    kind = draw(st.sampled_from(sorted(NEAR_VALID)))
    chosen = draw(st.fixed_dictionaries({}, optional=NEAR_VALID[kind]))
    return kind, chosen


@SETTINGS
@given(target=near_valid_targets())
def test_targets_near_the_bounds_are_accepted_and_shown_or_refused(target):
    kind, chosen = target
    try:
        accepted = parse_target(kind, chosen)
    except TargetError as error:
        assert error.problems
        return
    _shown_for_every_year(accepted)


@SETTINGS
@given(params=st.fixed_dictionaries({"value": numbers | st.sampled_from(TRICKY_TEXT)}))
def test_a_count_target_is_within_bounds_or_refused(params):
    try:
        target = parse_target("count", params)
    except TargetError as error:
        assert [name for name, _ in error.problems] == ["value"]
        return
    assert bounds.AMOUNT.problem(target.value) is None
    _shown_for_every_year(target)


# --- Charter files ---------------------------------------------------------------------------

GOOD = """\
format: socialvalue-charter/1
code: TST-SV
title: Test charter
organisation: TST
periods: ["2023/24"]
thresholds: {at_risk: 0.9, off_track: 0.75}
themes:
  - code: ECON
    title: Economic
    pledges:
      - code: ECON-P1
        text: We will buy locally.
        indicators:
          - code: ECON-01
            title: Deliver 4 projects
            unit: projects
            frequency: quarterly
            source: manual
            target:
              kind: count
              value: 4
"""
GOOD_LINES = GOOD.splitlines()
YAML_TOKENS = [
    "2024-02-30",
    "2024-02-30T10:00:00",
    "!!binary aGVsbG8=",
    "!!python/object:os.system ls",
    "!foo bar",
    "!!float nan",
    ".nan",
    ".inf",
    "-.inf",
    "1e26",
    "0x1F",
    "0o17",
    "1_000",
    "190:20:30",
    "9" * 5000,
    "&a [1, 2]",
    "*a",
    "*missing",
    "[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]",
    "{a: {b: {c: {d: 1}}}}",
    "~",
    "null",
    "yes",
    "on",
    '"\\x00"',
    "'unterminated",
    "[",
    "- item",
    "? complex",
    "<<: *a",
    "0000/01",
    "9999/00",
    "1990/91",
    "0.0000001",
    "1.0e+40",
]
line_values = st.sampled_from(YAML_TOKENS) | st.text(
    alphabet=string.printable + "é£–\u2028", max_size=30
)


@st.composite
def mutated_charters(draw) -> str:
    """The good file with a few lines' values (or whole lines) replaced."""
    lines = list(GOOD_LINES)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        line = lines[index]
        value = draw(line_values)
        if ":" in line and draw(st.booleans()):
            head = line.split(":", 1)[0]
            lines[index] = f"{head}: {value}"
        else:
            lines[index] = value
    return "\n".join(lines) + "\n"


def _spec_or_problems(text: str) -> None:
    try:
        spec = parse_charter(text, path="test.yaml")
    except CharterFileError as error:
        assert error.problems
        for problem in error.problems:
            assert PROBLEM.match(str(problem)), str(problem)
            assert problem.line >= 1
        return
    assert isinstance(spec, CharterSpec)
    for period in spec.periods:
        assert FinancialYear.parse(period).in_range


@SETTINGS
@given(text=st.text(max_size=400))
def test_the_charter_reader_reads_any_text(text):
    _spec_or_problems(text)


@SETTINGS
@given(text=mutated_charters())
def test_the_charter_reader_reads_any_mutation_of_a_good_file(text):
    _spec_or_problems(text)


CHARTER_KEYS = [
    "format",
    "code",
    "title",
    "organisation",
    "periods",
    "thresholds",
    "themes",
    "pledges",
    "indicators",
    "unit",
    "frequency",
    "source",
    "target",
    "kind",
    "at_risk",
    "off_track",
    "text",
]
charter_like = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(
            st.sampled_from([*CHARTER_KEYS, *PARAM_NAMES]),
            children,
            max_size=8,
        ),
    ),
    max_leaves=30,
)


def _yaml_safe(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, FinancialYear):
        return value.label
    if isinstance(value, dict):
        return {k: _yaml_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_yaml_safe(v) for v in value]
    return value


@SETTINGS
@given(data=charter_like)
def test_the_charter_reader_reads_any_yaml_tree(data):
    text = yaml.safe_dump(_yaml_safe(data), allow_unicode=True)
    _spec_or_problems(text)


@SETTINGS
@given(data=st.dictionaries(st.text(max_size=12), charter_like, max_size=8))
def test_spec_from_dict_gives_a_spec_or_problems(data):
    try:
        spec_from_dict(data, path="test.yaml")
    except CharterFileError as error:
        assert error.problems
        assert all(problem.line == 0 for problem in error.problems)


def test_the_good_file_reads():
    spec = parse_charter(GOOD, path="test.yaml")
    assert spec.thresholds == {"at_risk": Decimal("0.9"), "off_track": Decimal("0.75")}
    assert date(2024, 3, 31) == FinancialYear.parse(spec.periods[0]).end
