from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db import transaction
from django.template import loader

from tandem.access import external_sign_in
from tandem.access.services import invite_instead_of_reset
from tandem.core.tasks import send_email
from tandem.org.models import Person


class SignInForm(AuthenticationForm):
    """E-mail sign-in; addresses are stored in lower case, so compare in lower case."""

    def clean_username(self) -> str:
        username = (self.cleaned_data.get("username") or "").strip().lower()
        refusal = external_sign_in.password_sign_in_refusal(username)
        if refusal:
            raise forms.ValidationError(refusal, code="sso_required")
        return username


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose e-mail goes through the task queue, so a slow or failing
    mail server never holds up (or breaks) the page, and the answer takes the same time
    whether or not the address exists."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        # Queued after commit, with plain strings only (conventions: tasks receive ids/data).
        transaction.on_commit(
            partial(send_email.enqueue, subject=subject, body=body, to=[to_email])
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Reset links for people with a password (Django's default), and an invitation for
        an active person who has none yet (created by an import or by HR): "Forgot your
        password?" is where they go when they cannot get in, and a reset link would refuse
        them. The page's answer is the same either way, and whether the address exists."""
        super().save(*args, **kwargs)
        email = self.cleaned_data["email"]
        for person in Person.objects.filter(email__iexact=email.strip(), is_active=True):
            if not person.has_usable_password():
                invite_instead_of_reset(person)


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="What is this token for?",
        help_text="For example “Payroll sync” or “My laptop scripts”.",
    )
