"""Goal pages. Views live with their owners: views.py (goals, periods), views_checkins.py
(check-ins, weekly check-ins, team) and views_tree.py (alignment tree, coverage)."""

from django.urls import path

from tandem.goals import exports, views, views_checkins, views_tree

app_name = "goals"
urlpatterns = [
    path("goals/", views.my_goals, name="mine"),
    path("goals/company/", views.company, name="company"),
    path("goals/new/", views.create, name="create"),
    path("goals/bulk-assign/", views.bulk_assign, name="bulk_assign"),
    path("goals/periods/", views.periods, name="periods"),
    path("goals/<int:goal_id>/", views.detail, name="detail"),
    path("goals/<int:goal_id>/edit/", views.edit, name="edit"),
    path("goals/<int:goal_id>/key-results/", views.key_results, name="key_results"),
    path("goals/<int:goal_id>/comments/", views.comment, name="comment"),
    path("goals/<int:goal_id>/close/", views.close, name="close"),
    path("goals/<int:goal_id>/check-in/", views_checkins.checkin, name="checkin"),
    path("goals/weekly/", views_checkins.weekly, name="weekly"),
    path("goals/team/", views_checkins.team, name="team"),
    path("goals/tree/", views_tree.tree, name="tree"),
    path("goals/tree/<int:goal_id>/children/", views_tree.tree_children, name="tree_children"),
    path("goals/coverage/", views_tree.coverage, name="coverage"),
    path("goals/export.csv", exports.export_csv, name="export_csv"),
    path("goals/export.xlsx", exports.export_xlsx, name="export_xlsx"),
]
