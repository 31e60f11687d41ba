"""On a wide screen, table columns are wide enough for their words: a name, a label or a sum
of money is never split across two lines ("Lena Ashwort / h", "Approv / e", "(+ / £21,386")
(a line may break after a hyphen or a dash), and the page is no wider than the screen (a
wide table scrolls in its own box). Long words (an email, a URL in a note) may still wrap; at
phone width, tests/browser/test_phone.py holds every page to the screen."""

from datetime import date

import pytest

from socialvalue.demo.loader import DEMO_PASSWORD, demo_load
from tests.browser.conftest import open_page

# Layout does not depend on the database: run on SQLite only (scripts/test).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.once]

TODAY = date(2026, 11, 15)  # the demo's current year is 2026/27
LONGEST_WORD_KEPT_WHOLE = 25  # longer ones (emails, addresses) may wrap anywhere

# The words of table cells drawn over more than one line.
SPLIT_WORDS = """(longest) => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const parent = node.parentElement;
    if (!parent.closest('td, th') || parent.closest('.nhsuk-u-visually-hidden')) continue;
    // A word, or the part of one up to a hyphen or a dash, after which a line may break.
    const words = /[^\\s\\-\\u2013]+[\\-\\u2013]?/g;
    let match;
    while ((match = words.exec(node.textContent))) {
      if (match[0].length > longest) continue;
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()]
        .filter((box) => box.width > 0).map((box) => Math.round(box.top)));
      if (lines.size > 1) out.push(match[0]);
    }
  }
  return out;
}"""


@pytest.fixture
def demo(db):
    return demo_load(today=TODAY)


@pytest.mark.parametrize("width", [1280, 800])
def test_table_cells_do_not_split_words_on_a_wide_screen(live_server, browser, demo, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.route("https://assets.nhs.uk/**", lambda route: route.abort())
    page = open_page(context)
    base = live_server.url
    page.goto(f"{base}/sign-in/")
    page.fill("#id_email", "lead@rxn.example")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{base}/")
    problems = []
    for path in (
        "/",
        "/charters/RXN-SV/?year=2026/27",
        "/organisations/RXN/spend/",
        "/charters/RXN-SV/progress/?year=2026/27",
        "/approvals/",
        "/my-indicators/",
        "/charters/RXN-SV/indicators/ECON-02/?year=2026/27",
    ):
        page.goto(base + path)
        if split := page.evaluate(SPLIT_WORDS, LONGEST_WORD_KEPT_WHOLE):
            problems.append(f"{path} at {width} px splits {split[:8]}")
        # Whole words, and still no wider than the screen.
        if (scrolled := page.evaluate("document.documentElement.scrollWidth")) > width:
            problems.append(f"{path} is {scrolled} px wide at {width} px")
    context.close()
    assert problems == [], "\n".join(problems)
