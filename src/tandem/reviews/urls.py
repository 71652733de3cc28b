"""Review pages, one module per area: setup (scales, templates, cycles, launch),
nominations, writing (the review page, sharing, acknowledging) and running (progress,
reminders, exports, my reviews)."""

from tandem.reviews import urls_nominations, urls_running, urls_setup, urls_writing

app_name = "reviews"
urlpatterns = [
    *urls_setup.urlpatterns,
    *urls_nominations.urlpatterns,
    *urls_writing.urlpatterns,
    *urls_running.urlpatterns,
]
