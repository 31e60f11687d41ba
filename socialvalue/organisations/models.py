from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q


class OrganisationKind(models.TextChoices):
    TRUST = "trust", "NHS trust"
    GROUP = "group", "Group of trusts"
    ICB = "icb", "Integrated care board"
    SUPPLIER = "supplier", "Supplier"


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
        direct = Organisation.objects.filter(memberships__user=user)
        return self.filter(
            Q(pk__in=direct) | Q(parent__in=direct) | Q(pk__in=direct.values("parent"))
        ).distinct()

    def seen_in_full_by(self, user) -> "OrganisationQuerySet":
        """Organisations whose values the user sees at every state, with their notes,
        narratives, reviews and evidence: their own, and a group's members for the group's
        people. A member trust sees its siblings' and its group's approved figures only."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        direct = Organisation.objects.filter(memberships__user=user)
        return self.filter(Q(pk__in=direct) | Q(parent__in=direct)).distinct()


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


class User(AbstractUser):
    """People sign in with their email address; the username is kept for Django's admin."""

    email = models.EmailField("email address", unique=True)

    objects = UserManager()

    def __str__(self) -> str:
        return self.get_full_name() or self.email


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
