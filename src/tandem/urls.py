from django.urls import include, path

from tandem.access.urls import auth_urlpatterns
from tandem.api import api
from tandem.core import views as core_views
from tandem.site import views as site_views

urlpatterns = [
    path("", site_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("", include(auth_urlpatterns)),
    path("", include("tandem.access.urls")),
    path("", include("tandem.org.urls")),
    path("", include("tandem.audit.urls")),
    path("", include("tandem.program.urls")),
    path("", include("tandem.notifications.urls")),
    path("", include("tandem.goals.urls")),
    path("", include("tandem.feedback.urls")),
    path("", include("tandem.meetings.urls")),
    path("", include("tandem.reviews.urls")),
    path("api/v1/", api.urls),
]
