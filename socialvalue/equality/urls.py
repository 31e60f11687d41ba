from django.urls import path

from socialvalue.equality import views

app_name = "equality"

urlpatterns = [
    path("imports/upload/<slug:kind>/", views.upload, name="upload"),
    path("equality/settings/", views.edit_settings, name="settings"),
    path("equality/figures/", views.view_figures, name="figures"),
]
