"""The access matrix for the one-click unsubscribe link of e-mails (RFC 8058).

The link is its own authority: whoever holds it (signed in as anyone, or not at all, as a
mail program is) may see what it stops and stop it, and nothing else; a link whose signature
does not match is refused alike for everyone. The POST rows use a kind the owner gets in
Tandem only, so the one click answers but changes nothing (the matrix checks that an
anonymous POST writes nothing); the change itself is tested in
tests/notifications/test_unsubscribe.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tandem.notifications.unsubscribe import unsubscribe_url
from tests.access.matrix import Org, Row, case_ids, cases, check_case, matrix_org, public

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def _link(o: Org, kind: str = "mention") -> str:
    return "/" + unsubscribe_url(person_id=o.owner.pk, kind=kind).split("/", 3)[3]


def _forged(o: Org) -> str:
    return _link(o).replace(":", "x:", 1)


MATRIX: tuple[Row, ...] = (
    Row("notifications:unsubscribe", "the owner's link", _link, public()),
    Row(
        "notifications:unsubscribe",
        "one click, a kind without e-mail",
        lambda o: _link(o, "goals.comment"),
        public(),
        method="POST",
        data=ONE_CLICK,
    ),
    Row("notifications:unsubscribe", "a changed link", _forged, public(404)),
    Row(
        "notifications:unsubscribe",
        "one click on a changed link",
        _forged,
        public(404),
        method="POST",
        data=ONE_CLICK,
    ),
)


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(django_db_blocker) as built:
        yield built


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    text = check_case(row, role, org)
    assert text is None or org.owner.email not in text
