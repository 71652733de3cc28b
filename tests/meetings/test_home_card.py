from datetime import timedelta

from django.utils import timezone

from tandem.meetings import services
from tests.factories import PersonFactory


def _series(manager, report):  # type: ignore[no-untyped-def]
    return services.create_series(
        by=manager,
        report=report,
        cadence="weekly",
        first_start=timezone.now() + timedelta(days=2),
    )


def test_home_lists_my_next_one_on_one_with_the_other_person(client_for):
    manager = PersonFactory()
    report = PersonFactory(first_name="Quillonaire", preferred_name="", manager=manager)
    _series(manager, report)
    text = client_for(manager).get("/").text
    assert "Your next 1:1s" in text
    assert "Quillonaire" in text


def test_home_invites_a_manager_without_one_on_ones_to_start_them(client_for):
    manager = PersonFactory()
    PersonFactory(manager=manager)
    assert "Start a 1:1 series" in client_for(manager).get("/").text


def test_the_home_card_never_shows_someone_elses_one_on_ones(client_for):
    manager = PersonFactory()
    report = PersonFactory(first_name="Quillonaire", preferred_name="", manager=manager)
    _series(manager, report)
    text = client_for(PersonFactory()).get("/").text
    assert "Quillonaire" not in text
