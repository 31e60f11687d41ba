"""UK Standard Industrial Classification 2007 (UK SIC 2007): a code's section, for spend by
industry (issue 14 item 2).

A SIC code is five digits (a subclass, as Companies House records them) or four (a class);
its first two digits are the division, and divisions group into the 21 sections A to U.
Source: ONS, "UK Standard Industrial Classification of Economic Activities 2007 (SIC 2007)",
structure and explanatory notes (2009), the division ranges of each section.
"""

import re
from dataclasses import dataclass

_CODE = re.compile(r"\d{4,5}")


@dataclass(frozen=True)
class Section:
    letter: str
    title: str
    first_division: int
    last_division: int


SECTIONS: tuple[Section, ...] = (
    Section("A", "Agriculture, forestry and fishing", 1, 3),
    Section("B", "Mining and quarrying", 5, 9),
    Section("C", "Manufacturing", 10, 33),
    Section("D", "Electricity, gas, steam and air conditioning supply", 35, 35),
    Section("E", "Water supply; sewerage, waste management and remediation", 36, 39),
    Section("F", "Construction", 41, 43),
    Section("G", "Wholesale and retail trade; repair of motor vehicles", 45, 47),
    Section("H", "Transportation and storage", 49, 53),
    Section("I", "Accommodation and food service activities", 55, 56),
    Section("J", "Information and communication", 58, 63),
    Section("K", "Financial and insurance activities", 64, 66),
    Section("L", "Real estate activities", 68, 68),
    Section("M", "Professional, scientific and technical activities", 69, 75),
    Section("N", "Administrative and support service activities", 77, 82),
    Section("O", "Public administration and defence; compulsory social security", 84, 84),
    Section("P", "Education", 85, 85),
    Section("Q", "Human health and social work activities", 86, 88),
    Section("R", "Arts, entertainment and recreation", 90, 93),
    Section("S", "Other service activities", 94, 96),
    Section("T", "Activities of households as employers", 97, 98),
    Section("U", "Activities of extraterritorial organisations and bodies", 99, 99),
)


def read_sic_codes(text: str) -> tuple[tuple[str, ...], list[str]]:
    """The codes in a cell ("86101; 86900", "86101 86900", "86101,86900") and the parts
    that are not SIC codes. Companies House's "99999 - Dormant Company" style keeps the code."""
    codes: list[str] = []
    bad: list[str] = []
    for part in re.split(r"[;,|\n]+", text):
        part = part.strip()
        if not part:
            continue
        words = part.split()
        found = [w for w in words if _CODE.fullmatch(w)]
        if found and (len(found) == len(words) or _CODE.fullmatch(words[0])):
            for code in found if len(found) == len(words) else found[:1]:
                if section_of(code) is None:
                    bad.append(code)
                elif code not in codes:
                    codes.append(code)
        else:
            bad.append(part)
    return tuple(codes), bad


def section_of(code: str) -> Section | None:
    """The section of a four- or five-digit SIC 2007 code, or None for no such division."""
    if not _CODE.fullmatch(code):
        return None
    division = int(code[:2])
    for section in SECTIONS:
        if section.first_division <= division <= section.last_division:
            return section
    return None
