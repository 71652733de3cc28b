"""The panel beside a text: its fragment, its place in the forms, and the counts a sent text
adds for HR (never the text)."""

from __future__ import annotations

import pytest
from django.test import Client

from tandem.coach import services
from tandem.coach.models import CoachTally
from tandem.feedback.models import Feedback
from tests.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db
PANEL = "/coach/panel/"
ISSUE_TEXT = "She is too emotional and abrasive. Good job I guess."


@pytest.fixture
def writer():  # type: ignore[no-untyped-def]
    return PersonFactory(department=DepartmentFactory(name="Support"))


@pytest.fixture
def client(writer) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(writer)
    return c


def panel(client: Client, text: str, **extra: object) -> str:
    data = {"kind": "feedback", "field": "text", "text": text, **extra}
    response = client.post(PANEL, data)
    assert response.status_code == 200
    return response.content.decode()


def test_the_panel_lists_each_finding_with_its_excerpt_and_suggestion(client: Client) -> None:
    html = panel(client, ISSUE_TEXT)
    assert "4 suggestions" in html
    assert html.count('class="coach-finding"') == 4
    assert '<q class="coach-excerpt">abrasive</q>' in html
    assert "Personality, not behaviour" in html and "Sarcasm" in html
    assert "you can send as it is" in html


def test_the_panel_shows_which_sbi_parts_are_named(client: Client) -> None:
    html = panel(client, "In Monday's stand-up you flagged the risk, so we fixed it early.")
    assert "No suggestions." in html
    assert 'situation<span class="visually-hidden"> named' in html
    assert 'impact<span class="visually-hidden"> named' in html


def test_the_panel_remembers_what_it_showed_across_edits(client: Client) -> None:
    html = panel(
        client,
        "In Monday's stand-up you flagged the risk, so we fixed it early.",
        coach_seen=["text:personality", "text:made-up", "other:vague"],
    )
    assert 'value="text:personality"' in html
    assert "made-up" not in html and "other:vague" not in html


def test_an_empty_text_gets_the_hint_not_an_error(client: Client) -> None:
    assert "Suggestions appear here as you write" in panel(client, "")


def test_bad_panel_parameters_answer_an_empty_panel(client: Client) -> None:
    response = client.post(PANEL, {"kind": "poem", "field": "<script>"})
    assert response.status_code == 200
    assert "Suggestions appear here" in response.content.decode()


def test_html_in_the_text_is_shown_escaped(client: Client) -> None:
    html = panel(client, "<b>She</b> is <i>abrasive</i> in <script>x</script> meetings.")
    assert '<q class="coach-excerpt">abrasive</q>' in html
    assert "<script>" not in html


def test_nul_in_the_panel_text_is_checked_not_refused(client: Client) -> None:
    assert "abrasive" in panel(client, "She is \x00abrasive and loud in meetings.")


def test_the_give_page_has_the_panel_beside_the_text(client: Client) -> None:
    html = client.get("/feedback/give/").content.decode()
    assert 'role="status" aria-live="polite"' in html
    assert 'hx-post="/coach/panel/"' in html
    assert "input changed delay:500ms from:#id_text" in html
    assert 'hx-params="text,kind,field,ref,coach_seen"' in html


def test_the_upward_page_has_the_panel(writer) -> None:  # type: ignore[no-untyped-def]
    manager = PersonFactory()
    writer.manager = manager
    report = PersonFactory(manager=manager)
    c = Client()
    c.force_login(report)
    assert 'hx-post="/coach/panel/"' in c.get("/feedback/upward/").content.decode()


def test_sending_feedback_counts_what_fired_and_what_changed_without_text(
    client: Client, writer
) -> None:  # type: ignore[no-untyped-def]
    recipient = PersonFactory()
    final = "In Monday's stand-up you flagged the risk, so we fixed it. Good job."
    response = client.post(
        "/feedback/give/",
        {
            "recipient": recipient.email,
            "visibility": "private",
            "text": final,
            "coach_seen": ["text:personality", "text:sarcasm", "text:vague"],
        },
    )
    assert response.status_code == 302
    assert Feedback.objects.get().text == final
    tallies = {t.rule: (t.fired, t.changed, t.department_id) for t in CoachTally.objects.all()}
    # "Good job" stays vague-free: the text names the situation and the impact.
    assert tallies == {
        "personality": (1, 1, writer.department_id),
        "sarcasm": (1, 1, writer.department_id),
        "vague": (1, 1, writer.department_id),
    }


def test_a_text_sent_with_its_findings_counts_them_as_unchanged(client: Client) -> None:
    client.post(
        "/feedback/give/",
        {"recipient": PersonFactory().email, "visibility": "private", "text": ISSUE_TEXT},
    )
    tallies = {t.rule: (t.fired, t.changed) for t in CoachTally.objects.all()}
    assert tallies == {"personality": (1, 0), "vague": (1, 0), "sarcasm": (1, 0)}


def test_findings_never_block_sending(client: Client) -> None:
    response = client.post(
        "/feedback/give/",
        {"recipient": PersonFactory().email, "visibility": "private", "text": ISSUE_TEXT},
    )
    assert response.status_code == 302
    assert Feedback.objects.get().text == ISSUE_TEXT


def test_upward_feedback_is_counted_without_a_department(writer) -> None:  # type: ignore[no-untyped-def]
    services.count_submission(author=writer, kind="upward", text="You NEVER listen to us.")
    assert set(CoachTally.objects.values_list("department_id", flat=True)) == {None}


def test_counts_add_up_in_one_row_per_department_kind_rule_and_month(writer) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        services.count_submission(
            author=writer, kind="feedback", text="You never test.", seen={"hedge"}
        )
    row = CoachTally.objects.get(rule="absolute")
    assert (row.fired, row.changed) == (3, 0)
    assert CoachTally.objects.get(rule="hedge").changed == 3
    assert CoachTally.objects.count() == 3  # absolute, hedge, too_short


def test_an_unknown_kind_counts_nothing(writer) -> None:  # type: ignore[no-untyped-def]
    assert services.count_submission(author=writer, kind="poem", text="You never test.") == {}
    assert not CoachTally.objects.exists()
