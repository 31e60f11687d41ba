"""Carbon: emissions = activity × a UK Government (DESNZ) greenhouse gas conversion factor.

A `FactorSet` is one year's published set (year and version kept), read from the DESNZ "flat
file" by `socialvalue.domain.carbon_files`. Every figure here names the factors it used
(ID, path, value, unit, set) and the organisation's assumptions, and says how it was worked
out. Sources: docs/formulas.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from socialvalue.domain.numbers import format_number, quantize
from socialvalue.domain.tables import normalise

__all__ = [
    "AVERAGE_CAR_KM",
    "MODE_FACTORS",
    "PAPER_PRIMARY",
    "PAPER_RECYCLED",
    "REAM",
    "AvoidedTravel",
    "Factor",
    "FactorKey",
    "FactorSet",
    "PaperBought",
    "PaperUse",
    "Ream",
    "TravelAssumptions",
    "avoided_travel",
    "paper_use",
]

THOUSAND = Decimal(1000)
SINGULAR = {"tonnes": "tonne", "litres": "litre", "miles": "mile", "cubic metres": "cubic metre"}
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class FactorKey:
    """Where a factor sits in the flat file: its category path, unit and what it measures."""

    level1: str
    level2: str
    level3: str
    column_text: str = ""
    uom: str = ""
    ghg_unit: str = "kg CO2e"
    level4: str = ""
    scope: str = ""

    def describe(self) -> str:
        path = [self.level1, self.level2, self.level3, self.level4, self.column_text]
        return (
            " › ".join(p for p in path if p)
            + f" ({self.ghg_unit} per {SINGULAR.get(self.uom, self.uom)})"
        )


@dataclass(frozen=True)
class Factor:
    id: str
    scope: str
    level1: str
    level2: str
    level3: str
    level4: str
    column_text: str
    uom: str
    ghg_unit: str
    value: Decimal | None  # the file leaves some factors blank
    row: int  # the spreadsheet row it was read from

    @property
    def per(self) -> str:
        """The unit as read after "per": DESNZ writes units in the plural (tonnes, litres)."""
        return SINGULAR.get(self.uom, self.uom)

    def path(self) -> str:
        parts = [self.level1, self.level2, self.level3, self.level4, self.column_text]
        return " › ".join(p for p in parts if p)

    def to_dict(self, factor_set: FactorSet | None = None) -> dict[str, object]:
        out: dict[str, object] = {
            "id": self.id,
            "scope": self.scope,
            "path": self.path(),
            "value": str(self.value) if self.value is not None else None,
            "unit": f"{self.ghg_unit} per {self.per}",
            "row": self.row,
        }
        if factor_set is not None:
            out["set"] = factor_set.label
        return out


@dataclass(frozen=True)
class FactorSet:
    year: int
    version: str
    source: str  # the file it came from
    factors: tuple[Factor, ...]

    @property
    def label(self) -> str:
        return f"DESNZ GHG conversion factors {self.year} (version {self.version})"

    def by_id(self, factor_id: str) -> Factor | None:
        return next((f for f in self.factors if f.id == factor_id), None)

    def find(self, key: FactorKey) -> list[Factor]:
        """Every factor at that path, unit and GHG unit (and scope, when the key names one)."""

        def same(a: str, b: str) -> bool:
            return normalise(a) == normalise(b)

        return [
            f
            for f in self.factors
            if same(f.level1, key.level1)
            and same(f.level2, key.level2)
            and same(f.level3, key.level3)
            and same(f.level4, key.level4)
            and same(f.column_text, key.column_text)
            and same(f.uom, key.uom)
            and same(f.ghg_unit, key.ghg_unit)
            and (not key.scope or same(f.scope, key.scope))
        ]

    def lookup(self, key: FactorKey) -> Factor:
        """The one factor at the key, with a value; LookupError saying why not otherwise."""
        found = self.find(key)
        if not found:
            raise LookupError(f"{self.label} has no factor for {key.describe()}")
        if len(found) > 1:
            ids = ", ".join(f.id for f in found)
            raise LookupError(f"{self.label} has {len(found)} factors for {key.describe()}: {ids}")
        if found[0].value is None:
            raise LookupError(f"{self.label} leaves {key.describe()} blank (ID {found[0].id})")
        return found[0]


# Patient travel is not business travel, but the "Business travel- land" factors are the
# per-km and per-passenger-km factors for journeys in vehicles the organisation does not own
# (the same average car value, 0.16691 kg CO2e/km in 2024, also appears under Scope 1
# "Passenger vehicles" and "Managed assets- vehicles"). DESNZ spells Level 1 with that space.
AVERAGE_CAR_KM = FactorKey(
    level1="Business travel- land",
    level2="Cars (by size)",
    level3="Average car",
    column_text="Unknown",
    uom="km",
    scope="Scope 3",
)
AVERAGE_BUS = FactorKey(
    level1="Business travel- land",
    level2="Bus",
    level3="Average local bus",
    uom="passenger.km",
    scope="Scope 3",
)
NATIONAL_RAIL = FactorKey(
    level1="Business travel- land",
    level2="Rail",
    level3="National rail",
    uom="passenger.km",
    scope="Scope 3",
)
MODE_FACTORS: Mapping[str, FactorKey] = {
    "car": AVERAGE_CAR_KM,
    "bus": AVERAGE_BUS,
    "rail": NATIONAL_RAIL,
}
PAPER_PRIMARY = FactorKey(
    level1="Material use",
    level2="Paper",
    level3="Paper and board: paper",
    column_text="Primary material production",
    uom="tonnes",
    scope="Scope 3",
)
PAPER_RECYCLED = FactorKey(
    level1="Material use",
    level2="Paper",
    level3="Paper and board: paper",
    column_text="Closed-loop source",
    uom="tonnes",
    scope="Scope 3",
)


@dataclass(frozen=True)
class TravelAssumptions:
    """The organisation's stated assumptions: no NHS-wide figure is mandated.

    `mode_shares` are fractions of journeys (0.88 for 88%); they may add up to less than 1,
    the rest being journeys with no emissions (walking, cycling), said so in the method.
    """

    round_trip_km: Decimal
    mode_shares: Mapping[str, Decimal]
    source: str = ""

    def problems(self) -> list[str]:
        found = []
        if self.round_trip_km <= 0:
            found.append("the round-trip distance must be more than 0 km")
        for mode, share in self.mode_shares.items():
            if mode not in MODE_FACTORS:
                found.append(f"unknown travel mode '{mode}' (use {', '.join(MODE_FACTORS)})")
            if share < 0 or share > 1:
                found.append(f"the share of journeys by {mode} must be between 0 and 1")
        if sum(self.mode_shares.values(), Decimal(0)) > 1:
            found.append("the shares of journeys by each mode add up to more than 1")
        return found

    def to_dict(self) -> dict[str, object]:
        return {
            "round_trip_km": str(self.round_trip_km),
            "mode_shares": {m: str(s) for m, s in self.mode_shares.items()},
            "source": self.source or None,
        }


@dataclass(frozen=True)
class AvoidedTravel:
    appointments: int
    assumptions: TravelAssumptions
    factor_set: FactorSet
    factors: Mapping[str, Factor]
    weighted_factor: Decimal  # kg CO2e per km, weighted by mode
    kg_co2e: Decimal
    method: str

    @property
    def tonnes_co2e(self) -> Decimal:
        return self.kg_co2e / THOUSAND

    def to_dict(self) -> dict[str, object]:
        return {
            "appointments": self.appointments,
            "assumptions": self.assumptions.to_dict(),
            "factor_set": {"year": self.factor_set.year, "version": self.factor_set.version},
            "factors": {m: f.to_dict(self.factor_set) for m, f in self.factors.items()},
            "weighted_factor_kg_per_km": str(self.weighted_factor),
            "kg_co2e": str(quantize(self.kg_co2e, 2)),
            "tonnes_co2e": str(quantize(self.tonnes_co2e, 3)),
            "method": self.method,
        }


def avoided_travel(
    *, appointments: int, assumptions: TravelAssumptions, factor_set: FactorSet
) -> AvoidedTravel:
    """appointments × round-trip km × Σ(share of journeys by mode × that mode's factor).

    A car factor is per vehicle km and a bus or rail factor per passenger km: one patient per
    journey, so each appointment's trip is one car km or one passenger km per km travelled.
    Raises ValueError for assumptions that do not make sense, LookupError for a missing factor.
    """
    problems = assumptions.problems()
    if appointments < 0:
        problems.append("the number of appointments cannot be negative")
    if problems:
        raise ValueError("; ".join(problems))
    factors = {m: factor_set.lookup(MODE_FACTORS[m]) for m in assumptions.mode_shares}
    weighted = sum(
        (share * factors[m].value for m, share in assumptions.mode_shares.items()),  # type: ignore[operator]
        Decimal(0),
    )
    kg = Decimal(appointments) * assumptions.round_trip_km * weighted
    parts = " + ".join(
        f"{format_number(share * HUNDRED, places=1)}% by {m} × {factors[m].value} "
        f"{factors[m].ghg_unit}/{factors[m].uom} (ID {factors[m].id})"
        for m, share in assumptions.mode_shares.items()
    )
    rest = Decimal(1) - sum(assumptions.mode_shares.values(), Decimal(0))
    method = (
        f"{appointments} virtual appointments × {assumptions.round_trip_km} km round trip × "
        f"({parts}) = {appointments} × {assumptions.round_trip_km} × {weighted} kg CO2e per km "
        f"= {format_number(kg, places=2)} kg CO2e, with {factor_set.label}"
    )
    if rest > 0:
        method += (
            f"; the other {format_number(rest * HUNDRED, places=1)}% of journeys are taken "
            "to have no emissions"
        )
    if assumptions.source:
        method += f"; assumptions from {assumptions.source}"
    return AvoidedTravel(
        appointments=appointments,
        assumptions=assumptions,
        factor_set=factor_set,
        factors=factors,
        weighted_factor=weighted,
        kg_co2e=kg,
        method=method + ".",
    )


# --- Paper ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ream:
    """What a ream weighs, from sheets × sheet area × paper weight (all stated, not assumed)."""

    sheets: int = 500
    width_mm: Decimal = Decimal(210)  # A4
    height_mm: Decimal = Decimal(297)
    gsm: Decimal = Decimal(80)

    @property
    def kg(self) -> Decimal:
        area_m2 = self.width_mm * self.height_mm / Decimal(1_000_000)
        return Decimal(self.sheets) * area_m2 * self.gsm / THOUSAND

    def describe(self) -> str:
        return (
            f"a ream is {self.sheets} sheets of {self.width_mm} × {self.height_mm} mm at "
            f"{self.gsm} g/m², {self.kg} kg"
        )


REAM = Ream()


@dataclass(frozen=True)
class PaperUse:
    reams: Decimal  # everything bought, in reams (tonnes converted with the ream weight)
    tonnes: Decimal
    baseline_reams: Decimal | None
    change_percent: Decimal | None  # (this year - baseline) ÷ baseline × 100; negative is less
    factor: Factor | None
    factor_set: FactorSet | None
    kg_co2e: Decimal | None
    ream: Ream
    reason: str
    method: str

    def to_dict(self) -> dict[str, object]:
        return {
            "reams": str(quantize(self.reams, 2)),
            "tonnes": str(quantize(self.tonnes, 4)),
            "baseline_reams": str(self.baseline_reams) if self.baseline_reams is not None else None,
            "change_percent": (
                str(quantize(self.change_percent, 1)) if self.change_percent is not None else None
            ),
            "ream": {
                "sheets": self.ream.sheets,
                "width_mm": str(self.ream.width_mm),
                "height_mm": str(self.ream.height_mm),
                "gsm": str(self.ream.gsm),
                "kg": str(self.ream.kg),
            },
            "factor": self.factor.to_dict(self.factor_set) if self.factor else None,
            "factor_set": (
                {"year": self.factor_set.year, "version": self.factor_set.version}
                if self.factor_set
                else None
            ),
            "kg_co2e": str(quantize(self.kg_co2e, 2)) if self.kg_co2e is not None else None,
            "reason": self.reason or None,
            "method": self.method,
        }


@dataclass(frozen=True)
class PaperBought:
    quantity: Decimal
    unit: str  # "reams" or "tonnes"


def paper_use(
    bought: Sequence[PaperBought],
    *,
    factor_set: FactorSet | None,
    baseline_reams: Decimal | None = None,
    ream: Ream = REAM,
    factor_key: FactorKey = PAPER_PRIMARY,
) -> PaperUse:
    """Paper bought, in reams and tonnes (a ream's weight stated), against a baseline in reams
    ((this year − baseline) ÷ baseline), and its carbon: tonnes × the DESNZ material-use factor
    for paper (primary material production by default; the closed-loop factor for recycled
    paper). Without a factor set there is no carbon figure, and the reason says so."""
    per_ream_t = ream.kg / THOUSAND
    reams = sum((b.quantity for b in bought if b.unit == "reams"), Decimal(0))
    tonnes_bought = sum((b.quantity for b in bought if b.unit == "tonnes"), Decimal(0))
    total_reams = reams + tonnes_bought / per_ream_t
    tonnes = reams * per_ream_t + tonnes_bought
    method = (
        f"{format_number(reams)} reams × {ream.kg} kg ({ream.describe()}) "
        f"+ {format_number(tonnes_bought, places=4)} tonnes bought by weight "
        f"= {format_number(tonnes, places=4)} tonnes"
    )
    reasons = []
    factor = kg = None
    if factor_set is None:
        reasons.append("no carbon figure: no factor set given")
    else:
        factor = factor_set.lookup(factor_key)
        kg = tonnes * factor.value  # type: ignore[operator]
        method += (
            f"; × {factor.value} {factor.ghg_unit} per tonne ({factor.path()}, ID {factor.id}, "
            f"{factor_set.label}) = {format_number(kg, places=2)} kg CO2e"
        )
    change = None
    if baseline_reams is None:
        reasons.append("no change: no baseline given")
    elif baseline_reams <= 0:
        reasons.append("no change: the baseline is 0 reams")
    else:
        change = (total_reams - baseline_reams) * HUNDRED / baseline_reams
        method += (
            f". Against the baseline: ({format_number(total_reams)} − "
            f"{format_number(baseline_reams)}) ÷ {format_number(baseline_reams)} "
            f"= {format_number(change, places=1)}%"
        )
    return PaperUse(
        reams=total_reams,
        tonnes=tonnes,
        baseline_reams=baseline_reams,
        change_percent=change,
        factor=factor,
        factor_set=factor_set,
        kg_co2e=kg,
        ream=ream,
        reason="; ".join(reasons),
        method=method + ".",
    )
