"""Email printed on the terminal, readable: the default until SMTP is configured.

Django's console backend prints the encoded message, where quoted-printable breaks a long
line with "=" and a line break, so a link in an invitation copied from the terminal fails.
This one prints the headers people need and the body as written.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    def write_message(self, message):
        self.stream.write(
            f"From: {message.from_email}\n"
            f"To: {', '.join(message.to)}\n"
            f"Subject: {message.subject}\n\n"
            f"{message.body}\n"
        )
        self.stream.write("-" * 79 + "\n")


@register(Tags.mail, deploy=True)
def check_email_leaves_the_server(app_configs, **kwargs):
    """Like Django's mail.E001, which does not know this backend: in production, email
    printed on the terminal is email lost (invitations, password resets, reminders)."""
    backend = getattr(settings, "MAILERS", {}).get("default", {}).get("BACKEND", "")
    if backend != "socialvalue.config.mail.ReadableConsoleBackend" or settings.DEBUG:
        return []
    return [
        Error(
            "Email is printed on the terminal, not sent: invitations and password resets "
            "would never arrive.",
            hint="Set SOCIALVALUE_EMAIL_BACKEND=smtp and the SOCIALVALUE_EMAIL_* settings "
            "(docs/settings.md).",
            id="socialvalue.E001",
        )
    ]
