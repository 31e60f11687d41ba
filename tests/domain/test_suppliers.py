"""Supplier names, identifiers, kinds, matching and placement, worked by hand.

Placement lookups here are hand-made: BB5 lies in Hyndburn (E07000120) and Rossendale
(E07000125), PR1 in Preston (E07000123) alone. The shipped lookup agrees (tested in
tests/test_suppliers_import.py).
"""

from decimal import Decimal

import pytest

from socialvalue.domain.ledger import clean_supplier
from socialvalue.domain.places import LocalArea, Place, place, postcode_district
from socialvalue.domain.supplier_files import read_suppliers
from socialvalue.domain.suppliers import (
    Kind,
    MatchMethod,
    PublicBody,
    Register,
    RegisterEntry,
    SupplierFacts,
    VcfseLookups,
    classify,
    looks_like_individual,
    normalise_charity_number,
    normalise_company_number,
    normalise_name,
    public_body,
    recognise_vcfse,
)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("UK0479435601 : Prime Care Solutions (Kingston) Ltd", "prime care solutions kingston"),
        ("KINGS COLLEGE LONDON:03529700", "kings college london"),
        ("King's College London", "kings college london"),
        ("The Kings Fund", "kings fund"),
        ("A & G PIPEWORK & WELDING", "a and g pipework and welding"),
        ("A and G Pipework and Welding Ltd.", "a and g pipework and welding"),
        ("AAH PHARMACEUTICALS LIMITED", "aah pharmaceuticals"),
        ("Baxter Healthcare L.T.D.", "baxter healthcare"),
        ("Acme plc", "acme"),
        ("Smith Partners LLP", "smith partners"),
        ("Café Société C.I.C.", "cafe societe"),
        ("Acme Widgets GB123456789", "acme widgets"),
        # "Limited" alone is a name, not a legal form to drop; "The" alone likewise.
        ("Limited", "limited"),
        ("The", "the"),
        ("", ""),
        ("  ", ""),
    ],
)
def test_normalise_name(raw, expected):
    assert normalise_name(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("03529700", "03529700"),
        ("3529700", "03529700"),
        ("sc 12345", "SC012345"),
        ("CE008706", "CE008706"),
        ("IP10002R", "IP10002R"),
        ("sp 2565rs", "SP2565RS"),
        ("SC12345R", ""),
        ("123456789", ""),
        ("00000000", ""),
        ("ABC", ""),
        ("", ""),
    ],
)
def test_normalise_company_number(raw, expected):
    assert normalise_company_number(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1169028", "1169028"),
        ("220949", "220949"),
        ("SC042853", "SC042853"),
        ("NIC100001", "NIC100001"),
        ("1001234-1", "1001234"),
        ("12345", ""),
        ("CH123", ""),
    ],
)
def test_normalise_charity_number(raw, expected):
    assert normalise_charity_number(raw) == expected


@pytest.mark.parametrize(
    "name",
    [
        "REDACTED",
        "Redacted - personal data",
        "Personal Information",
        "Individual",
        "Private Individual",
        "Name withheld",
        "Mr J Smith",
        "Mrs Ann Jones",
        "Dr Patel",
        "J Smith",
        "J. R. Smith",
        "SMITH, JOHN",
        "Smith, John A",
    ],
)
def test_payments_to_individuals_are_recognised(name):
    assert looks_like_individual(name)


@pytest.mark.parametrize(
    "name",
    [
        "UK0479435601 : Prime Care Solutions (Kingston) Ltd",
        "KINGS COLLEGE LONDON:03529700",
        "A & G PIPEWORK & WELDING",
        "Smith & Sons",
        "J Smith Ltd",
        "Dr Patel Surgery",
        "Hyndburn Borough Council",
        "AAH PHARMACEUTICALS LIMITED",
        "Barnardos",
        "",
    ],
)
def test_organisations_are_not_taken_for_individuals(name):
    assert not looks_like_individual(name)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("LANCASHIRE TEACHING HOSPITALS NHS FOUNDATION TRUST", PublicBody.NHS),
        ("NHS Lancashire and South Cumbria Integrated Care Board", PublicBody.NHS),
        ("NHS Barking & Dagenham CCG", PublicBody.NHS),
        ("Lancashire County Council", PublicBody.COUNCIL),
        ("London Borough of Croydon", PublicBody.COUNCIL),
        ("Blackburn with Darwen Borough Council", PublicBody.COUNCIL),
        ("HM Revenue & Customs", PublicBody.HMRC),
        ("HMRC", PublicBody.HMRC),
        ("NHS Pensions", PublicBody.PENSIONS),
        ("NHS Pension Scheme", PublicBody.PENSIONS),
        ("NHS Business Services Authority", PublicBody.PENSIONS),
        ("Lancashire County Pension Fund", PublicBody.PENSIONS),
        ("Department of Health and Social Care", PublicBody.GOVERNMENT),
        # Not public bodies:
        ("Hyndburn Leisure Trust", None),
        ("Council for Voluntary Service Ltd", None),
        ("Prime Care Solutions (Kingston) Ltd", None),
        ("KINGS COLLEGE LONDON:03529700", None),
    ],
)
def test_public_bodies(name, expected):
    assert public_body(name) == expected


def test_an_ods_name_is_an_nhs_body_whatever_its_wording():
    names = frozenset({normalise_name("KINGSTON HOSPITAL NHS FOUNDATION TRUST"), "nhs arden"})
    assert public_body("Kingston Hospital NHS Foundation Trust", nhs_names=names) is PublicBody.NHS
    assert public_body("NHS Arden", nhs_names=names) is PublicBody.NHS
    assert public_body("NHS Arden") is None


LOOKUPS = VcfseLookups(
    charity_numbers=frozenset({"1169028", "220949"}),
    company_charity={"08591698": "1000611", "CE008706": "1169028"},
    societies=frozenset({"IP10002R"}),
)


@pytest.mark.parametrize(
    "given, source",
    [
        ({"charity_number": "220949"}, "registered charity 220949 (charity register lookup)"),
        ({"charity_number": "SC042853"}, "registered charity SC042853 (charity register lookup)"),
        (
            {"company_number": "8591698"},
            "charitable company, company 08591698 is charity 1000611 (charity register lookup)",
        ),
        (
            {"company_number": "CE008706"},
            "charitable incorporated organisation, company CE008706 is charity 1169028 "
            "(charity register lookup)",
        ),
        (
            {"company_number": "CE999999"},
            "charitable incorporated organisation, company number CE999999",
        ),
        ({"company_number": "IP10002R"}, "mutual society IP10002R (FCA mutuals register lookup)"),
        ({"company_number": "RS007777"}, "registered society, company number RS007777"),
        ({"name": "Hyndburn Community Cafe CIC"}, "community interest company (from its name)"),
        ({"name": "Acme Community Interest Company"}, "community interest company (from its name)"),
        ({"name": "Acme C.I.C."}, "community interest company (from its name)"),
    ],
)
def test_vcfse_from_numbers(given, source):
    found = recognise_vcfse(lookups=LOOKUPS, **given)
    assert found is not None and found.vcfse and found.source == source


@pytest.mark.parametrize(
    "given",
    [
        {"charity_number": "999999"},  # well formed but not on the register copy
        {"company_number": "03529700"},  # an ordinary company
        {"name": "Circle Health"},
        {},
    ],
)
def test_no_vcfse_without_evidence(given):
    assert recognise_vcfse(lookups=LOOKUPS, **given) is None


REGISTER = Register(
    [
        RegisterEntry(1, "Prime Care Solutions (Kingston) Limited"),
        RegisterEntry(2, "King's College London", company_number="3529700"),
        RegisterEntry(3, "AAH Pharmaceuticals Ltd", aliases=("AAH PHARMACEUTICA KINGS COLL HOSP",)),
        RegisterEntry(4, "Acme Ltd"),
        RegisterEntry(5, "ACME LIMITED"),
    ]
)


@pytest.mark.parametrize(
    "ledger_name, company, key, method",
    [
        ("UK0479435601 : Prime Care Solutions (Kingston) Ltd", "", 1, MatchMethod.NAME),
        ("KINGS COLLEGE LONDON:03529700", "", 2, MatchMethod.COMPANY_NUMBER),
        # The company number wins over a name that would match nothing.
        ("KCL Trading", "03529700", 2, MatchMethod.COMPANY_NUMBER),
        ("KINGS COLLEGE LONDON", "", 2, MatchMethod.NAME),
        (" AAH PHARMACEUTICA KINGS COLL HOSP ", "", 3, MatchMethod.ALIAS),
        ("AAH PHARMACEUTICALS LIMITED", "", 3, MatchMethod.NAME),
        ("Prime Care Solutions", "", None, None),
        ("", "", None, None),
    ],
)
def test_matching(ledger_name, company, key, method):
    match = REGISTER.match(ledger_name, company)
    assert (match.key, match.method) == (key, method)


def test_two_suppliers_with_one_name_match_neither():
    match = REGISTER.match("Acme plc")
    assert match.key is None
    assert match.note == "2 suppliers in the register share the name 'acme'"


def test_empty_register_matches_nothing():
    assert Register([]).match("Acme Ltd", "03529700").key is None


# --- placement ------------------------------------------------------------------------------

DISTRICTS = {"BB5": ("E07000120", "E07000125"), "PR1": ("E07000123",)}


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("bb5 1ab", "BB5"),
        ("PR19HT", "PR1"),
        ("EC1A 1BB", "EC1A"),
        ("BB5", "BB5"),
        ("", ""),
        ("NOT A POSTCODE", ""),
        ("12345", ""),
    ],
)
def test_postcode_district(raw, expected):
    assert postcode_district(raw) == expected


def test_a_district_across_two_authorities_is_local_only_if_both_are():
    both = LocalArea(authorities=frozenset({"E07000120", "E07000125"}))
    one = LocalArea(authorities=frozenset({"E07000120"}))
    neither = LocalArea(authorities=frozenset({"E07000123"}))
    assert place("BB5 1AB", both, DISTRICTS).place is Place.LOCAL
    partly = place("BB5 1AB", one, DISTRICTS)
    assert partly.place is Place.PARTLY and partly.local is False
    assert partly.reason == "BB5 lies in E07000120, E07000125, of which only E07000120 is local"
    assert place("BB5 1AB", neither, DISTRICTS).place is Place.NOT_LOCAL
    assert place("PR1 9HT", neither, DISTRICTS).local is True


def test_postcode_districts_in_the_area_are_local_whatever_their_authorities():
    area = LocalArea(postcode_districts=frozenset({"BB5"}))
    assert place("BB5 1AB", area, DISTRICTS).local is True
    assert place("PR1 9HT", area, DISTRICTS).local is False


@pytest.mark.parametrize(
    "postcode, area, reason",
    [
        ("BB5 1AB", LocalArea(), "no local area is defined"),
        ("", LocalArea(authorities=frozenset({"E07000123"})), "no postcode"),
        ("Lancs", LocalArea(authorities=frozenset({"E07000123"})), "'Lancs' is not a UK postcode"),
        (
            "ZZ9 9ZZ",
            LocalArea(authorities=frozenset({"E07000123"})),
            "ZZ9 is not in the postcode lookup",
        ),
    ],
)
def test_unplaced_postcodes_say_why(postcode, area, reason):
    placement = place(postcode, area, DISTRICTS)
    assert placement.place is Place.UNPLACED and placement.local is None
    assert placement.reason == reason


# --- the supplier file ----------------------------------------------------------------------


def test_supplier_file_reads_every_column(tmp_path):
    path = tmp_path / "suppliers.csv"
    path.write_text(
        "Suppliers of RXN, December 2026\n\n"
        "Supplier name,Aliases,Postcode,Company number,Charity number,SME,VCFSE,Kind\n"
        "Prime Care Solutions (Kingston) Ltd,Prime Care; PCS Kingston,kt1 2ab,3529701,,yes,,\n"
        "Hyndburn Community Cafe CIC,,bb5 1ab,,,Y,y,\n"
        "John Lewis plc,,,,,no,no,organisation\n",
        encoding="utf-8",
    )
    reading = read_suppliers(path)
    assert reading.ok and reading.rows_read == 3
    first = reading.rows[0]
    assert (first.row, first.name, first.aliases, first.postcode, first.company_number) == (
        4,
        "Prime Care Solutions (Kingston) Ltd",
        ("Prime Care", "PCS Kingston"),
        "KT1 2AB",
        "03529701",
    )
    assert (first.sme, first.vcfse) == (True, None)
    assert [r.vcfse for r in reading.rows] == [None, True, False]


def test_supplier_file_problems_name_row_and_column_and_nothing_is_kept(tmp_path):
    path = tmp_path / "suppliers.csv"
    path.write_text(
        "Name,Postcode,Company number,Charity number,SME\n"
        "Acme Ltd,NOWHERE,123456789,CH1,maybe\n"
        "ACME LIMITED,,,,\n"
        ",,,,\n"
        "Mr J Smith,,,,\n"
        "Good Supplier Ltd,PR1 9HT,,,\n",
        encoding="utf-8",
    )
    reading = read_suppliers(path, name="suppliers.csv")
    assert not reading.ok and reading.rows == ()
    assert [str(p) for p in reading.problems] == [
        "suppliers.csv:2: Postcode: 'NOWHERE' is not a UK postcode",
        "suppliers.csv:2: Company number: '123456789' is not a company number (8 digits, or 2 "
        "letters and 6 digits)",
        "suppliers.csv:2: Charity number: 'CH1' is not a charity number (6 or 7 digits, SC and "
        "6 digits, or NIC and digits)",
        "suppliers.csv:2: SME: 'maybe' is not yes, no or blank",
        "suppliers.csv:3: Name: the same supplier as row 2 (names compared without case, "
        "punctuation and Ltd/Limited)",
        "suppliers.csv:5: Name: this looks like a person's name, and the register keeps no "
        "people's names; if it is a business, write 'organisation' in the kind column",
    ]
    assert "Smith" not in " ".join(str(p) for p in reading.problems)


def test_supplier_file_without_a_name_column(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("Postcode,SME\nPR1 9HT,yes\n", encoding="utf-8")
    reading = read_suppliers(path, name="s.csv")
    assert [str(p) for p in reading.problems] == ["s.csv: no header row naming the columns 'name'"]


def test_supplier_file_with_a_header_and_no_rows(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("Name,Postcode\n", encoding="utf-8")
    reading = read_suppliers(path, name="s.csv")
    assert [p.message for p in reading.problems] == [
        "the file has no suppliers under its header row"
    ]
    assert Decimal(0) == 0  # nothing summed here


# --- classifying lines ----------------------------------------------------------------------


def test_classify_lines_by_register_recognition_and_place():
    register = Register(
        [
            RegisterEntry("prime", "Prime Care Solutions (Kingston) Ltd"),
            RegisterEntry("cafe", "Hyndburn Community Cafe CIC", company_number="12345678"),
        ]
    )
    facts = {
        "prime": SupplierFacts(postcode="KT1 2AB", sme=True),
        "cafe": SupplierFacts(postcode="BB5 1AB", sme=True, vcfse=True),
    }
    area = LocalArea(authorities=frozenset({"E07000120", "E07000125"}))
    districts = {**DISTRICTS, "KT1": ("E07000999",)}

    def run(name, company="", postcode=""):
        return classify(
            clean_supplier(name),
            company_number=company,
            postcode=postcode,
            register=register,
            facts=facts,
            area=area,
            districts=districts,
        )

    prime = run("UK0479435601 : Prime Care Solutions (Kingston) Ltd", postcode="BB5 1AB")
    # The register's postcode wins over the line's.
    assert (prime.match.key, prime.placement.place, prime.sme, prime.vcfse) == (
        "prime",
        Place.NOT_LOCAL,
        True,
        None,
    )
    cafe = run("HCC", company="12345678")
    assert (cafe.match.key, cafe.placement.local, cafe.vcfse, cafe.influenceable) == (
        "cafe",
        True,
        True,
        True,
    )
    pensions = run("NHS Pensions", postcode="BB5 1AB")
    assert (pensions.kind, pensions.influenceable, pensions.placement.local) == (
        Kind.PUBLIC_BODY,
        False,
        True,
    )
    person = run("Mr J Smith", postcode="BB5 1AB")
    assert (person.kind, person.influenceable, person.placement.local) == (
        Kind.INDIVIDUAL,
        True,
        None,
    )
    stranger = run("Unknown Supplies Ltd")
    assert (stranger.match.key, stranger.placement.reason, stranger.sme) == (
        None,
        "no postcode",
        None,
    )
