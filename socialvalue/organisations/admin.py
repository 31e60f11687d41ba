from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from socialvalue.organisations.models import Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    inlines = [MembershipInline]


@admin.register(User)
class SocialValueUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["email", "first_name", "last_name", "is_staff"]
