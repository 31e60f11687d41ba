"""Inviting people by email: a membership now, a link to set a password, one use."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from socialvalue.organisations.access import role_at
from socialvalue.organisations.invitations.tokens import invitation_token_generator
from socialvalue.organisations.models import (
    ROLE_RANK,
    Membership,
    Organisation,
    Role,
    User,
    normalise_email,
)


class InvitationError(ValueError):
    pass


@dataclass(frozen=True)
class Invitation:
    user: User
    membership: Membership
    created_user: bool
    sent_link: bool  # False when the person has a password already: they were told to sign in
    resent: bool = False


def roles_grantable_by(actor, organisation: Organisation) -> list[Role]:
    """Roles the actor may give at the organisation: up to their own, from lead upwards.

    `actor=None` is the command line, run by whoever runs the server: any role.
    """
    if actor is None:
        return list(Role)
    actual = role_at(actor, organisation)
    if actual is None or ROLE_RANK[actual] < ROLE_RANK[Role.LEAD]:
        return []
    return [role for role in Role if ROLE_RANK[role] <= ROLE_RANK[actual]]


def person_invite(
    *,
    actor: User | None,
    email: str,
    organisation: Organisation,
    role: Role | str,
    first_name: str = "",
    last_name: str = "",
) -> Invitation:
    """Give the person with this email a role at the organisation and email them.

    A new person gets a link to set their password (valid INVITATION_DAYS, one use); a
    person who already has a password is told they can sign in. Inviting again someone who
    is a member but has never set a password sends a fresh link; anyone else who is already a
    member is refused, naming their role. The name is kept for a new person only: people
    keep the name they have.
    """
    role = Role(role)
    email = normalise_email(email)
    if role not in roles_grantable_by(actor, organisation):
        raise InvitationError(
            f"You cannot give the {role.label.lower()} role at {organisation.code}"
        )
    with transaction.atomic():
        user = User.objects.with_email(email).first()
        created_user = user is None
        if created_user:
            try:
                validate_email(email)
            except ValidationError:
                raise InvitationError(
                    f"{email or '(empty)'}: enter an email address in the correct format, "
                    "like name@example.com"
                ) from None
            user = User(
                email=email,
                username=_free_username(email),
                first_name=first_name.strip()[:150],
                last_name=last_name.strip()[:150],
            )
            user.set_unusable_password()
            user.save()
        if not user.is_active:
            raise InvitationError(
                f"{email} has been deactivated; a platform administrator can reactivate them "
                "in the admin"
            )
        membership = Membership.objects.filter(user=user, organisation=organisation).first()
        resent = False
        if membership is not None:
            if user.has_usable_password():
                raise InvitationError(
                    f"{email} is already a member of {organisation.code} "
                    f"({membership.get_role_display().lower()}); change their role on the "
                    "people page, or they can use “Forgotten your password?” to sign in"
                )
            resent = True
        else:
            membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    # Sent once the membership is saved: a refused invitation sends nothing.
    sent_link = not user.has_usable_password()
    _send(user=user, membership=membership, actor=actor, with_link=sent_link)
    return Invitation(user, membership, created_user, sent_link, resent)


def invitation_url(user: User) -> str:
    path = reverse(
        "invitations:accept_invitation",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL + path


def _send(*, user: User, membership: Membership, actor: User | None, with_link: bool) -> None:
    context = {
        "organisation": membership.organisation,
        "role": membership.get_role_display().lower(),
        "inviter": (actor.get_full_name() or actor.email) if actor else None,
        "link": invitation_url(user)
        if with_link
        else settings.SITE_URL + reverse("organisations:sign_in"),
        "with_link": with_link,
        "days": settings.INVITATION_DAYS,
    }
    subject = f"Social value: you have been invited to {membership.organisation.name}"
    body = render_to_string("organisations/invitations/invitation_email.txt", context)
    send_mail(subject, body, None, [user.email])


def _free_username(email: str) -> str:
    # The username is only for Django's admin; people sign in with their email.
    base = email[:140]
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate
