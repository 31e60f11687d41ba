"""`socialvalue import spend FILE... --org CODE --dry-run [--json]`, through call_command.

The KICO excerpt (tests/fixtures) has 36 payment lines summing to £3,288,104.36, worked out
with a plain csv loop over its Amount column; dates run from 01-Apr-20 to 28-Jun-20.
"""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.factories import OrganisationFactory

EXCERPT = Path(__file__).parent / "fixtures" / "kico-2020-06-spend-excerpt.csv"


def run(*args):
    out, err = StringIO(), StringIO()
    code = 0
    try:
        call_command("import", "spend", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def org(db):
    return OrganisationFactory(code="RJZ", name="King's College Hospital")


def test_dry_run_reports_layout_rows_dates_total_and_saves_nothing(org, django_assert_num_queries):
    with django_assert_num_queries(1):  # the organisation check, and nothing else
        code, out, err = run(str(EXCERPT), "--org", "RJZ", "--dry-run")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == (
        f"{EXCERPT}: 36 rows, total £3,288,104.36, 2020-04-01 to 2020-06-28; credits: 0 rows, £0.00"
    )
    assert "body ← B (Entuty)" in lines[1]
    assert "date ← E (Date)" in lines[1] and "amount ← J (Amount)" in lines[1]
    assert lines[-1] == "Dry run: nothing was saved."


def test_dry_run_json_is_one_object_with_the_agreed_keys(org, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Date,Supplier,Amount\n"
        "30/04/2020,Acme,£10.00\n"
        "31/04/2020,Beta,12\n"
        ",,\n"
        "01/04/2020,Gamma,(2.50)\n",
        encoding="cp1252",
    )
    code, out, _ = run(str(EXCERPT), str(bad), "--org", "RJZ", "--dry-run", "--json")
    assert code == 1
    data = json.loads(out)
    assert {
        "files",
        "rows",
        "rows_accepted",
        "rows_rejected",
        "total_amount",
        "earliest",
        "latest",
        "problems",
    } <= set(data)
    assert (data["rows"], data["rows_accepted"], data["rows_rejected"]) == (39, 36, 1)
    # Only the clean file counts: all or nothing.
    assert data["total_amount"] == "3288104.36"
    assert (data["earliest"], data["latest"]) == ("2020-04-01", "2020-06-28")
    assert data["problems"] == [
        {
            "file": str(bad),
            "sheet": None,
            "row": 3,
            "column": "A (Date)",
            "message": "'31/04/2020' is not a real date",
        }
    ]
    kico, refused = data["files"]
    assert kico["layout"]["columns"]["body"] == "B (Entuty)"
    assert kico["layout"]["ignored_headers"] == ["Financial Year", "Financial Period"]
    assert kico["layout"]["unmapped_headers"] == []
    assert kico["rows_skipped"] == {}
    assert refused["ok"] is False and refused["rows_accepted"] == 0
    assert refused["rows_skipped"] == {"blank": 1}
    assert refused["layout"]["date_order"] == "day-first"


def test_credits_and_skipped_rows_are_reported(org, tmp_path):
    path = tmp_path / "april.csv"
    path.write_text(
        "Spend over £25,000,,\n"
        "Date,Supplier,Amount\n"
        "30/04/2020,Acme,£100.00\n"
        "\n"
        "01/04/2020,Beta,100.00 CR\n"
        ",,£0.00\n",
        encoding="utf-8-sig",
    )
    code, out, err = run(str(path), "--org", "RJZ", "--dry-run")
    assert code == 0, err
    assert f"{path}: 2 rows, total £0.00, 2020-04-01 to 2020-04-30; credits: 1 row, −£100.00" in out
    assert "skipped rows: 1 banner above the header row, 1 blank, 1 footer total" in out


def test_problems_go_to_stderr_with_file_row_and_column(org, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("Date,Supplier,Amount\n30/04/2020,Acme,ten\n", encoding="utf-8")
    code, out, err = run(str(path), "--org", "RJZ", "--dry-run")
    assert code == 1
    assert "refused, 1 problem (1 row read, 1 with problems)" in out
    assert f"{path}:2:C (Amount): 'ten' is not an amount of money" in err


def test_a_mapping_file_reads_an_unknown_layout(org, tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_text("Trust,01/04/2020,Acme,100.00\nTrust,02/04/2020,Beta,200.00\n")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps(
            {
                "columns": {"date": "B", "supplier": "C", "amount": "D"},
                "has_header": False,
                "date_order": "day-first",
            }
        )
    )
    code, out, _ = run(str(path), "--org", "RJZ", "--dry-run", "--json")
    assert code == 1
    assert "no header row found" in json.loads(out)["problems"][0]["message"]
    code, out, err = run(str(path), "--org", "RJZ", "--dry-run", "--mapping", str(mapping))
    assert code == 0, err
    assert "2 rows, total £300.00" in out
    assert "no header row (columns from the mapping)" in out
    code, out, _ = run(str(path), "--org", "RJZ", "--dry-run", "--json", "--mapping", str(mapping))
    layout = json.loads(out)["files"][0]["layout"]
    assert (code, layout["from_mapping"], layout["header_row"]) == (0, True, None)
    assert layout["columns"] == {
        "date": "B (date)",
        "supplier": "C (supplier)",
        "amount": "D (amount)",
    }


def test_unknown_organisation_is_refused(db):
    with pytest.raises(CommandError, match="No organisation has the code 'NOPE'"):
        run(str(EXCERPT), "--org", "NOPE", "--dry-run")


def test_saving_with_a_mapping_reads_a_file_without_a_header(org, tmp_path):
    # Remembering the mapping is covered in tests/test_spend_corrections.py.
    ledger = tmp_path / "noheader.csv"
    ledger.write_text("13/04/2023,Acme Ltd,12.50\n14/04/2023,Bolt Ltd,7.25\n")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        '{"columns": {"date": "A", "supplier": "B", "amount": "C"}, "has_header": false}'
    )
    code, out, err = run(str(ledger), "--org", "RJZ", "--mapping", str(mapping), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert (report["state"], report["rows_accepted"], report["total_amount"]) == (
        "done",
        2,
        "19.75",
    )


def test_a_bad_mapping_file_is_refused(org, tmp_path):
    mapping = tmp_path / "mapping.json"
    mapping.write_text('{"columns": {"colour": "A"}}')
    with pytest.raises(CommandError, match="not a column mapping"):
        run(str(EXCERPT), "--org", "RJZ", "--dry-run", "--mapping", str(mapping))


def test_every_header_alias_and_field_is_documented():
    from socialvalue.domain.ledger.fields import ALIASES, IGNORED

    text = (Path(__file__).parent.parent / "docs" / "spend-files.md").read_text()
    for field, names in ALIASES.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{field.value}` |"))
        assert [n for n in names if f"`{n}`" not in row] == [], field
    assert [n for n in IGNORED if f"`{n}`" not in text] == []
