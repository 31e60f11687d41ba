from dataclasses import dataclass

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class OrganisationKind(models.TextChoices):
    TRUST = "trust", "NHS trust"
    GROUP = "group", "Group of trusts"
    ICB = "icb", "Integrated care board"
    SUPPLIER = "supplier", "Supplier"
    CSU = "csu", "Commissioning support unit"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    PARTNERSHIP = "partnership", "Cross-sector partnership or alliance"


class Role(models.TextChoices):
    # Ordered from most to least powerful; see ROLE_RANK.
    ADMINISTRATOR = "administrator", "Administrator"
    LEAD = "lead", "Social value lead"
    CONTRIBUTOR = "contributor", "Indicator owner"
    VIEWER = "viewer", "Viewer"


ROLE_RANK = {Role.VIEWER: 0, Role.CONTRIBUTOR: 1, Role.LEAD: 2, Role.ADMINISTRATOR: 3}

ods_code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{1,19}$",
    "Enter a code of capital letters, numbers and hyphens, like RXN",
)


class OrganisationQuerySet(models.QuerySet):
    def for_user(self, user) -> "OrganisationQuerySet":
        """Organisations whose data the user may read: their own, and a group's members.

        A member of a group sees the group (for its roll-up) and, through the group, its
        members' published figures; administrators of the platform (superusers) see all.
        """
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(pk__in=reach_of(user).readable)

    def seen_in_full_by(self, user) -> "OrganisationQuerySet":
        """Organisations whose values the user sees at every state, with their notes,
        narratives, reviews and evidence: their own, and a group's members for the group's
        people. A member trust sees its siblings' and its group's approved figures only."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(pk__in=reach_of(user).in_full)


class Organisation(models.Model):
    code = models.CharField(
        "ODS code",
        max_length=20,
        unique=True,
        validators=[ods_code_validator],
        help_text="The Organisation Data Service code, such as RXN; groups use a local code.",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        limit_choices_to={"kind": OrganisationKind.GROUP},
        help_text="The group this organisation belongs to, if any.",
    )
    postcode = models.CharField(max_length=10, blank=True)
    icb = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations_in_area",
        limit_choices_to={"kind": OrganisationKind.ICB},
        verbose_name="integrated care board",
        help_text="The integrated care board for the organisation's area, from the ODS lists.",
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="organisation_not_own_parent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_group(self) -> bool:
        return self.kind == OrganisationKind.GROUP

    def with_members(self) -> list["Organisation"]:
        """This organisation and, for a group, its member trusts: who reports on its charters."""
        return [self, *self.members.all()] if self.is_group else [self]


def normalise_email(email: str) -> str:
    """One spelling per address: `LEAD@RT5.example` and `lead@rt5.example` are one person."""
    return (email or "").strip().lower()


class UserQuerySet(models.QuerySet):
    def with_email(self, email: str) -> "UserQuerySet":
        """People with this address, ignoring case (at most one, by the constraint)."""
        return self.filter(email__iexact=normalise_email(email))


class SocialValueUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """People sign in with their email address; the username is kept for Django's admin."""

    email = models.EmailField("email address", unique=True)
    email_overdue_reminders = models.BooleanField(
        "email me about my overdue values",
        default=True,
        help_text="A daily email listing periods of your indicators with no value recorded.",
    )
    email_approval_reminders = models.BooleanField(
        "email me about values waiting for my approval",
        default=True,
        help_text="A daily email summarising values you may approve.",
    )

    objects = SocialValueUserManager()

    class Meta(AbstractUser.Meta):
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ignoring_case",
                violation_error_message="A person with this email address already exists",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        # Every path that writes a user (admin, factories, createsuperuser, services) stores
        # the one spelling, so lookups and the constraint agree.
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)


class MembershipQuerySet(models.QuerySet):
    def at_least(self, role: str) -> "MembershipQuerySet":
        allowed = [r for r, rank in ROLE_RANK.items() if rank >= ROLE_RANK[Role(role)]]
        return self.filter(role__in=allowed)


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_role_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.organisation.code}"


@dataclass(frozen=True)
class Reach:
    """The organisations a user's memberships reach (see OrganisationQuerySet)."""

    in_full: frozenset[int]  # their own, and a group's members for the group's people
    readable: frozenset[int]  # those, and the groups their own organisations belong to


def seen_in_full_ids(user) -> frozenset[int]:
    """The ids of `Organisation.objects.seen_in_full_by(user)`, from the user's reach (no
    query, but for a superuser, who sees every organisation in full)."""
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return frozenset(Organisation.objects.values_list("pk", flat=True))
    return reach_of(user).in_full


def reach_of(user) -> Reach:
    """The user's reach, worked out once and kept on the user object for the request (as
    access.memberships_of keeps memberships): a page asks for it many times, and a list of
    ids is cheaper for the database to plan than the same subqueries in every query."""
    cached = getattr(user, "_socialvalue_reach", None)
    if cached is None:
        memberships = getattr(user, "_socialvalue_memberships", None)
        if memberships is None:
            # Kept where access.memberships_of looks for them: one query serves both.
            memberships = list(Membership.objects.filter(user=user).select_related("organisation"))
            user._socialvalue_memberships = memberships
        direct = {m.organisation_id: m.organisation.parent_id for m in memberships}
        # Only a group has members (as Organisation.with_members takes it): a person of
        # trusts alone, most people, costs no query for them.
        groups = [m.organisation_id for m in memberships if m.organisation.is_group]
        members = (
            set(Organisation.objects.filter(parent__in=groups).values_list("pk", flat=True))
            if groups
            else set()
        )
        in_full = frozenset(direct) | members
        parents = {parent for parent in direct.values() if parent is not None}
        cached = Reach(in_full=in_full, readable=in_full | parents)
        user._socialvalue_reach = cached
    return cached
