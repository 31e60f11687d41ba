"""The tag drawn in Python (config/jinja2.py) is the NHS.UK tag macro's markup."""

import re

import pytest
from django.template import engines
from markupsafe import Markup


def _same_markup(html: str) -> str:
    return re.sub(r"\s*>\s*", ">", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize(
    "params",
    [
        {"text": "On track", "classes": "nhsuk-tag--green"},
        {"text": "Missed: <script>alert(1)</script> & more"},
        {"text": "Overdue", "classes": "nhsuk-tag--red", "id": "overdue-1"},
        {"html": "<span>Done</span> late"},
        {"text": Markup("Tom &amp; Jerry")},
    ],
)
def test_the_tag_is_the_nhs_macros_markup(params):
    env = engines["jinja2"].env
    theirs = env.from_string(
        '{% from "nhsuk/components/tag/macro.jinja" import tag as nhs %}{{ nhs(p) }}'
    ).render(p=params)
    ours = env.from_string("{{ tag(p) }}").render(p=params)
    assert _same_markup(ours) == _same_markup(theirs)
    assert "<script>" not in ours


def test_a_tag_parameter_it_does_not_draw_is_refused():
    with pytest.raises(ValueError, match="colour"):
        engines["jinja2"].env.from_string("{{ tag(p) }}").render(p={"text": "x", "colour": "red"})
