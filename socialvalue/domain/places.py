"""Placing a supplier's postcode in or out of an organisation's local area (pure).

The lookups are passed in: postcode district → local authority district codes (ONS-derived,
shipped in socialvalue/suppliers/data and already moved onto current codes). A postcode
district that lies across several authorities counts as local only if every one of its
authorities is in the local area: a district half in the area is not local, and is reported as
"partly in the local area" so the reader can see it (ADR 017, docs/suppliers.md).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$")
_DISTRICT = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")


def postcode_district(postcode: str) -> str:
    """The outward code of a UK postcode (`pr2 9hT` → `PR2`), a bare district (`BB5`) as
    it is, or "" if the text is neither."""
    compact = " ".join(postcode.upper().split())
    if match := _POSTCODE.match(compact):
        return match[1]
    if _DISTRICT.match(compact.replace(" ", "")):
        return compact.replace(" ", "")
    return ""


@dataclass(frozen=True)
class LocalArea:
    """Local authority district codes (E06…, E07…, E08…, E09…, W06…) and/or postcode districts.

    An upper-tier choice (a county council, an ICB footprint) is stored as the districts it
    covers, so placement only ever compares districts."""

    authorities: frozenset[str] = frozenset()
    postcode_districts: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not self.authorities and not self.postcode_districts


class Place(StrEnum):
    LOCAL = "local"
    NOT_LOCAL = "not local"
    PARTLY = "partly in the local area (counted as not local)"
    UNPLACED = "could not be placed"


@dataclass(frozen=True)
class Placement:
    place: Place
    district: str = ""
    authorities: tuple[str, ...] = ()
    reason: str = ""

    @property
    def local(self) -> bool | None:
        """True, False, or None when the postcode could not be placed."""
        if self.place is Place.UNPLACED:
            return None
        return self.place is Place.LOCAL


def place(postcode: str, area: LocalArea, districts: Mapping[str, tuple[str, ...]]) -> Placement:
    """Where a postcode lies against the local area, and why."""
    if area.empty:
        return Placement(Place.UNPLACED, reason="no local area is defined")
    if not postcode.strip():
        return Placement(Place.UNPLACED, reason="no postcode")
    district = postcode_district(postcode)
    if not district:
        return Placement(Place.UNPLACED, reason=f"'{postcode.strip()}' is not a UK postcode")
    if district in area.postcode_districts:
        return Placement(Place.LOCAL, district, reason=f"{district} is a local postcode district")
    authorities = districts.get(district, ())
    if not authorities:
        if area.authorities:
            return Placement(
                Place.UNPLACED, district, reason=f"{district} is not in the postcode lookup"
            )
        return Placement(Place.NOT_LOCAL, district, reason=f"{district} is not a local district")
    inside = [a for a in authorities if a in area.authorities]
    if len(inside) == len(authorities):
        return Placement(
            Place.LOCAL, district, authorities, f"{district} lies in {', '.join(authorities)}"
        )
    if inside:
        return Placement(
            Place.PARTLY,
            district,
            authorities,
            f"{district} lies in {', '.join(authorities)}, of which only "
            f"{', '.join(inside)} {'is' if len(inside) == 1 else 'are'} local",
        )
    return Placement(
        Place.NOT_LOCAL, district, authorities, f"{district} lies in {', '.join(authorities)}"
    )
