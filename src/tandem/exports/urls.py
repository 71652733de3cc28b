from django.urls import path

from tandem.exports import views

app_name = "exports"
urlpatterns = [
    path("exports/", views.my_exports, name="list"),
    path("exports/<int:export_id>/download", views.download, name="download"),
]
