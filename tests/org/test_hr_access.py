"""Who may open the HR pages: HR admins everything, HR partners the people of their own
departments, everyone else nothing (404, as if the page did not exist)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import (
    DepartmentFactory,
    PersonFactory,
    executive,
    hr_admin,
    hr_partner,
    it_admin,
)

PERSON_PAGES = ["org:hr_person_edit", "org:hr_person_manager", "org:hr_person_status"]
ADMIN_PAGES = [
    "org:hr_departments",
    "org:hr_department_create",
    "org:hr_company",
    "org:hr_roles",
]


@pytest.fixture
def org(db):
    sales = DepartmentFactory(name="Sales")
    emea = DepartmentFactory(name="Sales EMEA", parent=sales)
    engineering = DepartmentFactory(name="Engineering")
    boss = PersonFactory(department=engineering)
    return {
        "sales": sales,
        "emea": emea,
        "engineering": engineering,
        "seller": PersonFactory(department=emea),
        "engineer": PersonFactory(department=engineering, manager=boss),
        "boss": boss,
        "partner": hr_partner([sales]),
    }


def all_pages(org):
    pages = ["org:hr_people", "org:hr_person_create", *ADMIN_PAGES]
    urls = [reverse(name) for name in pages]
    urls += [reverse(name, args=[org["engineer"].pk]) for name in PERSON_PAGES]
    urls.append(reverse("org:hr_department_edit", args=[org["sales"].pk]))
    return urls


def test_every_hr_page_renders_for_an_hr_admin(client_for, org):
    client = client_for(hr_admin())
    for url in all_pages(org):
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("who", ["employee", "manager", "executive", "it_admin"])
def test_it_answers_404_on_every_hr_page_to_people_without_an_hr_role(client_for, org, who):
    person = {
        "employee": lambda: org["engineer"],
        "manager": lambda: org["boss"],
        "executive": executive,
        "it_admin": it_admin,
    }[who]()
    client = client_for(person)
    for url in all_pages(org):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


def test_it_sends_anonymous_visitors_to_sign_in(client, org):
    for url in all_pages(org):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/")


def test_an_hr_partner_opens_the_pages_of_people_in_their_departments(client_for, org):
    client = client_for(org["partner"])
    for name in PERSON_PAGES:
        assert client.get(reverse(name, args=[org["seller"].pk])).status_code == 200, name


@pytest.mark.parametrize("name", PERSON_PAGES)
def test_an_hr_partner_gets_404_for_a_person_of_another_department(client_for, org, name):
    client = client_for(org["partner"])
    url = reverse(name, args=[org["engineer"].pk])
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"first_name": "X", "status": "left", "confirm": "yes"}).status_code == 404
    )


def test_an_hr_partner_gets_404_for_a_person_who_does_not_exist(client_for, org):
    client = client_for(org["partner"])
    assert client.get(reverse("org:hr_person_edit", args=[999_999])).status_code == 404


def test_an_hr_partner_gets_404_on_the_hr_admin_pages(client_for, org):
    client = client_for(org["partner"])
    for name in ADMIN_PAGES:
        assert client.get(reverse(name)).status_code == 404, name
    assert client.get(reverse("org:hr_department_edit", args=[org["sales"].pk])).status_code == 404


def test_an_hr_partner_sees_only_the_hr_pages_they_may_use_in_the_hr_menu(client_for, org):
    response = client_for(org["partner"]).get(reverse("org:hr_people"))
    assert reverse("org:hr_people") in response.text
    assert reverse("org:hr_departments") not in response.text
    assert reverse("org:hr_roles") not in response.text
