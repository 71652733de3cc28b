""" "View as": HR admins preview what a role or a person sees — real pages, read-only,
audited, and never showing HR anything HR could not already read (docs/anonymity.md,
"View as")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.access.models import Role
from tandem.access.rules import actor_for, preview_user
from tandem.audit.models import AuditEvent
from tandem.feedback import services as feedback_services
from tandem.feedback.models import Visibility
from tandem.org.models import Person, PersonStatus
from tandem.reviews.models import CycleForm, Relationship
from tandem.site import services as site_services
from tandem.site.queries import person_to_preview
from tandem.site.view_as import PAGES, PreviewWrote, no_writes, page_urls, read_only
from tests.factories import PersonFactory, executive, grant, hr_admin
from tests.feedback.factories import FeedbackAskFactory, FeedbackFactory, FeedbackRequestFactory
from tests.meetings.factories import private_note, series_with_meeting
from tests.reviews.factories import (
    CycleFactory,
    running_cycle,
    template_with_questions,
)

pytestmark = pytest.mark.django_db

PAGE_KEYS = [page.key for page in PAGES]
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)

# Text only their writers (and, for some, their readers) may read; HR may read none of it.
PRIVATE_FEEDBACK = "Zebra-private-feedback-text"
PRIVATE_NOTE_ANA = "Quokka-private-note-of-Ana"
PRIVATE_NOTE_MILA = "Narwhal-private-note-of-Mila"
DRAFT_ANSWER = "Axolotl-draft-answer-of-Ana"
UPWARD_TEXT = "Okapi-upward-feedback-text"


@dataclass
class World:
    hr: Person
    mila: Person  # manager
    ana: Person  # employee, reports to Mila
    pavel: Person  # Ana's colleague, same manager
    boss: Person  # executive
    gone: Person  # left


@pytest.fixture
def world() -> World:
    boss = executive(first_name="Bo", last_name="Ceo")
    mila = PersonFactory(first_name="Mila", last_name="Boss", manager=boss)
    ana = PersonFactory(first_name="Ana", last_name="Ruiz", manager=mila)
    pavel = PersonFactory(first_name="Pavel", last_name="Peer", manager=mila)
    gone = PersonFactory(first_name="Gone", last_name="Away", status=PersonStatus.LEFT)
    hr = hr_admin(first_name="Hana", last_name="Admin")
    # The next cycle, being prepared: a form for each relationship.
    draft = CycleFactory(name="Spring review")
    for relationship in (Relationship.SELF, Relationship.PEER, Relationship.MANAGER):
        CycleForm.objects.create(
            cycle=draft,
            relationship=relationship,
            template=template_with_questions(relationship),
        )
    return World(hr=hr, mila=mila, ana=ana, pavel=pavel, boss=boss, gone=gone)


@pytest.fixture
def secrets(world: World) -> World:
    """Private items about Ana and Mila that HR may not read."""
    FeedbackFactory(
        giver=world.pavel, recipient=world.ana, visibility=Visibility.PRIVATE, text=PRIVATE_FEEDBACK
    )
    _, meeting = series_with_meeting(world.mila, world.ana)
    private_note(meeting, world.ana, PRIVATE_NOTE_ANA)
    private_note(meeting, world.mila, PRIVATE_NOTE_MILA)
    cycle = running_cycle([world.ana], name="Autumn review")
    own = cycle.reviews.get(relationship=Relationship.SELF, reviewer=world.ana)
    key = next(iter(own.template_version.content["sections"][0]["questions"]))["key"]
    own.answers = {key: {"comment": DRAFT_ANSWER}}
    own.save(update_fields=["answers"])
    feedback_services.write_upward_feedback(
        by=world.ana, text=UPWARD_TEXT, today=timezone.localdate()
    )
    return world


def page_url(person: Person, page: str) -> str:
    return reverse("site:view_as_page", args=[person.pk, page])


# --- What a preview shows ------------------------------------------------------------------


def test_a_preview_is_bannered_with_the_name_and_role(world, client_for):
    response = client_for(world.hr).get(page_url(world.ana, "home"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Preview as Ana Ruiz (employee) — nothing you do here is saved" in text
    assert "hidden here, as they are from you" in text


@pytest.mark.parametrize("page", PAGE_KEYS)
def test_every_page_renders_for_an_employee(world, client_for, page):
    response = client_for(world.hr).get(page_url(world.ana, page))
    assert response.status_code == 200
    assert 'class="preview-frame"' in response.content.decode()


def test_the_home_page_is_the_persons_own(world, client_for):
    text = client_for(world.hr).get(page_url(world.ana, "home")).content.decode()
    assert "Welcome, Ana" in text
    assert "Mila Boss" in text  # Ana's manager, as on her home page


def test_the_self_review_form_of_the_draft_cycle_says_who_reads_it(world, client_for):
    text = client_for(world.hr).get(page_url(world.ana, "review-self")).content.decode()
    assert "Spring review" in text
    assert "Self review of Ana Ruiz" in text
    assert "Your managers and HR read this once you submit it" in text


def test_the_peer_review_form_is_about_a_colleague(world, client_for):
    text = client_for(world.hr).get(page_url(world.ana, "review-peer")).content.decode()
    assert "Peer review of Pavel Peer" in text


def test_a_manager_sees_the_manager_review_of_a_report(world, client_for):
    text = client_for(world.hr).get(page_url(world.mila, "review-manager")).content.decode()
    assert "Preview as Mila Boss (manager)" in text
    assert "Manager review of Pavel Peer" in text  # her first report by name


def test_an_employee_is_told_they_write_no_manager_review(world, client_for):
    text = client_for(world.hr).get(page_url(world.ana, "review-manager")).content.decode()
    assert "has no direct reports, so writes no manager review" in text


def test_without_a_cycle_the_review_page_says_so(world, client_for):
    CycleForm.objects.all().delete()
    text = client_for(world.hr).get(page_url(world.ana, "review-self")).content.decode()
    assert "No review cycle is being prepared or running" in text


@pytest.mark.parametrize(
    ("visibility", "words"),
    [
        ("private", "Only the recipient"),
        ("with_manager", "manager"),
        ("public", "Everyone"),
    ],
)
def test_the_feedback_form_says_who_reads_each_visibility(world, client_for, visibility, words):
    text = client_for(world.hr).get(page_url(world.ana, f"feedback-{visibility}")).content.decode()
    assert "Who will read this" in text or "who will read this" in text.lower()
    assert words in text


# --- Read-only ---------------------------------------------------------------------------


def _controls(text: str) -> list[str]:
    frame = text.split('class="preview-frame"', 1)[1]
    return re.findall(r"<(?:input|textarea|select|button)\b[^>]*>", frame)


@pytest.mark.parametrize("page", ["review-self", "review-peer", "feedback-with_manager"])
def test_every_control_in_a_preview_is_disabled(world, client_for, page):
    text = client_for(world.hr).get(page_url(world.ana, page)).content.decode()
    controls = _controls(text)
    assert controls, "the page has a form"
    assert all("disabled" in control for control in controls), controls
    frame = text.split('class="preview-frame"', 1)[1]
    assert "csrfmiddlewaretoken" not in frame
    assert "hx-post" not in frame and "hx-get" not in frame


def test_forms_in_a_preview_post_back_to_the_preview_which_refuses(world, client_for):
    client = client_for(world.hr)
    url = page_url(world.ana, "review-self")
    text = client.get(url).content.decode()
    frame = text.split('class="preview-frame"', 1)[1]
    actions = set(re.findall(r'<form[^>]*action="([^"]*)"', frame))
    assert actions == {url}
    assert client.post(url, {"q1-comment": "x"}).status_code == 405


@pytest.mark.parametrize("role", ["employee", "manager", "executive"])
@pytest.mark.parametrize("page", PAGE_KEYS)
def test_a_preview_writes_nothing_but_its_audit_record(secrets, client_for, role, page):
    person = {"employee": secrets.ana, "manager": secrets.mila, "executive": secrets.boss}[role]
    client = client_for(secrets.hr)
    before = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page_url(person, page))
    assert response.status_code == 200
    writes = [q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"])]
    tables = {re.search(r'(?:INTO|UPDATE|FROM)\s+"?(\w+)', sql).group(1) for sql in writes}  # type: ignore[union-attr]
    assert tables <= {"audit_auditevent", "django_session"}, writes
    assert sum(1 for sql in writes if "audit_auditevent" in sql) == 1
    assert AuditEvent.objects.count() == before + 1


def test_the_audit_record_says_who_previewed_whom_and_which_page(world, client_for):
    client_for(world.hr).get(page_url(world.ana, "program"))
    event = AuditEvent.objects.filter(kind="people.view_as").get()
    assert event.actor == world.hr
    assert event.subject == world.ana
    assert event.changes == {"page": "program"}


def previews_recorded() -> list[tuple[int | None, int | None, str]]:
    return [
        (event.actor_id, event.subject_id, event.changes["page"])
        for event in AuditEvent.objects.filter(kind="people.view_as").order_by("id")
    ]


def test_reloading_a_preview_page_writes_nothing(world, client_for):
    client = client_for(world.hr)
    client.get(page_url(world.ana, "program"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page_url(world.ana, "program")).status_code == 200
    assert not [q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"])]
    assert previews_recorded() == [(world.hr.pk, world.ana.pk, "program")]


def test_each_page_and_person_previewed_is_recorded_once_an_hour(world, client_for):
    client = client_for(world.hr)
    for person, page in [(world.ana, "program"), (world.ana, "home"), (world.mila, "program")]:
        client.get(page_url(person, page))
        client.get(page_url(person, page))
    assert previews_recorded() == [
        (world.hr.pk, world.ana.pk, "program"),
        (world.hr.pk, world.ana.pk, "home"),
        (world.hr.pk, world.mila.pk, "program"),
    ]


def test_a_page_previewed_again_after_an_hour_is_recorded_again(world, client_for):
    client = client_for(world.hr)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.get(page_url(world.ana, "program"))
        traveller.shift(timedelta(minutes=59))
        client.get(page_url(world.ana, "program"))
        assert len(previews_recorded()) == 1
        traveller.shift(timedelta(minutes=2))
        client.get(page_url(world.ana, "program"))
    assert len(previews_recorded()) == 2


def test_each_hr_admin_previewing_the_same_page_is_recorded(world, client_for):
    other = hr_admin(first_name="Olga", last_name="Admin")
    client_for(world.hr).get(page_url(world.ana, "program"))
    client_for(other).get(page_url(world.ana, "program"))
    assert [actor for actor, _, _ in previews_recorded()] == [world.hr.pk, other.pk]


def test_a_preview_whose_record_failed_is_recorded_at_the_next_look(world, client_for, monkeypatch):
    def refuse(**kwargs: object) -> None:
        raise RuntimeError("the audit trail is unavailable")

    client = client_for(world.hr)
    with monkeypatch.context() as patched:
        patched.setattr(site_services.audit, "record", refuse)
        with pytest.raises(RuntimeError):
            client.get(page_url(world.ana, "program"))
    client.get(page_url(world.ana, "program"))
    assert previews_recorded() == [(world.hr.pk, world.ana.pk, "program")]


def test_a_page_that_tries_to_write_during_a_preview_is_stopped():
    with pytest.raises(PreviewWrote), no_writes():
        PersonFactory()


def test_read_only_makes_the_whole_page_inert_and_banners_it():
    html = (
        '<html><head><title>Home</title></head><body hx-headers="x">'
        '<header><div class="topbar-end"><a href="/notifications/">Bell</a></div></header>'
        '<nav><a href="/goals/">Goals</a> <button type="button">Menu</button></nav>'
        '<main id="main" tabindex="-1"><div class="messages"><p>Saved</p></div><h1>Hi</h1>'
        '<a href="/program/">Program</a> <a href="/feedback/12/">A feedback</a>'
        '<form method="post" action="/save/" hx-post="/save/"><input name="csrfmiddlewaretoken">'
        '<textarea name="t" autofocus></textarea><button formaction="/other/">Go</button></form>'
        '<div data-hx-get="/poll/"><!-- a comment --></div><script>x()</script>'
        "</main></body></html>"
    )
    out = read_only(
        html,
        action="/preview/",
        links={"/program/": "/preview/program/"},
        banner='<div class="preview-banner"><a href="/hr/view-as/">Back</a></div>',
    )
    assert "Bell" not in out and "Saved" not in out and "<script" not in out
    assert "Goals" in out and 'href="/goals/"' not in out  # their menu, as plain text
    assert 'href="/preview/program/"' in out
    assert 'href="/feedback/12/"' not in out and "A feedback" in out
    assert 'action="/preview/"' in out and "hx-post" not in out and "hx-headers" not in out
    assert "csrfmiddlewaretoken" not in out
    assert "autofocus" not in out and "formaction" not in out and "data-hx-get" not in out
    assert re.search(r"<textarea[^>]*disabled", out)
    assert re.search(r'<button type="button">Menu', out)  # the phone menu still opens
    assert 'href="/hr/view-as/"' in out  # the banner's own links work
    assert out.index("preview-banner") < out.index("preview-frame") < out.index("<h1>Hi")
    assert "<title>Preview · Home</title>" in out


def test_the_page_addresses_are_those_of_the_url_conf():
    person = PersonFactory()
    assert page_urls(person) == {
        page.key: reverse("site:view_as_page", args=[person.pk, page.key]) for page in PAGES
    }


# --- Never more than HR may read: the attack -------------------------------------------------

SECRETS = (PRIVATE_FEEDBACK, PRIVATE_NOTE_ANA, PRIVATE_NOTE_MILA, DRAFT_ANSWER, UPWARD_TEXT)


@pytest.mark.parametrize("who", ["ana", "mila", "pavel", "boss"])
@pytest.mark.parametrize("page", PAGE_KEYS)
def test_no_preview_page_holds_private_text(secrets, client_for, who, page):
    person = getattr(secrets, who)
    text = client_for(secrets.hr).get(page_url(person, page)).content.decode()
    for secret in SECRETS:
        assert secret not in text, f"{secret} leaked into {page} as {who}"


def test_the_home_page_hides_who_gave_private_feedback(secrets, client_for):
    # Ana herself sees "Feedback from Pavel Peer" on her home page …
    own = client_for(secrets.ana).get("/").content.decode()
    assert "Feedback from Pavel Peer" in own
    # … HR may not read private feedback, so the preview does not show it.
    text = client_for(secrets.hr).get(page_url(secrets.ana, "home")).content.decode()
    assert "Feedback from Pavel Peer" not in text
    assert "0 received in the last 30 days" in text


def test_a_feedback_request_hr_may_not_open_is_not_counted(world, client_for):
    request = FeedbackRequestFactory(requester=world.pavel)
    FeedbackAskFactory(request=request, person=world.ana)
    own = client_for(world.ana).get("/").content.decode()
    assert "1 request waiting for your answer" in own
    text = client_for(world.hr).get(page_url(world.ana, "home")).content.decode()
    assert "request waiting" not in text
    waiting = re.compile(r"Things waiting for you: (\d+)")
    assert int(waiting.search(text).group(1)) == int(waiting.search(own).group(1)) - 1  # type: ignore[union-attr]


def test_feedback_hr_may_read_shows_in_the_preview(world, client_for):
    FeedbackFactory(
        giver=world.pavel, recipient=world.ana, visibility=Visibility.PUBLIC, text="Great demo"
    )
    text = client_for(world.hr).get(page_url(world.ana, "home")).content.decode()
    assert "Praise from Pavel Peer" in text


def test_the_draft_self_review_of_a_running_cycle_is_never_shown(secrets, client_for):
    CycleForm.objects.filter(cycle__name="Spring review").delete()
    text = client_for(secrets.hr).get(page_url(secrets.ana, "review-self")).content.decode()
    assert "Autumn review" in text
    assert DRAFT_ANSWER not in text


# --- Who may preview whom ---------------------------------------------------------------------


def test_a_person_who_left_cannot_be_previewed(world, client_for):
    assert client_for(world.hr).get(page_url(world.gone, "home")).status_code == 404


def test_an_unknown_page_is_not_found(world, client_for):
    assert client_for(world.hr).get(page_url(world.ana, "salaries")).status_code == 404


@pytest.mark.parametrize("who", ["ana", "mila", "boss"])
def test_nobody_without_hr_admin_rights_can_preview(world, client_for, who):
    client = client_for(getattr(world, who))
    assert client.get(page_url(world.pavel, "home")).status_code == 404
    assert client.get(reverse("site:view_as")).status_code == 404
    assert not AuditEvent.objects.filter(kind="people.view_as").exists()


# --- The picker ------------------------------------------------------------------------------


def test_picking_a_role_previews_a_real_person_of_that_role(world, client_for):
    response = client_for(world.hr).post(
        reverse("site:view_as"), {"who": "manager", "page": "home"}
    )
    assert response.status_code == 302
    assert response["Location"] in (page_url(world.mila, "home"), page_url(world.boss, "home"))


def test_picking_a_person_by_e_mail_previews_them(world, client_for):
    response = client_for(world.hr).post(
        reverse("site:view_as"), {"who": "person", "person": world.ana.email, "page": "program"}
    )
    assert response["Location"] == page_url(world.ana, "program")


def test_picking_a_person_who_left_names_the_field(world, client_for):
    response = client_for(world.hr).post(
        reverse("site:view_as"), {"who": "person", "person": world.gone.email, "page": "home"}
    )
    assert response.status_code == 400
    assert "person" in response.context["form"].errors


def test_picking_nobody_names_the_field(world, client_for):
    response = client_for(world.hr).post(
        reverse("site:view_as"), {"who": "person", "person": "", "page": "home"}
    )
    assert response.status_code == 400
    assert "person" in response.context["form"].errors


def test_picking_an_unknown_page_names_the_field(world, client_for):
    response = client_for(world.hr).post(
        reverse("site:view_as"), {"who": "employee", "page": "nope"}
    )
    assert response.status_code == 400
    assert "page" in response.context["form"].errors


def test_the_profile_offers_hr_admins_a_preview_link(world, client_for):
    text = client_for(world.hr).get(reverse("org:person", args=[world.ana.pk])).content.decode()
    assert page_url(world.ana, "home") in text
    other = client_for(world.pavel).get(reverse("org:person", args=[world.ana.pk]))
    assert page_url(world.ana, "home") not in other.content.decode()


# --- Query budgets ---------------------------------------------------------------------------


@pytest.mark.parametrize(("page", "budget"), [("home", 40), ("program", 30), ("review-self", 30)])
def test_a_preview_stays_within_its_query_budget(
    secrets, client_for, django_assert_max_num_queries, page, budget
):
    client = client_for(secrets.hr)
    client.get(page_url(secrets.ana, page))  # warm the session
    with django_assert_max_num_queries(budget):
        client.get(page_url(secrets.ana, page))


@pytest.mark.parametrize(
    "roles", [(), (Role.EXECUTIVE,), (Role.EXECUTIVE, Role.IT_ADMIN)], ids=["none", "one", "two"]
)
def test_the_person_to_preview_comes_with_every_role_they_hold(roles):
    person = PersonFactory()
    for role in roles:
        grant(person, role)
    found, held, _ = person_to_preview(hr_admin(), person.pk)
    assert found == person and held == frozenset(roles)


@pytest.mark.parametrize(
    ("reports", "manages"),
    [((), False), ((PersonStatus.ACTIVE,), True), ((PersonStatus.LEFT,), False)],
    ids=["no reports", "a report", "only a report who left"],
)
def test_the_person_to_preview_comes_with_whether_they_manage_anyone(reports, manages):
    person = PersonFactory()
    for status in reports:
        PersonFactory(manager=person, status=status)
    _, _, manages_anyone = person_to_preview(hr_admin(), person.pk)
    assert manages_anyone is manages
    assert actor_for(preview_user(person, hr_admin())).is_manager is manages
