"""Writes to the supplier register and the local area, and proposals from ledger lines."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction

from socialvalue.domain.ledger import LedgerLine
from socialvalue.domain.places import postcode_district
from socialvalue.domain.supplier_files import SupplierRow
from socialvalue.domain.suppliers import (
    INDIVIDUAL_LABEL,
    Kind,
    Register,
    looks_like_individual,
    normalise_name,
    public_body,
    recognise_vcfse,
)
from socialvalue.organisations.models import Organisation
from socialvalue.suppliers import lookups
from socialvalue.suppliers.models import LocalArea, Supplier
from socialvalue.suppliers.signals import announce_register_changed

# --- the register from a supplier file ------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    created: int
    updated: int


def _recognise(supplier: Supplier) -> None:
    """Fill what the registers and names say, where nobody has said otherwise."""
    if supplier.kind == Kind.ORGANISATION and not supplier.public_body:
        body = public_body(supplier.name, nhs_names=lookups.nhs_names())
        if body is not None:
            supplier.kind, supplier.public_body = Kind.PUBLIC_BODY, body.value
    if supplier.vcfse is None:
        found = recognise_vcfse(
            name=supplier.name,
            company_number=supplier.company_number,
            charity_number=supplier.charity_number,
            lookups=lookups.vcfse_lookups(),
        )
        if found is not None:
            supplier.vcfse, supplier.vcfse_source = found.vcfse, f"from the {found.source}"


def register_of(organisation: Organisation) -> Register:
    return Register(s.to_entry() for s in Supplier.objects.of(organisation))


@transaction.atomic
def suppliers_import(
    *, organisation: Organisation, rows: Sequence[SupplierRow], file_name: str
) -> Imported:
    """Add or update the suppliers of a clean supplier file (read by `read_suppliers`).

    A row updates the supplier with the same normalised name; the file's values replace the
    register's, and a flag the file leaves blank keeps its value. Each flag records the file
    and row it came from.
    """
    existing = {s.normalised_name: s for s in Supplier.objects.of(organisation)}
    created = updated = 0
    for row in rows:
        where = f"from the supplier file {file_name} row {row.row}"
        supplier = existing.get(row.normalised_name)
        if supplier is None:
            supplier = Supplier(
                organisation=organisation, normalised_name=row.normalised_name, source=where
            )
            created += 1
        else:
            updated += 1
        supplier.name = row.name
        supplier.aliases = list(dict.fromkeys([*supplier.aliases, *row.aliases]))
        supplier.postcode = row.postcode or supplier.postcode
        supplier.company_number = row.company_number or supplier.company_number
        supplier.charity_number = row.charity_number or supplier.charity_number
        if row.sic_codes:
            supplier.sic_codes = list(row.sic_codes)
        if row.kind:
            supplier.kind = row.kind
            supplier.public_body = "" if row.kind == Kind.ORGANISATION else supplier.public_body
        if row.sme is not None:
            supplier.sme, supplier.sme_source = row.sme, where
        if row.vcfse is not None:
            supplier.vcfse, supplier.vcfse_source = row.vcfse, where
        _recognise(supplier)
        supplier.full_clean(validate_unique=False)
        supplier.save()
        existing[row.normalised_name] = supplier
    if created or updated:
        announce_register_changed(
            organisation, f"Recomputed: the supplier register changed (supplier file {file_name})"
        )
    return Imported(created=created, updated=updated)


# --- proposals from ledger lines ------------------------------------------------------------


@dataclass
class Proposal:
    """One supplier name as ledgers write it: how many lines, how much, what it matched.

    For payments to individuals `name` is the fixed label and the lines of every person are
    together in one proposal: the person's name is not kept.
    """

    name: str
    normalised_name: str
    kind: Kind
    lines: int = 0
    amount: Decimal = Decimal(0)
    supplier_id: int | None = None
    method: str = ""
    note: str = ""
    public_body: str = ""
    company_number: str = ""
    postcode: str = ""


@dataclass
class Proposals:
    matched: list[Proposal] = field(default_factory=list)
    new: list[Proposal] = field(default_factory=list)
    individuals: Proposal | None = None


def ledger_proposals(*, organisation: Organisation, lines: Iterable[LedgerLine]) -> Proposals:
    """Match each ledger line's supplier to the register (company number first, then name,
    then alias); names that match nothing become proposed new suppliers. Nothing is saved."""
    register = register_of(organisation)
    by_name: dict[str, Proposal] = {}
    individuals = Proposal(name=INDIVIDUAL_LABEL, normalised_name="", kind=Kind.INDIVIDUAL)
    for line in lines:
        match = register.match(line.supplier, line.company_number)
        if match.key is None and looks_like_individual(line.supplier.name):
            individuals.lines += 1
            individuals.amount += line.amount
            continue
        normal = normalise_name(line.supplier.name)
        key = f"#{match.key}" if match.key is not None else normal
        proposal = by_name.get(key)
        if proposal is None:
            body = public_body(line.supplier.name, nhs_names=lookups.nhs_names())
            proposal = by_name[key] = Proposal(
                name=line.supplier.name,
                normalised_name=normal,
                kind=Kind.PUBLIC_BODY if body else Kind.ORGANISATION,
                public_body=body.value if body else "",
                supplier_id=match.key,  # type: ignore[arg-type]
                method=match.method.value if match.method else "",
                note=match.note,
            )
        proposal.lines += 1
        proposal.amount += line.amount
        proposal.company_number = proposal.company_number or (
            line.company_number or line.supplier.company_number
        )
        proposal.postcode = proposal.postcode or line.supplier_postcode
    result = Proposals(individuals=individuals if individuals.lines else None)
    for proposal in sorted(by_name.values(), key=lambda p: (-p.amount, p.normalised_name)):
        (result.matched if proposal.supplier_id is not None else result.new).append(proposal)
    return result


@dataclass(frozen=True)
class Built:
    created: int
    matched: int
    individual_lines: int


@transaction.atomic
def suppliers_build_from_ledger(
    *, organisation: Organisation, lines: Iterable[LedgerLine], file_names: Sequence[str]
) -> Built:
    """Add the ledgers' unmatched suppliers to the register, unconfirmed, for a lead to check.
    Payments to individuals are never added."""
    proposals = ledger_proposals(organisation=organisation, lines=lines)
    where = "from the ledger " + ", ".join(file_names)
    for proposal in proposals.new:
        if not proposal.normalised_name:
            continue
        supplier = Supplier(
            organisation=organisation,
            name=proposal.name,
            normalised_name=proposal.normalised_name,
            kind=proposal.kind,
            public_body=proposal.public_body,
            company_number=proposal.company_number,
            postcode=proposal.postcode if postcode_district(proposal.postcode) else "",
            source=where,
        )
        _recognise(supplier)
        supplier.save()
    return Built(
        created=len([p for p in proposals.new if p.normalised_name]),
        matched=sum(p.lines for p in proposals.matched),
        individual_lines=proposals.individuals.lines if proposals.individuals else 0,
    )


# --- a lead's review ------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    supplier_id: int
    confirm: bool = False
    sme: bool | str | None = "keep"  # "keep" leaves the flag as it is
    vcfse: bool | str | None = "keep"
    same_as: int | None = None  # correct a match: this name is another supplier's alias


class ReviewError(ValueError):
    pass


@transaction.atomic
def suppliers_review(
    *, organisation: Organisation, decisions: Sequence[Decision], by: str, on: date
) -> int:
    """Apply a lead's decisions in one go: confirm, set flags, merge a name into another
    supplier as its alias. All or nothing; returns how many suppliers changed."""
    suppliers = {s.pk: s for s in Supplier.objects.of(organisation).select_for_update()}
    where = f"set by {by} on {on.isoformat()}"
    changed = 0
    for decision in decisions:
        supplier = suppliers.get(decision.supplier_id)
        if supplier is None:
            raise ReviewError(f"supplier {decision.supplier_id} is not in this register")
        before = (supplier.confirmed, supplier.sme, supplier.vcfse)
        if decision.same_as is not None:
            target = suppliers.get(decision.same_as)
            if target is None or target.pk == supplier.pk:
                raise ReviewError(f"choose another supplier of this register for {supplier.pk}")
            names = [supplier.name, *supplier.aliases]
            target.aliases = list(dict.fromkeys([*target.aliases, *names]))
            target.company_number = target.company_number or supplier.company_number
            target.postcode = target.postcode or supplier.postcode
            target.save()
            supplier.delete()
            changed += 1
            continue
        if decision.confirm:
            supplier.confirmed = True
        if decision.sme != "keep":
            supplier.sme, supplier.sme_source = decision.sme, where  # type: ignore[assignment]
        if decision.vcfse != "keep":
            supplier.vcfse, supplier.vcfse_source = decision.vcfse, where  # type: ignore[assignment]
        if (supplier.confirmed, supplier.sme, supplier.vcfse) != before:
            supplier.save()
            changed += 1
    if changed:
        announce_register_changed(
            organisation, f"Recomputed: the supplier register changed ({where})"
        )
    return changed


# --- the local area -------------------------------------------------------------------------


class LocalAreaError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def local_area_set(*, organisation: Organisation, choices: Sequence[str], by: str) -> LocalArea:
    """The local area from local authority codes (a county council stands for its districts)
    and postcode districts, written one per line or separated by commas. Every unknown entry
    is refused, and nothing changes."""
    authorities, districts, chosen, problems = set(), set(), [], []
    names = lookups.authority_names()
    counties = lookups.county_districts()
    known_districts = lookups.postcode_districts()
    for raw in choices:
        text = raw.strip().upper()
        if not text:
            continue
        chosen.append(text)
        if text in counties:
            authorities |= set(counties[text])
        elif text in names:
            authorities.add(text)
        elif postcode_district(text) == text and text in known_districts:
            districts.add(text)
        else:
            problems.append(
                f"'{raw.strip()}' is not a local authority code (such as E07000120) or a "
                "postcode district (such as BB5)"
            )
    if problems:
        raise LocalAreaError(problems)
    with transaction.atomic():
        area, _ = LocalArea.objects.get_or_create(organisation=organisation)
        area.authorities = sorted(authorities)
        area.postcode_districts = sorted(districts)
        area.chosen = list(dict.fromkeys(chosen))
        area.updated_by = by
        area.save()
        announce_register_changed(organisation, f"Recomputed: the local area changed ({by})")
    return area
