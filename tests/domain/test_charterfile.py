"""Charter files: every problem reported with its line, and a lossless dump."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from socialvalue.domain import vocab
from socialvalue.domain.charterfile import (
    FORMAT,
    SCHEMA_ID,
    CharterFileError,
    CharterSpec,
    FileProblem,
    IndicatorSpec,
    PledgeSpec,
    ThemeSpec,
    charter_schema,
    dump_charter,
    parse_charter,
    spec_from_dict,
    spec_to_dict,
)
from socialvalue.domain.periods import Frequency
from socialvalue.domain.targets import TargetKind, parse_target

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


def problems_of(text: str) -> list[str]:
    with pytest.raises(CharterFileError) as caught:
        parse_charter(text, path="bad.yaml")
    return [str(problem) for problem in caught.value.problems]


def prefixes(text: str) -> list[str]:
    """Each problem as `FILE:LINE: field:`, the part tools and tests rely on."""
    return [
        f"{p.path}:{p.line}: {p.field}:"
        for p in _raise(text).problems  # type: ignore[union-attr]
    ]


def _raise(text: str) -> CharterFileError:
    with pytest.raises(CharterFileError) as caught:
        parse_charter(text, path="bad.yaml")
    return caught.value


def test_a_good_file_parses():
    spec = parse_charter(GOOD)
    assert spec.code == "TST-SV"
    assert spec.periods == ("2023/24",)
    indicator = spec.themes[0].pledges[0].indicators[0]
    assert indicator.frequency is Frequency.QUARTERLY
    assert indicator.source == "manual"
    assert indicator.target.kind == TargetKind.COUNT
    assert indicator.target.value == Decimal(4)
    assert spec.thresholds is None


def test_problem_str_is_file_line_field_message():
    problem = FileProblem("a.yaml", 3, "themes[0].code", "Required field is missing")
    assert str(problem) == "a.yaml:3: themes[0].code: Required field is missing"


def test_missing_title_is_reported_on_the_line_of_the_mapping_that_lacks_it():
    text = GOOD.replace("            title: Deliver 4 projects\n", "")
    assert prefixes(text) == ["bad.yaml:13: themes[0].pledges[0].indicators[0].title:"]


def test_bad_target_rate_is_reported_on_its_line():
    text = GOOD.replace(
        "              kind: count\n              value: 4\n",
        "              kind: growth_from_baseline\n"
        "              baseline_period: 2020/21\n"
        "              rate_percent: -5\n",
    )
    assert prefixes(text) == [
        "bad.yaml:21: themes[0].pledges[0].indicators[0].target.rate_percent:"
    ]


def test_target_problems_found_by_parse_target_carry_the_parameter_line():
    text = GOOD.replace(
        "              kind: count\n              value: 4\n",
        "              kind: ratio_band\n"
        "              lower: 1.2\n"
        "              upper: 0.8\n"
        "              parts:\n"
        "                - {key: a, label: A, group_a: X, group_b: Y}\n"
        "                - {key: a, label: B, group_a: X, group_b: Y}\n",
    )
    assert prefixes(text) == [
        "bad.yaml:20: themes[0].pledges[0].indicators[0].target.lower:",
        "bad.yaml:24: themes[0].pledges[0].indicators[0].target.parts[1].key:",
    ]


def test_unknown_kind():
    text = GOOD.replace("kind: count", "kind: percentage")
    (problem,) = problems_of(text)
    assert problem.startswith("bad.yaml:19: themes[0].pledges[0].indicators[0].target.kind: ")
    assert "percentage" in problem


def test_duplicate_indicator_code_names_the_first_use():
    second = GOOD[GOOD.index("          - code: ECON-01") :]
    (problem,) = problems_of(GOOD + second)
    assert problem.startswith("bad.yaml:21: themes[0].pledges[0].indicators[1].code: ")
    assert "line 13" in problem


def test_codes_are_unique_across_themes_pledges_and_indicators():
    text = GOOD.replace("code: ECON-P1", "code: ECON")
    assert prefixes(text) == ["bad.yaml:10: themes[0].pledges[0].code:"]


def test_bad_period():
    text = GOOD.replace('periods: ["2023/24"]', 'periods: ["2023/24", "2023/25", "23/24"]')
    assert prefixes(text) == ["bad.yaml:5: periods[1]:", "bad.yaml:5: periods[2]:"]


def test_yaml_syntax_error_has_its_line():
    text = GOOD.replace("    title: Economic\n", "    title: Economic: [oops\n")
    (problem,) = problems_of(text)
    assert problem.startswith("bad.yaml:8: (yaml): ")


def test_duplicate_key_is_a_problem_with_both_lines():
    text = GOOD.replace("title: Test charter\n", "title: Test charter\ntitle: Again\n")
    (problem,) = problems_of(text)
    assert problem == "bad.yaml:4: title: Duplicate key (first on line 3)"


def test_every_problem_is_reported_in_line_order():
    text = (
        GOOD.replace('periods: ["2023/24"]', 'periods: ["2023/25"]')
        .replace("    title: Economic\n", "    title: Economic\n    colour: red\n")
        .replace("frequency: quarterly", "frequency: weekly")
        .replace("value: 4", "value: -4")
    )
    assert prefixes(text) == [
        "bad.yaml:5: periods[0]:",
        "bad.yaml:9: themes[0].colour:",
        "bad.yaml:17: themes[0].pledges[0].indicators[0].frequency:",
        "bad.yaml:21: themes[0].pledges[0].indicators[0].target.value:",
    ]


def test_unknown_field_suggests_the_near_name():
    text = GOOD.replace("unit: projects", "units: projects")
    assert problems_of(text) == [
        "bad.yaml:13: themes[0].pledges[0].indicators[0].unit: Required field is missing",
        "bad.yaml:15: themes[0].pledges[0].indicators[0].units: "
        "Unknown field (did you mean 'unit'?)",
    ]


def test_bad_codes_vocab_owner_and_thresholds():
    owner = "            unit: projects\n            owner: me\n"
    text = (
        GOOD.replace("code: ECON\n", "code: EC ON\n    net_zero: [hospitals]\n")
        .replace("            unit: projects\n", owner)
        .replace("periods:", "thresholds: {at_risk: 0.5, off_track: 0.75}\nperiods:")
    )
    assert prefixes(text) == [
        "bad.yaml:5: thresholds.off_track:",
        "bad.yaml:8: themes[0].code:",
        "bad.yaml:9: themes[0].net_zero[0]:",
        "bad.yaml:18: themes[0].pledges[0].indicators[0].owner:",
    ]


def test_empty_and_non_mapping_files():
    assert problems_of("") == ["bad.yaml:1: (file): The file is empty"]
    assert prefixes("- a\n- b\n") == ["bad.yaml:1: (file):"]


def test_missing_top_level_keys_point_at_line_one():
    assert prefixes("format: socialvalue-charter/1\n") == [
        "bad.yaml:1: code:",
        "bad.yaml:1: title:",
        "bad.yaml:1: organisation:",
        "bad.yaml:1: periods:",
        "bad.yaml:1: themes:",
    ]


def test_wrong_format_version():
    assert prefixes(GOOD.replace(FORMAT, "socialvalue-charter/2")) == ["bad.yaml:1: format:"]


def test_yaml_words_are_read_as_written():
    # `on:` is a YAML 1.1 boolean; as a key it must stay the word, and be reported as unknown.
    text = GOOD.replace("    title: Economic\n", "    title: Economic\n    on: yes\n")
    assert prefixes(text) == ["bad.yaml:9: themes[0].on:"]


def test_unquoted_dates_and_decimals_are_read_exactly():
    text = GOOD.replace(
        "              kind: count\n              value: 4\n",
        "              kind: milestone\n              due: 2024-03-31\n",
    )
    target = parse_charter(text).themes[0].pledges[0].indicators[0].target
    assert target.due.isoformat() == "2024-03-31"
    text = GOOD.replace("value: 4", "value: 99999999999.0001")
    target = parse_charter(text).themes[0].pledges[0].indicators[0].target
    assert target.value == Decimal("99999999999.0001")


def test_spec_from_dict_reports_problems_without_lines():
    data = spec_to_dict(parse_charter(GOOD))
    data["themes"][0]["pledges"][0]["indicators"][0]["target"]["value"] = "lots"
    with pytest.raises(CharterFileError) as caught:
        spec_from_dict(data, path="api")
    assert [str(p).split(": ")[0] for p in caught.value.problems] == ["api:0"] * len(
        caught.value.problems
    )


def test_spec_to_dict_is_json_and_round_trips():
    spec = parse_charter(
        GOOD.replace("periods:", "thresholds: {at_risk: 0.9, off_track: 0.75}\nperiods:")
    )
    data = json.loads(json.dumps(spec_to_dict(spec)))
    assert data["thresholds"] == {"at_risk": 0.9, "off_track": 0.75}
    assert data["themes"][0]["pledges"][0]["indicators"][0]["target"] == {
        "kind": "count",
        "value": 4,
    }
    assert spec_from_dict(data) == spec


def test_the_schema_is_a_valid_2020_12_schema_that_accepts_its_own_output():
    schema = charter_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == SCHEMA_ID
    jsonschema.validate(spec_to_dict(parse_charter(GOOD)), schema)


def test_schema_vocabularies_match_vocab_module():
    theme = charter_schema()["$defs"]["theme"]["properties"]
    assert theme["social_value_model"]["items"]["enum"] == list(
        vocab.codes(vocab.SOCIAL_VALUE_MODEL_THEMES)
    )
    assert theme["net_zero"]["items"]["enum"] == list(vocab.codes(vocab.NET_ZERO_PRIORITIES))


def test_schema_covers_every_target_kind():
    target = charter_schema()["$defs"]["target"]
    assert target["properties"]["kind"]["enum"] == [kind.value for kind in TargetKind]
    covered = [rule["if"]["properties"]["kind"]["const"] for rule in target["allOf"]]
    assert covered == [kind.value for kind in TargetKind]


def test_the_schema_ships_beside_the_module():
    here = Path(__file__).resolve().parents[2] / "socialvalue" / "domain" / "charter.schema.json"
    assert json.loads(here.read_text("utf-8")) == charter_schema()


# --- Dumping --------------------------------------------------------------------------------


def _indicator(code: str, title: str, kind: str, params: dict, **extra) -> IndicatorSpec:
    return IndicatorSpec(
        code=code,
        title=title,
        unit=extra.pop("unit", "things"),
        frequency=extra.pop("frequency", Frequency.ANNUAL),
        source=extra.pop("source", "manual"),
        target=parse_target(kind, params),
        **extra,
    )


EVERY_KIND = [
    ("count", {"value": "1000000.50", "comparison": "at_most"}),
    ("counts", {"parts": [
        {"key": "a", "label": "100", "value": 2},
        {"key": "b.c", "label": "yes", "value": "99999999999.0001"},
    ]}),
    ("growth_from_baseline", {"baseline_period": "2020/21", "rate_percent": 5,
                              "baseline_value": "1234.5"}),
    ("growth_on_previous", {}),
    ("reduction_from_baseline", {"rate_percent": "0.0001"}),
    ("share", {"target_percent": 25}),
    ("ratio_band", {"lower": 0.8, "upper": "1.25", "parts": [
        {"key": "e", "label": "Ethnicity: WRES 2", "group_a": "White", "group_b": "BME"}]}),
    ("increase_on_benchmark", {"benchmark_period": "2022/23", "benchmark_value": 12.5,
                               "measure": "value"}),
    ("milestone", {"due": "2024-03-31", "recurs": True}),
    ("maintain", {"description": "Keep: it - up, #1 {ok}", "level": 7}),
    ("direction", {"direction": "deliver"}),
]  # fmt: skip


def _awkward_text(rng: random.Random) -> str:
    alphabet = "ab c:-#'\"\n\t{}[],&*!|>%@`é£\u2013…  "
    words = [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        for _ in range(rng.randint(1, 30))
    ]
    return " ".join(words)


def _spec_with(texts: list[str]) -> CharterSpec:
    it = iter(texts)
    indicators = tuple(
        _indicator(
            f"IND-{index}",
            next(it) or "t",
            kind,
            params,
            description=next(it),
            method=next(it),
            owner="owner@example.org",
            frequency=Frequency.MONTHLY,
            source="computed",
        )
        for index, (kind, params) in enumerate(EVERY_KIND)
    )
    return CharterSpec(
        code="X-1",
        title=next(it) or "t",
        organisation="ORG",
        periods=("2023/24", "2024/25"),
        themes=(
            ThemeSpec(
                code="T1",
                title=next(it) or "t",
                description=next(it),
                social_value_model=("wellbeing", "equal-opportunity"),
                net_zero=("medicines",),
                pledges=(PledgeSpec(code="P1", text=next(it) or "t", indicators=indicators),),
            ),
        ),
        definition=next(it),
        mission=next(it),
        source=next(it),
        thresholds={"at_risk": Decimal("0.9"), "off_track": Decimal("0.333")},
    )


def test_every_target_kind_round_trips_through_dump():
    texts = ["A plain title that is long enough to be folded onto more than one line. " * 2] * 60
    spec = _spec_with(texts)
    text = dump_charter(spec)
    assert parse_charter(text) == spec
    assert spec_from_dict(json.loads(json.dumps(spec_to_dict(spec)))) == spec


@pytest.mark.parametrize("seed", range(25))
def test_awkward_text_round_trips_through_dump(seed):
    rng = random.Random(seed)
    texts = []
    for _ in range(60):
        text = _awkward_text(rng)
        texts.append(text if text.strip() else "x")
    spec = _spec_with(texts)
    assert parse_charter(dump_charter(spec)) == spec


def test_dump_is_readable():
    spec = parse_charter(GOOD)
    spec = replace(spec, definition="Social value is" + " the added value we give" * 8)
    text = dump_charter(spec)
    assert text.startswith("# ")
    assert "format: socialvalue-charter/1\n" in text
    assert "definition: >-\n  Social value is" in text
    assert "periods: [2023/24]" in text
    assert "target: {kind: count, value: 4}" in text
    assert "&" not in text and "*" not in text  # no anchors or aliases
    keys = [line.split(":")[0] for line in text.splitlines() if line and line[0].isalpha()]
    assert keys == ["format", "code", "title", "organisation", "definition", "periods", "themes"]


def test_a_computed_indicator_names_a_known_computation_and_round_trips():
    text = GOOD.replace(
        "source: manual", "source: computed\n            computation: spend.local_spend"
    )
    spec = parse_charter(text)
    indicator = spec.themes[0].pledges[0].indicators[0]
    assert indicator.computation == "spend.local_spend"
    assert parse_charter(dump_charter(spec)) == spec
    assert spec_to_dict(spec)["themes"][0]["pledges"][0]["indicators"][0]["computation"] == (
        "spend.local_spend"
    )


def test_an_unknown_computation_or_one_on_a_manual_indicator_is_refused_with_its_line():
    unknown = GOOD.replace(
        "source: manual", "source: computed\n            computation: spend.magic"
    )
    [problem] = problems_of(unknown)
    assert problem.startswith(
        "bad.yaml:18: themes[0].pledges[0].indicators[0].computation: 'spend.magic' is not a "
        "computation socialvalue knows; use one of "
    )
    assert "spend.local_spend" in problem and "workforce.recruitment_likelihood" in problem
    manual = GOOD.replace(
        "source: manual", "source: manual\n            computation: spend.local_spend"
    )
    assert problems_of(manual) == [
        "bad.yaml:18: themes[0].pledges[0].indicators[0].computation: Only an indicator with "
        "source: computed has one"
    ]
