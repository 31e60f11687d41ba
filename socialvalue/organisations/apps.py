from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "socialvalue.organisations"
    verbose_name = "Organisations and people"

    def ready(self):
        # Site-wide system checks (static files collected for production).
        from socialvalue.config import checks  # noqa: F401
