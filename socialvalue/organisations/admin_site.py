"""The Django admin, open to platform administrators and to organisation administrators.

An organisation's administrator (the `administrator` role) manages the people of the
organisations they administer: who belongs, with which role, and their accounts. Everything
else in the admin is for platform administrators (superusers) only. Charters and progress are
managed in the application, not here.
"""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig


class SocialValueAdminSite(AdminSite):
    site_header = "Social value administration"
    site_title = "Social value administration"
    index_title = "People and organisations"

    def has_permission(self, request) -> bool:
        # Imported here: this module is loaded with INSTALLED_APPS, before any model.
        from socialvalue.organisations.access import administered_organisation_ids

        user = request.user
        return user.is_active and (user.is_superuser or bool(administered_organisation_ids(user)))


class SocialValueAdminConfig(AdminConfig):
    default_site = "socialvalue.organisations.admin_site.SocialValueAdminSite"
