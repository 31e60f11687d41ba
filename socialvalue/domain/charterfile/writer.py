"""Writing a charter file: a spec as JSON-safe data, or as readable YAML that reads back to
an equal spec."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import yaml

from socialvalue.domain.charterfile.spec import (
    FORMAT,
    CharterSpec,
    IndicatorSource,
    IndicatorSpec,
    ThemeSpec,
)
from socialvalue.domain.numbers import to_json_number
from socialvalue.domain.periods import Frequency
from socialvalue.domain.targets import TargetKind

__all__ = ["dump_charter", "spec_to_dict"]

# --- Writing ---------------------------------------------------------------------------------


def spec_to_dict(spec: CharterSpec) -> dict[str, Any]:
    """The file's tree as JSON-safe data (optional keys left out when empty)."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "code": spec.code,
        "title": spec.title,
        "organisation": spec.organisation,
    }
    for name in ("definition", "mission", "source"):
        if getattr(spec, name):
            data[name] = getattr(spec, name)
    data["periods"] = list(spec.periods)
    if spec.thresholds is not None:
        data["thresholds"] = {
            name: to_json_number(Decimal(str(spec.thresholds[name])))
            for name in ("at_risk", "off_track")
        }
    data["themes"] = [_theme_to_dict(theme) for theme in spec.themes]
    return data


def _theme_to_dict(theme: ThemeSpec) -> dict[str, Any]:
    data: dict[str, Any] = {"code": theme.code, "title": theme.title}
    if theme.description:
        data["description"] = theme.description
    if theme.social_value_model:
        data["social_value_model"] = list(theme.social_value_model)
    if theme.net_zero:
        data["net_zero"] = list(theme.net_zero)
    data["pledges"] = [
        {
            "code": pledge.code,
            "text": pledge.text,
            "indicators": [_indicator_to_dict(indicator) for indicator in pledge.indicators],
        }
        for pledge in theme.pledges
    ]
    return data


def _indicator_to_dict(indicator: IndicatorSpec) -> dict[str, Any]:
    data: dict[str, Any] = {"code": indicator.code, "title": indicator.title}
    if indicator.description:
        data["description"] = indicator.description
    data["unit"] = indicator.unit
    data["frequency"] = str(Frequency(indicator.frequency))
    data["source"] = str(IndicatorSource(indicator.source))
    if indicator.method:
        data["method"] = indicator.method
    if indicator.computation:
        data["computation"] = indicator.computation
    if indicator.owner:
        data["owner"] = indicator.owner
    if indicator.applies_from:
        data["applies_from"] = indicator.applies_from
    params = indicator.target.to_params()
    data["target"] = {
        "kind": str(TargetKind(indicator.target.kind)),
        **{key: value for key, value in params.items() if key != "kind"},
    }
    return data


_HEADER = "# Social value charter (format described in docs/charter-files.md)\n"

# Target parameters (and thresholds) holding numbers: written as plain YAML numbers even when
# `to_params` gives a string to keep a long decimal exact (the reader reads them as Decimal).
_NUMBER_KEYS = frozenset(
    {
        "value",
        "baseline_value",
        "rate_percent",
        "target_percent",
        "lower",
        "upper",
        "benchmark_value",
        "level",
        "change",
        "at_risk",
        "off_track",
    }
)
_NUMBER_TEXT = re.compile(r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$")
_FOLD_AT = 72  # fold prose longer than this onto several lines


def dump_charter(spec: CharterSpec) -> str:
    """Readable YAML for a spec; ``parse_charter(dump_charter(spec)) == spec``."""
    data = _for_yaml(spec_to_dict(spec))
    text = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=_FOLD_AT + 6,
        indent=2,
    )
    spaced = _space_out(text)
    # Blank lines only separate themes and indicators; make sure they changed nothing.
    if yaml.safe_load(spaced) != yaml.safe_load(text):
        spaced = text
    return _HEADER + spaced


class _Flow(list[Any]):
    """A short list of codes, written on one line: [a, b]."""


class _FlowMap(dict[str, Any]):
    """A short target, written on one line: {kind: count, value: 4}."""


class _Number(str):
    """Text holding a number, written as a plain YAML number."""


def _for_yaml(data: Any, key: str | None = None) -> Any:
    if isinstance(data, dict):
        converted = {name: _for_yaml(value, name) for name, value in data.items()}
        if key == "target" and _fits_on_a_line(data):
            return _FlowMap(converted)
        return converted
    if isinstance(data, list):
        items = [_for_yaml(item) for item in data]
        if key in {"periods", "social_value_model", "net_zero"}:
            return _Flow(items)
        return items
    is_number = isinstance(data, int | float | Decimal) and not isinstance(data, bool)
    if key in _NUMBER_KEYS and (is_number or (isinstance(data, str) and _NUMBER_TEXT.match(data))):
        return _Number(_plain_number(Decimal(str(data))))
    return data


def _fits_on_a_line(data: dict[str, Any]) -> bool:
    simple = all(isinstance(value, str | int | float | Decimal) for value in data.values())
    return simple and len(json.dumps(data, default=str)) <= _FOLD_AT - 20


def _plain_number(number: Decimal) -> str:
    text = f"{number:f}"
    if number == number.to_integral_value() and "." not in text:
        return text
    if "." not in text:
        text += ".0"
    return text


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent lists under their key ("themes:\n  - code: …"), as people write them.
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = None
    if "\n" in text:
        style = "|"
    elif len(text) > _FOLD_AT and _foldable(text):
        style = ">"
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _foldable(text: str) -> bool:
    # Folding only round-trips single spaces between printable words.
    return (
        text == text.strip()
        and "  " not in text
        and text.isprintable()
        and not any(ch in text for ch in "\t\u2028\u2029\x85\ufeff")
    )


def _represent_number(dumper: yaml.SafeDumper, text: _Number) -> yaml.ScalarNode:
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, str(text))


def _represent_flow(dumper: yaml.SafeDumper, items: _Flow) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(items), flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Number, _represent_number)
_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(
    _FlowMap,
    lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True),
)

_THEME_START = re.compile(r"^  - ", re.MULTILINE)
_INDICATOR_START = re.compile(r"^ {10}- code: ", re.MULTILINE)


def _space_out(text: str) -> str:
    """A blank line before each theme and each indicator after the first of its list."""
    head, marker, body = text.partition("\nthemes:\n")
    if not marker:
        return text
    lines = body.split("\n")
    out: list[str] = []
    for index, line in enumerate(lines):
        if index and (_THEME_START.match(line) or _INDICATOR_START.match(line)):
            previous = lines[index - 1].lstrip()
            if not previous.startswith("indicators:"):
                out.append("")
        out.append(line)
    return head + marker + "\n".join(out)
