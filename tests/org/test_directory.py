from tandem.org.models import PersonStatus
from tests.factories import DepartmentFactory, PersonFactory, hr_admin, hr_partner


def test_directory_finds_people_by_title_words(client_for):
    viewer = PersonFactory()
    PersonFactory(first_name="Zed", title="Payroll Specialist")
    response = client_for(viewer).get("/people/", {"q": "payroll"})
    assert "Zed" in response.text


def test_directory_finds_people_by_department_name(client_for):
    viewer = PersonFactory()
    finance = DepartmentFactory(name="Finance")
    PersonFactory(first_name="Quinn", department=finance)
    response = client_for(viewer).get("/people/", {"q": "finance"})
    assert "Quinn" in response.text


def test_directory_department_filter_includes_sub_departments(client_for):
    viewer = PersonFactory()
    eng = DepartmentFactory(name="Engineering")
    platform = DepartmentFactory(name="Platform", parent=eng)
    PersonFactory(first_name="Plato", department=platform)
    PersonFactory(first_name="Outsider")
    response = client_for(viewer).get("/people/", {"department": eng.pk})
    assert "Plato" in response.text
    assert "Outsider" not in response.text


def test_directory_hides_people_who_left_from_employees(client_for):
    viewer = PersonFactory()
    PersonFactory(first_name="Gone", status=PersonStatus.LEFT)
    assert "Gone" not in client_for(viewer).get("/people/").text


def test_hr_admins_can_filter_for_people_who_left(client_for):
    PersonFactory(first_name="Gone", status=PersonStatus.LEFT)
    response = client_for(hr_admin()).get("/people/", {"status": "left"})
    assert "Gone" in response.text


def test_an_employee_asking_for_people_who_left_gets_a_field_error_not_a_list(client_for):
    viewer = PersonFactory()
    PersonFactory(first_name="Gone", status=PersonStatus.LEFT)
    response = client_for(viewer).get("/people/", {"status": "left"})
    assert response.status_code == 200
    assert "Status:" in response.text
    assert "Gone" not in response.text


def test_directory_pages_through_everyone_once(client_for):
    viewer = PersonFactory(last_name="Aaa")
    PersonFactory.create_batch(60)
    client = client_for(viewer)
    first = client.get("/people/")
    assert first.context["page"].next_cursor
    second = client.get("/people/", {"cursor": first.context["page"].next_cursor})
    names_first = {p.pk for p in first.context["page"].people}
    names_second = {p.pk for p in second.context["page"].people}
    assert len(names_first) == 50
    assert len(names_second) == 11
    assert not names_first & names_second


def test_a_tampered_page_link_says_so_instead_of_failing(client_for):
    response = client_for(PersonFactory()).get("/people/", {"cursor": "not-a-cursor!!"})
    assert response.status_code == 200
    assert "not valid" in response.text


def test_htmx_search_returns_only_the_results_table(client_for):
    response = client_for(PersonFactory()).get(
        "/people/", {"q": "x"}, headers={"HX-Request": "true"}
    )
    assert "<html" not in response.text
    assert "<table" in response.text


def test_directory_query_count_does_not_grow_with_people(client_for, django_assert_max_num_queries):
    viewer = PersonFactory()
    client = client_for(viewer)
    PersonFactory.create_batch(5)
    with django_assert_max_num_queries(12) as small:
        client.get("/people/")
    PersonFactory.create_batch(60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/people/")


def test_a_peer_cannot_confirm_an_employee_id_by_searching_for_it(client_for):
    PersonFactory(first_name="Owner", employee_id="PRIV-7731")
    response = client_for(PersonFactory()).get("/people/", {"q": "priv-7731"})
    assert "Owner" not in response.text


def test_hr_admins_find_a_person_by_exact_employee_id(client_for):
    PersonFactory(first_name="Owner", employee_id="PRIV-7731")
    response = client_for(hr_admin()).get("/people/", {"q": "priv-7731"})
    assert "Owner" in response.text


def test_hr_partners_find_employee_ids_only_in_their_departments(client_for):
    mine, theirs = DepartmentFactory(), DepartmentFactory()
    PersonFactory(first_name="Inside", employee_id="IN-1", department=mine)
    PersonFactory(first_name="Elsewhere", employee_id="OUT-1", department=theirs)
    client = client_for(hr_partner([mine]))
    assert "Inside" in client.get("/people/", {"q": "in-1"}).text
    assert "Elsewhere" not in client.get("/people/", {"q": "out-1"}).text


def test_the_employee_id_search_has_an_index_on_the_upper_cased_id():
    # HR's search compares UPPER(employee_id) (an exact, case-blind match): without an index
    # on that expression the search's OR cannot use indexes and PostgreSQL walks every person.
    from django.db.models.functions import Upper

    from tandem.org.models import Person

    indexed = [index.expressions for index in Person._meta.indexes if index.expressions]
    assert (Upper("employee_id"),) in indexed
