"""Invitation links: Django's password-reset tokens with their own salt and lifetime.

A token hashes the person's password and last sign-in, so it stops working once used:
setting the password changes one and signing in changes the other.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "socialvalue.organisations.invitations.InvitationTokenGenerator"

    def check_token(self, user, token) -> bool:
        # As Django's, but the lifetime is INVITATION_DAYS rather than PASSWORD_RESET_TIMEOUT.
        if not (user and token):
            return False
        try:
            timestamp_b36, _ = token.split("-")
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        age = self._num_seconds(self._now()) - timestamp
        return age <= settings.INVITATION_DAYS * 24 * 60 * 60


invitation_token_generator = InvitationTokenGenerator()
