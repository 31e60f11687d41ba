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
        # Workforce equality, outpatients and paper (socialvalue/equality, ADR 024; the
        # formulas: docs/formulas.md).
        Computation(
            name="workforce.recruitment_likelihood",
            title="Relative likelihood of appointment from shortlisting (WRES 2, WDES 2)",
            method=(
                "Per characteristic, the reference group's appointed ÷ shortlisted over the "
                "comparison group's, from the recruitment counts imported for the year; people "
                "whose group is not stated are left out of both groups."
            ),
            reads="recruitment",
        ),
        *(
            Computation(
                name=f"survey.harassment_{topic}",
                title=f"Harassment, bullying or abuse from {words}: ratio between groups",
                method=(
                    "Staff survey: the share of each group who experienced harassment, bullying "
                    f"or abuse from {words}, group A's share over group B's, from the results "
                    "by ethnic group and disability imported for the year; groups under the "
                    "suppression threshold are left out."
                ),
                reads="staff-survey",
            )
            for topic, words in (
                ("public", "patients, relatives or the public"),
                ("managers", "managers"),
                ("colleagues", "colleagues"),
            )
        ),
        Computation(
            name="workforce.senior_representation",
            title="Ethnic minority staff in senior roles",
            method=(
                "Ethnic minority staff in the senior bands (a setting) ÷ all staff in those "
                "bands, from the workforce profile imported for the year; the Disabled share is "
                "worked out beside it. For a target with parts (ethnic minority; disabled), "
                "each share is recorded as its own part."
            ),
            reads="workforce",
            version="2",
        ),
        Computation(
            name="outpatients.virtual_share",
            title="Virtual share of outpatient appointments",
            method=(
                "Appointments whose consultation medium is not face to face (codes 02–08) ÷ all "
                "appointments in the period, summed over its months from the outpatient "
                "activity imported."
            ),
            reads="outpatients",
        ),
        Computation(
            name="paper.reams",
            title="Paper bought",
            method=(
                "Reams bought in the period (tonnes converted with a stated ream weight), from "
                "the paper orders imported, with their carbon from the DESNZ factor set."
            ),
            reads="paper",
        ),
    )
}


def computation(name: str) -> Computation | None:
    return COMPUTATIONS.get(name)


def computation_names() -> list[str]:
    return sorted(COMPUTATIONS)
