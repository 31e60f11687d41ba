"""A corrected file replaces its earlier version; a confirmed layout is remembered.

Hand figures: `april.csv` has two April 2023 lines, 100.00 + 50.00 = 150.00; its corrected
version has 100.00 + 55.00 = 155.00. After both imports the figures count 155.00, not 305.00.
"""

import json
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from socialvalue.imports.models import Import, LedgerLayout, SpendGroup, State
from socialvalue.spend.services import spend_summary

FIRST = "Date,Supplier,Amount\n13/04/2023,Acme Ltd,100.00\n14/04/2023,Bolt Ltd,50.00\n"
CORRECTED = "Date,Supplier,Amount\n13/04/2023,Acme Ltd,100.00\n14/04/2023,Bolt Ltd,55.00\n"
MAY = "Date,Supplier,Amount\n13/05/2023,Acme Ltd,10.00\n"


def run(*args):
    out, err = StringIO(), StringIO()
    code = 0
    try:
        call_command("import", "spend", *map(str, args), stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def total(org) -> D:
    return sum((y.total for y in spend_summary(org).years), D(0))


def test_a_corrected_file_with_the_same_name_replaces_the_earlier_one(orgs, tmp_path):
    (tmp_path / "a").mkdir()
    run(write(tmp_path / "a", "april.csv", FIRST), "--org", "RXN")
    first = Import.objects.get()
    assert total(orgs["RXN"]) == D("150.00")
    (tmp_path / "b").mkdir()
    code, out, err = run(write(tmp_path / "b", "April.csv", CORRECTED), "--org", "RXN", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["replaced"] == [
        {
            "file": "april.csv",
            "import": first.pk,
            "by_file": "April.csv",
            "reason": "same file name, overlapping dates",
        }
    ]
    assert total(orgs["RXN"]) == D("155.00")
    # The earlier groups are kept (the file and its report stay checkable) but not counted.
    assert SpendGroup.objects.filter(import_record=first).count() == 2
    assert [g.amount for g in SpendGroup.objects.counted().order_by("supplier_name")] == [
        D("100.00"),
        D("55.00"),
    ]
    assert first.files.get().replaced_by_id == report["import"]


def test_the_same_name_with_other_dates_is_another_month_not_a_correction(orgs, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    run(write(tmp_path / "a", "spend.csv", FIRST), "--org", "RXN")
    code, out, _ = run(write(tmp_path / "b", "spend.csv", MAY), "--org", "RXN")
    assert code == 0 and "replaced" not in out
    assert total(orgs["RXN"]) == D("160.00")


def test_a_failed_correction_replaces_nothing(orgs, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    run(write(tmp_path / "a", "april.csv", FIRST), "--org", "RXN")
    code, _, _ = run(
        write(tmp_path / "b", "april.csv", CORRECTED + "15/04/2023,,1.00\n"), "--org", "RXN"
    )
    assert code == 1
    assert total(orgs["RXN"]) == D("150.00")


def test_the_person_may_say_which_import_a_file_corrects(orgs, tmp_path):
    run(write(tmp_path, "april.csv", FIRST), "--org", "RXN")
    first = Import.objects.get()
    code, out, err = run(
        write(tmp_path, "april-v2.csv", CORRECTED), "--org", "RXN", "--replaces", first.pk
    )
    assert code == 0, err
    assert f"april.csv of import {first.pk}: replaced by this import (chosen)" in out
    assert total(orgs["RXN"]) == D("155.00")
    # Another organisation's import, or a number that is no import, is refused before saving.
    with pytest.raises(CommandError, match="no finished spend import of RT5"):
        run(write(tmp_path, "x.csv", MAY), "--org", "RT5", "--replaces", first.pk)
    assert Import.objects.filter(organisation=orgs["RT5"]).count() == 0


def test_a_confirmed_layout_is_remembered_for_the_organisations_next_files(orgs, tmp_path):
    odd = "Paid On,Creditor,Gross\n13/04/2023,Acme Ltd,12.50\n"
    code, out, _ = run(write(tmp_path, "odd.csv", odd), "--org", "RXN")
    assert code == 1 and LedgerLayout.objects.count() == 0
    mapping = write(
        tmp_path,
        "mapping.json",
        json.dumps({"columns": {"date": "Paid On", "supplier": "Creditor", "amount": "Gross"}}),
    )
    code, out, err = run(write(tmp_path, "odd2.csv", odd), "--org", "RXN", "--mapping", mapping)
    assert code == 0, err
    layout = LedgerLayout.objects.get()
    assert layout.organisation == orgs["RXN"]
    assert layout.mapping["columns"]["supplier"] == "Creditor"
    # The next file in that layout goes in without a mapping, saying which layout it used.
    nxt = "Paid On,Creditor,Gross\n13/05/2023,Bolt Ltd,7.50\n"
    code, out, err = run(write(tmp_path, "odd3.csv", nxt), "--org", "RXN", "--json")
    assert code == 0, err
    assert json.loads(out)["files"][0]["layout"]["remembered_layout"] == layout.pk
    assert total(orgs["RXN"]) == D("20.00")
    # Another organisation has not confirmed it.
    code, _, _ = run(write(tmp_path, "odd4.csv", nxt), "--org", "RT5")
    assert code == 1
    assert Import.objects.filter(organisation=orgs["RT5"]).get().state == State.FAILED
