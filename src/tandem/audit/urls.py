from django.urls import path

from tandem.audit import views

app_name = "audit"
urlpatterns = [
    path("hr/audit/", views.log, name="log"),
]
