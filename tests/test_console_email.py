"""Email on the terminal (the default backend) keeps long links whole, to be copied."""

import io

from django.core import mail

from socialvalue.config.mail import ReadableConsoleBackend

LONG_LINK = (
    "https://socialvalue.lancashire-teaching-hospitals.example.nhs.uk/password-reset/"
    "MTAw/cz1abc-0123456789abcdef0123456789abcdef/"
)


def test_a_long_link_is_printed_on_one_line():
    stream = io.StringIO()
    message = mail.EmailMessage(
        "Social value: choose a new password",
        f"Choose a new password:\n\n{LONG_LINK}\n\nThe link works once.",
        "socialvalue@localhost",
        ["owner@rxn.test"],
    )

    sent = ReadableConsoleBackend(stream=stream).send_messages([message])

    assert sent == 1
    printed = stream.getvalue()
    assert f"\n{LONG_LINK}\n" in printed
    assert printed.startswith(
        "From: socialvalue@localhost\nTo: owner@rxn.test\n"
        "Subject: Social value: choose a new password\n\n"
    )


def test_it_is_the_default_backend(settings):
    # pytest-django swaps in the locmem backend for tests; the setting itself names ours.
    from socialvalue.config import settings as project_settings

    assert project_settings.MAILERS["default"]["BACKEND"] == (
        "socialvalue.config.mail.ReadableConsoleBackend"
    )
