"""Review pages: writing (see views/writing.py)."""

from django.urls import URLPattern, path

from tandem.reviews.views import writing as views

urlpatterns: list[URLPattern] = [
    path("reviews/<int:review_id>/", views.review_page, name="review"),
    path("reviews/<int:review_id>/save/", views.review_save, name="review_save"),
    path("reviews/<int:review_id>/submit/", views.review_submit, name="review_submit"),
    path("reviews/<int:review_id>/evidence/", views.evidence_panel, name="evidence"),
    path("reviews/<int:review_id>/reopen/", views.review_reopen, name="review_reopen"),
    path("reviews/<int:review_id>/history/", views.review_history, name="review_history"),
    path("reviews/participants/<int:participant_id>/", views.participant_page, name="participant"),
    path("reviews/participants/<int:participant_id>/share/", views.share, name="share"),
    path(
        "reviews/participants/<int:participant_id>/acknowledge/",
        views.acknowledge,
        name="acknowledge",
    ),
    path("reviews/cycles/<int:cycle_id>/release/", views.release_all, name="release_all"),
]
