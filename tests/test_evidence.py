"""Evidence uploads are checked by their content, not their name, and all or nothing."""

import random
from decimal import Decimal
from pathlib import Path

import filetype
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from socialvalue.domain.periods import Period
from socialvalue.measurements import services
from socialvalue.measurements.evidence import EvidenceRejected
from socialvalue.measurements.models import Evidence, Measurement
from tests.conftest import FIXTURES
from tests.test_progress_web import indicator, record_url, tiny_pdf

# Real lines from a published NHS spend file, as users will upload them (see fixtures/README).
SPEND_CSV = FIXTURES / "kico-2020-06-spend-excerpt.csv"
# The smallest valid PNG: a 1x1 transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(240)


@pytest.fixture
def owner_client(seeded, cast, sign_in):
    indicator(seeded["RXN-SV"], "EDU-03", owner=cast["rxn_owner"])
    return sign_in(cast["rxn_owner"])


def upload(client, orgs, *files, value="12"):
    return client.post(
        record_url("RXN-SV", "EDU-03"),
        {
            "organisation": str(orgs["RXN"].pk),
            "period": "2023/24-Q1",
            "value": value,
            "evidence": list(files),
        },
    )


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def assert_nothing_saved(settings):
    assert not Measurement.objects.exists()
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []


def test_a_png_named_pdf_is_rejected_naming_the_file(owner_client, orgs, settings):
    response = upload(owner_client, orgs, SimpleUploadedFile("minutes.pdf", PNG, "application/pdf"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "minutes.pdf is named .pdf but its content is a PNG file" in html
    assert "There is a problem" in html
    assert_nothing_saved(settings)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", EXE),
        ("setup.pdf", EXE),  # a program renamed is still a program
        ("noise.bin", random.Random(20240115).randbytes(4096)),
        ("noise.csv", random.Random(7).randbytes(4096)),  # binary is not CSV whatever the name
    ],
)
def test_programs_and_random_bytes_are_rejected(owner_client, orgs, settings, name, content):
    response = upload(owner_client, orgs, SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert (
        f"{name} must be a PDF, image (PNG, JPG, GIF, WebP), office document or CSV"
        in response.content.decode()
    )
    assert_nothing_saved(settings)


def test_random_bytes_really_have_no_known_type():
    """Guards the parametrised case above: the seeded bytes are not by chance a known type."""
    assert filetype.guess(random.Random(20240115).randbytes(4096)) is None


def test_csv_from_real_spend_data_is_accepted_as_csv(owner_client, orgs, settings):
    content = SPEND_CSV.read_bytes()
    assert content.startswith(b"Department Family,")
    response = upload(owner_client, orgs, SimpleUploadedFile("KICO June.csv", content, "text/csv"))
    assert response.status_code == 302
    item = Evidence.objects.get()
    assert (item.original_name, item.content_type, item.size) == (
        "KICO June.csv",
        "text/csv",
        len(content),
    )
    assert item.measurement.value == Decimal(12)
    with item.file.open("rb") as handle:
        assert handle.read() == content


def test_too_large_a_file_is_rejected(owner_client, orgs, settings):
    settings.EVIDENCE_MAX_MB = 1
    big = tiny_pdf() + b"%" + b"x" * int(1.1 * 1024 * 1024)
    response = upload(owner_client, orgs, SimpleUploadedFile("scan.pdf", big, "application/pdf"))
    assert response.status_code == 400
    assert "scan.pdf must be smaller than 1 MB" in response.content.decode()
    assert_nothing_saved(settings)

    # Just under the limit is fine.
    fits = tiny_pdf() + b"%" + b"x" * (1024 * 1024 - len(tiny_pdf()) - 1)
    assert len(fits) == 1024 * 1024
    response = upload(owner_client, orgs, SimpleUploadedFile("scan.pdf", fits, "application/pdf"))
    assert response.status_code == 302
    assert Evidence.objects.get().size == 1024 * 1024


def test_one_bad_file_among_good_ones_saves_nothing(owner_client, orgs, settings):
    response = upload(
        owner_client,
        orgs,
        SimpleUploadedFile("report.pdf", tiny_pdf(), "application/pdf"),
        SimpleUploadedFile("photo.png", PNG, "image/png"),
        SimpleUploadedFile("virus.exe", EXE),
    )
    assert response.status_code == 400
    assert "virus.exe must be a PDF" in response.content.decode()
    assert_nothing_saved(settings)

    # The same files without the bad one are all kept, each typed by content.
    response = upload(
        owner_client,
        orgs,
        SimpleUploadedFile("report.pdf", tiny_pdf(), "application/pdf"),
        SimpleUploadedFile("photo.png", PNG, "image/png"),
    )
    assert response.status_code == 302
    kept = {e.original_name: e.content_type for e in Evidence.objects.all()}
    assert kept == {"report.pdf": "application/pdf", "photo.png": "image/png"}
    assert Measurement.objects.count() == 1
    assert len(stored_files(settings)) == 2


def test_a_rejected_correction_leaves_the_first_version_alone(seeded, cast, orgs, settings):
    owner = cast["rxn_owner"]
    edu03 = indicator(seeded["RXN-SV"], "EDU-03", owner=owner)
    period = Period.from_key("2023/24-Q1")
    first = services.measurement_record(
        actor=owner,
        indicator=edu03,
        organisation=orgs["RXN"],
        period=period,
        reading=services.Reading(value=Decimal(3)),
    )
    with pytest.raises(EvidenceRejected, match=r"empty\.pdf is empty"):
        services.measurement_record(
            actor=owner,
            indicator=edu03,
            organisation=orgs["RXN"],
            period=period,
            reading=services.Reading(value=Decimal(4)),
            reason="Recount",
            evidence=[services.Upload(name="empty.pdf", content=b"")],
        )
    assert list(Measurement.objects.all()) == [first]
    assert not Evidence.objects.exists()
