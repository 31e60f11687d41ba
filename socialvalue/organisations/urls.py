from django.urls import path

from socialvalue.organisations import views

app_name = "organisations"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
]
