"""`socialvalue org add|add-group`: organisations from the shipped ODS lists."""

from django.core.management.base import BaseCommand, CommandError

from socialvalue.organisations.ods.services import (
    OrganisationAddError,
    organisation_add,
    organisation_add_group,
)


class Command(BaseCommand):
    help = "Add organisations from the NHS Organisation Data Service lists (see docs/cli.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        add = sub.add_parser(
            "add", help="Create an organisation from its ODS code, with its name, postcode and ICB."
        )
        add.add_argument("code", nargs="+", help="ODS code, such as RXN (several allowed).")
        group = sub.add_parser("add-group", help="Create a group of trusts from its members.")
        group.add_argument("code", help="The group's own code, such as LPT-NHFT.")
        group.add_argument("--name", required=True, help="The group's name.")
        group.add_argument(
            "--members", nargs="+", required=True, metavar="CODE", help="Member trusts' ODS codes."
        )

    def handle(self, *args, action, **options):
        try:
            if action == "add":
                self._add(options["code"])
            else:
                self._add_group(options["code"], options["name"], options["members"])
        except OrganisationAddError as error:
            raise CommandError("\n".join(error.problems)) from None

    def _add(self, codes):
        results = organisation_add(codes=codes)
        for result in results:
            org = result.organisation
            for also in result.created_also:
                self.stdout.write(f"{also.code}: created {also.name} ({also.get_kind_display()})")
            if result.created:
                icb = f", integrated care board {org.icb.code}" if org.icb else ""
                postcode = f", {org.postcode}" if org.postcode else ""
                self.stdout.write(
                    f"{org.code}: created {org.name} ({org.get_kind_display()}{postcode}{icb})"
                )
            else:
                self.stdout.write(f"{org.code}: already here ({org.name}); nothing changed")

    def _add_group(self, code, name, members):
        result = organisation_add_group(code=code, name=name, members=members)
        group = result.organisation
        for also in result.created_also:
            self.stdout.write(f"{also.code}: created {also.name} ({also.get_kind_display()})")
        codes = ", ".join(o.code for o in group.members.order_by("code"))
        if result.created:
            self.stdout.write(f"{group.code}: created group {group.name} with members {codes}")
        elif result.joined:
            joined = ", ".join(o.code for o in result.joined)
            self.stdout.write(f"{group.code}: already here; {joined} joined (members {codes})")
        else:
            self.stdout.write(f"{group.code}: already here with members {codes}; nothing changed")
