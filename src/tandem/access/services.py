"""Writes about access: roles, API tokens, sign-in sessions, set-password links, the
password reset throttle."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_encode

from tandem.access.models import (
    ApiToken,
    PasswordResetRequest,
    Role,
    RoleGrant,
    SignInSession,
)
from tandem.access.rules import require
from tandem.access.tokens import invitation_token_generator
from tandem.audit.services import record
from tandem.org.models import Department, Person


def grant_role(
    *, person: Person, role: str, by: Any, departments: Iterable[Department] = ()
) -> RoleGrant:
    require(by, "roles.manage")
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}; choose one of {', '.join(Role.values)}")
    departments = list(departments)
    if role == Role.HR_PARTNER and not departments:
        raise ValueError("An HR partner needs at least one department to look after.")
    if (
        role == Role.PEOPLE_ANALYTICS
        and not RoleGrant.objects.filter(person=person, role=Role.HR_ADMIN).exists()
    ):
        # The role only narrows what an HR admin reads; alone it would open nothing while
        # the roles page listed it as granted.
        raise ValueError(
            f"People analytics works only together with HR admin, and {person.display_name} "
            "is not an HR admin: grant HR admin first."
        )
    with transaction.atomic():
        grant, _created = RoleGrant.objects.get_or_create(
            person=person, role=role, defaults={"granted_by": by if by.pk else None}
        )
        if role == Role.HR_PARTNER:
            grant.departments.set(departments)
        record(
            actor=by,
            kind="role.grant",
            obj=grant,
            subject=person,
            object_label=f"{person}: {Role(role).label}",
            changes={"departments": [d.name for d in departments]} if departments else {},
        )
    return grant


def revoke_role(*, person: Person, role: str, by: Any) -> None:
    """Take a role away; taking HR admin also takes people analytics, which means nothing
    without it. Each revoked role is audited."""
    require(by, "roles.manage")
    roles = [role, Role.PEOPLE_ANALYTICS] if role == Role.HR_ADMIN else [role]
    with transaction.atomic():
        for each in roles:
            deleted, _ = RoleGrant.objects.filter(person=person, role=each).delete()
            if deleted:
                record(
                    actor=by,
                    kind="role.revoke",
                    object_type="access.rolegrant",
                    object_label=f"{person}: {Role(each).label}",
                    subject=person,
                )


def create_token(
    *, person: Person, name: str, by: Any, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new personal token for `person`. Returns the token row and the raw secret, which
    is never stored and cannot be shown again."""
    if getattr(by, "pk", None) not in (None, person.pk):
        require(by, "tokens.manage_all")
    name = name.strip()
    if not name:
        raise ValueError("Give the token a name, so you can recognise it later.")
    if not person.is_active:
        raise ValueError(f"{person.email} is deactivated and cannot hold API tokens.")
    raw, prefix, token_hash = ApiToken.generate()
    with transaction.atomic():
        token = ApiToken.objects.create(
            person=person,
            name=name[:100],
            prefix=prefix,
            token_hash=token_hash,
            expires_at=expires_at,
        )
        record(actor=by, kind="token.create", obj=token, subject=person)
    return token, raw


def revoke_token(*, token: ApiToken, by: Any) -> ApiToken:
    require(by, "token.revoke", token)
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record(actor=by, kind="token.revoke", obj=token, subject=token.person)
    return token


def remember_sign_in(*, person: Person, session_key: str, ip: str | None, agent: str) -> None:
    SignInSession.objects.update_or_create(
        session_key=session_key,
        defaults={"person": person, "ip_address": ip, "user_agent": agent[:300]},
    )


def forget_sign_in(*, session_key: str) -> None:
    SignInSession.objects.filter(session_key=session_key).delete()


def end_all_access(*, person: Person) -> tuple[int, int]:
    """End every browser session and revoke every API token of `person`, now.

    Called by the org service inside its transaction when someone is deactivated.
    Returns (sessions ended, tokens revoked).
    """
    keys = list(SignInSession.objects.filter(person=person).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    SignInSession.objects.filter(person=person).delete()
    revoked = ApiToken.objects.filter(person=person, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return len(keys), revoked


def set_password_link(person: Person, *, next_path: str = "") -> str:
    """A one-time link at which `person` chooses a password and is signed in: the
    invitation link (access.tokens), for people who have no password yet (created by an
    import, by HR or by `tandem createadmin`), whom "Forgot your password?" cannot serve
    with a reset link. It works for TANDEM_INVITATION_DAYS and stops working once used.
    `next_path` (a path inside Tandem) is where they land once the password is chosen."""
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = invitation_token_generator.make_token(person)
    path = reverse("invitation_accept", kwargs={"uidb64": uid, "token": token})
    query = f"?{urlencode({'next': next_path})}" if is_local_path(next_path) else ""
    return f"{settings.SITE_URL.rstrip('/')}{path}{query}"


def is_local_path(path: str) -> bool:
    """A path inside Tandem ("/reviews/"), never another site ("//evil.example", "https:…")."""
    return path.startswith("/") and not path.startswith("//") and "\\" not in path


# Someone without a password who asks "Forgot your password?" gets an invitation instead of
# a reset link. Writing one needs the company's program (what Tandem is for), which access
# may not import: org registers the sender from its AppConfig.ready().
ResetInvitationSender = Callable[[Person], None]
_reset_invitation_senders: list[ResetInvitationSender] = []


def send_invitations_on_reset(sender: ResetInvitationSender) -> None:
    """Register the function that invites someone without a password who asked for a reset."""
    if sender not in _reset_invitation_senders:
        _reset_invitation_senders.append(sender)


def invite_instead_of_reset(person: Person) -> None:
    """Called by the password reset form, inside its throttle, for an active person with no
    usable password."""
    if not _reset_invitation_senders:
        raise ImproperlyConfigured(
            "No invitation sender is registered; org.apps.OrgConfig.ready() registers it."
        )
    for sender in _reset_invitation_senders:
        sender(person)


# --- Password reset throttle -----------------------------------------------------------------


@dataclass(frozen=True)
class ResetDecision:
    """Whether a reset e-mail may go out now; if not, when the next request can succeed."""

    allowed: bool
    retry_at: datetime | None = None


def _address_digest(email: str) -> str:
    normalised = email.strip().lower().encode()
    return hmac.new(settings.SECRET_KEY.encode(), normalised, hashlib.sha256).hexdigest()


def request_password_reset(*, email: str, ip: str | None) -> ResetDecision:
    """Count a password reset request against the limits of its address and of its client
    address, over a sliding window (TANDEM_PASSWORD_RESET_PER_ADDRESS, _PER_IP, _WINDOW).

    Counted alike whether or not the address belongs to someone, so the answer says nothing
    about who works here. A refused request is not counted: the window slides on accepted
    ones, so a pause of one window always frees a slot. In the database, like django-axes'
    sign-in throttle, so every worker process shares one count."""
    window = timedelta(minutes=settings.PASSWORD_RESET_WINDOW_MINUTES)
    digest = _address_digest(email)
    with transaction.atomic():
        now = timezone.now()
        since = now - window
        PasswordResetRequest.objects.filter(requested_at__lt=since).delete()
        recent = PasswordResetRequest.objects.filter(requested_at__gte=since)
        limits = [(recent.filter(address_digest=digest), settings.PASSWORD_RESET_PER_ADDRESS)]
        if ip:
            limits.append((recent.filter(ip=ip), settings.PASSWORD_RESET_PER_IP))
        retry_at = None
        for rows, limit in limits:
            times = list(rows.order_by("-requested_at").values_list("requested_at", flat=True))
            if len(times) >= limit:
                # The oldest request that keeps the count at the limit leaves the window then.
                frees_at = times[limit - 1] + window
                retry_at = max(retry_at or frees_at, frees_at)
        if retry_at is not None:
            return ResetDecision(allowed=False, retry_at=retry_at)
        PasswordResetRequest.objects.create(address_digest=digest, ip=ip, requested_at=now)
    return ResetDecision(allowed=True)
