"""`socialvalue user invite EMAIL --org CODE --role ROLE`: invite a person by email."""

from django.core.management.base import BaseCommand, CommandError

from socialvalue.organisations.invitations.services import InvitationError, person_invite
from socialvalue.organisations.models import Organisation, Role

# "owner" is what the pages call a contributor: an indicator owner.
ROLE_NAMES = {**{r.value: r for r in Role}, "owner": Role.CONTRIBUTOR}


class Command(BaseCommand):
    help = "Invite people by email (see docs/cli.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        invite = sub.add_parser(
            "invite", help="Give a person a role at an organisation and email them a link."
        )
        invite.add_argument("email", help="Their email address.")
        invite.add_argument("--org", required=True, help="The organisation's code, such as RXN.")
        invite.add_argument("--first-name", default="", help="Their first name (a new person).")
        invite.add_argument("--last-name", default="", help="Their last name (a new person).")
        invite.add_argument(
            "--role",
            required=True,
            choices=sorted(ROLE_NAMES),
            help="administrator, lead, contributor (or owner: an indicator owner) or viewer.",
        )

    def handle(self, *args, action, email, org, role, first_name="", last_name="", **options):
        organisation = Organisation.objects.filter(code=org.strip().upper()).first()
        if organisation is None:
            raise CommandError(
                f"No organisation with code {org}; add it first with `socialvalue org add {org}`"
            )
        try:
            invitation = person_invite(
                actor=None,
                email=email,
                organisation=organisation,
                role=ROLE_NAMES[role],
                first_name=first_name,
                last_name=last_name,
            )
        except InvitationError as error:
            raise CommandError(str(error)) from None
        membership = invitation.membership
        what = "an invitation link" if invitation.sent_link else "a note that they can sign in"
        again = " again" if invitation.resent else ""
        self.stdout.write(
            f"{invitation.user.email}: {membership.get_role_display().lower()} at "
            f"{organisation.code}; sent {what}{again}"
        )
