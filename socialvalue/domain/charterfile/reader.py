"""Reading a charter file: YAML under a budget, the JSON Schema, then the rules a schema
cannot say, every problem with its line."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

import yaml
from jsonschema import Draft202012Validator, ValidationError

from socialvalue.domain import bounds
from socialvalue.domain.charterfile.spec import (
    ROOT_FIELD,
    SYNTAX_FIELD,
    CharterFileError,
    CharterSpec,
    FileProblem,
    IndicatorSource,
    IndicatorSpec,
    PledgeSpec,
    ThemeSpec,
    charter_schema,
)
from socialvalue.domain.computations import computation, computation_names
from socialvalue.domain.periods import FinancialYear, Frequency
from socialvalue.domain.targets import Target, TargetError, parse_target

__all__ = ["format_field", "oversize_problem", "parse_charter", "spec_from_dict"]


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(charter_schema())


# --- Reading ---------------------------------------------------------------------------------

JsonPath = tuple[str | int, ...]


def oversize_problem(size: int, *, path: str) -> FileProblem | None:
    """The problem with a file of `size` bytes, if it is over the budget (check before
    reading a file from disk, so a huge one is never read)."""
    if size <= bounds.MAX_FILE_BYTES:
        return None
    return FileProblem(
        path,
        1,
        ROOT_FIELD,
        f"The file is {size:,} bytes: a charter file must be at most "
        f"{bounds.MAX_FILE_BYTES:,} bytes",
    )


def parse_charter(text: str, *, path: str = "<charter>") -> CharterSpec:
    """Read a charter file; raise CharterFileError with every problem found.

    Reading has a budget (bounds.py): the file's size, how deep it nests, how many aliases it
    uses and how many values they expand to. A file over budget gets one problem saying so.
    """
    reader = _Reader(path)
    data = reader.load(text)
    if reader.problems and data is _NOTHING:
        raise CharterFileError(reader.problems)
    return _check_and_build(data, reader)


def spec_from_dict(data: Mapping[str, Any], *, path: str = "<charter>") -> CharterSpec:
    """Build a spec from already-parsed data (JSON, a database export). Problems have line 0."""
    return _check_and_build(data, _Reader(path))


def _check_and_build(data: Any, reader: _Reader) -> CharterSpec:
    schema_paths = reader.check_schema(data)
    targets = reader.check_rules(data, schema_paths)
    if reader.problems:
        raise CharterFileError(sorted(reader.problems, key=_problem_order))
    return _build(data, targets)


_NOTHING = object()
_INDEX = re.compile(r"\[(\d+)\]")


def _problem_order(problem: FileProblem) -> tuple[int, tuple[int, ...]]:
    # By line, then by list position, so periods[1] comes before periods[2] on one line.
    return problem.line, tuple(int(index) for index in _INDEX.findall(problem.field))


class _OverBudget(Exception):
    """Reading stops: the file asks for more than a reader may spend (bounds.py)."""

    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(message)
        self.line, self.field, self.message = line, field, message


class _BudgetLoader(yaml.SafeLoader):
    """The safe loader, refusing nesting deeper than MAX_DEPTH and more than MAX_ALIASES
    aliases while it composes (so deep nesting never reaches Python's recursion limit)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0
        self.aliases = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        line = self.peek_event().start_mark.line + 1
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > bounds.MAX_ALIASES:
                raise _OverBudget(
                    line,
                    SYNTAX_FIELD,
                    f"The file uses more than {bounds.MAX_ALIASES} aliases (*name): "
                    "write the values out instead",
                )
        self.depth += 1
        try:
            if self.depth > bounds.MAX_DEPTH:
                raise _OverBudget(
                    line,
                    SYNTAX_FIELD,
                    f"The file nests more than {bounds.MAX_DEPTH} levels deep here: "
                    "a charter file needs about 10",
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Reader:
    """Turns YAML into plain data, remembering the line of every key, and collects problems."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[FileProblem] = []
        self.lines: dict[JsonPath, int] = {}
        # Values that could not be read (reported once, then left alone by later passes).
        self.unreadable: list[JsonPath] = []
        self.values = 0

    # Problems -------------------------------------------------------------------------------

    def line_of(self, json_path: JsonPath) -> int:
        """The line of the deepest node of ``json_path`` that exists (0 without line data)."""
        for end in range(len(json_path), -1, -1):
            line = self.lines.get(tuple(json_path[:end]))
            if line is not None:
                return line
        return 0

    def add(self, json_path: JsonPath, message: str, *, line: int | None = None) -> None:
        self.problems.append(
            FileProblem(
                path=self.path,
                line=self.line_of(json_path) if line is None else line,
                field=format_field(json_path),
                message=_sentence(message),
            )
        )

    # YAML -----------------------------------------------------------------------------------

    def load(self, text: str) -> Any:
        size = len(text.encode("utf-8", errors="surrogatepass"))
        if too_big := oversize_problem(size, path=self.path):
            self.problems.append(too_big)
            return _NOTHING
        try:
            root = yaml.compose(text, Loader=_BudgetLoader)
            if root is not None:
                self.lines[()] = root.start_mark.line + 1
                return self._node(root, (), set())
        except _OverBudget as over:
            self.problems.append(FileProblem(self.path, over.line, over.field, over.message))
            return _NOTHING
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            message = error.problem or "not valid YAML"
            if error.context and error.context_mark is not None:
                message = f"{message} ({error.context} on line {error.context_mark.line + 1})"
            self.problems.append(
                FileProblem(
                    self.path, mark.line + 1 if mark else 1, SYNTAX_FIELD, _sentence(message)
                )
            )
            return _NOTHING
        except yaml.YAMLError as error:  # e.g. a control character (ReaderError)
            position = getattr(error, "position", 0) or 0
            line = text.count("\n", 0, position) + 1
            message = str(error)
            if isinstance(error, yaml.reader.ReaderError) and isinstance(error.character, str):
                message = (
                    f"the character #x{ord(error.character):04x} is not allowed in YAML: remove it"
                )
            self.problems.append(FileProblem(self.path, line, SYNTAX_FIELD, _sentence(message)))
            return _NOTHING
        self.problems.append(FileProblem(self.path, 1, ROOT_FIELD, "The file is empty"))
        return _NOTHING

    def _node(self, node: yaml.Node, json_path: JsonPath, active: set[int]) -> Any:
        if id(node) in active:
            self.add(json_path, "an alias refers to itself", line=node.start_mark.line + 1)
            return None
        self.values += 1
        if self.values > bounds.MAX_VALUES:
            raise _OverBudget(
                node.start_mark.line + 1,
                ROOT_FIELD,
                f"The file expands to more than {bounds.MAX_VALUES:,} values: "
                "check what its aliases (*name) repeat",
            )
        if isinstance(node, yaml.MappingNode):
            active = active | {id(node)}
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode):
                    self.add(json_path, "keys must be plain words", line=key_line)
                    continue
                # The raw text, so `on:` or `1:` stay the words written, not True or 1.
                key = key_node.value
                child = (*json_path, key)
                if key in result:
                    self.add(
                        child,
                        f"duplicate key (first on line {self.lines[child]})",
                        line=key_line,
                    )
                    continue
                self.lines[child] = key_line
                result[key] = self._node(value_node, child, active)
            return result
        if isinstance(node, yaml.SequenceNode):
            active = active | {id(node)}
            items = []
            for index, item in enumerate(node.value):
                child = (*json_path, index)
                self.lines[child] = item.start_mark.line + 1
                items.append(self._node(item, child, active))
            return items
        if not isinstance(node, yaml.ScalarNode):  # pragma: no cover - YAML has no other kind
            return None
        try:
            return _scalar(node)
        except (yaml.YAMLError, ValueError, OverflowError, TypeError) as error:
            self.add(json_path, _unreadable(node, error), line=node.start_mark.line + 1)
            self.unreadable.append(json_path)
            return node.value

    # Schema ---------------------------------------------------------------------------------

    def check_schema(self, data: Any) -> list[JsonPath]:
        """Report what the JSON Schema rejects; return the paths of the rejected nodes."""
        seen: set[tuple[JsonPath, str]] = set()
        bad_paths: list[JsonPath] = list(self.unreadable)
        errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.path)))
        for error in errors:
            for json_path, message in _explain(error):
                if (json_path, message) in seen or _under_any(json_path, self.unreadable):
                    continue
                seen.add((json_path, message))
                bad_paths.append(json_path)
                self.add(json_path, message)
        return bad_paths

    # Rules the schema cannot state ---------------------------------------------------------

    def check_rules(self, data: Any, bad_paths: list[JsonPath]) -> dict[JsonPath, Target]:
        """Periods, unique codes, thresholds and targets. Returns parsed targets by path."""
        if not isinstance(data, Mapping):
            return {}
        self._check_periods(data.get("periods"))
        self._check_thresholds(data.get("thresholds"), bad_paths)
        self._check_codes(data)
        self._check_applies_from(data)
        self._check_computations(data)
        return self._check_targets(data, bad_paths)

    def _check_computations(self, data: Mapping[str, Any]) -> None:
        """A computation is one the product knows, on a computed indicator (ADR 025)."""
        for t, theme in enumerate(_list(data.get("themes"))):
            for p, pledge in enumerate(
                _list(theme.get("pledges") if isinstance(theme, Mapping) else None)
            ):
                for i, indicator in enumerate(
                    _list(pledge.get("indicators") if isinstance(pledge, Mapping) else None)
                ):
                    name = indicator.get("computation") if isinstance(indicator, Mapping) else None
                    if not isinstance(name, str) or not name:
                        continue
                    where = ("themes", t, "pledges", p, "indicators", i, "computation")
                    if computation(name) is None:
                        self.add(
                            where,
                            f"{name!r} is not a computation socialvalue knows; use one of "
                            + ", ".join(computation_names()),
                        )
                    elif indicator.get("source") != "computed":
                        self.add(where, "only an indicator with source: computed has one")

    def _check_applies_from(self, data: Mapping[str, Any]) -> None:
        """An indicator applies from one of the charter's years."""
        years: set[FinancialYear] = set()
        for text in _list(data.get("periods")):
            try:
                years.add(FinancialYear.parse(text))
            except ValueError:
                return  # the period has its own message
        for t, theme in enumerate(_list(data.get("themes"))):
            for p, pledge in enumerate(
                _list(theme.get("pledges") if isinstance(theme, Mapping) else None)
            ):
                for i, indicator in enumerate(
                    _list(pledge.get("indicators") if isinstance(pledge, Mapping) else None)
                ):
                    text = indicator.get("applies_from") if isinstance(indicator, Mapping) else None
                    if isinstance(text, str) and _PERIOD.match(text):
                        self._check_year_listed(
                            ("themes", t, "pledges", p, "indicators", i, "applies_from"),
                            text,
                            years,
                        )

    def _check_year_listed(self, where: JsonPath, text: str, years: set[FinancialYear]) -> None:
        try:
            year = FinancialYear.parse(text)
        except ValueError as error:
            self.add(where, str(error))
            return
        if years and year not in years:
            self.add(where, f"{text} is not one of the charter's periods")

    def _check_periods(self, periods: Any) -> None:
        if not isinstance(periods, list):
            return
        first: dict[str, int] = {}
        for index, text in enumerate(periods):
            if not isinstance(text, str) or not _PERIOD.match(text):
                continue  # the schema has said so
            try:
                year = FinancialYear.parse(text)
            except ValueError as error:
                self.add(("periods", index), str(error))
                continue
            if year.label in first:
                self.add(("periods", index), f"{text} is listed twice")
            first.setdefault(year.label, index)

    def _check_thresholds(self, thresholds: Any, bad_paths: list[JsonPath]) -> None:
        if not isinstance(thresholds, Mapping) or _under(("thresholds",), bad_paths):
            return
        found: dict[str, Decimal] = {}
        for name in ("at_risk", "off_track"):
            number = bounds.read_decimal(thresholds.get(name))
            problem = "must be a number" if number is None else bounds.THRESHOLD.problem(number)
            if problem:
                self.add(("thresholds", name), problem)
            elif number is not None:
                found[name] = number
        if len(found) == 2 and found["off_track"] >= found["at_risk"]:
            self.add(("thresholds", "off_track"), "must be below at_risk")

    def _check_codes(self, data: Mapping[str, Any]) -> None:
        first: dict[str, JsonPath] = {}
        for json_path, code in _codes(data):
            if not isinstance(code, str):
                continue
            if code in first:
                where = first[code]
                self.add(
                    json_path,
                    f"duplicate code {code!r} (first used at {format_field(where)}, "
                    f"line {self.line_of(where)})"
                    if self.lines
                    else f"duplicate code {code!r} (first used at {format_field(where)})",
                )
            else:
                first[code] = json_path

    def _check_targets(
        self, data: Mapping[str, Any], bad_paths: list[JsonPath]
    ) -> dict[JsonPath, Target]:
        targets: dict[JsonPath, Target] = {}
        for json_path, target in _targets(data):
            if not isinstance(target, Mapping) or _under(json_path, bad_paths):
                continue
            kind = target.get("kind")
            params = {key: value for key, value in target.items() if key != "kind"}
            try:
                targets[json_path] = parse_target(kind, params)
            except TargetError as error:
                for name, message in error.problems:
                    self.add((*json_path, *_split_field(name)), message)
        return targets


def _sentence(message: str) -> str:
    """One line, starting with a capital (PyYAML's messages can run over several lines)."""
    message = " ".join(message.split())
    return message[:1].upper() + message[1:]


def _unreadable(node: yaml.ScalarNode, error: Exception) -> str:
    if isinstance(error, yaml.constructor.ConstructorError):
        return f"cannot read a value tagged {node.tag}: remove the tag"
    if node.tag == "tag:yaml.org,2002:int":
        return "the number is too long"
    return f"cannot read {node.value[:40]!r}: {error}"


def _scalar(node: yaml.ScalarNode) -> Any:
    """A scalar as plain data: decimals stay exact, dates become ISO text."""
    if node.tag == "tag:yaml.org,2002:float":
        try:
            number = Decimal(node.value.replace("_", ""))
        except InvalidOperation:
            number = None
        if number is not None and number.is_finite():
            return number
    if node.tag == "tag:yaml.org,2002:timestamp" and _ISO_DAY.match(node.value):
        # An impossible day (2024-02-30) stays text, so the field that wants a date says so.
        try:
            return date.fromisoformat(node.value).isoformat()
        except ValueError:
            return node.value
    value = yaml.constructor.SafeConstructor().construct_object(node, deep=True)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


_PERIOD = re.compile(r"^[0-9]{4}/[0-9]{2}$")


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _under(json_path: JsonPath, paths: Iterable[JsonPath]) -> bool:
    size = len(json_path)
    return any(other[:size] == json_path for other in paths)


def _under_any(json_path: JsonPath, roots: Iterable[JsonPath]) -> bool:
    """Whether `json_path` is one of `roots` or inside one."""
    return any(json_path[: len(root)] == root for root in roots)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _codes(data: Mapping[str, Any]) -> Iterable[tuple[JsonPath, Any]]:
    for t, theme in enumerate(_list(data.get("themes"))):
        if not isinstance(theme, Mapping):
            continue
        yield ("themes", t, "code"), theme.get("code")
        for p, pledge in enumerate(_list(theme.get("pledges"))):
            if not isinstance(pledge, Mapping):
                continue
            yield ("themes", t, "pledges", p, "code"), pledge.get("code")
            for i, indicator in enumerate(_list(pledge.get("indicators"))):
                if isinstance(indicator, Mapping):
                    where = ("themes", t, "pledges", p, "indicators", i, "code")
                    yield where, indicator.get("code")


def _targets(data: Mapping[str, Any]) -> Iterable[tuple[JsonPath, Any]]:
    for t, theme in enumerate(_list(data.get("themes"))):
        if not isinstance(theme, Mapping):
            continue
        for p, pledge in enumerate(_list(theme.get("pledges"))):
            if not isinstance(pledge, Mapping):
                continue
            for i, indicator in enumerate(_list(pledge.get("indicators"))):
                if isinstance(indicator, Mapping) and "target" in indicator:
                    where = ("themes", t, "pledges", p, "indicators", i, "target")
                    yield where, indicator["target"]


def format_field(json_path: JsonPath) -> str:
    """("themes", 0, "code") -> "themes[0].code"; the empty path is the file itself."""
    text = ""
    for part in json_path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or ROOT_FIELD


_FIELD_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _split_field(name: str) -> JsonPath:
    """A target problem's field ("parts[1].key") as path parts; "params" is the target itself."""
    if name in {"params", ""}:
        return ()
    return tuple(int(index) if index else word for word, index in _FIELD_PART.findall(name))


# --- Schema messages -------------------------------------------------------------------------

_PATTERN_MESSAGES = {
    "^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$": "use letters, digits and single hyphens, like ECON-01",
    "^[0-9]{4}/[0-9]{2}$": "write a financial year like 2023/24",
    "\\S": "must not be blank",
    "^[A-Za-z0-9_.-]+$": "use letters, digits, dots, hyphens and underscores",
    "^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$": "write a number, like 5 or 0.8",
    "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$": "write an email address",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "write a date like 2024-03-31",
}

_TYPE_WORDS = {
    "object": "a mapping of keys",
    "array": "a list",
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "null": "nothing",
}


def _type_word(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float | Decimal):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    return type(value).__name__


def _number_text(value: Any) -> str:
    number = _decimal(value)
    return str(value) if number is None else f"{number.normalize():,f}"


def _explain(error: ValidationError) -> list[tuple[JsonPath, str]]:
    """One schema error as (path, message) pairs in plain words."""
    json_path: JsonPath = tuple(error.absolute_path)
    value: Any = error.instance
    rule = error.validator
    expected: Any = error.validator_value
    schema: Any = error.schema
    if rule == "required":
        missing = [name for name in expected if name not in value]
        return [((*json_path, name), "required field is missing") for name in missing]
    if rule == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        problems = []
        for name in value:
            if name in allowed:
                continue
            hint = difflib.get_close_matches(str(name), allowed, n=1)
            suffix = f" (did you mean {hint[0]!r}?)" if hint else ""
            problems.append(((*json_path, name), f"unknown field{suffix}"))
        return problems
    if rule == "type":
        kinds = [expected] if isinstance(expected, str) else list(expected)
        if "number" in kinds:
            wanted = "a number"
        else:
            wanted = " or ".join(_TYPE_WORDS.get(kind, kind) for kind in kinds)
        return [(json_path, f"expected {wanted}, got {_type_word(value)}")]
    if rule == "enum":
        options = ", ".join(str(option) for option in expected)
        if json_path and json_path[-1] == "kind":
            return [(json_path, f"unknown target kind {value!r}: use one of {options}")]
        return [(json_path, f"{value!r} is not one of: {options}")]
    if rule == "const":
        return [(json_path, f"must be {expected}")]
    if rule == "pattern":
        message = _PATTERN_MESSAGES.get(expected, f"does not match {expected}")
        return [(json_path, f"{value!r}: {message}" if message != "must not be blank" else message)]
    if rule == "minItems":
        return [(json_path, "must not be empty" if expected == 1 else f"needs at least {expected}")]
    if rule == "uniqueItems":
        return [(json_path, "lists an item twice")]
    if rule == "minLength":
        return [(json_path, "must not be blank")]
    if rule == "maxLength":
        return [(json_path, f"must be at most {expected} characters")]
    if rule == "minimum":
        return [(json_path, f"must be {_number_text(expected)} or more")]
    if rule == "exclusiveMinimum":
        return [(json_path, f"must be more than {_number_text(expected)}")]
    if rule == "maximum":
        return [(json_path, f"must be {_number_text(expected)} or less")]
    return [(json_path, error.message)]


# --- Building specs --------------------------------------------------------------------------


def _build(data: Mapping[str, Any], targets: Mapping[JsonPath, Target]) -> CharterSpec:
    thresholds = data.get("thresholds")
    return CharterSpec(
        code=data["code"],
        title=data["title"],
        organisation=data["organisation"],
        periods=tuple(data["periods"]),
        themes=tuple(
            ThemeSpec(
                code=theme["code"],
                title=theme["title"],
                description=theme.get("description") or "",
                social_value_model=tuple(theme.get("social_value_model") or ()),
                net_zero=tuple(theme.get("net_zero") or ()),
                pledges=tuple(
                    PledgeSpec(
                        code=pledge["code"],
                        text=pledge["text"],
                        indicators=tuple(
                            IndicatorSpec(
                                code=indicator["code"],
                                title=indicator["title"],
                                description=indicator.get("description") or "",
                                unit=indicator["unit"],
                                frequency=Frequency(indicator["frequency"]),
                                source=IndicatorSource(indicator["source"]),
                                method=indicator.get("method") or "",
                                computation=indicator.get("computation") or "",
                                owner=indicator.get("owner") or "",
                                applies_from=(
                                    FinancialYear.parse(indicator["applies_from"]).label
                                    if indicator.get("applies_from")
                                    else ""
                                ),
                                target=targets[
                                    ("themes", t, "pledges", p, "indicators", i, "target")
                                ],
                            )
                            for i, indicator in enumerate(pledge["indicators"])
                        ),
                    )
                    for p, pledge in enumerate(theme["pledges"])
                ),
            )
            for t, theme in enumerate(data["themes"])
        ),
        definition=data.get("definition") or "",
        mission=data.get("mission") or "",
        source=data.get("source") or "",
        thresholds=(
            None
            if thresholds is None
            else {name: Decimal(str(thresholds[name])) for name in ("at_risk", "off_track")}
        ),
    )
