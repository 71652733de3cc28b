"""Pages show times in the viewer's time zone, for their request only."""

from django.conf import settings
from django.utils import timezone

from tests.factories import PersonFactory


def test_the_viewers_time_zone_ends_with_their_request(client_for):
    client = client_for(PersonFactory(time_zone="Asia/Tokyo"))
    assert client.get("/").status_code == 200
    # What runs next in this thread (here the test; in a worker, a task) keeps its own today.
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE
