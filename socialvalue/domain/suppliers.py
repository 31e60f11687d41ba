"""Suppliers: names made comparable, ledger lines matched to a register, kinds recognised.

Pure functions over plain values (docs/suppliers.md, ADR 017). The register is whatever the
caller builds from its saved suppliers: a tuple of `RegisterEntry`, keyed by the caller's own
identifier, so ledger lines (parsed, not saved) can be matched against it.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from socialvalue.domain.ledger.values import SupplierName, clean_supplier
from socialvalue.domain.places import LocalArea, Place, Placement, place

# --- names ----------------------------------------------------------------------------------

# Legal forms dropped from the end of a name, longest first ("public limited company" before
# "limited"). "Co" is kept: "Smith & Co" and "Smith" are not safely the same supplier.
_LEGAL_FORMS = (
    "public limited company",
    "limited liability partnership",
    "community interest company",
    "limited",
    "ltd",
    "plc",
    "llp",
    "lp",
    "cic",
    "uk ltd",
)


@lru_cache(maxsize=100_000)
def normalise_name(name: str) -> str:
    """A supplier name reduced to what two spellings of one supplier share.

    Ledger IDs, company and VAT numbers are taken off (as the ledger reader does), then:
    accents and case folded, "&" read as "and", punctuation removed (an apostrophe joins:
    "King's" is "kings"), a leading "The" and trailing legal forms (Ltd, Limited, plc, LLP,
    CIC) dropped. `UK0479435601 : Prime Care Solutions (Kingston) Ltd` gives
    `prime care solutions kingston`.

    Kept for the names seen last: the register and every supplier as written in the
    ledgers are normalised again for each figure worked out.
    """
    text = clean_supplier(name).name
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("&", " and ").replace("+", " and ")
    text = re.sub(r"['’`]", "", text)
    text = re.sub(r"\b(l)\.(t)\.(d)\.?", r"\1\2\3", text)
    text = re.sub(r"\bc\.i\.c\.?", "cic", text)
    text = re.sub(r"[^\w\s]|_", " ", text)
    words = text.split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    changed = True
    while changed and words:
        changed = False
        joined = " ".join(words)
        for form in _LEGAL_FORMS:
            if joined.endswith(" " + form) and len(joined) > len(form) + 1:
                words = joined[: -len(form) - 1].split()
                changed = True
                break
    return " ".join(words)


# --- identifiers ----------------------------------------------------------------------------

# Companies House prefixes: SC Scotland, NI Northern Ireland, OC/SO/NC LLPs, FC overseas,
# CE/CS charitable incorporated organisations, IP/RS/SP/NP/NO registered (mutual) societies.
_COMPANY = re.compile(r"^(SC|NI|OC|SO|NC|FC|CE|CS|IP|RS|SP|NP|NO)?(\d{1,8})([A-Z]{0,5})$")
CIO_PREFIXES = ("CE", "CS")
SOCIETY_PREFIXES = ("IP", "RS", "SP", "NP", "NO")


def normalise_company_number(text: str) -> str:
    """A company number as Companies House writes it (8 characters), or "" if it is not one.

    Digits are padded to eight (`3529700` → `03529700`); a prefix keeps six digits after it
    (`sc12345` → `SC012345`). A registered society's number with letters after its digits
    (`IP10002R`, `SP2565RS`) is kept as written. Spaces are ignored.
    """
    compact = re.sub(r"\s", "", text).upper()
    match = _COMPANY.match(compact)
    if not match or not match[2].strip("0"):
        return ""
    prefix, digits, suffix = match[1] or "", match[2], match[3]
    if not prefix:
        return digits.zfill(8) if len(digits) <= 8 and not suffix else ""
    if suffix:
        return compact if prefix in SOCIETY_PREFIXES and len(compact) <= 10 else ""
    return prefix + digits.zfill(6) if len(digits) <= 6 else ""


_CHARITY = re.compile(r"^(?:(SC)(\d{6})|(NIC)?(\d{6,7}))(?:-\d+)?$")


def normalise_charity_number(text: str) -> str:
    """A charity number: 6 or 7 digits (England and Wales), `SC` and 6 digits (Scotland),
    `NIC` and digits (Northern Ireland); "" if it is none of these. A `-1` subsidiary suffix
    is dropped."""
    compact = re.sub(r"\s", "", text).upper()
    match = _CHARITY.match(compact)
    if not match:
        return ""
    if match[1]:
        return match[1] + match[2]
    return (match[3] or "") + match[4]


# --- kinds ----------------------------------------------------------------------------------


class Kind(StrEnum):
    ORGANISATION = "organisation"
    PUBLIC_BODY = "public body"
    INDIVIDUAL = "individual"


INDIVIDUAL_LABEL = "Payment to an individual (name withheld)"

# What the transparency rules put in place of a person's name.
_REDACTED = re.compile(
    r"^(?:redacted|redacted\s*-.*|.*\bredacted\b.*|personal\s+(?:information|data|details)"
    r"|(?:private\s+)?individuals?|name\s+withheld|withheld|personal\s+expenses?"
    r"|employee|staff\s+member|patient|\*+)$",
    re.IGNORECASE,
)
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev", "revd"}
# Words that make a name an organisation's, whatever its shape.
_ORGANISATION_WORDS = {
    "and",
    "ltd",
    "limited",
    "plc",
    "llp",
    "cic",
    "co",
    "company",
    "group",
    "services",
    "service",
    "solutions",
    "care",
    "healthcare",
    "health",
    "medical",
    "trust",
    "council",
    "nhs",
    "university",
    "college",
    "school",
    "hospital",
    "practice",
    "surgery",
    "partnership",
    "partners",
    "associates",
    "consulting",
    "consultancy",
    "uk",
    "international",
    "systems",
    "supplies",
    "centre",
    "center",
    "society",
    "association",
    "foundation",
    "charity",
    "club",
    "church",
    "hotel",
    "garage",
    "motors",
    "agency",
    "fund",
    "scheme",
    "pensions",
    "bank",
    "office",
    "authority",
    "board",
    "department",
    "ministry",
    "hmrc",
    "store",
    "stores",
    "shop",
    "products",
    "technologies",
    "technology",
    "engineering",
    "construction",
    "builders",
    "catering",
    "cleaning",
    "security",
    "training",
    "design",
    "media",
    "print",
    "printing",
    "energy",
    "water",
    "gas",
    "electric",
    "transport",
    "taxis",
    "cars",
    "logistics",
    "estates",
    "properties",
    "property",
    "housing",
    "homes",
    "network",
    "project",
    "community",
    "sons",
    "brothers",
    "bros",
    "t/a",
    "ta",
}


def looks_like_individual(name: str) -> bool:
    """True for a redacted payee or a name shaped like a person's.

    Redactions: "REDACTED", "Personal information", "Individual", "Name withheld" and the
    like. Person-shaped: a title ("Mr J Smith", "Dr Patel"), initials and a surname
    ("J Smith", "J. R. Smith"), or "SURNAME, Forename"; with no word that marks an
    organisation (Ltd, Services, Care, Council …). When in doubt the name is treated as a
    person's: a wrongly hidden name costs a correction, a wrongly shown one cannot be undone.
    """
    text = " ".join(name.split())
    if not text or _REDACTED.match(text):
        return bool(text)
    words = re.sub(r"[^\w\s,/]", " ", text.casefold()).replace(",", " , ").split()
    plain = [w for w in words if w != ","]
    if not plain or any(w in _ORGANISATION_WORDS for w in plain) or any(w.isdigit() for w in plain):
        return False
    if not all(w.isalpha() for w in plain) or len(plain) > 5:
        return False
    if plain[0] in _TITLES and len(plain) >= 2:
        return True
    if len(plain) >= 2 and all(len(w) == 1 for w in plain[:-1]) and len(plain[-1]) > 1:
        return True
    # "SMITH, JOHN" or "Smith, John A"
    return len(words) in (3, 4) and words[1] == "," and 2 <= len(plain) <= 3


class PublicBody(StrEnum):
    NHS = "NHS organisation"
    COUNCIL = "council"
    HMRC = "HMRC"
    PENSIONS = "pension scheme"
    GOVERNMENT = "government department"


_PUBLIC_PATTERNS: tuple[tuple[PublicBody, re.Pattern[str]], ...] = (
    (
        PublicBody.PENSIONS,
        re.compile(
            r"\bpensions?\b.*\b(scheme|agency|fund)\b|\bnhs pensions?\b"
            r"|\bnhsbsa\b|\bnhs business services authority\b"
            r"|\bpension fund\b|\bpensions? scheme\b"
        ),
    ),
    (
        PublicBody.HMRC,
        re.compile(
            r"\bhmrc\b|\bh ?m revenue\b|\bhm revenue\b|\binland revenue\b"
            r"|\brevenue and customs\b"
        ),
    ),
    (
        PublicBody.NHS,
        re.compile(
            r"\bnhs (?:foundation )?trust\b|\bnhs ft\b|\bnhs england\b"
            r"|\bintegrated care board\b|\bclinical commissioning group\b"
            r"|\bccg\b|\bicb\b|\bhealth education england\b"
            r"|\bnhs improvement\b|\bnhs digital\b|\bnhs resolution\b"
            r"|\bnhs blood and transplant\b|\bfoundation trust\b"
            r"|\bhealth board\b|\buk health security agency\b"
        ),
    ),
    (
        PublicBody.COUNCIL,
        re.compile(
            r"\bcouncil\b|\blondon borough of\b|\broyal borough of\b"
            r"|\bcombined authority\b|\bgreater london authority\b"
        ),
    ),
    (
        PublicBody.GOVERNMENT,
        re.compile(
            r"\bdepartment (?:of|for) \w+|\bhm treasury\b"
            r"|\bcabinet office\b|\bministry of\b"
        ),
    ),
)
# Words that make "council" or "trust" something else: a charity, a club, a housing trust.
_NOT_PUBLIC = re.compile(r"\b(?:charity|charitable|club|housing|ltd|limited|plc|cic)\b")


def public_body(name: str, *, nhs_names: frozenset[str] = frozenset()) -> PublicBody | None:
    """Which kind of public body a supplier name is, if it is one.

    `nhs_names` are normalised names of NHS organisations from the ODS lists; a name equal to
    one of them is an NHS organisation whatever its wording. Otherwise by wording: "... NHS
    Foundation Trust", "... Integrated Care Board", "... Council", "London Borough of ...",
    "HMRC", "NHS Pensions", "... Pension Scheme".
    """
    normal = normalise_name(name)
    if normal in nhs_names:
        return PublicBody.NHS
    for kind, pattern in _PUBLIC_PATTERNS:
        if pattern.search(normal):
            if kind in (PublicBody.COUNCIL, PublicBody.NHS) and _NOT_PUBLIC.search(
                " ".join(name.casefold().replace(".", " ").split())
            ):
                return None
            return kind
    return None


# --- VCFSE from registration numbers --------------------------------------------------------


@dataclass(frozen=True)
class VcfseLookups:
    """The registers' numbers, as shipped in socialvalue/suppliers/data (docs/suppliers.md).

    `charity_numbers`: registered charity numbers (England and Wales). `company_charity`:
    company number → charity number, for charitable companies and CIOs. `societies`: the
    company numbers of registered mutual societies (co-operatives, community benefit
    societies).
    """

    charity_numbers: frozenset[str] = frozenset()
    company_charity: Mapping[str, str] = field(default_factory=dict)
    societies: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Recognition:
    vcfse: bool
    source: str


def recognise_vcfse(
    *, name: str = "", company_number: str = "", charity_number: str = "", lookups: VcfseLookups
) -> Recognition | None:
    """VCFSE from a supplier's registration numbers (or a CIC's name), with where it came from.

    None when nothing says so (not a "no": a supplier is not shown as non-VCFSE on no
    evidence).
    """
    charity = normalise_charity_number(charity_number) if charity_number else ""
    company = normalise_company_number(company_number) if company_number else ""
    if charity and (charity.startswith(("SC", "NIC")) or charity in lookups.charity_numbers):
        return Recognition(True, f"registered charity {charity} (charity register lookup)")
    if company:
        if company in lookups.company_charity:
            number = lookups.company_charity[company]
            what = (
                "charitable incorporated organisation"
                if company.startswith(CIO_PREFIXES)
                else "charitable company"
            )
            return Recognition(
                True, f"{what}, company {company} is charity {number} (charity register lookup)"
            )
        if company.startswith(CIO_PREFIXES):
            return Recognition(
                True, f"charitable incorporated organisation, company number {company}"
            )
        if company in lookups.societies:
            return Recognition(True, f"mutual society {company} (FCA mutuals register lookup)")
        if company.startswith(SOCIETY_PREFIXES):
            return Recognition(True, f"registered society, company number {company}")
    words = " ".join(re.sub(r"[^\w\s]", " ", name.casefold().replace("c.i.c", "cic")).split())
    if words.endswith(" cic") or "community interest company" in words:
        return Recognition(True, "community interest company (from its name)")
    return None


# --- matching -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterEntry:
    key: object
    name: str
    aliases: tuple[str, ...] = ()
    company_number: str = ""


class MatchMethod(StrEnum):
    COMPANY_NUMBER = "company number"
    NAME = "name"
    ALIAS = "alias"


@dataclass(frozen=True)
class Match:
    key: object | None
    method: MatchMethod | None = None
    note: str = ""


class Register:
    """Suppliers indexed by company number and by normalised name and alias."""

    def __init__(self, entries: Iterable[RegisterEntry]):
        self.by_company: dict[str, set[object]] = {}
        self.by_name: dict[str, set[object]] = {}
        self.by_alias: dict[str, set[object]] = {}
        self.entries: dict[object, RegisterEntry] = {}
        for entry in entries:
            self.entries[entry.key] = entry
            if number := normalise_company_number(entry.company_number):
                self.by_company.setdefault(number, set()).add(entry.key)
            if normal := normalise_name(entry.name):
                self.by_name.setdefault(normal, set()).add(entry.key)
            for alias in entry.aliases:
                if normal := normalise_name(alias):
                    self.by_alias.setdefault(normal, set()).add(entry.key)

    def match(self, supplier: SupplierName | str, company_number: str = "") -> Match:
        """The register's supplier for a ledger name: by company number first (from the line's
        own column or carried in the name), then by normalised name, then by alias. Two
        suppliers sharing the key is no match, with a note saying so."""
        if isinstance(supplier, str):
            supplier = clean_supplier(supplier)
        number = normalise_company_number(company_number or supplier.company_number)
        if number and (keys := self.by_company.get(number)):
            return _one(keys, MatchMethod.COMPANY_NUMBER, f"company number {number}")
        normal = normalise_name(supplier.name)
        if normal and (keys := self.by_name.get(normal)):
            return _one(keys, MatchMethod.NAME, f"name '{normal}'")
        if normal and (keys := self.by_alias.get(normal)):
            return _one(keys, MatchMethod.ALIAS, f"alias '{normal}'")
        return Match(None)


def _one(keys: set[object], method: MatchMethod, what: str) -> Match:
    if len(keys) == 1:
        return Match(next(iter(keys)), method)
    return Match(None, None, f"{len(keys)} suppliers in the register share the {what}")


# --- classifying ledger lines (for the spend indicators) ------------------------------------


@dataclass(frozen=True)
class SupplierFacts:
    """What the register knows about one supplier, for classifying its lines."""

    kind: Kind = Kind.ORGANISATION
    postcode: str = ""
    sme: bool | None = None
    vcfse: bool | None = None


@dataclass(frozen=True)
class LineClass:
    """One ledger line's supplier, kind, place and flags, and how each was found.

    `influenceable` is False for public bodies only: a payment to an individual still counts
    in totals and in influenceable spend (it is not another public body's money)."""

    match: Match
    kind: Kind
    placement: Placement
    sme: bool | None
    vcfse: bool | None

    @property
    def influenceable(self) -> bool:
        return self.kind is not Kind.PUBLIC_BODY


def classify(
    supplier: SupplierName,
    *,
    company_number: str = "",
    postcode: str = "",
    register: Register,
    facts: Mapping[object, SupplierFacts],
    area: LocalArea,
    districts: Mapping[str, tuple[str, ...]],
    nhs_names: frozenset[str] = frozenset(),
) -> LineClass:
    """Classify a ledger line by its supplier (`LedgerLine.supplier`, `.company_number`,
    `.supplier_postcode`): matched to the register, its facts are used (the register's postcode
    before the line's); unmatched, its kind is recognised from the name and its flags are not
    known. An individual is never placed (their address is not ours to keep)."""
    match = register.match(supplier, company_number)
    known = facts.get(match.key) if match.key is not None else None
    if known is not None:
        kind, sme, vcfse = known.kind, known.sme, known.vcfse
        where = known.postcode or postcode
    else:
        sme = vcfse = None
        where = postcode
        if looks_like_individual(supplier.name):
            kind = Kind.INDIVIDUAL
        elif public_body(supplier.name, nhs_names=nhs_names) is not None:
            kind = Kind.PUBLIC_BODY
        else:
            kind = Kind.ORGANISATION
    if kind is Kind.INDIVIDUAL:
        placement = Placement(Place.UNPLACED, reason="a payment to an individual")
    else:
        placement = place(where, area, districts)
    return LineClass(match=match, kind=kind, placement=placement, sme=sme, vcfse=vcfse)
