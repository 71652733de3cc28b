"""Review pages, one section per area: setup (scales, templates, cycles, launch),
nominations, writing (the review page, sharing, acknowledging) and running (progress,
reminders, exports, my reviews). Each area's views are in views/<area>.py."""

from django.urls import URLPattern, path

from tandem.reviews import exports
from tandem.reviews.views import imports, nominations, running, setup, writing

app_name = "reviews"
urlpatterns: list[URLPattern] = [
    # --- Setup (views/setup.py): HR admins only ---
    path("reviews/admin/", setup.admin, name="admin"),
    # Rating scales.
    path("reviews/admin/scales/", setup.scales, name="scales"),
    path("reviews/admin/scales/new/", setup.scale_new, name="scale_new"),
    path("reviews/admin/scales/<int:scale_id>/", setup.scale_edit, name="scale_edit"),
    path("reviews/admin/scales/<int:scale_id>/archive/", setup.scale_archive, name="scale_archive"),
    # Templates.
    path("reviews/admin/templates/", setup.templates, name="templates"),
    path("reviews/admin/templates/new/", setup.template_new, name="template_new"),
    path("reviews/admin/templates/<int:template_id>/", setup.template_edit, name="template_edit"),
    path(
        "reviews/admin/templates/<int:template_id>/duplicate/",
        setup.template_duplicate,
        name="template_duplicate",
    ),
    path(
        "reviews/admin/templates/<int:template_id>/archive/",
        setup.template_archive,
        name="template_archive",
    ),
    path(
        "reviews/admin/templates/<int:template_id>/sections/",
        setup.template_section_add,
        name="template_section_add",
    ),
    path(
        "reviews/admin/sections/<int:section_id>/",
        setup.template_section_edit,
        name="template_section_edit",
    ),
    path(
        "reviews/admin/sections/<int:section_id>/delete/",
        setup.template_section_delete,
        name="template_section_delete",
    ),
    path(
        "reviews/admin/sections/<int:section_id>/move/",
        setup.template_section_move,
        name="template_section_move",
    ),
    path(
        "reviews/admin/sections/<int:section_id>/questions/new/",
        setup.template_question_add,
        name="template_question_add",
    ),
    path(
        "reviews/admin/questions/<int:question_id>/",
        setup.template_question_edit,
        name="template_question_edit",
    ),
    path(
        "reviews/admin/questions/<int:question_id>/delete/",
        setup.template_question_delete,
        name="template_question_delete",
    ),
    path(
        "reviews/admin/questions/<int:question_id>/move/",
        setup.template_question_move,
        name="template_question_move",
    ),
    # Cycles.
    path("reviews/admin/cycles/new/", setup.cycle_new, name="cycle_new"),
    path("reviews/admin/starter-kit/", setup.starter_kit, name="starter_kit"),
    path("reviews/admin/cycles/<int:cycle_id>/", setup.cycle_setup, name="cycle_setup"),
    path("reviews/admin/cycles/<int:cycle_id>/edit/", setup.cycle_edit, name="cycle_edit"),
    path("reviews/admin/cycles/<int:cycle_id>/phases/", setup.cycle_phases, name="cycle_phases"),
    path("reviews/admin/cycles/<int:cycle_id>/launch/", setup.cycle_launch, name="cycle_launch"),
    path(
        "reviews/admin/cycles/<int:cycle_id>/launch/progress/",
        setup.cycle_launch_progress,
        name="cycle_launch_progress",
    ),
    path("reviews/admin/cycles/<int:cycle_id>/close/", setup.cycle_close, name="cycle_close"),
    path(
        "reviews/admin/cycles/<int:cycle_id>/participants/",
        setup.cycle_participants,
        name="cycle_participants",
    ),
    path(
        "reviews/admin/cycles/<int:cycle_id>/participants/add/",
        setup.participant_add,
        name="participant_add",
    ),
    path(
        "reviews/admin/participants/<int:participant_id>/remove/",
        setup.participant_remove,
        name="participant_remove",
    ),
    path(
        "reviews/admin/participants/<int:participant_id>/reassign/",
        setup.participant_reassign,
        name="participant_reassign",
    ),
    # Past ratings from a file (views/imports.py).
    path("reviews/admin/import/", imports.ratings_import, name="ratings_import"),
    # --- Nominations (views/nominations.py) ---
    path(
        "reviews/participants/<int:participant_id>/peers/",
        nominations.nominations,
        name="nominations",
    ),
    path(
        "reviews/participants/<int:participant_id>/peers/search/",
        nominations.nomination_search,
        name="nomination_search",
    ),
    path(
        "reviews/participants/<int:participant_id>/peers/approve/",
        nominations.nomination_approve,
        name="nomination_approve",
    ),
    path(
        "reviews/nominations/<int:nomination_id>/decline/",
        nominations.nomination_decline,
        name="nomination_decline",
    ),
    path(
        "reviews/nominations/<int:nomination_id>/replace/",
        nominations.nomination_replace,
        name="nomination_replace",
    ),
    path("reviews/approvals/", nominations.approvals, name="approvals"),
    path(
        "reviews/cycles/<int:cycle_id>/nominations/approve-all/",
        nominations.nominations_approve_all,
        name="nominations_approve_all",
    ),
    # --- Writing (views/writing.py) ---
    path("reviews/<int:review_id>/", writing.review_page, name="review"),
    path("reviews/<int:review_id>/save/", writing.review_save, name="review_save"),
    path("reviews/<int:review_id>/submit/", writing.review_submit, name="review_submit"),
    path("reviews/<int:review_id>/evidence/", writing.evidence_panel, name="evidence"),
    path("reviews/<int:review_id>/reopen/", writing.review_reopen, name="review_reopen"),
    path("reviews/<int:review_id>/history/", writing.review_history, name="review_history"),
    path(
        "reviews/participants/<int:participant_id>/", writing.participant_page, name="participant"
    ),
    path("reviews/participants/<int:participant_id>/share/", writing.share, name="share"),
    path(
        "reviews/participants/<int:participant_id>/acknowledge/",
        writing.acknowledge,
        name="acknowledge",
    ),
    path("reviews/cycles/<int:cycle_id>/release/", writing.release_all, name="release_all"),
    # --- Running (views/running.py and exports.py) ---
    path("reviews/", running.mine, name="mine"),
    path("reviews/cycles/", running.cycles, name="cycles"),
    path("reviews/cycles/<int:cycle_id>/", running.cycle, name="cycle"),
    path("reviews/cycles/<int:cycle_id>/overdue/", running.overdue, name="overdue"),
    path("reviews/cycles/<int:cycle_id>/remind/", running.remind, name="remind"),
    path(
        "reviews/cycles/<int:cycle_id>/progress.csv",
        exports.progress_csv,
        name="export_progress_csv",
    ),
    path(
        "reviews/cycles/<int:cycle_id>/progress.xlsx",
        exports.progress_xlsx,
        name="export_progress_xlsx",
    ),
    path(
        "reviews/cycles/<int:cycle_id>/results.csv",
        exports.results_csv,
        name="export_results_csv",
    ),
    path(
        "reviews/cycles/<int:cycle_id>/results.xlsx",
        exports.results_xlsx,
        name="export_results_xlsx",
    ),
]
