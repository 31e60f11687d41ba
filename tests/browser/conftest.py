"""Browser journeys: Playwright driving Debian's Chromium, with an axe check on every page.

Chromium comes from apt (`apt-get install chromium`; `.ci/run` installs it). Without it the
journeys are skipped with that message, except where `SOCIALVALUE_REQUIRE_BROWSER` is set
(CI sets it), where they fail instead.
"""

import json
import os
import shutil
from pathlib import Path

import pytest

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    path = _chromium()
    if path is None:
        message = "Chromium is not installed: apt-get install chromium"
        if os.environ.get("SOCIALVALUE_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test's thread, so Django's async-safety
    # guard would refuse the test's own database calls; only while the browser is open.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    # Fonts come from an NHS host the test machine cannot reach: fail fast, fall back to Arial.
    context.route("https://assets.nhs.uk/**", lambda route: route.abort())
    yield open_page(context)
    context.close()


def open_page(context):
    """A new page that notes what the Content-Security-Policy blocks: `accessible` checks
    it blocked nothing."""
    page = context.new_page()
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            page.csp_violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return page


# Findings in the NHS.UK design system's own components, which this project uses as
# published: (axe rule, CSS selector of the element it is accepted on, why).
UPSTREAM = [
    (
        "label-content-name-mismatch",
        ".nhsuk-file-upload__drop-button",
        "nhsuk-frontend 10.6 names its file-upload button after the field's label, so the "
        "visible 'Choose file' text is not part of the name; the label is.",
    ),
]


def axe_violations(page) -> list[str]:
    """Run axe-core on the page; one line per violation with the elements it found."""
    # The NHS script enhances components when it loads: check the page as users get it.
    page.wait_for_load_state("networkidle")
    # Evaluated through the browser's debugging protocol, which the page's CSP does not
    # govern (an added <script> tag would be blocked, as it should be).
    page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    problems = []
    for violation in results["violations"]:
        nodes = [
            n
            for n in violation["nodes"]
            if not any(
                rule == violation["id"]
                and page.evaluate(
                    "([t, s]) => document.querySelector(t).matches(s)", [n["target"][0], selector]
                )
                for rule, selector, _why in UPSTREAM
            )
        ]
        if nodes:
            problems.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} at "
                + json.dumps([n["target"] for n in nodes][:5])
            )
    return problems


@pytest.fixture
def accessible():
    """Call with a page: asserts axe finds nothing, naming the page's URL if it does."""

    def check(page):
        problems = axe_violations(page)
        assert problems == [], f"{page.url}:\n" + "\n".join(problems)
        assert page.csp_violations == []

    return check
