"""The one-time links at which someone chooses a password.

A password reset link (Django's `default_token_generator`) works for
TANDEM_PASSWORD_RESET_MINUTES: someone who asked for it is waiting for it. An invitation
link works for TANDEM_INVITATION_DAYS: a welcome e-mail is read when its reader gets to it,
often days later. Both stop working once used, because their signature covers the password
hash and the last sign-in, which change when it is used; and they are signed with different
salts, so neither kind of link is accepted as the other.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "tandem.access.tokens.InvitationTokenGenerator"

    def check_token(self, user: Any, token: str | None) -> bool:
        # Django's check measures the age against PASSWORD_RESET_TIMEOUT; the signature part
        # is the same, the age limit is the invitation's.
        if not (user and token):
            return False
        try:
            stamp_b36, _ = token.split("-")
            stamp = base36_to_int(stamp_b36)
        except ValueError:
            return False
        secrets = [self.secret, *self.secret_fallbacks]
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, stamp, secret), token)
            for secret in secrets
        ):
            return False
        return self._num_seconds(self._now()) - stamp <= settings.INVITATION_TIMEOUT


invitation_token_generator = InvitationTokenGenerator()
