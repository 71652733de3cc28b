from django.urls import path

from tandem.feedback import exports, views

app_name = "feedback"
urlpatterns = [
    path("feedback/", views.mine, name="mine"),
    path("feedback/export.csv", exports.export_csv, name="export_csv"),
    path("feedback/give/", views.give, name="give"),
    path("feedback/<int:feedback_id>/", views.detail, name="detail"),
    path("feedback/requests/new/", views.request_new, name="request_new"),
    path("feedback/requests/<int:request_id>/", views.request_detail, name="request_detail"),
    path("feedback/upward/", views.upward, name="upward"),
    path("feedback/people/<int:person_id>/", views.person_timeline, name="person_timeline"),
    path("praise/", views.praise_feed, name="praise_feed"),
    path("praise/values/<int:value_id>/", views.praise_value, name="praise_value"),
    path("praise/<int:feedback_id>/react/", views.react, name="react"),
]
