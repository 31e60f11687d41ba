"""Sending the daily reminders: one email per person per kind of reminder."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from socialvalue.reminders.digests import (
    ApprovalSummary,
    OverdueDigest,
    approval_summaries,
    overdue_digests,
)

# An email lists this many values at most, then says how many more are waiting.
MAX_LISTED = 50


@dataclass
class ReminderReport:
    overdue: list[OverdueDigest] = field(default_factory=list)
    approvals: list[ApprovalSummary] = field(default_factory=list)
    overdue_off: bool = False
    approvals_off: bool = False


def reminders_send(*, as_of: date, dry_run: bool = False) -> ReminderReport:
    """Email each owner their overdue periods and each lead the values waiting for them.

    Either kind is skipped for everyone when its setting is off, and for a person who
    turned it off on their email settings page. A dry run works out the same emails and
    sends none.
    """
    report = ReminderReport(
        overdue_off=not settings.REMIND_OVERDUE, approvals_off=not settings.REMIND_APPROVALS
    )
    if not report.overdue_off:
        report.overdue = overdue_digests(as_of=as_of)
    if not report.approvals_off:
        report.approvals = approval_summaries(as_of=as_of)
    if not dry_run:
        for digest in report.overdue:
            _send(digest.user, *overdue_email(digest, as_of=as_of))
        for summary in report.approvals:
            _send(summary.user, *approvals_email(summary, as_of=as_of))
    return report


def overdue_email(digest: OverdueDigest, *, as_of: date) -> tuple[str, str]:
    count = digest.period_count
    subject = f"Social value: {count} overdue {'period' if count == 1 else 'periods'} to record"
    body = render_to_string(
        "reminders/overdue_email.txt",
        {
            "digest": digest,
            "as_of": as_of,
            "grace_days": settings.OVERDUE_GRACE_DAYS,
            "site_url": settings.SITE_URL,
            "my_indicators": settings.SITE_URL + reverse("measurements:my_indicators"),
            "settings_url": settings.SITE_URL + reverse("reminders:email_settings"),
        },
    )
    return subject, body


def approvals_email(summary: ApprovalSummary, *, as_of: date) -> tuple[str, str]:
    count = len(summary.waiting)
    subject = f"Social value: {count} {'value' if count == 1 else 'values'} waiting for approval"
    body = render_to_string(
        "reminders/approvals_email.txt",
        {
            "summary": summary,
            "listed": summary.waiting[:MAX_LISTED],
            "more": max(0, count - MAX_LISTED),
            "as_of": as_of,
            "approvals_url": settings.SITE_URL + reverse("measurements:list_approvals"),
            "settings_url": settings.SITE_URL + reverse("reminders:email_settings"),
        },
    )
    return subject, body


def _send(user, subject: str, body: str) -> None:
    send_mail(subject, body, None, [user.email])


def reminders_settings_save(
    *, user, email_overdue_reminders: bool, email_approval_reminders: bool
) -> None:
    user.email_overdue_reminders = email_overdue_reminders
    user.email_approval_reminders = email_approval_reminders
    user.save(update_fields=["email_overdue_reminders", "email_approval_reminders"])
