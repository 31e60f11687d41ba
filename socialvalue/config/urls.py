from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("socialvalue.organisations.urls")),
    path("", include("socialvalue.measurements.urls")),
    path("", include("socialvalue.charters.urls")),
]
