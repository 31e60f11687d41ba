"""The computations that can fill a computed indicator, named once (ADR 025).

An indicator whose values come from data the organisation already holds names one of these
in its `computation` (charter file field and indicator form). Each names what it computes in
words, the import kind it reads, and a version: the version is stored with every value it
produces, so a change of method shows in the value's source and a recomputation with a new
version becomes a new version of the value.

Importers add their computations here; the app looks names up with `computation()`.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Computation:
    name: str  # dotted, family first: "spend.local_share"
    title: str  # what the figure is, in a few words
    method: str  # how it is worked out, in words, for "How this was worked out"
    reads: str  # the import kind it reads: "spend", "recruitment", ...
    version: str = "1"


COMPUTATIONS: dict[str, Computation] = {
    c.name: c
    for c in (
        Computation(
            name="spend.local_spend",
            title="Spend with local suppliers",
            method=(
                "The sum of payments in the period to suppliers placed inside the "
                "organisation's local area, from the payment ledgers imported for it."
            ),
            reads="spend",
        ),
    )
}


def computation(name: str) -> Computation | None:
    return COMPUTATIONS.get(name)


def computation_names() -> list[str]:
    return sorted(COMPUTATIONS)
