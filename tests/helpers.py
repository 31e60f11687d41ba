"""Small helpers shared by the integration tests."""

from socialvalue.charters.models import Charter, Indicator, Pledge, ReportingPeriod, Theme
from socialvalue.domain.periods import Period
from socialvalue.measurements import services


def charter_rows() -> dict:
    """Every charter row that a refused or invalid write must leave alone (with updated_at)."""
    return {
        "charters": list(Charter.objects.values().order_by("pk")),
        "periods": list(ReportingPeriod.objects.values().order_by("pk")),
        "themes": list(Theme.objects.values().order_by("pk")),
        "pledges": list(Pledge.objects.values().order_by("pk")),
        "indicators": list(Indicator.objects.values().order_by("pk")),
    }


def record_approved(*, lead, recorder, indicator, organisation, key, **reading):
    """Record a value for the period with this key (like "2023/24-Q1") and approve it."""
    measurement = services.measurement_record(
        actor=recorder,
        indicator=indicator,
        organisation=organisation,
        period=Period.from_key(key),
        reading=services.Reading(**reading),
    )
    services.measurement_approve(actor=lead, measurement=measurement)
    return measurement
