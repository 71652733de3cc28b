from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.factories import Person, api_token


@pytest.fixture
def bearer_for(db: None) -> Callable[[Person], Client]:
    """A client that sends `Authorization: Bearer <a fresh token of person>`."""

    def make(person: Person) -> Client:
        return Client(headers={"Authorization": f"Bearer {api_token(person)}"})

    return make
