from django.urls import include, path, re_path

from tandem.access.urls import auth_urlpatterns
from tandem.api import api
from tandem.core import api as core_api
from tandem.core import views as core_views
from tandem.site import views as site_views

urlpatterns = [
    path("", site_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("nav/counts/", site_views.nav_counts, name="nav_counts"),
    path("design/", site_views.design, name="design"),
    path("", include(auth_urlpatterns)),
    path("", include("tandem.access.urls")),
    path("", include("tandem.org.urls")),
    path("", include("tandem.audit.urls")),
    path("", include("tandem.program.urls")),
    path("", include("tandem.notifications.urls")),
    path("", include("tandem.coach.urls")),
    path("", include("tandem.integrations.urls")),
    path("", include("tandem.integrations.sso.urls")),
    path("", include("tandem.integrations.saml.urls")),
    path("", include("tandem.integrations.scim.urls")),
    path("", include("tandem.integrations.webhooks.urls")),
    path("", include("tandem.exports.urls")),
    path("", include("tandem.goals.urls")),
    path("", include("tandem.feedback.urls")),
    path("", include("tandem.meetings.urls")),
    path("", include("tandem.reviews.urls")),
    path("", include("tandem.fairness.urls")),
    path("", include("tandem.calibration.urls")),
    path("", include("tandem.growth.urls")),
    path("", include("tandem.team.urls")),
    path("", include("tandem.site.urls")),
    path("api/v1/", api.urls),
    # Last: any other /api/ address (a path id that is not a number among them) is answered
    # in the API's error shape, not with the HTML 404 page.
    re_path(r"^api/", core_api.not_found, name="api-not-found"),
]
