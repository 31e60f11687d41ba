from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "socialvalue.organisations"
    verbose_name = "Organisations and people"
