"""The access matrix for feedback, praise, requests and anonymous upward feedback.

The cast's objects: the outsider (a peer in another team) gave the owner one piece of
feedback of each visibility — only the recipient; the recipient and their manager; public
praise — and the owner asked the outsider for feedback. Each is fetched by id by every role.
With the company's default policy HR admins do not read private feedback.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tandem.feedback.models import (
    Feedback,
    FeedbackAsk,
    FeedbackRequest,
    FeedbackValue,
    Reaction,
    UpwardBatch,
    UpwardFeedback,
    UpwardMarker,
    Visibility,
)
from tandem.org.models import CompanyValue
from tests.access.matrix import (
    EMPLOYEE,
    FORM,
    HR_ADMIN,
    HR_PARTNER,
    MANAGER,
    OWNER,
    SIGNED_IN,
    Org,
    Row,
    api,
    assert_unseen,
    case_ids,
    cases,
    check_case,
    expect,
    matrix_org,
    pk,
    register_tables,
    url,
)

COVERING_HR = (HR_ADMIN, HR_PARTNER)
SECRET = {
    "private": "Matrix-secret private feedback",
    "with_manager": "Matrix-secret feedback for the manager too",
}
READERS = {"private": (EMPLOYEE, OWNER), "with_manager": (EMPLOYEE, OWNER, MANAGER)}


def api_body_refused() -> dict[str, Any]:
    """A JSON endpoint sent a form body: 401 without credentials, 400 (not JSON) for
    everyone signed in. Who may do it with a proper body is tested in tests/feedback/."""
    return expect(SIGNED_IN, ok=400, anonymous=401)


MATRIX: tuple[Row, ...] = (
    Row("feedback:mine", "own feedback", lambda o: url("feedback:mine"), expect()),
    Row("feedback:give", "form", lambda o: url("feedback:give"), expect()),
    Row(
        "feedback:give",
        "empty form",
        lambda o: url("feedback:give"),
        expect(ok=FORM),
        method="POST",
    ),
    Row(
        "feedback:detail",
        "only the recipient",
        lambda o: url("feedback:detail", pk(o, "private")),
        expect(READERS["private"]),
    ),
    Row(
        "feedback:detail",
        "the recipient and their manager",
        lambda o: url("feedback:detail", pk(o, "with_manager")),
        expect(READERS["with_manager"]),
    ),
    Row(
        "feedback:detail",
        "public praise",
        lambda o: url("feedback:detail", pk(o, "praise")),
        expect(),
    ),
    Row("feedback:request_new", "form", lambda o: url("feedback:request_new"), expect()),
    Row(
        "feedback:request_new",
        "empty form",
        lambda o: url("feedback:request_new"),
        expect(ok=FORM),
        method="POST",
    ),
    Row(
        "feedback:request_detail",
        "the owner's request to the outsider",
        lambda o: url("feedback:request_detail", pk(o, "request")),
        expect((OWNER, EMPLOYEE)),
    ),
    Row(
        "feedback:request_detail",
        "an empty answer",
        lambda o: url("feedback:request_detail", pk(o, "request")),
        expect(EMPLOYEE, ok=200),
        method="POST",
    ),
    Row("feedback:upward", "write, or read batches", lambda o: url("feedback:upward"), expect()),
    Row(
        "feedback:upward",
        "empty text",
        lambda o: url("feedback:upward"),
        expect(ok=200),
        method="POST",
    ),
    Row(
        "feedback:person_timeline",
        "the owner",
        lambda o: url("feedback:person_timeline", o.owner.pk),
        expect(),
    ),
    Row(
        "feedback:person_timeline",
        "someone who left",
        lambda o: url("feedback:person_timeline", o.leaver.pk),
        expect(COVERING_HR),
    ),
    Row("feedback:praise_feed", "feed", lambda o: url("feedback:praise_feed"), expect()),
    Row(
        "feedback:praise_value",
        "a value",
        lambda o: url("feedback:praise_value", pk(o, "value")),
        expect(),
    ),
    Row(
        "feedback:react",
        "public praise",
        lambda o: url("feedback:react", pk(o, "praise")),
        expect(ok=302),
        method="POST",
        data={"kind": "applause"},
    ),
    Row(
        "feedback:react",
        "private feedback is not praise",
        lambda o: url("feedback:react", pk(o, "private")),
        expect(()),
        method="POST",
        data={"kind": "applause"},
    ),
    # --- API ---------------------------------------------------------------------------------
    Row("api:list_feedback", "what you may read", lambda o: url("api:list_feedback"), api()),
    Row(
        "api:give_feedback",
        "a form body",
        lambda o: url("api:give_feedback"),
        api_body_refused(),
        method="POST",
    ),
    Row(
        "api:get_feedback",
        "only the recipient",
        lambda o: url("api:get_feedback", pk(o, "private")),
        api(READERS["private"]),
    ),
    Row(
        "api:get_feedback",
        "the recipient and their manager",
        lambda o: url("api:get_feedback", pk(o, "with_manager")),
        api(READERS["with_manager"]),
    ),
    Row(
        "api:get_feedback",
        "public praise",
        lambda o: url("api:get_feedback", pk(o, "praise")),
        api(),
    ),
    Row("api:list_praise", "feed", lambda o: url("api:list_praise"), api()),
    Row(
        "api:react_to_praise",
        "a form body",
        lambda o: url("api:react_to_praise", pk(o, "praise")),
        api_body_refused(),
        method="POST",
    ),
    Row(
        "api:list_feedback_requests",
        "own requests",
        lambda o: url("api:list_feedback_requests"),
        api(),
    ),
    Row(
        "api:create_feedback_request",
        "a form body",
        lambda o: url("api:create_feedback_request"),
        api_body_refused(),
        method="POST",
    ),
    Row(
        "api:get_feedback_request",
        "the owner's request to the outsider",
        lambda o: url("api:get_feedback_request", pk(o, "request")),
        api((OWNER, EMPLOYEE)),
    ),
    Row(
        "api:answer_feedback_request",
        "a form body",
        lambda o: url("api:answer_feedback_request", pk(o, "request")),
        api_body_refused(),
        method="POST",
    ),
    Row(
        "api:decline_feedback_request",
        "a form body",
        lambda o: url("api:decline_feedback_request", pk(o, "request")),
        api_body_refused(),
        method="POST",
    ),
    Row(
        "api:write_upward_feedback",
        "a form body",
        lambda o: url("api:write_upward_feedback"),
        api_body_refused(),
        method="POST",
    ),
    Row(
        "api:list_upward_batches",
        "own batches only",
        lambda o: url("api:list_upward_batches"),
        api(),
    ),
)


register_tables(
    Feedback,
    FeedbackValue,
    Reaction,
    FeedbackRequest,
    FeedbackAsk,
    UpwardFeedback,
    UpwardMarker,
    UpwardBatch,
)


def _build_feedback(org: Org) -> None:
    org.extras["value"] = value = CompanyValue.objects.create(name="Matrix value", position=99)
    outsider, owner = org.people[EMPLOYEE], org.owner
    for key, visibility in (
        ("private", Visibility.PRIVATE),
        ("with_manager", Visibility.WITH_MANAGER),
        ("praise", Visibility.PUBLIC),
    ):
        org.extras[key] = Feedback.objects.create(
            giver=outsider,
            recipient=owner,
            recipient_manager=org.manager if visibility == Visibility.WITH_MANAGER else None,
            visibility=visibility,
            text=SECRET.get(key, "Matrix praise, for everyone"),
        )
    FeedbackValue.objects.create(
        feedback=org.extras["praise"], value=value, recipient=owner, is_public=True
    )
    request = FeedbackRequest.objects.create(
        requester=owner, subject=owner, visibility=Visibility.PRIVATE
    )
    FeedbackAsk.objects.create(request=request, person=outsider)
    org.extras["request"] = request


def _tear_down_feedback(org: Org) -> None:
    people = org.everyone
    Feedback.objects.filter(giver__in=people).delete()
    FeedbackRequest.objects.filter(requester__in=people).delete()
    if "value" in org.extras:
        org.extras["value"].delete()


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(
        django_db_blocker, extras=_build_feedback, cleanup=_tear_down_feedback
    ) as built:
        yield built


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    text = check_case(row, role, org)
    assert_unseen(text, role, row.url(org), {SECRET[key]: READERS[key] for key in SECRET})
