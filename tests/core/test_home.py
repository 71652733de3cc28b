from tests.factories import PersonFactory, executive


def test_home_greets_the_signed_in_person(client_for):
    person = PersonFactory(first_name="Ana", preferred_name="")
    response = client_for(person).get("/")
    assert response.status_code == 200
    assert "Welcome, Ana" in response.text


def test_home_asks_anonymous_visitors_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_home_shows_headcount_to_executives(client_for):
    boss = executive()
    PersonFactory.create_batch(3)
    response = client_for(boss).get("/")
    assert "active, 0 on leave" in response.text
