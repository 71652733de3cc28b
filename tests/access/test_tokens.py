"""Personal API tokens: create (shown once), list, revoke; IT's overview; the CLI."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models
from django.db.models.functions import Cast

from tandem.access import services
from tandem.access.models import ApiToken, hash_token
from tandem.audit.models import AuditEvent
from tests.factories import PersonFactory, hr_admin, it_admin

TOKEN_RE = re.compile(r'value="(tdm_[A-Za-z0-9_\-]+)"')


def create_through_page(client, name="Payroll sync"):  # type: ignore[no-untyped-def]
    response = client.post("/settings/tokens/", {"name": name})
    assert response.status_code == 200
    match = TOKEN_RE.search(response.text)
    assert match, response.text
    return response, match.group(1)


def test_creating_a_token_shows_it_once_with_a_copy_hint(client_for):
    client = client_for(PersonFactory())
    response, raw = create_through_page(client)
    assert "only time it is shown" in response.text
    assert "copy" in response.text.lower()
    again = client.get("/settings/tokens/")
    assert raw not in again.text
    assert raw[:12] in again.text  # the prefix, to recognise it


def test_the_new_token_works_as_a_bearer_token(client_for, client):
    person = PersonFactory(email="ana@example.com")
    _, raw = create_through_page(client_for(person))
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["email"] == "ana@example.com"


def test_using_a_token_records_when_it_was_last_used(client_for, client):
    person = PersonFactory()
    token, raw = services.create_token(person=person, name="Sync", by=person)
    assert token.last_used_at is None
    client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_list_shows_name_prefix_created_last_used_and_a_revoke_button(client_for):
    person = PersonFactory()
    token, _ = services.create_token(person=person, name="Laptop scripts", by=person)
    response = client_for(person).get("/settings/tokens/")
    assert "Laptop scripts" in response.text
    assert f"{token.prefix}…" in response.text
    assert "never" in response.text
    assert f'action="/settings/tokens/{token.pk}/revoke/"' in response.text
    for header in ("Name", "Starts with", "Created", "Last used"):
        assert f'<th scope="col">{header}</th>' in response.text


def test_it_names_the_field_when_the_name_is_missing(client_for):
    response = client_for(PersonFactory()).post("/settings/tokens/", {"name": "  "})
    assert response.status_code == 200
    assert 'id="name-errors"' in response.text
    assert not ApiToken.objects.exists()


def test_the_database_never_holds_the_raw_token(client_for):
    person = PersonFactory()
    _, raw = create_through_page(client_for(person))
    assert ApiToken.objects.get(person=person).token_hash == hash_token(raw)
    secret_part = raw[12:]
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                rows = model._default_manager.annotate(
                    _text=Cast(field.attname, models.TextField())
                )
                found = rows.filter(_text__contains=secret_part).exists()
                assert not found, f"{model.__name__}.{field.name} holds the raw token"


def test_revoking_a_token_stops_it_at_once(client_for, client):
    person = PersonFactory()
    token, raw = services.create_token(person=person, name="Sync", by=person)
    response = client_for(person).post(f"/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert response["Location"] == "/settings/tokens/"
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert AuditEvent.objects.filter(kind="token.revoke", object_id=str(token.pk)).exists()


def test_revoking_needs_a_post(client_for):
    person = PersonFactory()
    token, _ = services.create_token(person=person, name="Sync", by=person)
    assert client_for(person).get(f"/settings/tokens/{token.pk}/revoke/").status_code == 405


def test_nobody_can_revoke_someone_elses_token(client_for):
    owner = PersonFactory()
    token, _ = services.create_token(person=owner, name="Sync", by=owner)
    for outsider in (PersonFactory(), hr_admin()):
        response = client_for(outsider).post(f"/settings/tokens/{token.pk}/revoke/")
        assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_token_id_that_does_not_exist_is_a_404(client_for):
    assert client_for(PersonFactory()).post("/settings/tokens/999999/revoke/").status_code == 404


def test_one_person_does_not_see_anothers_tokens(client_for):
    owner = PersonFactory()
    services.create_token(person=owner, name="Owner's secret sync", by=owner)
    response = client_for(PersonFactory()).get("/settings/tokens/")
    assert "Owner&#x27;s secret sync" not in response.text
    assert "You have no tokens" in response.text


def test_a_wrong_bearer_token_is_refused(client):
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer tdm_nope").status_code == 401


# --- IT admins ------------------------------------------------------------------------


def test_it_admins_see_every_live_token_with_its_person(client_for):
    ana = PersonFactory(first_name="Ana", preferred_name="", last_name="Lima")
    live, _ = services.create_token(person=ana, name="Payroll sync", by=ana)
    dead, _ = services.create_token(person=ana, name="Old laptop", by=ana)
    services.revoke_token(token=dead, by=ana)
    response = client_for(it_admin()).get("/it/tokens/")
    assert response.status_code == 200
    assert "Ana Lima" in response.text
    assert "Payroll sync" in response.text
    assert "Old laptop" not in response.text
    assert f"{live.prefix}…" in response.text


@pytest.mark.parametrize("make", [PersonFactory, hr_admin])
def test_people_who_are_not_it_admins_get_404_on_the_it_page(client_for, make):
    assert client_for(make()).get("/it/tokens/").status_code == 404


def test_it_admins_can_revoke_anyones_token_and_return_to_their_page(client_for, client):
    owner = PersonFactory()
    token, raw = services.create_token(person=owner, name="Sync", by=owner)
    admin = it_admin()
    response = client_for(admin).post(f"/settings/tokens/{token.pk}/revoke/", {"back": "it"})
    assert response.status_code == 302
    assert response["Location"] == "/it/tokens/"
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    event = AuditEvent.objects.get(kind="token.revoke")
    assert event.actor == admin
    assert event.subject == owner


def test_the_it_token_list_has_a_fixed_query_budget(client_for, django_assert_max_num_queries):
    admin_client = client_for(it_admin())

    def add(n: int) -> None:
        for person in PersonFactory.create_batch(n):
            services.create_token(person=person, name="Sync", by=person)

    add(3)
    with django_assert_max_num_queries(8):
        small = admin_client.get("/it/tokens/")
    add(60)
    with django_assert_max_num_queries(8):
        large = admin_client.get("/it/tokens/?page=2")
    assert small.status_code == large.status_code == 200
    assert "Page 2 of 2" in large.text


def test_a_page_number_that_is_not_a_number_shows_the_first_page(client_for):
    assert client_for(it_admin()).get("/it/tokens/?page=abc").status_code == 200


# --- The command line -------------------------------------------------------------------


def test_createtoken_prints_a_working_token_once(client):
    person = PersonFactory(email="ana@example.com")
    out, err = StringIO(), StringIO()
    call_command("createtoken", "ANA@example.com", "--name", "Backup job", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert raw.startswith("tdm_")
    assert "shown only this once" in err.getvalue()
    token = ApiToken.objects.get(person=person)
    assert token.name == "Backup job"
    assert token.token_hash == hash_token(raw)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_createtoken_is_audited_as_the_command_line():
    PersonFactory(email="ana@example.com")
    # Module-wide worlds elsewhere sign in by token and leave their (append-only) audit
    # trail behind: only this command's event counts.
    last_before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    call_command("createtoken", "ana@example.com", stdout=StringIO(), stderr=StringIO())
    event = AuditEvent.objects.get(kind="token.create", pk__gt=last_before)
    assert event.actor is None
    assert event.actor_label == "command line"


def test_createtoken_names_an_unknown_email():
    with pytest.raises(CommandError, match=r"nobody@example\.com"):
        call_command("createtoken", "nobody@example.com", stdout=StringIO())


def test_createtoken_refuses_a_leaver():
    PersonFactory(
        email="gone@example.com", status="left", start_date="2020-01-01", end_date="2025-01-01"
    )
    with pytest.raises(CommandError, match="deactivated"):
        call_command("createtoken", "gone@example.com", stdout=StringIO())
