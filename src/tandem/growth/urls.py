"""Growth's pages. Each part of the app lists its own patterns in its views module."""

from tandem.growth.views import frameworks, plans, profile, promotions, standing

app_name = "growth"
urlpatterns = [
    *frameworks.urlpatterns,
    *profile.urlpatterns,
    *plans.urlpatterns,
    *promotions.urlpatterns,
    *standing.urlpatterns,
]
