"""`socialvalue import suppliers FILE --org CODE [--dry-run] [--json] [--from-ledger]`.

Hand-worked: the supplier file below has three suppliers; the ledger has six lines, £10,000
+ £2,500 to Prime Care (two spellings, one with its ledger ID), £40,000 to King's College
London (company number in the name), £1,234.56 + £99.00 to two people, £5,000 to NHS Pensions.
"""

import json
import logging
from pathlib import Path

import openpyxl
import pytest

from socialvalue.domain.places import LocalArea as DomainArea
from socialvalue.domain.places import Place, place
from socialvalue.domain.suppliers import recognise_vcfse
from socialvalue.suppliers import lookups
from socialvalue.suppliers.models import LocalArea, Supplier
from socialvalue.suppliers.services import LocalAreaError, local_area_set
from tests.factories import OrganisationFactory

SUPPLIERS = (
    "Name,Aliases,Postcode,Company number,Charity number,SME,VCFSE\n"
    "Prime Care Solutions (Kingston) Ltd,PCS Kingston,KT1 2AB,,,yes,\n"
    "Denton Burn Community Association,,NE15 7HD,8591698,,,\n"
    "Lancashire County Council,,PR1 8XJ,,,no,no\n"
)
LEDGER_HEADER = (
    "Department Family,Entity,Date,Expense Type,Expense Area,Supplier,Transaction Number,"
    "Amount,Description\n"
)
LEDGER = LEDGER_HEADER + (
    "NHS,Trust,11/04/2020,Care,Care,UK0479435601 : Prime Care Solutions (Kingston) Ltd,1,"
    '"10,000.00",x\n'
    "NHS,Trust,12/04/2020,Care,Care,PRIME CARE SOLUTIONS (KINGSTON) LIMITED,2,2500,x\n"
    "NHS,Trust,13/04/2020,Education,Ed,KINGS COLLEGE LONDON:03529700,3,40000,x\n"
    "NHS,Trust,14/04/2020,Expenses,HR,Mr Zebedee Quargle,4,1234.56,x\n"
    "NHS,Trust,15/04/2020,Expenses,HR,REDACTED,5,99.00,x\n"
    "NHS,Trust,16/04/2020,Pensions,HR,NHS Pensions,6,5000,x\n"
)
PERSON = "Zebedee Quargle"


@pytest.fixture
def org(db):
    return OrganisationFactory(code="RXN", name="Lancashire Teaching Hospitals")


@pytest.fixture
def files(tmp_path):
    def _write(name, text):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return _write


def test_a_supplier_file_adds_suppliers_with_the_source_of_each_flag(org, files, run_command):
    path = files("suppliers.csv", SUPPLIERS)
    code, out, err = run_command("import", "suppliers", path, "--org", "RXN")
    assert code == 0, err
    assert out.splitlines()[0].endswith("added 3, updated 0")
    prime, denton, council = Supplier.objects.of(org).order_by("pk")
    assert (prime.sme, prime.sme_source) == (True, "from the supplier file suppliers.csv row 2")
    assert prime.aliases == ["PCS Kingston"] and prime.vcfse is None
    # Denton Burn: company 08591698 is charity 1000611 in the charity register lookup.
    assert (denton.company_number, denton.vcfse) == ("08591698", True)
    assert denton.vcfse_source == (
        "from the charitable company, company 08591698 is charity 1000611 (charity register lookup)"
    )
    assert (council.kind, council.public_body) == ("public body", "council")
    assert (council.vcfse, council.vcfse_source) == (
        False,
        "from the supplier file suppliers.csv row 4",
    )


def test_the_same_file_twice_adds_nothing(org, files, run_command):
    path = files("suppliers.csv", SUPPLIERS)
    run_command("import", "suppliers", path, "--org", "RXN")
    code, out, _ = run_command("import", "suppliers", path, "--org", "RXN", "--json")
    assert code == 0
    assert (json.loads(out)["created"], json.loads(out)["updated"]) == (0, 3)
    assert Supplier.objects.of(org).count() == 3


def test_an_xlsx_supplier_file(org, tmp_path, run_command):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Supplier list, RXN"])
    sheet.append([])
    sheet.append(["Supplier Name", "Company No", "VCFSE"])
    sheet.append(["Hyndburn Community Cafe CIC", None, None])
    sheet.append(["Acme Widgets Ltd", 3529701, "No"])  # a number cell, as Excel keeps it
    path = tmp_path / "suppliers.xlsx"
    book.save(path)
    code, _, err = run_command("import", "suppliers", str(path), "--org", "RXN")
    assert code == 0, err
    cafe, acme = Supplier.objects.of(org).order_by("pk")
    assert (cafe.vcfse, cafe.vcfse_source) == (
        True,
        "from the community interest company (from its name)",
    )
    assert (acme.company_number, acme.vcfse) == ("03529701", False)
    assert acme.vcfse_source == "from the supplier file suppliers.xlsx row 5"


def test_a_bad_row_refuses_the_whole_file(org, files, run_command):
    path = files("suppliers.csv", SUPPLIERS + "Acme Ltd,,NOWHERE,,,,\n")
    code, out, _ = run_command("import", "suppliers", path, "--org", "RXN", "--json")
    assert code == 1
    result = json.loads(out)
    assert result["ok"] is False and (result["rows"], result["rows_accepted"]) == (4, 3)
    assert [(p["row"], p["column"], p["message"]) for p in result["problems"]] == [
        (5, "Postcode", "'NOWHERE' is not a UK postcode")
    ]
    assert Supplier.objects.count() == 0


def test_dry_run_saves_nothing(org, files, run_command):
    path = files("suppliers.csv", SUPPLIERS)
    code, out, _ = run_command("import", "suppliers", path, "--org", "RXN", "--dry-run")
    assert code == 0
    assert "would add 3, would update 0" in out and "Dry run: nothing was saved." in out
    assert Supplier.objects.count() == 0


def test_unknown_organisation(db, files, run_command):
    code, _, err = run_command("import", "suppliers", files("s.csv", SUPPLIERS), "--org", "NOPE")
    assert code == 1 and "No organisation has the code 'NOPE'." in err


def test_ledgers_build_the_register_and_never_name_a_person(org, files, run_command, caplog):
    run_command("import", "suppliers", files("suppliers.csv", SUPPLIERS), "--org", "RXN")
    ledger = files("ledger.csv", LEDGER)
    caplog.set_level(logging.DEBUG)
    code, dry, err = run_command(
        "import", "suppliers", ledger, "--org", "RXN", "--from-ledger", "--dry-run", "--json"
    )
    assert code == 0, dry + err
    result = json.loads(dry)
    # Prime Care twice (by name, ID stripped); KCL, NHS Pensions new; two people.
    assert (result["lines"], result["lines_matched"], result["new_suppliers"]) == (6, 2, 2)
    assert result["lines_to_individuals"] == 2
    assert Supplier.objects.count() == 3
    code, out, err = run_command("import", "suppliers", ledger, "--org", "RXN", "--from-ledger")
    assert code == 0, err
    assert out.splitlines()[0] == (
        "6 ledger lines: 2 matched to the register; 2 new suppliers added, unconfirmed "
        "(2 lines); 2 lines paid to individuals (names withheld)"
    )
    added = {s.name: s for s in Supplier.objects.of(org).filter(confirmed=False)}
    kcl = added["KINGS COLLEGE LONDON"]
    assert (kcl.company_number, kcl.kind, kcl.source) == (
        "03529700",
        "organisation",
        "from the ledger ledger.csv",
    )
    assert (added["NHS Pensions"].kind, added["NHS Pensions"].public_body) == (
        "public body",
        "pension scheme",
    )
    everything = (
        dry + out + err + caplog.text + json.dumps(list(Supplier.objects.values()), default=str)
    )
    assert PERSON not in everything and "Quargle" not in everything
    assert Supplier.objects.count() == 5


def test_a_ledger_with_problems_adds_nothing(org, files, run_command):
    ledger = files("ledger.csv", LEDGER_HEADER + "NHS,Trust,31/02/2020,x,x,Acme,1,abc,x\n")
    code, out, err = run_command("import", "suppliers", ledger, "--org", "RXN", "--from-ledger")
    assert code == 1 and "nothing saved" in out
    assert "ledger.csv:" in err and "31/02/2020" in err
    assert Supplier.objects.count() == 0


# --- the shipped lookups and the local area -------------------------------------------------


def test_shipped_postcode_lookup_uses_current_codes():
    districts = lookups.postcode_districts()
    assert districts["BB5"] == ("E07000120", "E07000125")  # Hyndburn, Rossendale
    assert districts["CA1"] == ("E06000063",)  # Carlisle (E07000028) became Cumberland in 2023
    assert districts["NN17"] == ("E06000061",)  # Corby became North Northamptonshire in 2021
    assert len(districts) == 2951
    # 1,521 in the source; 36 of them lay across authorities merged since (Cumbria, North
    # Yorkshire, Somerset, Northamptonshire), so they now lie in one.
    assert sum(1 for a in districts.values() if len(a) > 1) == 1485


def test_shipped_vcfse_lookups():
    found = lookups.vcfse_lookups()
    assert len(found.charity_numbers) == 258056 and "220949" in found.charity_numbers
    assert found.company_charity["CE008706"] == "1169028"
    assert "IP10002R" in found.societies and "RS999999" not in found.societies
    # The real number as written is recognised through the lookup, not just by its prefix.
    assert recognise_vcfse(company_number="ip10002r", lookups=found).source == (
        "mutual society IP10002R (FCA mutuals register lookup)"
    )


def test_local_area_from_a_county_and_a_postcode_district(org):
    area = local_area_set(organisation=org, choices=["e10000017", "CA1"], by="Ann Lead")
    assert len(area.authorities) == 12 and "E07000120" in area.authorities  # Lancashire's 12
    assert area.postcode_districts == ["CA1"] and area.chosen == ["E10000017", "CA1"]
    domain = area.to_domain()
    districts = lookups.postcode_districts()
    # BB5 is Hyndburn and Rossendale, both Lancashire districts: local.
    assert place("BB5 1AB", domain, districts).place is Place.LOCAL
    # M1 is Manchester: not local. LA9 (Kendal, Westmorland and Furness): not local.
    assert place("M1 1AA", domain, districts).place is Place.NOT_LOCAL
    assert place("LA9 4DL", domain, districts).place is Place.NOT_LOCAL
    # Hyndburn alone: BB5 is partly local, so not counted as local.
    hyndburn = DomainArea(authorities=frozenset({"E07000120"}))
    assert place("BB5 1AB", hyndburn, districts).place is Place.PARTLY


def test_local_area_refuses_unknown_entries_and_keeps_the_old_one(org):
    local_area_set(organisation=org, choices=["E07000120"], by="Ann Lead")
    with pytest.raises(LocalAreaError) as error:
        local_area_set(organisation=org, choices=["E07000120", "Lancashire", "ZZ99"], by="x")
    assert error.value.problems == [
        "'Lancashire' is not a local authority code (such as E07000120) or a postcode "
        "district (such as BB5)",
        "'ZZ99' is not a local authority code (such as E07000120) or a postcode district "
        "(such as BB5)",
    ]
    assert LocalArea.objects.get(organisation=org).authorities == ["E07000120"]


def test_shipped_files_are_small():
    total = sum(p.stat().st_size for p in Path(lookups.DATA).iterdir())
    assert total < 600_000


def test_real_names_from_a_kings_college_hospital_ledger(org, files, run_command):
    """The committed KICO excerpt: 36 lines, 10 supplier names as written. By hand: ALLOCATE
    SOFTWARE LIMITED (15 lines) matches "Allocate Software Ltd" by name; AAH PHARMACEUTICALS
    LIMITED (1) by name and AAH PHARMACEUTICA KINGS COLL HOSP (1, with spaces around it) by
    alias: 17 lines matched. The other 7 names (19 lines) are new; ANTHONY NOLAN, a charity
    with a person's name, is not taken for a person."""
    register = files(
        "register.csv",
        "Name,Aliases\nAllocate Software Ltd,\n"
        "AAH Pharmaceuticals Ltd,AAH PHARMACEUTICA KINGS COLL HOSP\n",
    )
    run_command("import", "suppliers", register, "--org", "RXN")
    excerpt = str(Path(__file__).parent / "fixtures" / "kico-2020-06-spend-excerpt.csv")
    code, out, err = run_command(
        "import", "suppliers", excerpt, "--org", "RXN", "--from-ledger", "--json"
    )
    assert code == 0, err
    result = json.loads(out)
    assert (result["lines"], result["lines_matched"]) == (36, 17)
    assert (result["new_suppliers"], result["lines_to_new_suppliers"]) == (7, 19)
    assert result["lines_to_individuals"] == 0
    assert Supplier.objects.of(org).filter(normalised_name="anthony nolan").exists()
    assert Supplier.objects.of(org).filter(normalised_name="a and g pipework and welding").exists()


def test_sic_codes_come_from_the_supplier_file_and_a_bad_one_refuses_it(org, files, run_command):
    with_sic = (
        "Name,Postcode,SIC codes\n"
        "Prime Care Solutions (Kingston) Ltd,KT1 2AB,87300; 88100\n"
        "Denton Burn Community Association,NE15 7HD,94990 - Other membership organisations\n"
        "Lancashire County Council,PR1 8XJ,\n"
    )
    code, _, err = run_command("import", "suppliers", files("sic.csv", with_sic), "--org", "RXN")
    assert code == 0, err
    assert dict(Supplier.objects.values_list("name", "sic_codes")) == {
        "Prime Care Solutions (Kingston) Ltd": ["87300", "88100"],
        "Denton Burn Community Association": ["94990"],
        "Lancashire County Council": [],
    }
    bad = with_sic.replace("87300; 88100", "87300; care homes")
    code, out, _ = run_command(
        "import", "suppliers", files("bad.csv", bad), "--org", "RXN", "--json"
    )
    assert code == 1
    assert [(p["row"], p["column"], p["message"]) for p in json.loads(out)["problems"]] == [
        (
            2,
            "SIC codes",
            "not a UK SIC 2007 code (5 digits, like 86101; several separated by ;): 'care homes'",
        )
    ]
    assert Supplier.objects.get(name__startswith="Prime").sic_codes == ["87300", "88100"]
