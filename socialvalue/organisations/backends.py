from django.contrib.auth.backends import ModelBackend

from socialvalue.organisations.models import User


class EmailBackend(ModelBackend):
    """Sign in with an email address (case-insensitive) instead of a username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = User.objects.filter(email__iexact=username).first()
        if user is None:
            User().set_password(password)  # same work either way: no timing hint
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
