from django.urls import path

from tandem.site import views

app_name = "site"
urlpatterns = [
    path("hr/view-as/", views.view_as_index, name="view_as"),
    path("hr/view-as/<int:person_id>/<slug:page>/", views.view_as_page, name="view_as_page"),
]
