"""The Jinja2 environment for every page.

`ChainableUndefined` is required by the nhsuk-frontend-jinja macros, which read nested
optional parameters (``params.hint.text``) without checking each level.
"""

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from jinja2 import ChainableUndefined, Environment, select_autoescape
from markupsafe import Markup, escape

from socialvalue.domain.numbers import format_number
from socialvalue.domain.wording import figure


def tag(params: dict) -> Markup:
    """The NHS.UK tag (`<strong class="nhsuk-tag ...">`), as the nhsuk-frontend-jinja macro
    writes it for the parameters used here (text or html, classes, id), in Python: a
    dashboard shows one per indicator, and the macro's include and attribute macros cost
    about 0.1 ms each."""
    unknown = set(params) - {"text", "html", "classes", "id"}
    if unknown:
        raise ValueError(f"tag(): parameters not drawn here: {sorted(unknown)}")
    classes = "nhsuk-tag" + (f" {params['classes']}" if params.get("classes") else "")
    id_ = f' id="{escape(params["id"])}"' if params.get("id") else ""
    if params.get("html"):
        inner = Markup(str(params["html"]).strip())
    else:
        # Escaped unless already safe (Markup, as the macro's autoescape leaves it).
        inner = escape(params.get("text") or "").strip()
    return Markup(f'<strong class="{escape(classes)}"{id_}>\n  {inner}\n</strong>')


def summary_list(params: dict) -> Markup:
    """The NHS.UK summary list (`<dl class="nhsuk-summary-list">`), as the
    nhsuk-frontend-jinja macro writes it for the parameters used here (rows of a key and a
    value, each text or html; the list's id), in Python: the macro and its row macro cost
    over a millisecond for a list of ten rows. A row that is not a mapping (an `undefined`
    left by a condition) is skipped, as the macro skips it."""
    unknown = set(params) - {"rows", "attributes"}
    attributes = params.get("attributes") or {}
    unknown |= {f"attributes.{a}" for a in set(attributes) - {"id"}}
    if unknown:
        raise ValueError(f"summary_list(): parameters not drawn here: {sorted(unknown)}")
    id_ = f' id="{escape(attributes["id"])}"' if attributes.get("id") else ""
    rows = [row for row in params.get("rows") or [] if isinstance(row, Mapping)]
    drawn = []
    for row in rows:
        if set(row) - {"key", "value"}:
            raise ValueError(f"summary_list(): row parameters not drawn here: {sorted(row)}")
        drawn.append(
            '<div class="nhsuk-summary-list__row">\n'
            f'  <dt class="nhsuk-summary-list__key">\n    {_content(row.get("key"))}\n  </dt>\n'
            f'  <dd class="nhsuk-summary-list__value">\n    {_content(row.get("value"))}\n  </dd>\n'
            "</div>"
        )
    return Markup(f'<dl class="nhsuk-summary-list"{id_}>\n' + "\n".join(drawn) + "\n</dl>")


def _content(part) -> Markup:
    """A summary list key's or value's html, or its text escaped; blank when it has neither."""
    if not isinstance(part, Mapping):
        return Markup("")
    if set(part) - {"text", "html"}:
        raise ValueError(f"summary_list(): key or value parameters not drawn here: {sorted(part)}")
    if part.get("html"):
        return Markup(str(part["html"]).strip())
    # Escaped unless already safe (Markup, as the macro's autoescape leaves it).
    return escape(part.get("text") or "").strip()


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def _date(value, fmt: str = "j F Y") -> str:
    """UK dates ("15 January 2024", "15 Jan 2024 14:05"); a moment in the local time
    (Europe/London), not the UTC the database keeps."""
    if not value:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, fmt)


def _number(value) -> str:
    if value is None:
        return "–"
    return format_number(Decimal(value))


def widget_kind(bound_field) -> str:
    return type(bound_field.field.widget).__name__


def _quantity(value, unit: str = "") -> str:
    if value is None:
        return "–"
    # The exact figure (money to the penny), its unit agreeing with it ("1 project").
    return figure(Decimal(value), unit, summary=False)


def _may_invite(user) -> bool:
    # Imported here: the environment is built before the apps' models may be imported.
    from socialvalue.organisations.access import may_invite

    return may_invite(user)


def environment(**options) -> Environment:
    # Django passes DebugUndefined in debug; the NHS macros need ChainableUndefined always.
    options["undefined"] = ChainableUndefined
    options.setdefault("autoescape", select_autoescape(default=True, default_for_string=True))
    env = Environment(**options)
    env.globals.update(
        {
            "url": url,
            "tag": tag,
            "summary_list": summary_list,
            "static": static,
            # Absolute, so pages at any depth (and the error pages) find the assets.
            "STATIC_URL": "/" + settings.STATIC_URL.lstrip("/"),
            "get_messages": messages.get_messages,
            "widget_kind": widget_kind,
            "may_invite": _may_invite,
        }
    )
    env.filters.update({"date": _date, "number": _number, "quantity": _quantity})

    @lru_cache(maxsize=1024)
    def site_header(*values) -> Markup:
        """The header for these plain values (the person's name, the page's section and
        which links they see), drawn once per process and reused."""
        macros = env.get_template("components/site_header.jinja").module
        return Markup(macros.site_header(*values))

    @lru_cache(maxsize=1)
    def site_footer() -> Markup:
        return Markup(env.get_template("components/site_header.jinja").module.site_footer())

    @lru_cache(maxsize=1024)
    def breadcrumbs_drawn(pairs: tuple[tuple[str, str], ...]) -> Markup:
        macros = env.get_template("components/site_header.jinja").module
        return Markup(macros.site_breadcrumbs(pairs))

    def site_breadcrumbs(items) -> Markup:
        """The breadcrumbs for these items (text and address each), drawn once and reused."""
        return breadcrumbs_drawn(tuple((str(i["text"]), str(i["href"])) for i in items))

    env.globals.update(
        {
            "site_header": site_header,
            "site_footer": site_footer,
            "site_breadcrumbs": site_breadcrumbs,
        }
    )
    env.filters["site_crumb"] = lambda pair: {"text": pair[0], "href": pair[1]}
    return env
