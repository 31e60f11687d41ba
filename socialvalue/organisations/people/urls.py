from django.urls import path

from socialvalue.organisations.people import views

app_name = "people"

urlpatterns = [
    path("people/", views.list_people, name="list_people"),
    path("organisations/<str:code>/people/", views.view_people, name="view_people"),
    path("organisations/<str:code>/people/<int:pk>/role/", views.change_role, name="change_role"),
    path(
        "organisations/<str:code>/people/<int:pk>/remove/",
        views.remove_membership,
        name="remove_membership",
    ),
]
