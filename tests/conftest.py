from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PASSWORD, Person


@pytest.fixture(autouse=True)
def _fresh_axes(db: None) -> None:
    """Each test starts with no failed sign-ins on record."""


@pytest.fixture
def client_for(db: None):  # type: ignore[no-untyped-def]
    """A test client signed in as the given person (through the real sign-in form)."""

    def make(person: Person | None) -> Client:
        client = Client()
        if person is not None:
            response = client.post("/login/", {"username": person.email, "password": PASSWORD})
            assert response.status_code == 302, f"could not sign in {person.email}"
        return client

    return make
