"""Review pages: setup (see views/setup.py). HR admins only."""

from django.urls import URLPattern, path

from tandem.reviews.views import setup as views

urlpatterns: list[URLPattern] = [
    path("reviews/admin/", views.admin, name="admin"),
    # Rating scales.
    path("reviews/admin/scales/", views.scales, name="scales"),
    path("reviews/admin/scales/new/", views.scale_new, name="scale_new"),
    path("reviews/admin/scales/<int:scale_id>/", views.scale_edit, name="scale_edit"),
    path("reviews/admin/scales/<int:scale_id>/archive/", views.scale_archive, name="scale_archive"),
    # Templates.
    path("reviews/admin/templates/", views.templates, name="templates"),
    path("reviews/admin/templates/new/", views.template_new, name="template_new"),
    path("reviews/admin/templates/<int:template_id>/", views.template_edit, name="template_edit"),
    path(
        "reviews/admin/templates/<int:template_id>/duplicate/",
        views.template_duplicate,
        name="template_duplicate",
    ),
    path(
        "reviews/admin/templates/<int:template_id>/archive/",
        views.template_archive,
        name="template_archive",
    ),
    path(
        "reviews/admin/templates/<int:template_id>/sections/",
        views.template_section_add,
        name="template_section_add",
    ),
    path(
        "reviews/admin/sections/<int:section_id>/",
        views.template_section_edit,
        name="template_section_edit",
    ),
    path(
        "reviews/admin/sections/<int:section_id>/delete/",
        views.template_section_delete,
        name="template_section_delete",
    ),
    path(
        "reviews/admin/sections/<int:section_id>/move/",
        views.template_section_move,
        name="template_section_move",
    ),
    path(
        "reviews/admin/sections/<int:section_id>/questions/new/",
        views.template_question_add,
        name="template_question_add",
    ),
    path(
        "reviews/admin/questions/<int:question_id>/",
        views.template_question_edit,
        name="template_question_edit",
    ),
    path(
        "reviews/admin/questions/<int:question_id>/delete/",
        views.template_question_delete,
        name="template_question_delete",
    ),
    path(
        "reviews/admin/questions/<int:question_id>/move/",
        views.template_question_move,
        name="template_question_move",
    ),
    # Cycles.
    path("reviews/admin/cycles/new/", views.cycle_new, name="cycle_new"),
    path("reviews/admin/cycles/<int:cycle_id>/", views.cycle_setup, name="cycle_setup"),
    path("reviews/admin/cycles/<int:cycle_id>/edit/", views.cycle_edit, name="cycle_edit"),
    path("reviews/admin/cycles/<int:cycle_id>/phases/", views.cycle_phases, name="cycle_phases"),
    path("reviews/admin/cycles/<int:cycle_id>/launch/", views.cycle_launch, name="cycle_launch"),
    path(
        "reviews/admin/cycles/<int:cycle_id>/launch/progress/",
        views.cycle_launch_progress,
        name="cycle_launch_progress",
    ),
    path("reviews/admin/cycles/<int:cycle_id>/close/", views.cycle_close, name="cycle_close"),
    path(
        "reviews/admin/cycles/<int:cycle_id>/participants/",
        views.cycle_participants,
        name="cycle_participants",
    ),
    path(
        "reviews/admin/cycles/<int:cycle_id>/participants/add/",
        views.participant_add,
        name="participant_add",
    ),
    path(
        "reviews/admin/participants/<int:participant_id>/remove/",
        views.participant_remove,
        name="participant_remove",
    ),
    path(
        "reviews/admin/participants/<int:participant_id>/reassign/",
        views.participant_reassign,
        name="participant_reassign",
    ),
]
