from django.urls import path

from socialvalue.imports import views

app_name = "imports"

urlpatterns = [
    path("imports/", views.list_imports, name="list_imports"),
    path("imports/spend/", views.upload_spend, name="upload_spend"),
    path("imports/<int:pk>/", views.view_import, name="view_import"),
    path("imports/<int:pk>/columns/", views.confirm_columns, name="confirm_columns"),
    path("imports/layouts/<int:pk>/forget/", views.forget_layout, name="forget_layout"),
]
