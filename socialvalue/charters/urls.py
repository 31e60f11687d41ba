from django.contrib.auth.decorators import login_not_required
from django.urls import path

from socialvalue.charters import views

app_name = "charters"

urlpatterns = [
    path("", views.home, name="home"),
    path("schemas/charter-1.json", login_not_required(views.view_schema), name="schema"),
    path("charters/new/", views.create_charter, name="create_charter"),
    path("charters/<str:code>/", views.view_charter, name="view_charter"),
    path("charters/<str:code>/edit/", views.edit_charter, name="edit_charter"),
    path("charters/<str:code>/themes/new/", views.save_theme, name="create_theme"),
    path("charters/<str:code>/themes/<str:theme_code>/edit/", views.save_theme, name="edit_theme"),
    path(
        "charters/<str:code>/themes/<str:theme_code>/pledges/new/",
        views.save_pledge,
        name="create_pledge",
    ),
    path(
        "charters/<str:code>/themes/<str:theme_code>/pledges/<str:pledge_code>/edit/",
        views.save_pledge,
        name="edit_pledge",
    ),
    path("charters/<str:code>/indicators/new/", views.save_indicator, name="create_indicator"),
    path(
        "charters/<str:code>/indicators/<str:indicator_code>/edit/",
        views.save_indicator,
        name="edit_indicator",
    ),
]
