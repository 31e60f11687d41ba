"""Controlled vocabularies a charter file may tag its themes with.

Each vocabulary is a tuple of ``(code, label)`` pairs in the order the source lists them. The
codes are what a charter file writes (``social_value_model: [wellbeing]``); the labels are what
pages show. ``charter.schema.json`` repeats the codes as enums so that editors can check a file
without Python; a test keeps the two in step.
"""

from __future__ import annotations

SOCIAL_VALUE_MODEL_SOURCE = (
    "UK Social Value Model, Procurement Policy Note 06/20 (Cabinet Office, model dated "
    "December 2020): five themes."
)

SOCIAL_VALUE_MODEL_THEMES: tuple[tuple[str, str], ...] = (
    ("covid-19-recovery", "COVID-19 recovery"),
    ("tackling-economic-inequality", "Tackling economic inequality"),
    ("fighting-climate-change", "Fighting climate change"),
    ("equal-opportunity", "Equal opportunity"),
    ("wellbeing", "Wellbeing"),
)

NET_ZERO_SOURCE = (
    "NHS England, Delivering a 'Net Zero' National Health Service (October 2020, updated "
    "July 2022): areas of action."
)

NET_ZERO_PRIORITIES: tuple[tuple[str, str], ...] = (
    ("estates-and-facilities", "Estates and facilities"),
    ("travel-and-transport", "Travel and transport"),
    ("supply-chain", "Supply chain"),
    ("medicines", "Medicines"),
    ("digital-transformation", "Digital transformation"),
    ("models-of-care", "Models of care"),
    ("food-and-nutrition", "Food and nutrition"),
    ("adaptation", "Adaptation"),
    ("workforce-and-leadership", "Workforce, networks and leadership"),
)


def codes(vocabulary: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """The codes of a vocabulary, in order."""
    return tuple(code for code, _label in vocabulary)


def label(vocabulary: tuple[tuple[str, str], ...], code: str) -> str:
    """The label of ``code``; raises ``KeyError`` for a code the vocabulary does not have."""
    for known, text in vocabulary:
        if known == code:
            return text
    raise KeyError(code)
