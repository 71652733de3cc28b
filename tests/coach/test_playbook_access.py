"""Who may open each playbook page and endpoint. Reading and one's own progress: everyone
signed in. HR's pages: HR admins (editing, publishing) and HR partners (completion only);
everyone else gets a 404, as elsewhere in HR. Not signed in: the sign-in page (401 on the
API)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tandem.coach.models import Playbook, PlaybookProgress
from tandem.org.models import Person
from tests.coach.playbook_helpers import SBI, client_of, shipped
from tests.factories import DepartmentFactory, PersonFactory, hr_admin, hr_partner, it_admin

pytestmark = pytest.mark.django_db


def _manager() -> Person:
    manager = PersonFactory()
    PersonFactory(manager=manager)
    return manager


def _partner() -> Person:
    return hr_partner([DepartmentFactory()])


PEOPLE: dict[str, Callable[[], Person | None]] = {
    "employee": PersonFactory,
    "manager": _manager,
    "other_manager": _manager,
    "hr_admin": hr_admin,
    "hr_partner": _partner,
    "it_admin": it_admin,
    "anonymous": lambda: None,
}
SIGNED_IN = [k for k in PEOPLE if k != "anonymous"]


@pytest.fixture(autouse=True)
def books() -> dict[str, Playbook]:
    return shipped()


def _status(who: str, method: str, url: str, data: dict[str, str] | None = None) -> int:
    c = client_of(PEOPLE[who]())
    response = c.get(url) if method == "get" else c.post(url, data or {})
    return response.status_code


@pytest.mark.parametrize("who", list(PEOPLE))
@pytest.mark.parametrize(
    ("method", "url", "ok"),
    [
        ("get", "/coach/playbooks/", 200),
        ("get", f"/coach/playbooks/{SBI}/", 200),
        ("post", f"/coach/playbooks/{SBI}/steps/1/done/", 302),
        ("post", f"/coach/playbooks/{SBI}/quiz/", 200),
    ],
)
def test_every_signed_in_person_reads_playbooks_and_keeps_progress(
    who: str, method: str, url: str, ok: int
) -> None:
    status = _status(who, method, url)
    if who == "anonymous":
        assert status == 302
        assert not PlaybookProgress.objects.exists()
    else:
        assert status == ok


HR_PAGES = [
    ("get", "/hr/coach/playbooks/", {"hr_admin", "hr_partner"}),
    ("get", f"/hr/coach/playbooks/{SBI}/", {"hr_admin"}),
    ("post", f"/hr/coach/playbooks/{SBI}/", {"hr_admin"}),
    ("post", f"/hr/coach/playbooks/{SBI}/publish/", {"hr_admin"}),
]


@pytest.mark.parametrize("who", list(PEOPLE))
@pytest.mark.parametrize(("method", "url", "allowed"), HR_PAGES)
def test_hr_pages_open_for_hr_only(who: str, method: str, url: str, allowed: set[str]) -> None:
    status = _status(who, method, url, {"published": "1"})
    if who == "anonymous":
        assert status == 302
    elif who in allowed:
        assert status in (200, 302, 400)
    else:
        assert status == 404


def test_only_hr_admins_change_a_playbook() -> None:
    before = Playbook.objects.get(slug=SBI)
    for who in ("employee", "manager", "hr_partner", "it_admin"):
        client_of(PEOPLE[who]()).post(f"/hr/coach/playbooks/{SBI}/publish/", {"published": "0"})
    assert Playbook.objects.get(slug=SBI).published == before.published


@pytest.mark.parametrize("who", SIGNED_IN)
def test_an_unpublished_playbook_is_not_found_except_for_hr_admins(who: str) -> None:
    Playbook.objects.filter(slug=SBI).update(published=False)
    status = _status(who, "get", f"/coach/playbooks/{SBI}/")
    assert status == (200 if who == "hr_admin" else 404)


def test_an_unknown_playbook_is_not_found() -> None:
    assert _status("employee", "get", "/coach/playbooks/no-such-thing/") == 404


# --- The API ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", SIGNED_IN)
def test_every_signed_in_caller_lists_playbooks_with_their_own_progress(
    who: str, bearer_for
) -> None:  # type: ignore[no-untyped-def]
    person = PEOPLE[who]()
    assert person is not None
    client = bearer_for(person)
    assert client.post(f"/api/v1/coach/playbooks/{SBI}/steps/2/done").status_code == 200
    body = client.get("/api/v1/coach/playbooks").json()
    sbi = next(p for p in body["playbooks"] if p["slug"] == SBI)
    assert sbi["steps_done"] == [2] and not sbi["completed"]
    assert body["new_manager_path"][0] == "running-a-first-one-on-one"


def test_progress_is_per_person(bearer_for) -> None:  # type: ignore[no-untyped-def]
    bearer_for(PersonFactory()).post(f"/api/v1/coach/playbooks/{SBI}/steps/1/done")
    body = bearer_for(PersonFactory()).get("/api/v1/coach/playbooks").json()
    assert all(p["steps_done"] == [] for p in body["playbooks"])


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", "/api/v1/coach/playbooks"), ("post", f"/api/v1/coach/playbooks/{SBI}/steps/1/done")],
)
def test_the_api_refuses_a_caller_without_credentials(method: str, url: str) -> None:
    c = client_of(None)
    assert (c.get(url) if method == "get" else c.post(url)).status_code == 401


def test_the_api_answers_404_for_an_unknown_or_unpublished_playbook(bearer_for) -> None:  # type: ignore[no-untyped-def]
    client = bearer_for(PersonFactory())
    assert client.post("/api/v1/coach/playbooks/nope/steps/1/done").status_code == 404
    Playbook.objects.filter(slug=SBI).update(published=False)
    assert client.post(f"/api/v1/coach/playbooks/{SBI}/steps/1/done").status_code == 404


@pytest.mark.parametrize("position", [0, 99, 2**40])
def test_the_api_answers_422_for_a_step_that_does_not_exist(position: int, bearer_for) -> None:  # type: ignore[no-untyped-def]
    response = bearer_for(PersonFactory()).post(
        f"/api/v1/coach/playbooks/{SBI}/steps/{position}/done"
    )
    assert response.status_code == 422
    assert "step" in response.json()["detail"].lower()


def test_the_api_quiz_says_which_answers_were_right_and_completes_the_playbook(bearer_for) -> None:  # type: ignore[no-untyped-def]
    client = bearer_for(PersonFactory())
    playbook = Playbook.objects.get(slug=SBI)
    right = [q.answer for q in playbook.questions.order_by("position")]
    wrong = client.post(
        f"/api/v1/coach/playbooks/{SBI}/quiz",
        {"answers": [None, *right[1:]]},
        content_type="application/json",
    ).json()
    assert not wrong["passed"] and [a["correct"] for a in wrong["answers"]] == [False, True, True]
    assert all(a["explanation"] for a in wrong["answers"])
    for position in playbook.steps.values_list("position", flat=True):
        client.post(f"/api/v1/coach/playbooks/{SBI}/steps/{position}/done")
    passed = client.post(
        f"/api/v1/coach/playbooks/{SBI}/quiz", {"answers": right}, content_type="application/json"
    ).json()
    assert passed["passed"] and passed["playbook"]["completed"]


@pytest.mark.parametrize("answers", [["a"], "0", [0] * 11, None])
def test_the_api_quiz_refuses_a_malformed_body_with_422(answers: object, bearer_for) -> None:  # type: ignore[no-untyped-def]
    response = bearer_for(PersonFactory()).post(
        f"/api/v1/coach/playbooks/{SBI}/quiz", {"answers": answers}, content_type="application/json"
    )
    assert response.status_code == 422
    assert not PlaybookProgress.objects.exists()
