from django.urls import path

from socialvalue.reminders import views

app_name = "reminders"

urlpatterns = [
    path("account/email-settings/", views.email_settings, name="email_settings"),
]
