from django.urls import path

from tandem.program import views

app_name = "program"
urlpatterns = [
    path("program/", views.detail, name="detail"),
    path("program/edit/", views.edit, name="edit"),
]
