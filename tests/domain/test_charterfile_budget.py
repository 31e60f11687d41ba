"""Reading a charter file has a budget, and every fault is a FILE:LINE message."""

from __future__ import annotations

import time

import pytest

from socialvalue.domain import bounds
from socialvalue.domain.charterfile import CharterFileError, charter_schema, parse_charter

GOOD = """\
format: socialvalue-charter/1
code: TST-SV
title: Test charter
organisation: TST
periods: ["2023/24"]
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
TARGET = "themes[0].pledges[0].indicators[0].target"


def problems_of(text: str) -> list[str]:
    with pytest.raises(CharterFileError) as caught:
        parse_charter(text, path="bad.yaml")
    return [str(problem) for problem in caught.value.problems]


def with_target(lines: str) -> str:
    return GOOD.replace("              kind: count\n              value: 4\n", lines)


def billion_laughs() -> str:
    lines = ['lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"lol{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


def test_nested_aliases_stop_at_the_value_budget_quickly():
    text = billion_laughs()
    assert len(text.encode()) < 1300  # 1.2 KB that would expand to 9^10 values
    started = time.monotonic()
    found = problems_of(text)
    assert time.monotonic() - started < 10
    assert found == [
        "bad.yaml:1: (file): The file expands to more than 100,000 values: "
        "check what its aliases (*name) repeat"
    ]


def test_a_file_with_more_aliases_than_allowed_is_refused_at_the_first_one_too_many():
    lines = ["base: &b x"] + [f"k{n}: *b" for n in range(bounds.MAX_ALIASES + 1)]
    found = problems_of("\n".join(lines))
    assert found == [
        f"bad.yaml:{bounds.MAX_ALIASES + 2}: (yaml): The file uses more than 100 aliases "
        "(*name): write the values out instead"
    ]


def test_a_few_aliases_are_read_as_their_values():
    text = GOOD.replace('periods: ["2023/24"]', 'periods: &years ["2023/24"]')
    assert parse_charter(text).periods == ("2023/24",)


@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_deep_nesting_is_refused_before_python_runs_out_of_stack(opening):
    closing = "]" if opening == "[" else "}"
    text = "format: " + opening * 5000 + closing * 5000 + "\n"
    assert problems_of(text) == [
        "bad.yaml:1: (yaml): The file nests more than 20 levels deep here: "
        "a charter file needs about 10"
    ]


def test_block_nesting_reports_the_line_where_it_goes_too_deep():
    text = "".join(f"{'  ' * depth}k{depth}:\n" for depth in range(30)) + "  " * 30 + "end\n"
    found = problems_of(text)
    assert found == [
        "bad.yaml:20: (yaml): The file nests more than 20 levels deep here: "
        "a charter file needs about 10"
    ]


def test_a_file_over_the_size_limit_is_not_read():
    text = GOOD + "# " + "x" * bounds.MAX_FILE_BYTES + "\n"
    size = len(text.encode())
    assert problems_of(text) == [
        f"bad.yaml:1: (file): The file is {size:,} bytes: a charter file must be at most "
        "1,000,000 bytes"
    ]


def test_the_size_limit_counts_bytes_not_characters():
    padding = "# " + "é" * (bounds.MAX_FILE_BYTES // 2) + "\n"  # 2 bytes each
    assert len(padding) < bounds.MAX_FILE_BYTES < len(padding.encode())
    assert problems_of(GOOD + padding)[0].startswith("bad.yaml:1: (file): The file is ")


# --- Faults become FILE:LINE: field: message -------------------------------------------------


def test_an_impossible_date_is_a_message_on_its_line():
    found = problems_of(
        with_target("              kind: milestone\n              due: 2024-02-30\n")
    )
    assert found == [f"bad.yaml:20: {TARGET}.due: Enter a due date that exists, like 2024-03-31"]


def test_a_date_outside_the_years_is_a_message_on_its_line():
    found = problems_of(
        with_target("              kind: milestone\n              due: 1066-10-14\n")
    )
    assert found == [
        f"bad.yaml:20: {TARGET}.due: Due date must be between 1 April 1990 and 31 March 2101"
    ]


def test_an_impossible_timestamp_is_a_message_not_a_traceback():
    text = GOOD.replace("title: Test charter", "title: 2024-02-30T10:00:00")
    found = problems_of(text)
    assert len(found) == 1
    assert found[0].startswith("bad.yaml:3: title: Cannot read '2024-02-30T10:00:00': ")


def test_an_unknown_tag_is_a_message_not_a_traceback():
    text = GOOD.replace("title: Test charter", "title: !!python/object:os.system ls")
    assert problems_of(text) == [
        "bad.yaml:3: title: Cannot read a value tagged tag:yaml.org,2002:python/object:os.system:"
        " remove the tag"
    ]


def test_a_number_too_long_for_python_is_a_message_not_a_traceback():
    found = problems_of(
        with_target("              kind: count\n              value: " + "9" * 5000)
    )
    assert found == [f"bad.yaml:20: {TARGET}.value: The number is too long"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1e26", "Target value must be 100,000,000,000 or less"),
        # A YAML float meets the schema's maximum first; the text "1e26" meets the parser's.
        ("1.0e+26", "Must be 100,000,000,000 or less"),
        (".nan", "Enter a target value as a number, like 5"),
        (".inf", "Must be 100,000,000,000 or less"),
        ('"NaN"', "'NaN': write a number, like 5 or 0.8"),
        ("0.00001", "Target value must have 4 decimal places or fewer"),
    ],
)
def test_target_numbers_out_of_bounds(value, message):
    found = problems_of(with_target(f"              kind: count\n              value: {value}\n"))
    assert found == [f"bad.yaml:20: {TARGET}.value: {message}"]


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("0000/01", "Enter a financial year from 1990/91 to 2100/01"),
        ("9999/00", "Enter a financial year from 1990/91 to 2100/01"),
        ("1989/90", "Enter a financial year from 1990/91 to 2100/01"),
    ],
)
def test_periods_outside_the_years_are_refused(period, message):
    found = problems_of(GOOD.replace('periods: ["2023/24"]', f'periods: ["2023/24", "{period}"]'))
    assert found == [f"bad.yaml:5: periods[1]: {message}"]


def test_the_edge_years_are_accepted():
    spec = parse_charter(GOOD.replace('["2023/24"]', '["1990/91", "2100/01"]'))
    assert spec.periods == ("1990/91", "2100/01")


@pytest.mark.parametrize(
    ("thresholds", "expected"),
    [
        (
            "{at_risk: 0.9, off_track: 0.0000001}",
            ["bad.yaml:6: thresholds.off_track: Must be 0.01 or more"],
        ),
        (
            "{at_risk: 0.9999, off_track: 0.5}",
            ["bad.yaml:6: thresholds.at_risk: Must have 3 decimal places or fewer"],
        ),
        (
            "{at_risk: .nan, off_track: .nan}",
            [
                "bad.yaml:6: thresholds.at_risk: Must be a number",
                "bad.yaml:6: thresholds.off_track: Must be a number",
            ],
        ),
        ("{at_risk: 2, off_track: 0.5}", ["bad.yaml:6: thresholds.at_risk: Must be 1 or less"]),
        (
            "{at_risk: 0.5, off_track: 0.5}",
            ["bad.yaml:6: thresholds.off_track: Must be below at_risk"],
        ),
    ],
)
def test_thresholds_are_bounded_to_what_the_database_stores(thresholds, expected):
    text = GOOD.replace("themes:\n", f"thresholds: {thresholds}\nthemes:\n", 1)
    assert problems_of(text) == expected


def test_thresholds_at_the_edges_are_read_exactly():
    text = GOOD.replace("themes:\n", "thresholds: {at_risk: 1, off_track: 0.01}\nthemes:\n", 1)
    thresholds = parse_charter(text).thresholds
    assert {name: str(value) for name, value in thresholds.items()} == {
        "at_risk": "1",
        "off_track": "0.01",
    }


def test_the_published_schema_states_the_same_limits_for_editors():
    found: dict[str, set] = {}

    def walk(node, key=""):
        if isinstance(node, dict):
            if "maximum" in node:
                found.setdefault(key, set()).add(node["maximum"])
            for name, child in node.items():
                walk(child, name)
        elif isinstance(node, list):
            for child in node:
                walk(child, key)

    walk(charter_schema())
    amount = int(bounds.MAX_AMOUNT)
    assert found == {
        "at_risk": {int(bounds.THRESHOLD.maximum)},
        "off_track": {int(bounds.THRESHOLD.maximum)},
        "value": {amount},
        # A share's baseline is a percentage (issue 11's time-bound targets).
        "baseline_value": {amount, int(bounds.PERCENT.maximum)},
        "benchmark_value": {amount},
        "level": {amount},
        "change": {amount},
        "rate_percent": {int(bounds.GROWTH_RATE.maximum), int(bounds.REDUCTION_RATE.maximum)},
        "target_percent": {int(bounds.PERCENT.maximum)},
        # A ratio band's limits, a count's band (amounts) and a share's (percentages).
        "lower": {int(bounds.RATIO.maximum), amount, int(bounds.PERCENT.maximum)},
        "upper": {int(bounds.RATIO.maximum), amount, int(bounds.PERCENT.maximum)},
    }
