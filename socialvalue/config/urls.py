from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("socialvalue.organisations.urls")),
    path("", include("socialvalue.organisations.ods.urls")),
    path("", include("socialvalue.organisations.invitations.urls")),
    path("", include("socialvalue.reminders.urls")),
    path("", include("socialvalue.organisations.people.urls")),
    path("", include("socialvalue.suppliers.urls")),
    path("", include("socialvalue.spend.urls")),
    # Charters first: its "indicators/new/" must win over the indicator page's
    # "indicators/<code>/" in measurements (and "new" is refused as an indicator code).
    path("", include("socialvalue.charters.urls")),
    path("", include("socialvalue.measurements.urls")),
    path("", include("socialvalue.imports.urls")),
    path("", include("socialvalue.equality.urls")),
]
