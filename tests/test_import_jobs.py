"""Saving spend imports: the import record, its files, line groups, report and background task.

Hand figures: the KICO excerpt (tests/fixtures) has 36 payment lines summing to
£3,288,104.36 (a plain csv loop over its Amount column, see tests/test_import_cli.py), dated
1 April 2020 to 28 June 2020. From the shared data set, Hyndburn's 1701.csv has 180 lines
summing to £538,272.19 and November-23-csv.csv is refused at row 151 (no supplier)
(tests/test_spend_files.py).
"""

import csv
import hashlib
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Sum

from socialvalue.imports.forms import content_problem
from socialvalue.imports.models import ExpenseTypeTotal, Import, ImportFile, SpendGroup, State
from socialvalue.imports.services import Upload, import_create, import_run
from tests.conftest import SHARED_DATA

EXCERPT = Path(__file__).parent / "fixtures" / "kico-2020-06-spend-excerpt.csv"
EXCERPT_TOTAL = Decimal("3288104.36")
SPEND = SHARED_DATA / "spend"
needs_shared_data = pytest.mark.skipif(
    not SPEND.is_dir(), reason=f"the shared public data set is not at {SPEND}"
)


def run(*args):
    out, err = StringIO(), StringIO()
    code = 0
    try:
        call_command("import", "spend", *map(str, args), stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def saved_total(**filters) -> Decimal:
    """The sum of the counted groups' amounts (kept as exact text: summed here)."""
    return sum((g.amount for g in SpendGroup.objects.counted().filter(**filters)), Decimal(0))


def lines_saved(**filters) -> int:
    """The lines in the saved groups, counted or not."""
    return SpendGroup.objects.filter(**filters).aggregate(n=Sum("lines"))["n"] or 0


def row_numbers(ranges: str) -> list[int]:
    """ "2–4, 9" as [2, 3, 4, 9]."""
    rows = []
    for part in ranges.split(", "):
        first, _, last = part.partition("–")
        rows.extend(range(int(first), int(last or first) + 1))
    return rows


def excerpt_import(organisation) -> Import:
    """An import of the KICO excerpt, created as the command line creates it, not yet run."""
    with EXCERPT.open("rb") as handle:
        return import_create(
            organisation=organisation,
            kind="spend",
            uploads=[Upload(EXCERPT.name, handle)],
            via="cli",
        )


def test_the_cli_saves_every_line_with_its_source_and_keeps_the_file(orgs):
    code, out, err = run(EXCERPT, "--org", "RXN")
    assert code == 0, err
    record = Import.objects.get()
    assert record.state == State.DONE and record.via == "cli" and record.created_by is None
    assert record.organisation == orgs["RXN"]
    assert (record.rows_done, record.rows_total) == (36, 36)
    assert lines_saved() == 36
    assert saved_total() == EXCERPT_TOTAL
    assert record.report["total_amount"] == "3288104.36"
    assert (record.report["earliest"], record.report["latest"]) == ("2020-04-01", "2020-06-28")
    # Progress goes to stderr as rows are processed; the report to stdout.
    assert "Checking: 36 of about 36 rows read" in err and "Saving: 36 of 36 rows" in err
    assert f"Import {record.pk}: done, 36 lines saved, total £3,288,104.36." in out
    # The original file is kept as it came, with its SHA-256.
    kept = record.files.get()
    content = EXCERPT.read_bytes()
    assert kept.name == EXCERPT.name and kept.size == len(content)
    assert kept.sha256 == hashlib.sha256(content).hexdigest()
    with kept.stored.open("rb") as handle:
        assert handle.read() == content
    # The file's dates, lines and total are kept with it.
    assert (str(kept.first_date), str(kept.last_date)) == ("2020-04-01", "2020-06-28")
    assert (kept.lines, kept.total) == (36, EXCERPT_TOTAL)
    # Each group says where its lines came from; the file's first data row is row 2, the only
    # payment to A & G Pipework in May 2020.
    first = SpendGroup.objects.get(supplier_name="A & G PIPEWORK & WELDING")
    assert first.source_file == kept and first.import_record == record and first.sheet == ""
    assert (str(first.month), first.rows, first.lines) == ("2020-05-01", "2", 1)
    assert first.amount == Decimal("28300.51")
    # Spend by expense type is kept per file and month.
    expenses = ExpenseTypeTotal.objects.filter(source_file=kept)
    assert sum(e.lines for e in expenses) == 36
    assert sum((e.amount for e in expenses), Decimal(0)) == EXCERPT_TOTAL
    construction = expenses.get(expense_type="Assets Under Construction")
    assert (str(construction.month), construction.lines) == ("2020-05-01", 1)
    assert construction.amount == Decimal("28300.51")


def test_the_same_file_twice_adds_nothing_and_says_so(orgs):
    run(EXCERPT, "--org", "RXN")
    first = Import.objects.get()
    code, out, _ = run(EXCERPT, "--org", "RXN", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["state"] == "done" and report["rows_accepted"] == 0
    assert report["already_imported"] == [
        {"file": EXCERPT.name, "sha256": first.files.get().sha256, "import": first.pk}
    ]
    assert lines_saved() == 36 and saved_total() == EXCERPT_TOTAL
    second = Import.objects.exclude(pk=first.pk).get()
    assert second.files.get().duplicate_of == first
    # Another organisation importing the same file is not a duplicate.
    run(EXCERPT, "--org", "RT5")
    assert lines_saved(organisation=orgs["RT5"]) == 36


def test_the_same_file_twice_in_one_import_counts_once(orgs):
    code, out, _ = run(EXCERPT, EXCERPT, "--org", "RXN")
    assert code == 0
    assert lines_saved() == 36
    assert "already imported in import" in out


def test_a_file_with_a_problem_saves_nothing_from_any_file(orgs, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Date,Supplier,Amount\n30/04/2020,Acme Ltd,12.00\n01/05/2020,,5.00\n")
    code, out, err = run(EXCERPT, bad, "--org", "RXN")
    assert code == 1
    record = Import.objects.get()
    assert record.state == State.FAILED
    assert not SpendGroup.objects.exists() and not ExpenseTypeTotal.objects.exists()
    assert record.report["problems"] == [
        {
            "file": "bad.csv",
            "sheet": None,
            "row": 3,
            "column": "B (Supplier)",
            "message": "the supplier is empty",
        }
    ]
    assert "bad.csv:3:B (Supplier): the supplier is empty" in err
    assert f"Import {record.pk}: failed; nothing was saved." in out
    # A failed import's files do not block a corrected upload of the same good file.
    assert run(EXCERPT, "--org", "RXN")[0] == 0
    assert saved_total() == EXCERPT_TOTAL


def test_an_amount_finer_than_the_store_is_refused_not_rounded(orgs, tmp_path):
    fine = tmp_path / "fine.csv"
    fine.write_text(
        "Date,Supplier,Amount\n30/04/2020,Acme Ltd,12.00\n30/04/2020,Bcme,0.123456789\n"
    )
    code, _, _ = run(fine, "--org", "RXN")
    assert code == 1
    record = Import.objects.get()
    assert record.state == State.FAILED and not SpendGroup.objects.exists()
    assert record.report["problems"][-1]["row"] == 3
    assert "more than 8 decimal places" in record.report["problems"][-1]["message"]


def test_an_amount_larger_than_the_groups_hold_is_refused(orgs, tmp_path):
    # At most 16 digits before the point, as the lines' own column held before (ADR 030).
    large = tmp_path / "large.csv"
    large.write_text(
        "Date,Supplier,Amount\n30/04/2020,Acme Ltd,9999999999999999.99\n"
        "30/04/2020,Bcme,10000000000000000\n"
    )
    code, _, _ = run(large, "--org", "RXN")
    assert code == 1
    record = Import.objects.get()
    assert record.state == State.FAILED and not SpendGroup.objects.exists()
    assert record.report["problems"][-1]["row"] == 3
    assert record.report["problems"][-1]["message"] == (
        "10000000000000000 has more than 16 digits before the point"
    )


def _import_watching_groups(organisation, paths, monkeypatch):
    """Run an import of PATHS read in batches of 5 lines; return it and, at each progress
    report, (its lines read so far, the lines in its saved groups so far)."""
    from socialvalue.imports import services

    monkeypatch.setattr(services, "BATCH", 5)
    handles = [path.open("rb") for path in paths]
    try:
        record = import_create(
            organisation=organisation,
            kind="spend",
            uploads=[
                Upload(path.name, handle) for path, handle in zip(paths, handles, strict=True)
            ],
            via="cli",
        )
    finally:
        for handle in handles:
            handle.close()
    seen = []

    def watch(running):
        seen.append((running.rows_done, lines_saved(import_record=running)))

    return import_run(import_id=record.pk, on_progress=watch), seen


def test_a_failing_import_saves_nothing_and_reports_every_problem(orgs, tmp_path, monkeypatch):
    # One pass: the excerpt's 36 lines are read and checked in batches of 5 before the second
    # file's problem is found; nothing is written until every file is read (ADR 030).
    bad = tmp_path / "bad.csv"
    good_rows = "".join(f"1{d}/05/2020,Acme Ltd,1{d}.00\n" for d in range(1, 8))
    bad.write_text("Date,Supplier,Amount\n" + good_rows + "18/05/2020,,5.00\n19/05/2020,B,x\n")
    record, seen = _import_watching_groups(orgs["RXN"], [EXCERPT, bad], monkeypatch)
    assert record.state == State.FAILED
    assert max(read for read, _ in seen) >= 36  # read in batches, with progress
    assert all(saved == 0 for _, saved in seen)
    assert not SpendGroup.objects.exists() and not ExpenseTypeTotal.objects.exists()
    assert ImportFile.objects.filter(lines__gt=0).count() == 0
    # Reading went on after the first problem, so both problems are reported with their rows.
    assert [(p["file"], p["row"], p["column"]) for p in record.report["problems"]] == [
        ("bad.csv", 9, "B (Supplier)"),
        ("bad.csv", 10, "C (Amount)"),
    ]
    assert record.report["rows"] == 36 + 9 and record.report["rows_accepted"] == 36
    assert record.report["total_amount"] == "3288104.36"  # the accepted file's total only


def test_an_amount_finer_than_the_store_found_mid_file_saves_nothing(orgs, tmp_path, monkeypatch):
    fine = tmp_path / "fine.csv"
    rows = "".join(f"1{d}/05/2020,Acme Ltd,1{d}.00\n" for d in range(1, 8))
    fine.write_text("Date,Supplier,Amount\n" + rows + "18/05/2020,Bcme,0.123456789\n")
    record, seen = _import_watching_groups(orgs["RXN"], [fine], monkeypatch)
    assert record.state == State.FAILED
    assert all(saved == 0 for _, saved in seen) and not SpendGroup.objects.exists()
    assert record.report["problems"][-1]["row"] == 9


def test_a_good_import_read_in_batches_counts_every_line_once_done(orgs, monkeypatch):
    record, seen = _import_watching_groups(orgs["RXN"], [EXCERPT], monkeypatch)
    assert record.state == State.DONE
    # Read by columns: every row is read before the first batch; a progress report per batch.
    assert [read for read, _ in seen][:2] == [0, 36] and len(seen) >= 1 + 36 // 5
    # The groups are written in the transaction that marks the import done.
    assert all(saved == 0 for _, saved in seen)
    assert lines_saved() == 36 and saved_total() == EXCERPT_TOTAL
    assert (record.rows_done, record.rows_total) == (36, 36)


def test_an_import_that_stops_while_saving_keeps_nothing(orgs, monkeypatch):
    # The groups are written in the transaction that marks the import done: a failure there
    # takes them back with it, the file's dates and totals too.
    from socialvalue.imports import services

    def boom(record):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "_replace_earlier", boom)
    record = import_run(import_id=excerpt_import(orgs["RXN"]).pk)
    assert record.state == State.FAILED
    assert record.report["problems"][-1]["message"] == "the import stopped: the disk is full"
    assert not SpendGroup.objects.exists() and not ExpenseTypeTotal.objects.exists()
    kept = ImportFile.objects.get()
    assert (kept.first_date, kept.lines, kept.total) == (None, 0, None)


def test_running_an_import_twice_changes_nothing(orgs):
    record = excerpt_import(orgs["RXN"])
    import_run(import_id=record.pk)
    again = import_run(import_id=record.pk)
    assert again.state == State.DONE and lines_saved() == 36


@needs_shared_data
def test_a_real_file_saves_lines_summing_to_the_dry_run_total(orgs):
    path = SPEND / "hyndburn-council" / "1701.csv"
    code, out, _ = run(path, "--org", "RXN", "--dry-run", "--json")
    assert code == 0
    dry = json.loads(out)
    assert (dry["rows"], dry["total_amount"]) == (180, "538272.19")
    assert not SpendGroup.objects.exists() and Import.objects.count() == 0
    code, _, _ = run(path, "--org", "RXN")
    assert code == 0
    assert lines_saved() == 180
    assert saved_total() == Decimal(dry["total_amount"])
    # Every payment row of the file is in exactly one group.
    rows = [r for g in SpendGroup.objects.all() for r in row_numbers(g.rows)]
    assert len(rows) == len(set(rows)) == 180


@needs_shared_data
def test_a_refused_real_file_saves_nothing(orgs):
    good = SPEND / "hyndburn-council" / "1701.csv"
    refused = SPEND / "hyndburn-council" / "November-23-csv.csv"
    code, _, err = run(good, refused, "--org", "RXN")
    assert code == 1
    assert "November-23-csv.csv:151:E (Name): the supplier is empty" in err
    assert not SpendGroup.objects.exists()
    assert Import.objects.get().state == State.FAILED


# The web app --------------------------------------------------------------------------


def upload(client, *files, org="RXN"):
    return client.post(
        "/imports/spend/",
        {"organisation": org, "files": list(files)},
    )


def excerpt_upload(name=EXCERPT.name):
    return SimpleUploadedFile(name, EXCERPT.read_bytes(), content_type="text/csv")


def test_upload_runs_the_task_and_shows_the_report(cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    page = client.get("/imports/spend/")
    assert 'name="files"' in page.content.decode() and "multiple" in page.content.decode()
    response = upload(client, excerpt_upload())
    record = Import.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{record.pk}/"
    assert record.state == State.DONE and record.via == "web"
    assert record.created_by == cast["rxn_lead"]
    assert saved_total() == EXCERPT_TOTAL
    html = client.get(response["Location"]).content.decode()
    assert "36 payment lines were saved" in html
    assert "£3,288,104.36" in html and "1 April 2020 to 28 June 2020" in html
    assert 'http-equiv="refresh"' not in html and "<progress" not in html


def test_a_refused_upload_lists_problems_with_file_row_and_column(cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    bad = SimpleUploadedFile("bad.csv", b"Date,Supplier,Amount\n30/04/2020,Acme,twelve\n")
    response = upload(client, excerpt_upload(), bad)
    html = client.get(response["Location"]).content.decode()
    assert not SpendGroup.objects.exists()
    assert "Nothing was saved" in html
    assert "bad.csv, row 2, column C (Amount)" in html
    assert "&#39;twelve&#39; is not an amount of money" in html


def test_a_running_import_shows_progress_and_refreshes_itself(cast, sign_in, orgs):
    record = excerpt_import(orgs["RXN"])
    Import.objects.filter(pk=record.pk).update(
        state=State.RUNNING, phase="saving", rows_done=2000, rows_total=8000
    )
    html = sign_in(cast["rxn_lead"]).get(f"/imports/{record.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert '<progress id="import-progress" class="sv-progress" max="8000" value="2000">' in html
    assert "Saving: 2,000 of 8,000 rows" in html
    # People can turn the reloading off (WCAG 2.2.1) and still see the progress.
    html = sign_in(cast["rxn_lead"]).get(f"/imports/{record.pk}/?updates=off").content.decode()
    assert 'http-equiv="refresh"' not in html and 'value="2000"' in html


def test_wrong_types_and_sizes_are_refused_before_anything_is_kept(cast, sign_in, settings):
    client = sign_in(cast["rxn_lead"])
    pdf = SimpleUploadedFile("ledger.csv", b"%PDF-1.7\n" + b"x" * 100)
    response = upload(client, pdf)
    assert response.status_code == 400
    assert "ledger.csv is a PDF file, not a CSV file" in response.content.decode()
    response = upload(client, SimpleUploadedFile("ledger.txt", b"Date,Supplier,Amount\n"))
    assert "ledger.txt must be a CSV, XLSX or XLS file" in response.content.decode()
    response = upload(client, SimpleUploadedFile("ledger.xlsx", b"Date,Supplier,Amount\n"))
    assert "ledger.xlsx is not a spreadsheet workbook" in response.content.decode()
    settings.IMPORT_MAX_MB = 0
    response = upload(client, excerpt_upload())
    assert "must be smaller than 0 MB together" in response.content.decode()
    assert Import.objects.count() == 0 and ImportFile.objects.count() == 0


def test_content_checks_by_first_bytes():
    assert content_problem("a.csv", b"Date,Supplier\n") is None
    assert content_problem("a.csv", b"\xff\xfeD\x00a\x00") is None  # UTF-16 with its mark
    assert content_problem("a.csv", b"D\x00a\x00") == "a.csv is not a text file"
    assert content_problem("a.csv", b"PK\x03\x04rest") is None  # a workbook named .csv
    assert content_problem("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest") is None
    assert content_problem("a.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest") is None


def test_imports_are_for_their_organisations_leads_only(cast, sign_in, client):
    upload(sign_in(cast["rxn_lead"]), excerpt_upload())
    record = Import.objects.get()
    client.logout()
    other = sign_in(cast["rt5_lead"])
    assert other.get(f"/imports/{record.pk}/").status_code == 404
    assert f"/imports/{record.pk}/" not in other.get("/imports/").content.decode()
    # Another organisation's lead cannot upload for RXN: it is not among their choices.
    response = upload(other, excerpt_upload(), org="RXN")
    assert response.status_code == 400 and Import.objects.count() == 1
    client.logout()
    viewer = sign_in(cast["rxn_viewer"])
    assert viewer.get(f"/imports/{record.pk}/").status_code == 404
    assert viewer.get("/imports/spend/").status_code == 403
    assert upload(viewer, excerpt_upload()).status_code == 403


def test_the_upload_needs_the_csrf_token(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["rxn_lead"])
    assert upload(client, excerpt_upload()).status_code == 403
    assert Import.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_a_queued_import(settings, cast, client):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(cast["rxn_lead"])
    upload(client, excerpt_upload())
    record = Import.objects.get()
    assert record.state == State.QUEUED and not SpendGroup.objects.exists()
    html = client.get(f"/imports/{record.pk}/").content.decode()
    assert "Waiting to start" in html and 'http-equiv="refresh"' in html
    call_command(
        "db_worker",
        "--batch",
        "--max-tasks",
        "1",
        "--no-startup-delay",
        "--no-reload",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    record.refresh_from_db()
    assert record.state == State.DONE
    assert saved_total() == EXCERPT_TOTAL


def test_excerpt_hand_total_is_right():
    # The hand figure the tests above rest on, worked out another way.
    with EXCERPT.open(encoding="utf-8") as handle:
        amounts = [Decimal(r["Amount"].replace(",", "")) for r in csv.DictReader(handle)]
    assert (len(amounts), sum(amounts)) == (36, EXCERPT_TOTAL)


def test_the_main_command_starts_the_worker_beside_the_server_and_stops_it():
    start = (Path(__file__).parent.parent / "scripts" / "start").read_text()
    lines = start.splitlines()
    worker = lines.index(".venv/bin/socialvalue db_worker --no-reload &")
    trap = next(i for i, line in enumerate(lines) if line.startswith("trap "))
    server = next(i for i, line in enumerate(lines) if "socialvalue runserver" in line)
    assert worker < trap < server and 'kill "$worker"' in lines[trap]
    assert not lines[server].startswith("exec ")  # the trap must outlive the server


def test_progress_while_checking_is_a_share_of_the_lines_counted_first(orgs, cast, sign_in):
    record = excerpt_import(orgs["RXN"])
    seen = []
    import_run(
        import_id=record.pk,
        on_progress=lambda r: seen.append((r.phase, r.rows_done, r.rows_total)),
    )
    # Every line break but the header's: an estimate before reading (36 payment lines).
    lines = EXCERPT.read_bytes().count(b"\n") - 1
    checking = [s for s in seen if s[0] == "checking"]
    assert checking and {total for _, _, total in checking} == {lines}
    assert seen[-1] == ("saving", 36, 36)

    Import.objects.filter(pk=record.pk).update(
        state=State.RUNNING, phase="checking", rows_done=10, rows_total=40
    )
    html = sign_in(cast["rxn_lead"]).get(f"/imports/{record.pk}/").content.decode()
    assert '<progress id="import-progress" class="sv-progress" max="40" value="10">' in html
    assert "Checking the files: 10 of about 40 rows read" in html
