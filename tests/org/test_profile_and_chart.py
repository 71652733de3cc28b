from tandem.org.models import PersonStatus
from tests.factories import PersonFactory, hr_admin


def test_profile_shows_title_manager_chain_reports_department_start_and_time_zone(client_for):
    ceo = PersonFactory(first_name="Cara", preferred_name="")
    lead = PersonFactory(first_name="Lea", preferred_name="", manager=ceo, title="Team Lead")
    PersonFactory(first_name="Rui", preferred_name="", manager=lead)
    response = client_for(PersonFactory()).get(f"/people/{lead.pk}/")
    text = response.text
    assert "Team Lead" in text
    assert 'aria-label="Manager chain"' in text and "Cara" in text
    assert "Rui" in text
    assert lead.department.name in text
    assert lead.time_zone in text
    assert lead.start_date.strftime("%Y") in text


def test_profile_hides_level_and_employee_id_from_peers(client_for):
    subject = PersonFactory(level="IC5", employee_id="E-SECRET")
    text = client_for(PersonFactory()).get(f"/people/{subject.pk}/").text
    assert "E-SECRET" not in text
    assert "IC5" not in text


def test_profile_shows_level_to_the_persons_manager(client_for):
    manager = PersonFactory()
    subject = PersonFactory(level="IC5", manager=manager)
    assert "IC5" in client_for(manager).get(f"/people/{subject.pk}/").text


def test_profile_of_someone_who_left_is_not_found_for_employees(client_for):
    gone = PersonFactory(status=PersonStatus.LEFT)
    assert client_for(PersonFactory()).get(f"/people/{gone.pk}/").status_code == 404


def test_profile_of_someone_who_left_is_visible_to_hr_admins(client_for):
    gone = PersonFactory(status=PersonStatus.LEFT)
    assert client_for(hr_admin()).get(f"/people/{gone.pk}/").status_code == 200


def test_org_chart_starts_at_the_top_with_a_button_per_team(client_for):
    ceo = PersonFactory(first_name="Cara", preferred_name="")
    PersonFactory.create_batch(3, manager=ceo)
    text = client_for(ceo).get("/org-chart/").text
    assert "Cara" in text
    assert f'aria-controls="children-{ceo.pk}"' in text
    assert "+3" in text


def test_org_chart_expands_one_level(client_for):
    ceo = PersonFactory()
    lead = PersonFactory(first_name="Lea", preferred_name="", manager=ceo)
    PersonFactory(first_name="Deepnested", preferred_name="", manager=lead)
    text = (
        client_for(ceo).get(f"/org-chart/{ceo.pk}/children/", headers={"HX-Request": "true"}).text
    )
    assert "Lea" in text
    assert "Deepnested" not in text
    assert "+1" in text


def test_org_chart_leaves_out_people_who_left(client_for):
    ceo = PersonFactory()
    PersonFactory(first_name="Goneaway", preferred_name="", manager=ceo, status=PersonStatus.LEFT)
    text = client_for(ceo).get(f"/org-chart/{ceo.pk}/children/").text
    assert "Goneaway" not in text


def test_org_chart_expand_query_count_does_not_grow_with_reports(
    client_for, django_assert_max_num_queries
):
    ceo = PersonFactory()
    client = client_for(ceo)
    PersonFactory.create_batch(3, manager=ceo)
    with django_assert_max_num_queries(10) as small:
        client.get(f"/org-chart/{ceo.pk}/children/")
    leads = PersonFactory.create_batch(30, manager=ceo)
    PersonFactory.create_batch(5, manager=leads[0])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"/org-chart/{ceo.pk}/children/")


def test_profile_query_count_does_not_grow_with_reports_or_depth(
    client_for, django_assert_max_num_queries
):
    viewer = PersonFactory()
    client = client_for(viewer)
    top = PersonFactory()
    subject = PersonFactory(manager=top)
    PersonFactory.create_batch(2, manager=subject)
    with django_assert_max_num_queries(12) as small:
        client.get(f"/people/{subject.pk}/")
    deeper = subject
    for _ in range(5):
        deeper = PersonFactory(manager=deeper)
    PersonFactory.create_batch(20, manager=deeper)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"/people/{deeper.pk}/")


def test_org_chart_opens_with_the_ceos_direct_reports_shown(client_for):
    ceo = PersonFactory(first_name="Cara", preferred_name="")
    lead = PersonFactory(first_name="Lea", preferred_name="", manager=ceo)
    PersonFactory(first_name="Deepnested", preferred_name="", manager=lead)
    text = client_for(ceo).get("/org-chart/").text
    assert "Lea" in text
    assert "Deepnested" not in text
    assert f'aria-expanded="true" aria-controls="children-{ceo.pk}"' in text


def test_org_chart_second_level_loads_its_own_reports_lazily(client_for):
    ceo = PersonFactory()
    lead = PersonFactory(manager=ceo)
    PersonFactory(manager=lead)
    text = client_for(ceo).get("/org-chart/").text
    assert f'aria-expanded="false" aria-controls="children-{lead.pk}"' in text
    assert f'hx-get="/org-chart/{lead.pk}/children/"' in text
    assert f'<ul id="children-{lead.pk}" data-children hidden></ul>' in text


def test_org_chart_second_level_leaves_out_people_who_left(client_for):
    ceo = PersonFactory()
    PersonFactory(first_name="Goneaway", preferred_name="", manager=ceo, status=PersonStatus.LEFT)
    assert "Goneaway" not in client_for(ceo).get("/org-chart/").text


def test_org_chart_query_count_does_not_grow_with_the_first_two_levels(
    client_for, django_assert_max_num_queries
):
    ceo = PersonFactory()
    client = client_for(ceo)
    PersonFactory.create_batch(2, manager=ceo)
    with django_assert_max_num_queries(10) as small:
        client.get("/org-chart/")
    leads = PersonFactory.create_batch(20, manager=ceo)
    for lead in leads[:5]:
        PersonFactory.create_batch(2, manager=lead)
    other_root = PersonFactory()
    PersonFactory.create_batch(3, manager=other_root)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/org-chart/")
