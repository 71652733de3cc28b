from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from tandem.notifications.kinds import Delivery
from tandem.notifications.models import Notification
from tests.factories import PersonFactory


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    person = factory.SubFactory(PersonFactory)
    kind = "feedback.received"
    title = factory.Sequence(lambda n: f"Notification number {n}")
    body = "Something happened."
    url = "/program/"
    delivery = Delivery.IN_APP
