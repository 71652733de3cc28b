"""The site's URL conf plus a stand-in for the calibration app's cycle page, so the cycle
page's link to it can be tested on its own (the real page is the calibration app's)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from tandem.urls import urlpatterns as site_patterns


def _stand_in(request: HttpRequest, cycle_id: int) -> HttpResponse:
    return HttpResponse(str(cycle_id))


calibration_patterns = ([path("<int:cycle_id>/", _stand_in, name="cycle")], "calibration")

urlpatterns = [
    path("calibration-stand-in/cycles/", include(calibration_patterns)),
    *site_patterns,
]
