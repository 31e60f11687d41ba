"""Factories for the models tests need; the fixed cast of people is in conftest.py."""

import factory

from socialvalue.charters.models import Charter, Indicator, Pledge, ReportingPeriod, Theme
from socialvalue.organisations.models import Membership, Organisation, User

PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"T{n:02d}")
    name = factory.LazyAttribute(lambda o: f"Trust {o.code}")
    kind = "trust"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    username = factory.LazyAttribute(lambda u: u.email)
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "viewer"


class CharterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Charter
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"CH-{n}")
    title = factory.LazyAttribute(lambda c: f"Charter {c.code}")
    organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def years(self, create, extracted, **kwargs):
        for start in extracted or [2023]:
            ReportingPeriod.objects.create(charter=self, start_year=start)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    charter = factory.SubFactory(CharterFactory)
    code = factory.Sequence(lambda n: f"TH{n}")
    title = factory.Sequence(lambda n: f"Theme {n}")


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    theme = factory.SubFactory(ThemeFactory)
    code = factory.Sequence(lambda n: f"P{n}")
    text = "We will do good things"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    pledge = factory.SubFactory(PledgeFactory)
    charter = factory.LazyAttribute(lambda i: i.pledge.theme.charter)
    code = factory.Sequence(lambda n: f"IND-{n}")
    title = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "people"
    frequency = "quarterly"
    target_kind = "count"
    target_params = factory.LazyFunction(lambda: {"value": 100})
