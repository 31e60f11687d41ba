"""The page shell: NHS.UK assets are served and linked, and every page needs sign-in."""

import re


def test_nhs_stylesheet_and_script_are_served_and_linked(client, cast):
    client.force_login(cast["rxn_lead"])
    html = client.get("/").content.decode()
    css = re.search(r'href="([^"]+nhsuk-frontend\.min\.css)"', html).group(1)
    js = re.search(r'from "([^"]+nhsuk-frontend\.min\.js)"', html).group(1)
    for url in (css, js):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content)
        assert len(body) > 10_000
    # The stylesheet's images were rewritten to paths relative to it, and exist.
    stylesheet = b"".join(client.get(css).streaming_content).decode()
    images = set(re.findall(r"url\((assets/images/[^)]+)\)", stylesheet))
    assert images
    base = css.rsplit("/", 1)[0]
    for image in images:
        assert client.get(f"{base}/{image}").status_code == 200, image


def test_pages_need_sign_in(client, cast):
    for url in ("/", "/my-indicators/", "/approvals/", "/charters/new/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/?next=")


def test_error_pages_are_nhs_pages(client, cast, settings):
    settings.DEBUG = False
    client.force_login(cast["rxn_viewer"])
    missing = client.get("/charters/NOPE/")
    assert missing.status_code == 404
    assert "<h1>Page not found</h1>" in missing.content.decode()
    assert "nhsuk-header" in missing.content.decode()

    forbidden = client.get("/charters/new/")  # a viewer leads nothing: 404
    assert forbidden.status_code == 404


def test_permission_denied_says_why(client, seeded, cast):
    client.force_login(cast["rxn_viewer"])
    response = client.get("/charters/RXN-SV/edit/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>You cannot do this</h1>" in html
    assert "You need the social value lead role at RXN" in html


def test_server_error_page_renders_without_a_request():
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Sorry, there is a problem with the service" in html
    assert 'href="/static/nhsuk/nhsuk-frontend.min.css"' in html


def test_the_year_picker_keeps_the_dates_a_page_is_shown_for():
    """Changing the year on a page shown as it stood on a date keeps that date (ADR 021)."""
    from django.template import engines

    from socialvalue.domain.periods import FinancialYear

    template = engines["jinja2"].from_string(
        '{% from "components/year_picker.jinja" import year_picker %}'
        "{{ year_picker(years, year, keep) }}"
    )
    years = [FinancialYear(2023), FinancialYear(2024)]
    html = template.render(
        {"years": years, "year": years[1], "keep": {"as_of": "2024-10-09", "known_on": "x"}}
    )
    assert '<input type="hidden" name="as_of" value="2024-10-09">' in html
    assert '<input type="hidden" name="known_on" value="x">' in html
    assert '<option value="2024/25" selected>' in html
    plain = template.render({"years": years, "year": years[0], "keep": {}})
    assert 'type="hidden"' not in plain


def _header(html: str) -> str:
    return html[html.index("<header") : html.index("</header>")]


def _current(header: str) -> list[str]:
    """The links the header marks as the page's section."""
    return re.findall(r'href="([^"]+)" aria-current="page"', header)


def test_the_header_is_each_persons_own_and_marks_the_section(client, cast):
    """The header is drawn once for each set of values and reused (config/jinja2.py): each
    person must still get their own name and links, and each page its own section."""
    headers = {}
    for person in ("rxn_lead", "rxn_viewer", "rxn_lead"):
        client.force_login(cast[person])
        headers[person] = _header(client.get("/").content.decode())
    lead, viewer = headers["rxn_lead"], headers["rxn_viewer"]
    assert cast["rxn_lead"].get_full_name() in lead
    assert cast["rxn_lead"].get_full_name() not in viewer
    assert cast["rxn_viewer"].get_full_name() in viewer
    assert "Invite a colleague" in lead and "Invite a colleague" not in viewer
    assert _current(lead) == ["/"] == _current(viewer)
    client.force_login(cast["rxn_lead"])
    assert _current(_header(client.get("/my-indicators/").content.decode())) == ["/my-indicators/"]
    assert _header(client.get("/").content.decode()) == lead  # the same values, the same header


def test_breadcrumbs_are_the_nhs_macros_markup_drawn_once_per_set_of_items():
    from django.template import engines

    env = engines["jinja2"].env
    macro = env.from_string(
        '{% from "nhsuk/components/breadcrumb/macro.jinja" import breadcrumb %}'
        '{{ breadcrumb({"items": items}) }}'
    )
    ours = env.from_string("{{ site_breadcrumbs(items) }}")
    for items in (
        [{"text": "Charters", "href": "/"}],
        [{"text": "Charters", "href": "/"}, {"text": "Trust <b> & co", "href": "/c/?a=1&b=2"}],
        [{"text": "Charters", "href": "/"}, {"text": "Another trust", "href": "/c/?a=1&b=2"}],
    ):
        drawn = ours.render(items=items)
        assert drawn.strip() == macro.render(items=items).strip()
        assert items[-1]["href"].replace("&", "&amp;") in drawn
    assert "<b>" not in ours.render(items=[{"text": "<b>", "href": "/"}])
