"""Outpatient appointments by consultation medium, and the share that were virtual.

Codes: NHS Data Dictionary, data element CONSULTATION MEDIUM USED (see docs/formulas.md).
The share is worked out from summed counts (never an average of monthly shares).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from socialvalue.domain.numbers import Span, format_percent
from socialvalue.domain.tables import normalise

__all__ = [
    "MEDIA",
    "VIRTUAL",
    "MediumCount",
    "VirtualShare",
    "medium_code",
    "virtual_share",
]

HUNDRED = Decimal(100)

# National codes and their descriptions; code 03 was "Telemedicine web camera" before
# Data Dictionary change notice 1734.
MEDIA: Mapping[str, str] = {
    "01": "Face to face communication",
    "02": "Telephone",
    "03": "Telemedicine",
    "04": "Talk type for a person unable to speak",
    "05": "Email",
    "06": "Short Message Service (SMS) - text messaging",
    "07": "On-line triage",
    "08": "Online instant messaging",
    "98": "Other (not listed)",
}
# Virtual: every medium but face to face and "other", whose medium is not known.
VIRTUAL = frozenset({"02", "03", "04", "05", "06", "07", "08"})

_ALIASES = {
    **{normalise(text): code for code, text in MEDIA.items()},
    "face to face": "01",
    "f2f": "01",
    "in person": "01",
    "telemedicine web camera": "03",
    "video": "03",
    "video consultation": "03",
    "sms": "06",
    "text message": "06",
    "other": "98",
}


def medium_code(text: object) -> str | None:
    """The national code for a cell: "2", "02", "02 Telephone", "Telephone" -> "02"."""
    cleaned = normalise(text)
    if not cleaned:
        return None
    first = cleaned.split(" ", 1)[0]
    if first.isdigit():
        code = first.zfill(2)
        return code if code in MEDIA else None
    return _ALIASES.get(cleaned)


@dataclass(frozen=True)
class MediumCount:
    month: date  # the first of the month
    medium: str  # national code
    appointments: int
    # The rows of the file counted, as runs (first, last): one row for a count by month and
    # medium, the appointments' rows for a row-per-appointment extract. Where it came from,
    # not what it is: two counts of the same figure from different rows are equal.
    rows: tuple[Span, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class VirtualShare:
    by_medium: Mapping[str, int]
    by_month: Mapping[date, tuple[int, int]]  # month -> (virtual, all)
    virtual: int
    total: int
    share: Decimal | None  # percent
    reason: str
    method: str

    def to_dict(self) -> dict[str, object]:
        return {
            "appointments_by_medium": {
                f"{code} {MEDIA[code]}": n for code, n in sorted(self.by_medium.items())
            },
            "by_month": {
                m.strftime("%Y-%m"): {"virtual": v, "all": t}
                for m, (v, t) in sorted(self.by_month.items())
            },
            "virtual": self.virtual,
            "all": self.total,
            "virtual_share_percent": str(self.share.quantize(Decimal("0.1")))
            if self.share is not None
            else None,
            "virtual_codes": sorted(VIRTUAL),
            "reason": self.reason or None,
            "method": self.method,
        }


def virtual_share(counts: Sequence[MediumCount]) -> VirtualShare:
    """Virtual appointments ÷ all appointments, each summed over the months given."""
    by_medium: dict[str, int] = {}
    by_month: dict[date, tuple[int, int]] = {}
    for c in counts:
        by_medium[c.medium] = by_medium.get(c.medium, 0) + c.appointments
        v, t = by_month.get(c.month, (0, 0))
        by_month[c.month] = (v + (c.appointments if c.medium in VIRTUAL else 0), t + c.appointments)
    virtual = sum(n for code, n in by_medium.items() if code in VIRTUAL)
    total = sum(by_medium.values())
    share = Decimal(virtual) * HUNDRED / Decimal(total) if total else None
    reason = "" if total else "no share: no appointments counted"
    months = sorted(by_month)
    span = (
        f"{months[0].strftime('%B %Y')} to {months[-1].strftime('%B %Y')}"
        if months
        else "no months"
    )
    method = (
        f"Virtual appointments (consultation medium "
        f"{', '.join(sorted(VIRTUAL))}) {virtual} ÷ all appointments {total}, summed over "
        f"{len(months)} month{'s' if len(months) != 1 else ''} ({span})"
    )
    method += f" = {format_percent(share)}." if share is not None else f": {reason}."
    if by_medium.get("98"):
        method += f" {by_medium['98']} with medium 98 (other) count in the whole, not as virtual."
    return VirtualShare(
        by_medium=by_medium,
        by_month=by_month,
        virtual=virtual,
        total=total,
        share=share,
        reason=reason,
        method=method,
    )
