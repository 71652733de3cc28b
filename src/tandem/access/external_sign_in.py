"""Sign-in through someone else: single sign-on (OIDC, SAML) ends here.

Access is at the bottom of the layers, so the SSO code (in `tandem.integrations`) plugs in
through two registries rather than being imported:

- `register_sign_in_options` adds buttons to the sign-in page ("Sign in with Okta");
- `register_password_policy` may refuse password sign-in for an address (a company that
  requires SSO, apart from its break-glass account).

Every protocol finishes with `complete_external_sign_in`, so matching a person, refusing
someone who left and the audit trail are the same for OIDC and SAML.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import login
from django.http import HttpRequest

from tandem.audit import services as audit
from tandem.org.models import Person

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass(frozen=True)
class SignInOption:
    """A button on the sign-in page."""

    label: str  # "Sign in with Okta"
    url: str  # where the button leads (starts the protocol)


@dataclass(frozen=True)
class ExternalSignIn:
    """How an SSO sign-in ended: `person` signed in, or `problem` in plain words."""

    person: Person | None
    problem: str = ""


SignInOptionsProvider = Callable[[HttpRequest], list[SignInOption]]
# Given a normalised e-mail address, a sentence saying why password sign-in is refused,
# or "" when it is allowed.
PasswordPolicy = Callable[[str], str]
# Given the e-mail, the claims/attributes and the source, a person to create (just-in-time
# provisioning when the company allows it), or None.
JustInTimeProvider = Callable[[str, dict[str, object], str], Person | None]

_option_providers: list[SignInOptionsProvider] = []
_password_policies: list[PasswordPolicy] = []
_just_in_time: list[JustInTimeProvider] = []


def register_sign_in_options(provider: SignInOptionsProvider) -> SignInOptionsProvider:
    if provider not in _option_providers:
        _option_providers.append(provider)
    return provider


def register_password_policy(policy: PasswordPolicy) -> PasswordPolicy:
    if policy not in _password_policies:
        _password_policies.append(policy)
    return policy


def register_just_in_time(provider: JustInTimeProvider) -> JustInTimeProvider:
    if provider not in _just_in_time:
        _just_in_time.append(provider)
    return provider


def sign_in_options(request: HttpRequest) -> list[SignInOption]:
    return [option for provider in _option_providers for option in provider(request)]


def password_sign_in_refusal(email: str) -> str:
    """Why password sign-in is refused for this address ("" when it is allowed)."""
    normalised = email.strip().lower()
    for policy in _password_policies:
        reason = policy(normalised)
        if reason:
            return reason
    return ""


def complete_external_sign_in(
    request: HttpRequest,
    *,
    email: str,
    source: str,
    attributes: dict[str, object] | None = None,
) -> ExternalSignIn:
    """Sign in the person whose work e-mail the identity provider vouched for.

    `source` names the provider for the audit trail and messages ("OIDC: Okta"). A person
    is matched by work e-mail only; someone who left cannot sign in; nobody is created
    unless a just-in-time provider (registered by the SSO settings) creates them.
    """
    normalised = email.strip().lower()
    if not normalised:
        return ExternalSignIn(None, f"{source} did not say which e-mail address you use.")
    person = Person.objects.filter(email__iexact=normalised).first()
    if person is None:
        for provider in _just_in_time:
            person = provider(normalised, dict(attributes or {}), source)
            if person is not None:
                break
    if person is None:
        return ExternalSignIn(
            None,
            f"No one at this company uses {normalised} as their work e-mail. "
            "Ask HR to add you, or sign in with the address Tandem knows.",
        )
    if not person.is_active:
        return ExternalSignIn(
            None,
            "This account is closed (the person has left the company). "
            "Ask HR if you think that is a mistake.",
        )
    login(request, person, backend=MODEL_BACKEND)
    audit.record(
        actor=person,
        kind="access.sso_sign_in",
        obj=person,
        subject=person,
        note=f"Signed in through {source}"[:500],
    )
    return ExternalSignIn(person)
