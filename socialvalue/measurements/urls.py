from django.urls import path

from socialvalue.measurements import views

app_name = "measurements"

urlpatterns = [
    path("my-indicators/", views.my_indicators, name="my_indicators"),
    path("approvals/", views.list_approvals, name="list_approvals"),
    path("values/<int:pk>/review/", views.review_measurement, name="review_measurement"),
    path("evidence/<int:pk>/", views.download_evidence, name="download_evidence"),
    path("charters/<str:code>/progress/", views.view_dashboard, name="view_dashboard"),
    path(
        "charters/<str:code>/indicators/<str:indicator_code>/",
        views.view_indicator,
        name="view_indicator",
    ),
    path(
        "charters/<str:code>/indicators/<str:indicator_code>/record/",
        views.record_value,
        name="record_value",
    ),
]
