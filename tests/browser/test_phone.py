"""Every page a person reaches fits a 375 px phone screen, whatever fonts the machine has.

The demo gives each page real content: long indicator titles, several versions in a history,
values waiting for approval and a group's per-member tables. Each page is measured twice: with
the fonts the page asks for (Frutiger, which the test machine cannot fetch, so the machine's
fallback), and with every element forced into DejaVu Sans, a wide fallback that a fresh Debian
machine uses when Arial-metric fonts are missing. `.ci/run` installs both families.
"""

from datetime import date

import pytest

from socialvalue.demo.loader import DEMO_PASSWORD, demo_load
from tests.browser.conftest import open_page

# Layout at phone width does not depend on the database: run on SQLite only (scripts/test).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.once]

PHONE = 375
TODAY = date(2026, 11, 15)  # the demo's current year is 2026/27; 2025/26 is complete
WIDE_FONT = "* { font-family: 'DejaVu Sans', sans-serif !important; }"

# The elements that stick out, deepest first, so a failure says what to fix.
OVERFLOWING = """(limit) => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > limit + 0.5 && !el.closest('.nhsuk-u-visually-hidden')) {
      const classes = typeof el.className === 'string' ? el.className.trim() : '';
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (classes ? '.' + classes.split(/\\s+/).join('.') : '');
      const text = (el.innerText || '').slice(0, 40).replace(/\\s+/g, ' ');
      out.push(name + ' right=' + Math.round(box.right) + ' "' + text + '"');
    }
  }
  return out.reverse().slice(0, 6);
}"""


def _sign_in(page, base, email):
    page.goto(f"{base}/sign-in/")
    page.fill("#id_email", email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{base}/")


def _too_wide(page) -> str | None:
    width = page.evaluate("document.documentElement.scrollWidth")
    if width <= PHONE:
        return None
    return f"{width}px wide: " + "; ".join(page.evaluate(OVERFLOWING, PHONE))


def _check(pages, base, paths, accessible) -> list[str]:
    """Each path in each font: the page's own, and DejaVu Sans from before its scripts run
    (the NHS header lays out its navigation by the width of its words)."""
    problems = []
    for fonts, page in pages.items():
        for path in paths:
            response = page.goto(base + path)
            assert response is not None and response.ok, f"{path}: {response and response.status}"
            if problem := _too_wide(page):
                problems.append(f"{path} in {fonts} is {problem}")
            if fonts == "its own fonts":
                accessible(page)  # at phone width too
    return problems


@pytest.fixture
def demo(db):
    return demo_load(today=TODAY)


@pytest.fixture
def phone(browser):
    """A signed-out phone per font: its own fonts, and every element in DejaVu Sans."""
    contexts, pages = [], {}
    for fonts in ("its own fonts", "DejaVu Sans"):
        # The forced font is a style the page's own Content-Security-Policy would block.
        context = browser.new_context(
            viewport={"width": PHONE, "height": 800}, bypass_csp=fonts == "DejaVu Sans"
        )
        context.route("https://assets.nhs.uk/**", lambda route: route.abort())
        if fonts == "DejaVu Sans":
            context.add_init_script(
                "const s = document.createElement('style');"
                f"s.textContent = {WIDE_FONT!r};"
                "document.documentElement.appendChild(s);"
            )
        contexts.append(context)
        pages[fonts] = open_page(context)
    yield pages
    for context in contexts:
        context.close()


def test_every_page_of_a_trust_fits_a_phone(live_server, phone, accessible, demo):
    base = live_server.url
    problems = _check(phone, base, ["/sign-in/"], accessible)
    for page in phone.values():
        _sign_in(page, base, "lead@rxn.example")
    paths = [
        "/",
        "/charters/RXN-SV/?year=2025/26",
        "/charters/RXN-SV/edit/",
        "/charters/RXN-SV/progress/?year=2025/26",
        "/charters/RXN-SV/progress/?year=2026/27",
        "/my-indicators/",
        "/approvals/",
        # The spend worked out from the demo ledger.
        "/organisations/RXN/spend/",
        "/organisations/RXN/spend/?period=quarter",
        "/charters/RXN-SV/indicators/new/",
        "/charters/RXN-SV/indicators/new/?step=kind&target_kind=count",
        # The figure a target is built on, for a year before the charter's first (ADR 020).
        "/charters/RXN-SV/indicators/ECON-03/earlier/2022-23/",
    ]
    # One indicator of every target kind, with its history, and its forms.
    kinds = {}
    for indicator in demo.charters[0].indicators.order_by("code"):
        kinds.setdefault(indicator.target_kind, indicator.code)
    for code in kinds.values():
        paths += [
            f"/charters/RXN-SV/indicators/{code}/?year=2025/26",
            f"/charters/RXN-SV/indicators/{code}/edit/",
            f"/charters/RXN-SV/indicators/{code}/record/",
        ]
    problems += _check(phone, base, paths, accessible)
    assert problems == [], "\n".join(problems)


def test_every_page_of_a_group_fits_a_phone(live_server, phone, accessible, demo):
    base = live_server.url
    group = next(c for c in demo.charters if c.code == "LPT-NHFT-SV")
    for page in phone.values():
        _sign_in(page, base, "lead@lpt-nhft.example")
    paths = [
        "/",
        f"/charters/{group.code}/",
        f"/charters/{group.code}/progress/?year=2026/27",
        "/approvals/",
    ]
    for indicator in group.indicators.order_by("code")[:3]:
        paths += [
            f"/charters/{group.code}/indicators/{indicator.code}/?year=2026/27",
            f"/charters/{group.code}/indicators/{indicator.code}/record/",
        ]
    problems = _check(phone, base, paths, accessible)
    assert problems == [], "\n".join(problems)
