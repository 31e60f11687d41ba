"""The indicator form offers a target's years, comparison and accumulation (issue 11), and
works without JavaScript: a plain POST of the fields saves the target they describe."""

from socialvalue.charters.models import Indicator
from tests.test_charters_web import (  # noqa: F401 (new_charter is a fixture)
    _indicator_data,
    error_summary,
    new_charter,
    text_of,
)


def test_lead_sets_a_time_bound_level_through_the_form(new_charter, cast, sign_in):  # noqa: F811
    client = sign_in(cast["rxn_lead"])
    form = text_of(
        client.get(f"/charters/RXN-NEW/indicators/new/?pledge={new_charter.pk}&target_kind=count")
    )
    for label in ("Starts in (optional)", "Due by (optional)", "Due window ends (optional)"):
        assert label in form
    assert "How the periods' figures make the year's" in form

    response = client.post(
        "/charters/RXN-NEW/indicators/new/",
        _indicator_data(
            new_charter,
            unit="volunteers",
            target_kind="count",
            value="350",
            comparison="more_than",
            baseline_period="2023/24",
            baseline_value="290",
            due_year="2025/26",
            accumulation="latest",
            rate_percent="",
        ),
    )

    assert response.status_code == 302, error_summary(response)
    indicator = Indicator.objects.get(code="NEW-01")
    assert indicator.target_params == {
        "value": 350,
        "comparison": "more_than",
        "baseline_period": "2023/24",
        "baseline_value": 290,
        "due_year": "2025/26",
        "accumulation": "latest",
    }
    page = text_of(client.get("/charters/RXN-NEW/?year=2024/25"))
    # 2024/25 is one of the two years from the 2023/24 baseline (290) to 350: 320.
    assert "More than 350 volunteers (from 290 volunteers in 2023/24) by 2025/26" in page
    assert "trajectory: more than 320 volunteers in 2024/25" in page


def test_a_window_that_ends_before_it_opens_is_refused(new_charter, cast, sign_in):  # noqa: F811
    client = sign_in(cast["rxn_lead"])
    response = client.post(
        "/charters/RXN-NEW/indicators/new/",
        _indicator_data(
            new_charter,
            target_kind="reduction_from_baseline",
            rate_percent="80",
            baseline_period="2019/20",
            due_year="2028/29",
            due_until="2027/28",
        ),
    )
    assert response.status_code == 400
    assert "The window must end after 2028/29, the year it opens" in error_summary(response)
    assert not Indicator.objects.exists()
