from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from tandem.org.models import Person


class AuthedHttpRequest(HttpRequest):
    """A request behind @login_required: its user is a Person, never anonymous."""

    user: Person
    htmx: HtmxDetails
