"""The summary list drawn in Python (config/jinja2.py) is the NHS.UK summary list macro's
markup, for the parameters this application uses."""

import pytest
from django.template import engines
from jinja2 import ChainableUndefined
from markupsafe import Markup

from tests.test_tag_helper import _same_markup

ROWS = [
    {"key": {"text": "Target for 2026/27"}, "value": {"text": "At least 1,200 people"}},
    {"key": {"text": "Owner <&>"}, "value": {"text": "  Ann O'Neil <script>x</script>  "}},
    {"key": {"text": "Empty"}, "value": {"text": ""}},
    {"key": {"text": "Reporting years"}, "value": {"text": "2023/24, 2024/25\nand on"}},
    {"key": {"text": "Link"}, "value": {"html": '<a href="/x">Import 4</a>'}},
    {"key": {"text": "Safe already"}, "value": {"text": Markup("Tom &amp; Jerry ")}},
    {"key": {"text": "A number"}, "value": {"text": 1200}},
]


@pytest.mark.parametrize(
    "params",
    [
        {"rows": ROWS},
        {"rows": ROWS[:1], "attributes": {"id": "source"}},
        {"rows": [ROWS[0], ChainableUndefined(), ROWS[1]]},  # a row left out by a condition
        {"rows": []},
    ],
)
def test_the_summary_list_is_the_nhs_macros_markup(params):
    env = engines["jinja2"].env
    theirs = env.from_string(
        '{% from "nhsuk/components/summary-list/macro.jinja" import summaryList %}'
        "{{ summaryList(p) }}"
    ).render(p=params)
    ours = env.from_string("{{ summary_list(p) }}").render(p=params)
    assert _same_markup(ours) == _same_markup(theirs)
    assert "<script>" not in ours


@pytest.mark.parametrize(
    "params, refused",
    [
        ({"rows": [], "card": {"title": "x"}}, "card"),
        ({"rows": [], "attributes": {"data-x": "1"}}, "data-x"),
        ({"rows": [{"key": {"text": "k"}, "value": {"text": "v"}, "actions": {}}]}, "actions"),
        ({"rows": [{"key": {"text": "k", "classes": "wide"}, "value": {"text": "v"}}]}, "classes"),
    ],
)
def test_a_summary_list_parameter_it_does_not_draw_is_refused(params, refused):
    with pytest.raises(ValueError, match=refused):
        engines["jinja2"].env.from_string("{{ summary_list(p) }}").render(p=params)
