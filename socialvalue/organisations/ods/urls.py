from django.urls import path

from socialvalue.organisations.ods import views

app_name = "ods"

urlpatterns = [
    path("organisations/add/", views.add_organisation, name="add_organisation"),
    path("organisations/add-group/", views.add_group, name="add_group"),
]
