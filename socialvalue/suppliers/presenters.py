"""Display values for the suppliers pages: a template only prints these."""

from dataclasses import dataclass

from socialvalue.domain.places import place
from socialvalue.domain.suppliers import INDIVIDUAL_LABEL, Kind
from socialvalue.suppliers import lookups
from socialvalue.suppliers.models import LocalArea


def _flag(value: bool | None, source: str) -> str:
    word = {True: "Yes", False: "No", None: "Not known"}[value]
    return f"{word} ({source})" if source and value is not None else word


@dataclass(frozen=True)
class SupplierRowPresenter:
    number: int
    name: str
    aliases: str
    kind: str
    postcode: str
    place: str
    numbers: str
    sme: str
    vcfse: str
    confirmed: bool
    source: str


def supplier_rows(suppliers, area: LocalArea | None) -> list[SupplierRowPresenter]:
    domain_area = area.to_domain() if area else None
    districts = lookups.postcode_districts()
    rows = []
    for s in suppliers:
        individual = s.kind == Kind.INDIVIDUAL
        where = ""
        if domain_area is not None and not individual:
            placement = place(s.postcode, domain_area, districts)
            where = f"{placement.place.value.capitalize()}: {placement.reason}"
        numbers = "; ".join(
            text
            for text in (
                f"company {s.company_number}" if s.company_number else "",
                f"charity {s.charity_number}" if s.charity_number else "",
            )
            if text
        )
        rows.append(
            SupplierRowPresenter(
                number=s.pk,
                name=INDIVIDUAL_LABEL if individual else s.name,
                aliases="" if individual else ", ".join(s.aliases),
                kind=f"Public body ({s.public_body})" if s.public_body else s.get_kind_display(),
                postcode="" if individual else s.postcode,
                place=where,
                numbers=numbers,
                sme=_flag(s.sme, s.sme_source),
                vcfse=_flag(s.vcfse, s.vcfse_source),
                confirmed=s.confirmed,
                source="" if individual else s.source,
            )
        )
    return rows


def area_lines(area: LocalArea | None) -> list[str]:
    if area is None:
        return []
    names = lookups.authority_names()
    lines = [f"{names.get(code, code)} ({code})" for code in area.authorities]
    lines += [f"Postcode district {d}" for d in area.postcode_districts]
    return lines
