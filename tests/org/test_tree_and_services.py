"""The org rules: reporting tree, manager history, cycles, leaving."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tandem.access.rules import SYSTEM
from tandem.audit.models import AuditEvent
from tandem.org import tree
from tandem.org.models import Person, PersonStatus, ReportingLine
from tandem.org.services import people as services
from tests.factories import DepartmentFactory, PersonFactory, hr_admin


@pytest.fixture
def chain(db):
    """ceo ← vp ← lead ← dev"""
    ceo = PersonFactory(first_name="Cara", last_name="Ceo", preferred_name="")
    vp = PersonFactory(first_name="Vik", last_name="Vp", preferred_name="", manager=ceo)
    lead = PersonFactory(first_name="Lea", last_name="Lead", preferred_name="", manager=vp)
    dev = PersonFactory(first_name="Dev", last_name="Dev", preferred_name="", manager=lead)
    return ceo, vp, lead, dev


def test_path_lists_ids_from_the_top_down(chain):
    ceo, vp, lead, dev = chain
    assert dev.path == f"/{ceo.pk}/{vp.pk}/{lead.pk}/{dev.pk}/"
    assert dev.depth == 3


def test_everyone_under_a_person_is_one_query_at_any_depth(chain, django_assert_num_queries):
    ceo, vp, lead, dev = chain
    with django_assert_num_queries(1):
        under = set(Person.objects.filter(path__startswith=vp.path).exclude(pk=vp.pk))
    assert under == {lead, dev}


def test_it_refuses_to_make_someone_their_own_manager(chain):
    ceo, *_ = chain
    with pytest.raises(ValidationError) as error:
        services.change_manager(person=ceo, manager=ceo, by=SYSTEM)
    assert "cannot be their own manager" in str(error.value)


def test_it_refuses_a_cycle_and_names_the_chain(chain):
    ceo, vp, lead, dev = chain
    with pytest.raises(ValidationError) as error:
        services.change_manager(person=vp, manager=dev, by=SYSTEM)
    message = error.value.message_dict["manager"][0]
    assert "Vik Vp cannot report to Dev Dev" in message
    assert "Dev Dev → Lea Lead → Vik Vp" in message
    vp.refresh_from_db()
    assert vp.manager == ceo


def test_changing_a_manager_moves_the_whole_subtree(chain):
    ceo, vp, lead, dev = chain
    other = PersonFactory(manager=ceo)
    services.change_manager(person=lead, manager=other, by=SYSTEM)
    dev.refresh_from_db()
    assert dev.path == f"/{ceo.pk}/{other.pk}/{lead.pk}/{dev.pk}/"
    assert dev.depth == 3
    assert not Person.objects.filter(path__startswith=vp.path).exclude(pk=vp.pk).exists()


def test_manager_history_answers_who_was_my_manager_on_a_day(chain):
    ceo, vp, lead, dev = chain
    ReportingLine.objects.filter(person=dev).update(start_date=date(2024, 1, 1))
    services.change_manager(person=dev, manager=vp, by=SYSTEM, effective=date(2024, 6, 1))
    assert ReportingLine.manager_on(dev, date(2024, 3, 1)) == lead
    assert ReportingLine.manager_on(dev, date(2024, 6, 1)) == vp
    assert ReportingLine.manager_on(dev, date(2023, 3, 1)) is None


def test_a_manager_change_before_the_current_line_started_is_refused(chain):
    *_, dev = chain
    ReportingLine.objects.filter(person=dev).update(start_date=date(2024, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.change_manager(person=dev, manager=None, by=SYSTEM, effective=date(2023, 1, 1))
    assert "effective" in error.value.message_dict


def test_leaving_deactivates_and_moves_reports_up(chain):
    ceo, vp, lead, dev = chain
    services.change_status(person=lead, status=PersonStatus.LEFT, by=SYSTEM)
    lead.refresh_from_db()
    dev.refresh_from_db()
    assert lead.is_active is False
    assert lead.end_date is not None
    assert dev.manager == vp
    assert dev.path == f"/{ceo.pk}/{vp.pk}/{dev.pk}/"


def test_an_end_date_for_someone_still_here_is_refused(chain):
    *_, dev = chain
    with pytest.raises(ValidationError) as error:
        services.change_status(
            person=dev, status=PersonStatus.ON_LEAVE, by=SYSTEM, end_date=date(2025, 1, 1)
        )
    assert "end_date" in error.value.message_dict


def test_updates_are_audited_with_old_and_new_values(chain):
    *_, dev = chain
    admin = hr_admin()
    services.update_person(person=dev, by=admin, title="Staff Engineer")
    event = AuditEvent.objects.get(kind="person.update")
    assert event.actor == admin
    assert event.subject == dev
    assert event.changes == {"title": ["Software Engineer", "Staff Engineer"]}


def test_an_update_that_changes_nothing_writes_no_audit_event(chain):
    *_, dev = chain
    services.update_person(person=dev, by=SYSTEM, title=dev.title)
    assert not AuditEvent.objects.filter(kind="person.update").exists()


def test_an_employee_cannot_update_another_person(chain):
    ceo, vp, lead, dev = chain
    from tandem.access.rules import NotAllowed

    with pytest.raises(NotAllowed):
        services.update_person(person=lead, by=dev, title="CEO")


def test_create_person_places_them_in_the_tree_and_opens_a_reporting_line(chain):
    ceo, *_ = chain
    person = services.create_person(
        by=SYSTEM,
        email="New.Person@Example.com",
        first_name="New",
        last_name="Person",
        manager=ceo,
        department=DepartmentFactory(),
        start_date=date(2025, 2, 1),
    )
    assert person.email == "new.person@example.com"
    assert person.path == f"{ceo.path}{person.pk}/"
    assert ReportingLine.manager_on(person, date(2025, 2, 1)) == ceo


def test_create_person_rejects_a_bad_time_zone_naming_the_field(db):
    with pytest.raises(ValidationError) as error:
        services.create_person(
            by=SYSTEM, email="a@example.com", first_name="A", last_name="B", time_zone="Mars/Base"
        )
    assert "time_zone" in error.value.message_dict


def test_moving_a_department_under_its_own_child_is_refused(db):
    parent = services.create_department(name="Engineering", by=SYSTEM)
    child = services.create_department(name="Platform", parent=parent, by=SYSTEM)
    with pytest.raises(ValidationError) as error:
        services.update_department(department=parent, parent=child, by=SYSTEM)
    assert "parent" in error.value.message_dict


def test_moving_a_department_moves_its_sub_departments(db):
    eng = services.create_department(name="Engineering", by=SYSTEM)
    product = services.create_department(name="Product", by=SYSTEM)
    platform = services.create_department(name="Platform", parent=eng, by=SYSTEM)
    storage = services.create_department(name="Storage", parent=platform, by=SYSTEM)
    services.update_department(department=platform, parent=product, by=SYSTEM)
    storage.refresh_from_db()
    assert storage.path == f"/{product.pk}/{platform.pk}/{storage.pk}/"


def test_compute_paths_names_a_cycle():
    with pytest.raises(ValueError) as error:
        tree.compute_paths({1: None, 2: 3, 3: 4, 4: 2})
    assert set(error.value.args[0]) == {2, 3, 4}


def test_compute_paths_builds_every_path():
    assert tree.compute_paths({1: None, 2: 1, 3: 2}) == {1: "/1/", 2: "/1/2/", 3: "/1/2/3/"}
