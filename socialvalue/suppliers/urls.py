from django.urls import path

from socialvalue.suppliers import views

app_name = "suppliers"

urlpatterns = [
    path("organisations/<str:code>/suppliers/", views.list_suppliers, name="list_suppliers"),
    path("organisations/<str:code>/local-area/", views.local_area, name="local_area"),
    path(
        "organisations/<str:code>/suppliers/upload/",
        views.upload_suppliers,
        name="upload_suppliers",
    ),
]
