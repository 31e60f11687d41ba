from django.urls import path

from socialvalue.spend import views

app_name = "spend"

urlpatterns = [
    path("organisations/<str:code>/spend/", views.spend_summary_page, name="summary"),
]
