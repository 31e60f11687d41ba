from django.urls import path

from socialvalue.measurements import sheet_views, views

app_name = "measurements"

urlpatterns = [
    path("my-indicators/", views.my_indicators, name="my_indicators"),
    path("approvals/", views.list_approvals, name="list_approvals"),
    path("approvals/approve/", views.approve_measurements, name="approve_measurements"),
    path("values/<int:pk>/source/", views.view_source, name="view_source"),
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
    path(
        "charters/<str:code>/indicators/<str:indicator_code>/earlier/<str:year>/",
        views.record_earlier_figure,
        name="record_earlier_figure",
    ),
    path(
        "charters/<str:code>/values-sheet/",
        sheet_views.view_values_sheet,
        name="view_values_sheet",
    ),
    path(
        "charters/<str:code>/values-sheet/download/",
        sheet_views.download_values_sheet,
        name="download_values_sheet",
    ),
    path(
        "charters/<str:code>/values-sheet/check/",
        sheet_views.check_values_sheet,
        name="check_values_sheet",
    ),
    path(
        "charters/<str:code>/values-sheet/confirm/",
        sheet_views.confirm_values_sheet,
        name="confirm_values_sheet",
    ),
    path("charters/<str:code>/export/", sheet_views.export_charter, name="export_charter"),
]
