"""The department pages: the tree with heads and headcounts, add, rename, move, delete."""

from __future__ import annotations

from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.org.models import Department, PersonStatus
from tests.factories import DepartmentFactory, PersonFactory, hr_admin

LIST = reverse("org:hr_departments")
CREATE = reverse("org:hr_department_create")


def edit_url(department):
    return reverse("org:hr_department_edit", args=[department.pk])


def test_the_tree_shows_each_department_with_its_head_and_headcount(client_for):
    admin = hr_admin()
    sales = DepartmentFactory(name="Sales")
    emea = DepartmentFactory(name="Sales EMEA", parent=sales)
    head = PersonFactory(first_name="Hana", last_name="Head", preferred_name="", department=sales)
    sales.head = head
    sales.save()
    PersonFactory.create_batch(2, department=emea)
    PersonFactory(department=emea, status=PersonStatus.LEFT)
    response = client_for(admin).get(LIST)
    tree = response.context["tree"]
    sales_node = next(node for node in tree if node.department == sales)
    assert sales_node.people == 1
    assert sales_node.total == 3
    assert [child.department for child in sales_node.children] == [emea]
    text = " ".join(response.text.split())
    assert "Head: Hana Head" in text
    assert "(3 in all)" in text


def test_the_tree_costs_the_same_queries_for_few_and_many_departments(
    client_for, django_assert_max_num_queries
):
    client = client_for(hr_admin())
    DepartmentFactory.create_batch(3)
    with django_assert_max_num_queries(8):
        client.get(LIST)
    parent = DepartmentFactory()
    for _ in range(30):
        PersonFactory(department=DepartmentFactory(parent=parent))
    with django_assert_max_num_queries(8):
        client.get(LIST)


def test_it_adds_a_department_under_a_parent_with_a_head_and_audits_it(client_for):
    admin = hr_admin()
    sales = DepartmentFactory(name="Sales")
    head = PersonFactory(employee_id="H-1")
    response = client_for(admin).post(
        CREATE, {"name": "Inside sales", "parent": sales.pk, "head": "H-1"}
    )
    assert response.status_code == 302
    department = Department.objects.get(name="Inside sales")
    assert department.parent == sales
    assert department.head == head
    assert department.path == f"{sales.path}{department.pk}/"
    assert AuditEvent.objects.get(kind="department.create").changes["name"] == [
        None,
        "Inside sales",
    ]


def test_it_rejects_a_department_name_already_in_use(client_for):
    admin = hr_admin()
    DepartmentFactory(name="Sales")
    response = client_for(admin).post(CREATE, {"name": "Sales", "parent": "", "head": ""})
    assert response.status_code == 200
    assert "already exists" in str(response.context["form"].errors["name"])


def test_it_rejects_a_head_who_does_not_exist(client_for):
    response = client_for(hr_admin()).post(
        CREATE, {"name": "Legal", "parent": "", "head": "nobody@example.com"}
    )
    assert "No active person with e-mail nobody@example.com" in str(
        response.context["form"].errors["head"]
    )


def test_it_renames_and_moves_a_department_with_its_sub_departments(client_for):
    admin = hr_admin()
    sales = DepartmentFactory(name="Sales")
    team = DepartmentFactory(name="Team", parent=sales)
    squad = DepartmentFactory(name="Squad", parent=team)
    revenue = DepartmentFactory(name="Revenue")
    response = client_for(admin).post(
        edit_url(team), {"name": "Field team", "parent": revenue.pk, "head": ""}
    )
    assert response.status_code == 302
    team.refresh_from_db()
    squad.refresh_from_db()
    assert team.name == "Field team"
    assert team.path == f"{revenue.path}{team.pk}/"
    assert squad.path == f"{team.path}{squad.pk}/"
    changes = AuditEvent.objects.get(kind="department.update").changes
    assert changes["name"] == ["Team", "Field team"]
    assert changes["parent"] == ["Sales", "Revenue"]


def test_it_refuses_to_move_a_department_under_its_own_child(client_for):
    admin = hr_admin()
    sales = DepartmentFactory(name="Sales")
    child = DepartmentFactory(name="Sales EMEA", parent=sales)
    response = client_for(admin).post(
        edit_url(sales), {"name": "Sales", "parent": child.pk, "head": ""}
    )
    assert response.status_code == 200
    assert "Sales EMEA is inside Sales" in str(response.context["form"].errors["parent"])
    sales.refresh_from_db()
    assert sales.parent is None


def test_it_refuses_to_make_a_department_its_own_parent(client_for):
    admin = hr_admin()
    sales = DepartmentFactory(name="Sales")
    response = client_for(admin).post(
        edit_url(sales), {"name": "Sales", "parent": sales.pk, "head": ""}
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors


def test_it_deletes_an_empty_department_and_audits_it(client_for):
    admin = hr_admin()
    empty = DepartmentFactory(name="Empty")
    response = client_for(admin).post(edit_url(empty), {"delete": "yes"})
    assert response.status_code == 302
    assert not Department.objects.filter(pk=empty.pk).exists()
    assert AuditEvent.objects.get(kind="department.delete").object_label == "Empty"


def test_it_refuses_to_delete_a_department_with_people(client_for):
    admin = hr_admin()
    sales = DepartmentFactory(name="Sales")
    PersonFactory(department=sales)
    client = client_for(admin)
    page = client.get(edit_url(sales))
    assert "can be deleted once it is empty" in page.text
    response = client.post(edit_url(sales), {"delete": "yes"}, follow=True)
    assert "still has sub-departments or people" in response.text
    assert Department.objects.filter(pk=sales.pk).exists()


def test_it_answers_404_for_a_department_that_does_not_exist(client_for):
    assert client_for(hr_admin()).get("/hr/departments/999999/edit/").status_code == 404
