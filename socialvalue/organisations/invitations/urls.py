from django.urls import path

from socialvalue.organisations.invitations import views

app_name = "invitations"

urlpatterns = [
    path("invitations/new/", views.invite_person, name="invite_person"),
    path(
        "invitations/<uidb64>/<token>/",
        views.AcceptInvitation.as_view(),
        name="accept_invitation",
    ),
    path("password-reset/", views.ResetPassword.as_view(), name="reset_password"),
    path("password-reset/sent/", views.ResetPasswordSent.as_view(), name="reset_password_sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.ChoosePassword.as_view(),
        name="choose_password",
    ),
]
