"""The one-click unsubscribe link of every notification e-mail (RFC 8058).

Each e-mail carries `List-Unsubscribe: <https://…/notifications/unsubscribe/<token>/>` and
`List-Unsubscribe-Post: List-Unsubscribe=One-Click`. The token is signed (Django's signing,
with SECRET_KEY and a salt of its own) and names one person and one kind of notification
(or "digest", the weekly digest); it does not expire, since an e-mail is read late. A POST
to the link, from the mail program without any cookie, switches that kind's e-mails off
(they stay in Tandem); a GET only shows what the button would do and links to the
settings. The link grants nothing else: it cannot read anything, nor sign anyone in."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

from tandem.notifications.kinds import KINDS
from tandem.org.models import Person

SALT = "tandem.notifications.unsubscribe"
DIGEST = "digest"  # the weekly digest e-mail, which lists several kinds


@dataclass(frozen=True)
class UnsubscribeLink:
    person: Person
    kind: str

    @property
    def label(self) -> str:
        return "The weekly digest" if self.kind == DIGEST else KINDS[self.kind].label


def unsubscribe_url(*, person_id: int, kind: str) -> str:
    """The full https address of the link (from TANDEM_SITE_URL)."""
    token = signing.dumps([person_id, kind], salt=SALT, compress=False)
    path = reverse("notifications:unsubscribe", args=[token])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def unsubscribe_headers(*, person_id: int, kind: str) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(person_id=person_id, kind=kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def read_link(token: str) -> UnsubscribeLink | None:
    """The person and kind a link names; None for a link that was not made here (or was
    changed), names a kind that no longer exists, or a person who has left."""
    try:
        person_id, kind = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(person_id, int) or not (kind == DIGEST or kind in KINDS):
        return None
    person = Person.objects.filter(pk=person_id, is_active=True).first()
    return None if person is None else UnsubscribeLink(person=person, kind=kind)
