"""Starting an organisation from its ODS code: the shipped lists, `socialvalue org add`,
`org add-group`, the platform administrators' pages, and the kinds of organisation."""

import csv
from pathlib import Path

import pytest

from socialvalue.charters.models import Charter
from socialvalue.domain.ods import display_name, read_trusts
from socialvalue.organisations.models import Organisation, OrganisationKind
from tests.factories import OrganisationFactory, UserFactory

ODS = Path(__file__).resolve().parent.parent / "socialvalue" / "organisations" / "ods"


# The names, in pure Python -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("ods_name", "shown"),
    [
        (
            "LANCASHIRE TEACHING HOSPITALS NHS FOUNDATION TRUST",
            "Lancashire Teaching Hospitals NHS Foundation Trust",
        ),
        ("GUY'S AND ST THOMAS' NHS FOUNDATION TRUST", "Guy's and St Thomas' NHS Foundation Trust"),
        ("THE ROTHERHAM NHS FOUNDATION TRUST", "The Rotherham NHS Foundation Trust"),
        ("WYE VALLEY NHS TRUST", "Wye Valley NHS Trust"),
        (
            "HULL UNIVERSITY TEACHING HOSPITALS NHS TRUST",
            "Hull University Teaching Hospitals NHS Trust",
        ),
        ("STOKE-ON-TRENT CARE NHS TRUST", "Stoke-on-Trent Care NHS Trust"),
        # Already in mixed case (the ONS lists): left as written.
        (
            "NHS Leicester, Leicestershire and Rutland Integrated Care Board",
            "NHS Leicester, Leicestershire and Rutland Integrated Care Board",
        ),
    ],
)
def test_ods_names_read_in_title_case(ods_name, shown):
    assert display_name(ods_name) == shown


def test_a_closed_trust_keeps_its_closing_date():
    text = (
        "code,name,postcode,icb_code,opened_on,closed_on\n"
        "R0C,X NHS TRUST,E16 1XL,QMF,2020-03-01,2020-03-26\n"
    )
    (record,) = read_trusts(text)
    assert (record.code, record.name, record.closed_on.isoformat()) == (
        "R0C",
        "X NHS Trust",
        "2020-03-26",
    )


# The shipped lists --------------------------------------------------------------------------


def _rows(name):
    with (ODS / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_lists_ship_with_their_source_and_licence():
    readme = (ODS / "README.md").read_text()
    for name in ("trusts.csv", "icbs.csv", "local-authorities.csv"):
        assert f"`{name}`" in readme
    assert "Open Government Licence v3.0" in readme
    assert "Organisation Data Service" in readme and "Office for National Statistics" in readme


def test_every_open_trust_names_a_listed_icb_or_none():
    icbs = {row["code"] for row in _rows("icbs.csv")}
    trusts = _rows("trusts.csv")
    open_trusts = [t for t in trusts if not t["closed_on"]]
    assert len(trusts) == 273 and len(open_trusts) == 205 and len(icbs) == 42
    without = sorted(t["code"] for t in open_trusts if not t["icb_code"])
    assert without == ["RQF", "RT4", "RYT"]  # Welsh trusts: no English ICB
    assert {t["icb_code"] for t in open_trusts if t["icb_code"]} <= icbs


# socialvalue org add ------------------------------------------------------------------------


def test_org_add_creates_a_trust_with_its_name_postcode_and_icb(db, run_command):
    code, out, err = run_command("org", "add", "RXN")

    assert (code, err) == (0, "")
    rxn = Organisation.objects.get(code="RXN")
    assert (rxn.name, rxn.kind, rxn.postcode, rxn.parent) == (
        "Lancashire Teaching Hospitals NHS Foundation Trust",
        "trust",
        "PR2 9HT",
        None,
    )
    assert (rxn.icb.code, rxn.icb.name, rxn.icb.kind) == (
        "QE1",
        "NHS Lancashire and South Cumbria Integrated Care Board",
        "icb",
    )
    assert out.splitlines() == [
        "QE1: created NHS Lancashire and South Cumbria Integrated Care Board "
        "(Integrated care board)",
        "RXN: created Lancashire Teaching Hospitals NHS Foundation Trust "
        "(NHS trust, PR2 9HT, integrated care board QE1)",
    ]


def test_org_add_again_changes_nothing(db, run_command):
    run_command("org", "add", "RXN")
    Organisation.objects.filter(code="RXN").update(name="Lancashire Teaching Hospitals")

    code, out, _ = run_command("org", "add", "rxn")

    assert code == 0
    assert out.strip() == "RXN: already here (Lancashire Teaching Hospitals); nothing changed"
    assert Organisation.objects.count() == 2
    assert Organisation.objects.get(code="RXN").name == "Lancashire Teaching Hospitals"


def test_two_trusts_in_one_icb_share_it(db, run_command):
    code, _, _ = run_command(
        "org", "add", "RXN", "RTX"
    )  # RTX: University Hospitals of Morecambe Bay

    assert code == 0
    assert Organisation.objects.filter(kind="icb").count() == 1
    assert set(Organisation.objects.filter(kind="trust").values_list("icb__code", flat=True)) == {
        "QE1"
    }


def test_an_unknown_code_is_refused_by_name_and_nothing_is_created(db, run_command):
    code, out, err = run_command("org", "add", "RXN", "NOPE1")

    assert code == 1
    assert out == ""
    assert "NOPE1: no organisation with this code in the shipped lists" in err
    assert "RXN" not in err
    assert not Organisation.objects.exists()


def test_a_closed_trust_is_refused_with_its_closing_date(db, run_command):
    code, _, err = run_command("org", "add", "R0C")

    assert code == 1
    assert "R0C: Project Nightingale NHS Trust closed on 26 March 2020" in err
    assert not Organisation.objects.exists()


def test_org_add_knows_icbs_and_local_authorities(db, run_command):
    code, _, _ = run_command("org", "add", "QK1", "E07000117", "E10000017")

    assert code == 0
    assert dict(Organisation.objects.values_list("code", "kind")) == {
        "QK1": "icb",
        "E07000117": "local_authority",
        "E10000017": "local_authority",
    }
    assert Organisation.objects.get(code="E07000117").name == "Burnley"


# socialvalue org add-group ------------------------------------------------------------------


def test_add_group_creates_the_group_and_its_member_trusts(db, run_command):
    code, out, err = run_command(
        "org", "add-group", "lpt-nhft", "--name", "LPT and NHFT Group", "--members", "RT5", "RP1"
    )

    assert (code, err) == (0, "")
    group = Organisation.objects.get(code="LPT-NHFT")
    assert (group.kind, group.name, group.icb) == ("group", "LPT and NHFT Group", None)
    assert sorted(group.members.values_list("code", "icb__code")) == [
        ("RP1", "QPM"),
        ("RT5", "QK1"),
    ]
    assert (
        out.splitlines()[-1] == "LPT-NHFT: created group LPT and NHFT Group with members RP1, RT5"
    )


def test_add_group_again_adds_only_new_members(db, run_command):
    run_command("org", "add-group", "G1", "--name", "Group", "--members", "RT5", "RP1")

    code, out, _ = run_command(
        "org", "add-group", "G1", "--name", "Group", "--members", "RT5", "RP1"
    )
    assert (code, out.strip()) == (0, "G1: already here with members RP1, RT5; nothing changed")

    code, out, _ = run_command(
        "org", "add-group", "G1", "--name", "Group", "--members", "RT5", "RP1", "RNS"
    )
    assert code == 0
    assert out.splitlines()[-1] == "G1: already here; RNS joined (members RNS, RP1, RT5)"


def test_a_group_in_one_icb_takes_it(db, run_command):
    run_command("org", "add-group", "LSC", "--name", "Lancashire", "--members", "RXN", "RTX")
    assert Organisation.objects.get(code="LSC").icb.code == "QE1"


def test_add_group_refuses_every_bad_member_by_code_and_creates_nothing(db, run_command):
    OrganisationFactory(code="OTHER", name="Other group", kind="group")
    OrganisationFactory(
        code="RT5", name="Leicestershire Partnership", parent=Organisation.objects.get(code="OTHER")
    )

    code, _, err = run_command(
        "org", "add-group", "G2", "--name", "A group", "--members", "RT5", "QE1", "ZZZ9"
    )

    assert code == 1
    assert "RT5: already a member of the group OTHER (Other group)" in err
    assert "QE1: is an integrated care board, and a group's members are NHS trusts" in err
    assert "ZZZ9: no organisation with this code in the shipped lists" in err
    assert set(Organisation.objects.values_list("code", flat=True)) == {"OTHER", "RT5"}


def test_add_group_refuses_a_code_used_by_a_trust_and_a_group_of_one(db, run_command):
    run_command("org", "add", "RXN")

    code, _, err = run_command("org", "add-group", "RXN", "--name", "X", "--members", "RT5")

    assert code == 1
    assert (
        "RXN: already exists as an NHS trust "
        "(Lancashire Teaching Hospitals NHS Foundation Trust), not a group"
    ) in err
    assert "RXN: a group needs at least two member trusts" in err
    assert not Organisation.objects.filter(code="RT5").exists()


# The pages for platform administrators ------------------------------------------------------


def test_a_platform_administrator_adds_an_organisation_on_the_web(db, client):
    client.force_login(UserFactory(email="platform@example.org", is_superuser=True))

    page = client.get("/organisations/add/")
    assert page.status_code == 200 and "Add an organisation" in page.text

    response = client.post("/organisations/add/", {"codes": "rxn"}, follow=True)

    assert "Added Lancashire Teaching Hospitals NHS Foundation Trust (RXN)" in response.text
    assert Organisation.objects.get(code="RXN").icb.code == "QE1"


def test_the_web_page_names_an_unknown_code(db, client):
    client.force_login(UserFactory(email="platform@example.org", is_superuser=True))

    response = client.post("/organisations/add/", {"codes": "RXN NOPE1"})

    assert response.status_code == 400
    assert "NOPE1: no organisation with this code in the shipped lists" in response.text
    assert not Organisation.objects.exists()


def test_a_platform_administrator_adds_a_group_on_the_web(db, client):
    client.force_login(UserFactory(email="platform@example.org", is_superuser=True))

    response = client.post(
        "/organisations/add-group/",
        {"code": "LPT-NHFT", "name": "LPT and NHFT Group", "members": "RT5, RP1"},
        follow=True,
    )

    assert "Added the group LPT and NHFT Group (LPT-NHFT)" in response.text
    assert set(
        Organisation.objects.get(code="LPT-NHFT").members.values_list("code", flat=True)
    ) == {
        "RT5",
        "RP1",
    }


def test_only_platform_administrators_add_organisations(cast, client):
    client.force_login(cast["rxn_admin"])

    assert client.get("/organisations/add/").status_code == 403
    assert client.post("/organisations/add/", {"codes": "RTX"}).status_code == 403
    assert (
        client.post(
            "/organisations/add-group/", {"code": "G", "name": "G", "members": "RTX RNS"}
        ).status_code
        == 403
    )
    assert not Organisation.objects.filter(code__in=["RTX", "RNS", "G"]).exists()
    # The navigation offers it to platform administrators only.
    assert "Add an organisation" not in client.get("/").text


# More kinds of organisation publish charters (issue 11) -------------------------------------


def test_commissioning_support_units_local_authorities_and_partnerships_are_kinds():
    assert {k.value: k.label for k in OrganisationKind} == {
        "trust": "NHS trust",
        "group": "Group of trusts",
        "icb": "Integrated care board",
        "supplier": "Supplier",
        "csu": "Commissioning support unit",
        "local_authority": "Local authority",
        "partnership": "Cross-sector partnership or alliance",
    }


@pytest.mark.parametrize("kind", ["csu", "local_authority", "partnership"])
def test_each_new_kind_publishes_a_charter_from_a_file(db, run_command, tmp_path, kind):
    OrganisationFactory(code="ORG-1", name="An organisation", kind=kind)
    path = tmp_path / "charter.yaml"
    path.write_text(
        "format: socialvalue-charter/1\ncode: ORG-SV\ntitle: Our charter\norganisation: ORG-1\n"
        'periods: ["2024/25"]\nthemes:\n  - code: T\n    title: Theme\n    pledges:\n'
        "      - code: P\n        text: We will\n        indicators:\n"
        "          - code: I\n            title: Events\n            unit: events\n"
        "            frequency: annual\n            source: manual\n"
        "            target: {kind: count, value: 4}\n",
        encoding="utf-8",
    )

    code, _, err = run_command("charter", "load", str(path))

    assert (code, err) == (0, ""), err
    assert Charter.objects.get(code="ORG-SV").organisation.kind == kind
