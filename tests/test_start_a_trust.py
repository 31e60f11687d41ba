"""The README's "Starting your own trust", walked on an empty database: the trust from its
ODS code, its first administrator invited from the command line, a colleague invited on the
web, both setting passwords from the emailed links, the charter file loaded, and a year of
values recorded from a filled-in values sheet."""

import io
import re

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from socialvalue.charters.models import Charter
from socialvalue.domain.targets import Measure, TargetKind
from socialvalue.measurements.models import Measurement, ReviewState
from socialvalue.measurements.sheet_views import PENDING
from socialvalue.organisations.models import Membership, Organisation, User
from tests.conftest import SEEDS

README = SEEDS.parent.parent.parent / "README.md"
RXN_SEED = SEEDS / "lancashire-teaching-hospitals-2023-24.yaml"
LINK = re.compile(r"http://testserver(/invitations/[^/\s]+/[^/\s]+/)")


def _set_password_from(message, client, password):
    (path,) = LINK.findall(message.body)
    form = client.get(path, follow=True)
    assert "Set your password" in form.text
    return client.post(
        form.redirect_chain[-1][0],
        {"new_password1": password, "new_password2": password},
        follow=True,
    )


def test_a_new_trust_starts_from_its_ods_code(db, run_command, client, settings):
    settings.SITE_URL = "http://testserver"
    assert not Organisation.objects.exists() and not User.objects.exists()

    # Loading the charter first says what to do.
    code, _, err = run_command("charter", "load", str(RXN_SEED))
    assert code == 1
    assert "no organisation with code RXN; add it first with `socialvalue org add RXN`" in err

    code, out, _ = run_command("org", "add", "RXN")
    assert code == 0 and "RXN: created Lancashire Teaching Hospitals NHS Foundation Trust" in out

    code, _, _ = run_command(
        "user",
        "invite",
        "Lena.Ashworth@LTHTR.example",
        "--org",
        "RXN",
        "--role",
        "administrator",
        "--first-name",
        "Lena",
        "--last-name",
        "Ashworth",
    )
    assert code == 0
    (first,) = mail.outbox
    assert first.to == ["lena.ashworth@lthtr.example"]
    done = _set_password_from(first, client, "first-administrator-passphrase")
    assert "Your password is set and you are signed in" in done.text

    # Signed in, the administrator invites a colleague on the web.
    response = client.post(
        "/invitations/new/",
        {
            "email": "omar.patel@lthtr.example",
            "first_name": "Omar",
            "last_name": "Patel",
            "organisation": "RXN",
            "role": "lead",
        },
        follow=True,
    )
    assert "Sent an invitation link to omar.patel@lthtr.example" in response.text
    client.post("/sign-out/")
    invitation = mail.outbox[1]
    assert invitation.to == ["omar.patel@lthtr.example"]
    assert invitation.body.startswith(
        "Lena Ashworth has given you the social value lead role at "
        "Lancashire Teaching Hospitals NHS Foundation Trust (RXN)"
    )
    _set_password_from(invitation, client, "colleague-chose-this-one")
    client.post("/sign-out/")

    code, out, err = run_command("charter", "load", str(RXN_SEED))
    assert (code, err) == (0, "")
    assert "charter RXN-SV created" in out

    # The colleague signs in with their new password and finds the charter.
    signed_in = client.post(
        "/sign-in/",
        {"email": "Omar.Patel@lthtr.example", "password": "colleague-chose-this-one"},
        follow=True,
    )
    assert "Lancashire Teaching Hospitals Social Value Charter" in signed_in.text
    charter = Charter.objects.get(code="RXN-SV")
    assert charter.indicators.count() == 38
    assert client.get("/charters/RXN-SV/").status_code == 200
    assert set(Membership.objects.values_list("user__email", "user__first_name", "role")) == {
        ("lena.ashworth@lthtr.example", "Lena", "administrator"),
        ("omar.patel@lthtr.example", "Omar", "lead"),
    }

    # A year of values from the values sheet: download it, fill in every row, upload, confirm.
    sheet_page = client.get("/charters/RXN-SV/values-sheet/")
    assert "Values sheet" in sheet_page.text
    download = client.get(
        "/charters/RXN-SV/values-sheet/download/", {"year": "2023/24", "format": "xlsx"}
    )
    book = load_workbook(io.BytesIO(download.content))
    rows = fill_every_row(book["Values"], charter)
    # By hand from the seed file: 29 quarterly indicators × 4 quarters, one quarterly `counts`
    # of 2 parts × 4, four annual ratio bands of 2 parts, one annual benchmark of 2 parts
    # (LEAD-02), two other annual indicators, and one monthly share × 12:
    # 116 + 8 + 8 + 2 + 2 + 12 rows; and a row for each year before the charter that a target
    # is built on (ADR 020): ECON-02's 2020/21 baseline, 2022/23 for ECON-03, ECON-04, EDU-07
    # and ENV-04, and LEAD-02's 2022/23 benchmark for each of its 2 parts: 7 more.
    assert rows == 155
    filled = io.BytesIO()
    book.save(filled)
    check = client.post(
        "/charters/RXN-SV/values-sheet/check/",
        {"sheet": SimpleUploadedFile("rxn-2023-24.xlsx", filled.getvalue())},
    )
    assert check.status_code == 200 and "There is a problem" not in check.text, check.text
    assert not Measurement.objects.exists()  # checking saves nothing
    client.post(
        "/charters/RXN-SV/values-sheet/confirm/", {"token": client.session[PENDING]["token"]}
    )
    recorded = Measurement.objects.filter(indicator__charter=charter)
    # One value per indicator and period (a period's parts are one value): 116 + 4 + 7 + 12,
    # and the 6 earlier-year figures.
    assert recorded.count() == 145
    assert set(recorded.values_list("state", flat=True)) == {ReviewState.SUBMITTED}
    assert {m.source.inputs["file"] for m in recorded} == {"rxn-2023-24.xlsx"}
    # Importing the same sheet again adds nothing.
    again = client.post(
        "/charters/RXN-SV/values-sheet/check/",
        {"sheet": SimpleUploadedFile("rxn-2023-24.xlsx", filled.getvalue())},
    )
    assert "Nothing in the sheet differs from what is recorded" in again.text
    assert PENDING not in client.session
    assert Measurement.objects.count() == 145


def fill_every_row(sheet, charter) -> int:
    """Fill each row as its indicator's kind asks; returns the number of rows filled."""
    kinds = {i.code: i for i in charter.indicators.all()}
    header = [c.value for c in sheet[1]]
    filled = 0
    for cells in sheet.iter_rows(min_row=2):
        row = dict(zip(header, cells, strict=True))
        indicator = kinds[row["indicator"].value]
        kind = TargetKind(indicator.target_kind)
        if kind == TargetKind.SHARE or getattr(indicator.target, "measure", None) == Measure.SHARE:
            figures = {"numerator": 45, "denominator": 100}
        elif kind == TargetKind.RATIO_BAND:
            figures = {"events_a": 20, "population_a": 100, "events_b": 16, "population_b": 100}
        elif kind == TargetKind.MILESTONE:
            figures = {"milestone_state": "in_progress"}
        elif kind in (TargetKind.MAINTAIN, TargetKind.DIRECTION):
            figures = {"self_status": "on_track", "narrative": "Work went on with partners"}
        else:
            figures = {"value": 12}
        if row["period"].value in ("2020/21", "2022/23"):
            # A year before the charter's first: where the figure was published.
            figures["source"] = "Annual report, page 3"
        for column, value in figures.items():
            row[column].value = value
        filled += 1
    return filled


def test_the_readme_gives_the_same_steps():
    readme = README.read_text()
    section = readme.split("## Starting your own trust", 1)[1].split("\n## ", 1)[0]
    for step in (
        "socialvalue migrate",
        "socialvalue org add RXN",
        "socialvalue user invite",
        "--role administrator",
        "Invite a colleague",
        "socialvalue charter load",
        "Forgotten your password?",
        "Values sheet",
        "socialvalue values import",
    ):
        assert step in section, step
