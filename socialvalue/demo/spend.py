"""The demo trust's spend: a supplier register, a local area and a payment ledger, imported
as a trust would import them, so that its local-spend indicator (ECON-02) is worked out from
the ledger and each figure can be followed down to the rows it came from.

The suppliers and payments are invented (seeded, so every run gives the same ones) but
shaped like a "spend over £25,000" file: a few large suppliers, NHS bodies and public
bodies that influenceable spend leaves out, suppliers the register does not know and so
cannot be placed, and a little growth each year. The ledger covers every whole quarter
before today from the charter's first year, as a trust's published files would.
"""

import csv
import io
import random
from datetime import date, timedelta
from decimal import Decimal

from socialvalue.domain.periods import FinancialYear, Frequency
from socialvalue.domain.supplier_files import SupplierRow
from socialvalue.imports.models import Kind, State, Via
from socialvalue.imports.services import Upload, import_create, import_run
from socialvalue.measurements.models import Measurement
from socialvalue.organisations.models import Organisation
from socialvalue.suppliers.services import local_area_set, suppliers_import

# The local area: Lancashire's county council stands for its twelve districts.
LOCAL_AREA = ["E10000017"]

# name, postcode (blank: not in the register), SME, VCFSE, pounds a month before growth.
SUPPLIERS = [
    ("Ribble Valley Catering Ltd", "PR1 3JT", True, False, 1_150_000),
    ("Preston Facilities Services Ltd", "PR2 5AS", False, False, 1_900_000),
    ("Lancaster Print Co-operative", "LA1 1TN", True, True, 420_000),
    ("Chorley Community Transport", "PR7 1DP", True, True, 310_000),
    ("Hyndburn Building Services Ltd", "BB5 1QE", True, False, 640_000),
    ("South Ribble Laundry Ltd", "PR5 6AW", True, False, 380_000),
    ("Northern Healthcare Supplies Ltd", "M1 2HY", False, False, 2_600_000),
    ("Pennine Diagnostics Ltd", "LS1 4DY", True, False, 900_000),
    ("Meditech UK Ltd", "EC1A 1BB", False, False, 3_100_000),
    ("Lloyds Pharmacy Ltd", "", None, None, 1_400_000),
    ("Agile Medical Staffing Ltd", "", None, None, 700_000),
    ("Blackpool Teaching Hospitals NHS Foundation Trust", "", None, None, 1_250_000),
    ("NHS Business Services Authority", "", None, None, 2_200_000),
    ("Lancashire County Council", "", None, None, 260_000),
]
GROWTH = Decimal("1.06")  # a year, so the local-spend indicator stays on track
EXPENSES = ["Clinical supplies", "Catering", "Estates", "Transport", "Printing", "Agency staff"]


def demo_spend(organisation: Organisation, *, first: FinancialYear, today: date) -> int:
    """Set the organisation's local area and supplier register, and import its demo ledger
    (the import works out its computed spend indicators); the number of values stored."""
    local_area_set(organisation=organisation, choices=LOCAL_AREA, by="socialvalue demo")
    register = [
        SupplierRow(row=n, name=name, postcode=postcode, sme=sme, vcfse=vcfse)
        for n, (name, postcode, sme, vcfse, _) in enumerate(SUPPLIERS, start=2)
        if postcode
    ]
    suppliers_import(organisation=organisation, rows=register, file_name="demo supplier register")
    before = Measurement.objects.filter(organisation=organisation).count()
    ledger = _ledger(organisation, first=first, today=today)
    record = import_create(
        organisation=organisation,
        kind=Kind.SPEND,
        uploads=[Upload("demo-spend-over-25000.csv", io.BytesIO(ledger))],
        via=Via.CLI,
    )
    record = import_run(import_id=record.pk)
    if record.state != State.DONE:  # the demo's own file: a failure is a bug here
        raise RuntimeError(f"the demo ledger did not import: {record.report}")
    return Measurement.objects.filter(organisation=organisation).count() - before


def _ledger(organisation: Organisation, *, first: FinancialYear, today: date) -> bytes:
    """Every month of every whole quarter before today, from the start of `first`."""
    current = FinancialYear.containing(today)
    quarters = [
        q
        for start in range(first.start_year, current.start_year + 1)
        for q in FinancialYear(start).periods(Frequency.QUARTERLY)
        if q.end < today
    ]
    months = [
        month
        for start in range(first.start_year, current.start_year + 1)
        for month in FinancialYear(start).periods(Frequency.MONTHLY)
        if quarters and month.end <= quarters[-1].end
    ]
    rng = random.Random(f"{organisation.code}:spend")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "Department Family",
            "Entity",
            "Date",
            "Expense Type",
            "Supplier",
            "Transaction Number",
            "Amount",
        ]
    )
    number = 400_000
    for month in months:
        grown = GROWTH ** (month.financial_year.start_year - first.start_year)
        for name, _, _, _, monthly in SUPPLIERS:
            # One to three payments a month, adding up to about the supplier's share.
            payments = rng.randint(1, 3)
            for _ in range(payments):
                pounds = Decimal(monthly) * grown * Decimal(rng.uniform(0.7, 1.3)) / payments
                day = month.start + timedelta(days=rng.randrange(28))
                number += 1
                writer.writerow(
                    [
                        "Department of Health",
                        organisation.name,
                        day.strftime("%d/%m/%Y"),
                        rng.choice(EXPENSES),
                        name,
                        number,
                        f"{pounds.quantize(Decimal('0.01')):,}",
                    ]
                )
    return out.getvalue().encode("utf-8")
