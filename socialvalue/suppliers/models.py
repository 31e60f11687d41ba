"""The supplier register of each organisation, and its local area (ADR 017)."""

from django.db import models

from socialvalue.domain.places import LocalArea as DomainLocalArea
from socialvalue.domain.suppliers import Kind, RegisterEntry
from socialvalue.organisations.models import Organisation


class SupplierQuerySet(models.QuerySet):
    def for_user(self, user) -> "SupplierQuerySet":
        return self.filter(organisation__in=Organisation.objects.for_user(user))

    def of(self, organisation: Organisation) -> "SupplierQuerySet":
        return self.filter(organisation=organisation)


class SupplierKind(models.TextChoices):
    ORGANISATION = Kind.ORGANISATION.value, "Organisation"
    PUBLIC_BODY = Kind.PUBLIC_BODY.value, "Public body"
    INDIVIDUAL = Kind.INDIVIDUAL.value, "Individual"


class Supplier(models.Model):
    """A supplier as the organisation knows it.

    Each flag (SME, VCFSE) is yes, no or unknown (null), with where it came from in words:
    "from the supplier file row 4", "set by Ann Lead on 2026-12-01", "from the charity
    register lookup". A payment to an individual is never saved with the person's name: its
    name is the fixed label, and such rows are never created from ledgers.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="suppliers"
    )
    name = models.CharField(max_length=300)
    normalised_name = models.CharField(max_length=300, db_index=True)
    aliases = models.JSONField(default=list, blank=True)
    kind = models.CharField(
        max_length=20, choices=SupplierKind.choices, default=SupplierKind.ORGANISATION
    )
    public_body = models.CharField(max_length=40, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    company_number = models.CharField(max_length=10, blank=True)
    charity_number = models.CharField(max_length=12, blank=True)
    # UK SIC 2007 codes (5 digits), as the supplier file gives them; the first one places
    # the supplier's spend in an industry section on the spend page.
    sic_codes = models.JSONField(default=list, blank=True)
    sme = models.BooleanField(null=True, blank=True)
    sme_source = models.CharField(max_length=200, blank=True)
    vcfse = models.BooleanField(null=True, blank=True)
    vcfse_source = models.CharField(max_length=200, blank=True)
    confirmed = models.BooleanField(
        default=False, help_text="A lead has checked this supplier and its matches."
    )
    source = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SupplierQuerySet.as_manager()

    class Meta:
        ordering = ["normalised_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "normalised_name"], name="supplier_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def to_entry(self) -> RegisterEntry:
        return RegisterEntry(
            key=self.pk,
            name=self.name,
            aliases=tuple(self.aliases),
            company_number=self.company_number,
        )


class LocalAreaQuerySet(models.QuerySet):
    def for_user(self, user) -> "LocalAreaQuerySet":
        return self.filter(organisation__in=Organisation.objects.for_user(user))


class LocalArea(models.Model):
    """An organisation's local area: local authority districts and postcode districts.

    Chosen as authorities (a county council stands for its districts) or postcode districts;
    what was chosen is kept as written (`chosen`), and placement compares districts.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="local_area"
    )
    authorities = models.JSONField(default=list, blank=True)
    postcode_districts = models.JSONField(default=list, blank=True)
    chosen = models.JSONField(default=list, blank=True)
    updated_by = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LocalAreaQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Local area of {self.organisation}"

    def to_domain(self) -> DomainLocalArea:
        return DomainLocalArea(
            authorities=frozenset(self.authorities),
            postcode_districts=frozenset(self.postcode_districts),
        )
