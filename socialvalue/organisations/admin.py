"""Admin pages: superusers see everything; an organisation's administrators see and manage
only the people of the organisations they administer (see admin_site.py)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from socialvalue.organisations.access import administered_organisation_ids
from socialvalue.organisations.models import Membership, Organisation, User

# Fields only a platform administrator may change: they grant power beyond one organisation.
PLATFORM_ONLY_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


class ScopedAdminMixin:
    """Permissions by organisation for people who are not superusers."""

    def _administered(self, request) -> set[int]:
        return administered_organisation_ids(request.user)

    def has_module_permission(self, request):
        return request.user.is_superuser or bool(self._administered(request))

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or self._may_manage(request, obj)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser or self._may_manage(request, obj)

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser or bool(self._administered(request))

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser or self._may_manage(request, obj)

    def _may_manage(self, request, obj) -> bool:
        raise NotImplementedError


class MembershipFormSet(BaseInlineFormSet):
    needs_one = False

    def clean(self):
        super().clean()
        kept = [
            f
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("role")
        ]
        if self.needs_one and not kept:
            raise ValidationError("Add the person to one of your organisations, with a role")


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 1

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # An organisation's administrator may only manage people who belong to one of
        # their organisations, so a person they add must be given a membership at once.
        formset.needs_one = not request.user.is_superuser
        return formset

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("organisation")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(organisation_id__in=administered_organisation_ids(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation" and not request.user.is_superuser:
            kwargs["queryset"] = Organisation.objects.filter(
                pk__in=administered_organisation_ids(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or bool(administered_organisation_ids(request.user))

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "icb"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=self._administered(request))

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        # Codes, kinds and group membership shape everyone's access: platform decisions.
        return () if request.user.is_superuser else ("code", "kind", "parent", "icb")

    def _may_manage(self, request, obj) -> bool:
        administered = self._administered(request)
        return bool(administered) if obj is None else obj.pk in administered


@admin.register(User)
class SocialValueUserAdmin(ScopedAdminMixin, UserAdmin):
    inlines = [MembershipInline]
    list_display = ["email", "first_name", "last_name", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    ordering = ["email"]
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "username",
                    "first_name",
                    "last_name",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            memberships__organisation_id__in=self._administered(request)
        ).distinct()

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ()
        return (*PLATFORM_ONLY_FIELDS, "last_login", "date_joined")

    def _may_manage(self, request, obj) -> bool:
        administered = self._administered(request)
        if obj is None:
            return bool(administered)
        if obj.is_superuser:
            return False
        # Only people wholly within the administrator's organisations: a person who also
        # belongs elsewhere is managed by a platform administrator.
        theirs = set(obj.memberships.values_list("organisation_id", flat=True))
        return bool(theirs) and theirs <= administered
