"""Review pages: nominations (see views/nominations.py)."""

from django.urls import URLPattern, path

from tandem.reviews.views import nominations as views

urlpatterns: list[URLPattern] = [
    path(
        "reviews/participants/<int:participant_id>/peers/",
        views.nominations,
        name="nominations",
    ),
    path(
        "reviews/participants/<int:participant_id>/peers/search/",
        views.nomination_search,
        name="nomination_search",
    ),
    path(
        "reviews/participants/<int:participant_id>/peers/approve/",
        views.nomination_approve,
        name="nomination_approve",
    ),
    path(
        "reviews/nominations/<int:nomination_id>/decline/",
        views.nomination_decline,
        name="nomination_decline",
    ),
    path(
        "reviews/nominations/<int:nomination_id>/replace/",
        views.nomination_replace,
        name="nomination_replace",
    ),
    path("reviews/approvals/", views.approvals, name="approvals"),
    path(
        "reviews/cycles/<int:cycle_id>/nominations/approve-all/",
        views.nominations_approve_all,
        name="nominations_approve_all",
    ),
]
