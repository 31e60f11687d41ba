"""Figures in plain English: units in the singular or plural, whole things shown whole,
money rounded in summaries, shares as "500 of 2,100 people (23.8%)".

The rules are in docs/status.md ("Plain English"). Until each indicator says how its figure is
measured, a unit is taken to count whole things unless it is money, a percentage, a rate
("per …") or a measure such as tonnes or hours (`MEASURE_WORDS`).
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from socialvalue.domain.numbers import MONEY_UNITS, format_number, format_percent, quantize

__all__ = [
    "MEASURE_WORDS",
    "counts_whole_things",
    "figure",
    "is_money",
    "limit_phrase",
    "noun_of_share",
    "of_phrase",
    "plural",
    "share_phrase",
    "singular",
    "unit_for",
]

# Words that make a unit a measure (decimals are natural) rather than a count of things.
MEASURE_WORDS = frozenset(
    {
        "tonne", "tonnes", "tco2e", "co2e", "kg", "kilograms", "g", "kwh", "mwh", "gwh", "litres",
        "litre", "km", "miles", "mile", "hours", "hour", "days", "day", "weeks", "years",
        "reams", "ream", "gb", "tb", "likelihood", "ratio", "rate", "score", "points", "index",
        "fte", "wte", "m2", "m²", "metres", "percent", "percentage",
    }
)  # fmt: skip
# Nouns with no plural, or whose plural is not made by rule.
_IRREGULAR = {
    "people": "person",
    "children": "child",
    "men": "man",
    "women": "woman",
    "feet": "foot",
    "mice": "mouse",
}
_UNCOUNTABLE = frozenset(
    {"staff", "data", "equipment", "information", "feedback", "advice", "evidence", "series",
     "species", "likelihood", "research", "training", "support", "funding", "news", "means",
     "gas", "premises"}
)  # fmt: skip
_SINGULAR_ENDINGS = ("ss", "us", "is")


def is_money(unit: str) -> bool:
    return unit.strip() in MONEY_UNITS


def _words(unit: str) -> list[str]:
    return unit.split()


def counts_whole_things(unit: str) -> bool:
    """Whether a unit counts whole things (people, projects), whose figures are whole."""
    text = unit.strip().lower()
    if not text or is_money(unit) or text.startswith("%") or text.endswith("%"):
        return False
    words = text.replace("/", " ").split()
    return "per" not in words and not any(word in MEASURE_WORDS for word in words)


def _looks_plural(word: str) -> bool:
    lower = word.lower()
    if lower in _IRREGULAR:
        return True
    if lower in _UNCOUNTABLE:
        return False
    return lower.endswith("s") and not lower.endswith(_SINGULAR_ENDINGS) and len(lower) > 2


def _match_case(word: str, like: str) -> str:
    return word.capitalize() if like[:1].isupper() else word


def singular(word: str) -> str:
    """people -> person, opportunities -> opportunity, boxes -> box, projects -> project."""
    lower = word.lower()
    if lower in _IRREGULAR:
        return _match_case(_IRREGULAR[lower], word)
    if not _looks_plural(word):
        return word
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    return word[:-1]


def plural(word: str) -> str:
    """person -> people, policy -> policies, box -> boxes, report -> reports."""
    lower = word.lower()
    for many, one in _IRREGULAR.items():
        if lower == one:
            return _match_case(many, word)
    if lower in _UNCOUNTABLE or _looks_plural(word) or not lower.isalpha():
        return word
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    if lower.endswith(("s", "sh", "ch", "x", "z")):
        return word + "es"
    return word + "s"


def unit_for(value: Decimal | None, unit: str) -> str:
    """The unit agreeing with the figure: "1 project", "2 projects", "1 colleague working
    agile". A unit's first plural-looking word is its noun; a one-word unit written in the
    singular ("report") takes the plural for other figures."""
    words = _words(unit)
    if not words or is_money(unit) or unit.strip().startswith("%"):
        return unit
    one = value is not None and format_number(value) in ("1", "-1")
    for index, word in enumerate(words):
        if _looks_plural(word):
            if one:
                words[index] = singular(word)
            return " ".join(words)
    if not one and len(words) == 1:
        return plural(words[0])
    return unit


def figure(value: Decimal, unit: str = "", *, summary: bool = True, whole: bool = False) -> str:
    """A number with its unit. Money is to whole pounds in summaries and to the penny on the
    indicator page (`summary=False`); `whole` rounds things that can only be whole."""
    if is_money(unit):
        pence = quantize(value, 2)
        if summary or pence == pence.to_integral_value():
            text = format_number(value, places=0 if summary else 2)
        else:
            # Pence are written with two digits: £1,157,625.40, not £1,157,625.4.
            text = f"{pence:,f}"
        return f"-£{text[1:]}" if text.startswith("-") else f"£{text}"
    shown = quantize(value, 0) if whole else value
    text = format_number(shown)
    stripped = unit.strip()
    if not stripped:
        return text
    if stripped == "%":
        return f"{text}%"
    if stripped.startswith("%"):
        return f"{text}{stripped}"
    return f"{text} {unit_for(shown, unit)}"


def number_only(value: Decimal, unit: str = "", *, whole: bool = False) -> str:
    """A figure without its unit unless the unit is a symbol written beside it (£, %), for
    a second figure in the same sentence: "62 of 100 people; 75 expected"."""
    if is_money(unit) or unit.strip() == "%":
        return figure(value, unit, whole=whole)
    return format_number(quantize(value, 0) if whole else value)


def of_phrase(value: Decimal, total: Decimal, unit: str = "", *, whole: bool = False) -> str:
    """The unit said once: "62 of 100 people", "£6,200 of £10,000", "1 of 1 project"."""
    return f"{number_only(value, unit)} of {figure(total, unit, whole=whole)}"


def whole_goal(comparison_value: str, value: Decimal) -> tuple[str, Decimal]:
    """The comparison and value a goal on whole things amounts to: at least 79.8 is at least
    80, at most 47.5 is at most 47, more than 79.8 is at least 80, less than 47.5 at most 47."""
    if value == value.to_integral_value():
        return comparison_value, value
    up = value.to_integral_value(rounding=ROUND_CEILING)
    down = value.to_integral_value(rounding=ROUND_FLOOR)
    return {
        "at_least": ("at_least", up),
        "more_than": ("at_least", up),
        "at_most": ("at_most", down),
        "less_than": ("at_most", down),
    }.get(comparison_value, (comparison_value, value))


_PHRASES = {
    "at_least": "at least",
    "at_most": "at most",
    "more_than": "more than",
    "less_than": "less than",
}


def limit_phrase(comparison_value: str, value: Decimal, unit: str = "") -> str:
    """A limit in words: "at least 80 opportunities" (from 79.8), "more than 12.5%"."""
    if counts_whole_things(unit):
        comparison_value, value = whole_goal(comparison_value, value)
    words = _PHRASES.get(comparison_value, comparison_value.replace("_", " "))
    return f"{words} {figure(value, unit)}"


def noun_of_share(unit: str) -> str:
    """What a share's denominator counts: "% of senior roles" -> "senior roles"; "%" -> ""."""
    text = unit.strip()
    if text.startswith("%"):
        text = text[1:].strip()
        if text.lower().startswith("of "):
            text = text[3:].strip()
    return text


def share_phrase(numerator: Decimal, denominator: Decimal, percent: Decimal, unit: str = "") -> str:
    """The counts first, the share in brackets: "500 of 2,100 people (23.8%)"."""
    noun = noun_of_share(unit)
    total = format_number(denominator)
    if noun:
        total = f"{total} {unit_for(denominator, noun)}"
    return f"{format_number(numerator)} of {total} ({format_percent(percent)})"
