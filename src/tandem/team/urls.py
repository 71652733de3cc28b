from django.urls import path

from tandem.team import views

app_name = "team"
urlpatterns = [
    path("team/", views.hub, name="hub"),
    path("team/<int:person_id>/", views.person, name="person"),
]
