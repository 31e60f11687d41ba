"""Creating organisations from the shipped reference lists, and groups from their members."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from socialvalue.domain.ods import OdsRecord
from socialvalue.organisations.models import Organisation, OrganisationKind, ods_code_validator
from socialvalue.organisations.ods import lookup

LISTS_WORDING = "NHS trusts, integrated care boards and local authorities"


class OrganisationAddError(ValueError):
    """Refused: every problem, each naming the code it is about."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Added:
    organisation: Organisation
    created: bool
    created_also: tuple[Organisation, ...] = ()  # an ICB or member trusts created on the way
    joined: tuple[Organisation, ...] = ()  # trusts that joined the group


def organisation_add(*, codes: list[str]) -> list[Added]:
    """Create the organisations with these ODS codes from the reference lists, each with its
    official name, postcode and integrated care board (created too if not here yet).

    All or nothing: one unknown or closed code and none is created. An organisation that
    exists already is left as it is.
    """
    codes = list(dict.fromkeys(c.strip().upper() for c in codes if c.strip()))
    problems = []
    records = {}
    with transaction.atomic():
        existing = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
        for code in codes:
            if code in existing:
                continue
            try:
                records[code] = _record(code)
            except OrganisationAddError as error:
                problems.extend(error.problems)
                continue
            if records[code].closed_on is not None:
                problems.append(
                    f"{code}: {records[code].name} closed on {_day(records[code].closed_on)}; "
                    "use the code of the organisation that took over its services"
                )
        if problems:
            raise OrganisationAddError(problems)
        return [
            Added(existing[code], created=False) if code in existing else _create(records[code])
            for code in codes
        ]


def organisation_add_group(*, code: str, name: str, members: list[str]) -> Added:
    """Create a group of trusts with a local code from its members' ODS codes (members not
    here yet are added from the lists). Running it again adds any new members only."""
    code = code.strip().upper()
    name = name.strip()
    member_codes = list(dict.fromkeys(m.strip().upper() for m in members if m.strip()))
    problems = []
    try:
        ods_code_validator(code)
    except ValidationError:
        problems.append(
            f"{code or '(empty)'}: enter a group code of capital letters, numbers "
            "and hyphens, 2 to 20 characters, like LPT-NHFT"
        )
    if not name:
        problems.append(f"{code}: enter the group's name with --name")
    if len(member_codes) < 2:
        problems.append(f"{code}: a group needs at least two member trusts")
    with transaction.atomic():
        group = Organisation.objects.filter(code=code).first()
        if group is not None and not group.is_group:
            problems.append(
                f"{code}: already exists as {_a_kind(group.kind)} ({group.name}), not a group"
            )
        records = {}
        for member_code in member_codes:
            if member_code == code:
                problems.append(f"{member_code}: a group cannot be its own member")
                continue
            existing = Organisation.objects.filter(code=member_code).first()
            if existing is None:
                try:
                    records[member_code] = _record(member_code)
                except OrganisationAddError as error:
                    problems.extend(error.problems)
                    continue
                kind = records[member_code].kind
                closed_on = records[member_code].closed_on
                if closed_on is not None:
                    problems.append(
                        f"{member_code}: {records[member_code].name} closed on {_day(closed_on)}"
                    )
            else:
                kind = existing.kind
                if existing.parent_id and (group is None or existing.parent_id != group.pk):
                    problems.append(
                        f"{member_code}: already a member of the group "
                        f"{existing.parent.code} ({existing.parent.name})"
                    )
            if kind != OrganisationKind.TRUST:
                problems.append(
                    f"{member_code}: is {_a_kind(kind)}, and a group's members are NHS trusts"
                )
        if problems:
            raise OrganisationAddError(problems)
        created_also = []
        trusts = []
        for member_code in member_codes:
            trust = Organisation.objects.filter(code=member_code).first()
            if trust is None:
                added = _create(records[member_code])
                trust = added.organisation
                created_also.extend([*added.created_also, trust])
            trusts.append(trust)
        created = group is None
        if created:
            icbs = {t.icb_id for t in trusts}
            group = Organisation(
                code=code,
                name=name,
                kind=OrganisationKind.GROUP,
                icb_id=icbs.pop() if len(icbs) == 1 else None,
            )
            group.full_clean()
            group.save()
        joined = []
        for trust in trusts:
            if trust.parent_id != group.pk:
                trust.parent = group
                trust.save(update_fields=["parent"])
                joined.append(trust)
        return Added(group, created=created, created_also=tuple(created_also), joined=tuple(joined))


def _record(code: str) -> OdsRecord:
    record = lookup(code)
    if record is None:
        raise OrganisationAddError(
            [
                f"{code}: no organisation with this code in the shipped lists ({LISTS_WORDING}); "
                "check the code in the NHS Organisation Data Service, or create the organisation "
                "in the admin"
            ]
        )
    return record


def _create(record: OdsRecord) -> Added:
    created_also = []
    icb = None
    if record.icb_code:
        icb = Organisation.objects.filter(code=record.icb_code).first()
        if icb is None:
            icb_record = lookup(record.icb_code)
            if icb_record is not None:
                icb = _create(icb_record).organisation
                created_also.append(icb)
    organisation = Organisation(
        code=record.code,
        name=record.name,
        kind=record.kind,
        postcode=record.postcode,
        icb=icb if icb is not None and icb.kind == OrganisationKind.ICB else None,
    )
    organisation.full_clean()
    organisation.save()
    return Added(organisation, created=True, created_also=tuple(created_also))


def _day(day) -> str:
    return f"{day.day} {day:%B %Y}"


def _a_kind(kind: str) -> str:
    """ "an integrated care board", "an NHS trust", "a supplier"."""
    label = OrganisationKind(kind).label
    words = label if label.startswith("NHS") else label[0].lower() + label[1:]
    return f"{'an' if words[0] in 'aeiouAEIOUN' else 'a'} {words}"
