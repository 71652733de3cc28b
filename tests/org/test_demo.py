from __future__ import annotations

import gc
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Max, Q
from django.test import Client

from tandem.access.models import Role, RoleGrant
from tandem.audit.models import AuditEvent
from tandem.org import demo, tree
from tandem.org.models import (
    Company,
    CompanyValue,
    Department,
    Person,
    PersonStatus,
    ReportingLine,
)
from tandem.program.models import Program
from tests.demo_reset import wipe_company

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 1)
SMALL = 60

# Columns that legitimately differ between two loads: the unusable-password salt is drawn
# from the seed too, but created_at is the wall clock.
COMPARED = [
    "id",
    "email",
    "employee_id",
    "first_name",
    "last_name",
    "preferred_name",
    "title",
    "level",
    "department__name",
    "location",
    "time_zone",
    "start_date",
    "status",
    "end_date",
    "manager_id",
    "path",
    "depth",
    "sort_name",
]


@pytest.fixture
def loaded() -> demo.DemoResult:
    return demo.load_demo(people=SMALL, seed=7, today=TODAY)


def snapshot() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    people = list(Person.objects.order_by("id").values_list(*COMPARED))
    lines = list(
        ReportingLine.objects.order_by("person_id", "start_date").values_list(
            "person_id", "manager_id", "start_date", "end_date"
        )
    )
    return people, lines


def test_it_loads_a_small_company_with_the_requested_headcount(loaded: demo.DemoResult) -> None:
    assert Person.objects.count() == SMALL
    assert loaded.people == SMALL
    assert Department.objects.filter(name="Engineering").exists()
    assert Company.load().name == demo.COMPANY_NAME
    assert 4 <= CompanyValue.objects.count() <= 6
    assert Program.load().purpose_statement


def test_the_same_seed_gives_the_same_company() -> None:
    demo.load_demo(people=SMALL, seed=11, today=TODAY)
    first = snapshot()
    wipe_company()
    demo.load_demo(people=SMALL, seed=11, today=TODAY)
    assert snapshot() == first


def test_another_seed_gives_other_people() -> None:
    demo.load_demo(people=SMALL, seed=11, today=TODAY)
    first = snapshot()
    wipe_company()
    demo.load_demo(people=SMALL, seed=12, today=TODAY)
    assert snapshot() != first


def test_every_path_matches_the_manager_chain(loaded: demo.DemoResult) -> None:
    people = {p.pk: p for p in Person.objects.all()}
    for person in people.values():
        chain = [person.pk]
        manager_id = person.manager_id
        while manager_id is not None:
            chain.append(manager_id)
            manager_id = people[manager_id].manager_id
        assert tree.ids_in(person.path) == list(reversed(chain)), person.email
        assert person.depth == tree.depth_of(person.path)


def test_there_is_one_ceo_at_the_top(loaded: demo.DemoResult) -> None:
    roots = Person.objects.filter(manager__isnull=True)
    assert [p.title for p in roots] == ["Chief Executive Officer"]


def test_spans_of_control_stay_between_one_and_ten_below_the_ceo(
    loaded: demo.DemoResult,
) -> None:
    spans = (
        Person.objects.exclude(manager__isnull=True)
        .annotate(n=Count("reports"))
        .filter(n__gt=0)
        .values_list("n", flat=True)
    )
    assert spans
    assert all(1 <= n <= 10 for n in spans)


def test_names_and_sort_columns_are_filled_before_insert(loaded: demo.DemoResult) -> None:
    assert not Person.objects.filter(Q(sort_name="") | Q(search_text="")).exists()


def test_some_people_are_on_leave_and_some_have_left(loaded: demo.DemoResult) -> None:
    assert Person.objects.filter(status=PersonStatus.ON_LEAVE).exists()
    leavers = Person.objects.filter(status=PersonStatus.LEFT)
    assert leavers.exists()
    assert not leavers.filter(Q(end_date__isnull=True) | Q(is_active=True)).exists()
    assert not ReportingLine.objects.filter(
        person__status=PersonStatus.LEFT, end_date__isnull=True
    ).exists()


def test_everyone_has_exactly_one_current_reporting_line_unless_they_left(
    loaded: demo.DemoResult,
) -> None:
    open_lines = (
        Person.objects.exclude(status=PersonStatus.LEFT)
        .annotate(n=Count("reporting_lines", filter=Q(reporting_lines__end_date__isnull=True)))
        .values_list("n", flat=True)
    )
    assert set(open_lines) == {1}


def test_the_current_reporting_line_names_the_current_manager(loaded: demo.DemoResult) -> None:
    mismatched = ReportingLine.objects.filter(end_date__isnull=True).exclude(
        manager_id=F("person__manager_id")
    )
    assert not mismatched.filter(manager__isnull=False).exists()


def test_some_people_changed_manager_in_the_past() -> None:
    demo.load_demo(people=200, seed=3, today=TODAY)
    history = ReportingLine.objects.filter(
        end_date__isnull=False, person__status=PersonStatus.ACTIVE
    )
    assert history.exists()
    assert not ReportingLine.objects.filter(end_date__lte=F("start_date")).exists()


def test_the_demo_log_ins_have_their_roles(loaded: demo.DemoResult) -> None:
    def roles_of(email: str) -> set[str]:
        return set(RoleGrant.objects.filter(person__email=email).values_list("role", flat=True))

    domain = demo.DEMO_DOMAIN
    assert roles_of(f"hr@{domain}") == {Role.HR_ADMIN, Role.PEOPLE_ANALYTICS}
    assert roles_of(f"partner@{domain}") == {Role.HR_PARTNER}
    assert roles_of(f"exec@{domain}") == {Role.EXECUTIVE}
    assert roles_of(f"it@{domain}") == {Role.IT_ADMIN}
    partner = RoleGrant.objects.get(role=Role.HR_PARTNER)
    assert {d.name for d in partner.departments.all()} == {"Sales", "Customer Success"}
    assert Person.objects.get(email=f"hr@{domain}").department.name == "People"  # type: ignore[union-attr]


def test_the_manager_log_ins_manage_the_right_people(loaded: demo.DemoResult) -> None:
    domain = demo.DEMO_DOMAIN
    director = Person.objects.get(email=f"director@{domain}")
    manager = Person.objects.get(email=f"manager@{domain}")
    employee = Person.objects.get(email=f"employee@{domain}")
    assert Person.objects.filter(manager__manager=director).exists()
    assert manager.path.startswith(director.path)
    assert manager.reports.exists()
    assert not Person.objects.filter(manager__manager=manager).exists()
    assert employee.manager_id == manager.pk
    assert not employee.reports.exists()


def test_only_the_demo_log_ins_can_sign_in(loaded: demo.DemoResult) -> None:
    usable = [p for p in Person.objects.all() if p.has_usable_password()]
    assert sorted(p.email.split("@")[0] for p in usable) == sorted(
        key for key, _, _ in demo.LOGIN_ROLES
    )
    assert all(p.check_password(demo.DEMO_PASSWORD) for p in usable)


def test_the_demo_log_ins_are_active(loaded: demo.DemoResult) -> None:
    emails = [email for _, _, email in demo.LOGIN_ROLES]
    assert Person.objects.filter(email__in=emails, status=PersonStatus.ACTIVE).count() == 7


@pytest.fixture
def last_event_before() -> int:
    """The newest audit event's id before the test loads anything: a module-scoped world
    elsewhere may leave events behind (the audit log cannot be deleted from)."""
    return AuditEvent.objects.aggregate(newest=Max("pk"))["newest"] or 0


def test_it_writes_one_audit_event_for_the_whole_load(
    last_event_before: int, loaded: demo.DemoResult
) -> None:
    events = AuditEvent.objects.filter(pk__gt=last_event_before).order_by("pk")
    assert [e.kind for e in events] == ["demo.load"]
    assert events[0].changes["people"] == SMALL


def test_a_person_created_after_the_demo_gets_a_fresh_id(loaded: demo.DemoResult) -> None:
    # Explicit ids must not leave the id sequence behind (PostgreSQL).
    department = Department.objects.create(name="Late team")
    person = Person.objects.create(email="late@example.com", first_name="L", last_name="T")
    assert person.pk > SMALL
    assert department.pk > 0


def test_it_refuses_to_load_twice(loaded: demo.DemoResult) -> None:
    with pytest.raises(demo.DemoRefused):
        demo.load_demo(people=SMALL, seed=7, today=TODAY)
    assert Person.objects.count() == SMALL


def test_the_command_refuses_a_database_with_people(loaded: demo.DemoResult) -> None:
    with pytest.raises(CommandError, match="already has people"):
        call_command("demo", "--people", "60", stdout=StringIO(), stderr=StringIO())


def test_if_empty_is_a_no_op_on_a_loaded_database(
    last_event_before: int, loaded: demo.DemoResult
) -> None:
    before = snapshot()
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out, stderr=StringIO())
    assert snapshot() == before
    assert AuditEvent.objects.filter(pk__gt=last_event_before).count() == 1
    assert f"hr@{demo.DEMO_DOMAIN}" in out.getvalue()
    assert demo.DEMO_PASSWORD in out.getvalue()


def test_the_command_loads_and_prints_the_log_ins() -> None:
    out = StringIO()
    call_command("demo", "--people", "60", "--seed", "5", stdout=out, stderr=StringIO())
    assert Person.objects.count() == 60
    for _, _, email in demo.LOGIN_ROLES:
        assert email in out.getvalue()


def test_the_command_rejects_a_too_small_company() -> None:
    with pytest.raises(CommandError, match="--people"):
        call_command("demo", "--people", "5", stdout=StringIO(), stderr=StringIO())
    assert not Person.objects.exists()


def test_a_demo_log_in_signs_in_through_the_sign_in_form(loaded: demo.DemoResult) -> None:
    client = Client()
    response = client.post(
        "/login/", {"username": f"hr@{demo.DEMO_DOMAIN}", "password": demo.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/people/").status_code == 200


def test_the_result_times_every_part_in_order(loaded: demo.DemoResult) -> None:
    names = [part.name for part in loaded.parts]
    assert names == [
        "org",
        "coach",
        "integrations",
        "goals",
        "feedback",
        "meetings",
        "career frameworks",
        "team story",
        "reviews",
        "ratings history",
        "fairness",
        "calibration",
        "development plans",
        "promotions",
        "keys and indexes",
        "commit",
        "statistics",
    ]
    assert all(part.seconds >= 0 and part.cpu_seconds >= 0 for part in loaded.parts)
    assert all(part.peak_mb > 0 for part in loaded.parts)


def test_the_command_prints_the_time_and_memory_of_each_part() -> None:
    out = StringIO()
    call_command("demo", "--people", "60", "--seed", "5", stdout=out, stderr=StringIO())
    printed = out.getvalue()
    assert "Time and memory of each part" in printed
    for part in ("org", "goals", "feedback", "meetings", "reviews", "commit", "total"):
        assert f"│ {part} " in printed


def test_loading_leaves_the_cycle_collector_as_it_was(loaded: demo.DemoResult) -> None:
    assert gc.isenabled()


def test_loading_leaves_planner_statistics_for_the_tables_it_filled(
    loaded: demo.DemoResult,
) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ANALYZE sets reltuples (-1: never analyzed) in the catalog, inside this
            # transaction; the statistics views would only show it once flushed.
            cursor.execute(
                "SELECT reltuples >= %s FROM pg_class WHERE relname = 'org_person'", [SMALL]
            )
        else:
            cursor.execute("SELECT COUNT(*) > 0 FROM sqlite_stat1 WHERE tbl = 'org_person'")
        assert cursor.fetchone()[0]
