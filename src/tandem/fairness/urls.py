from django.urls import path

from tandem.fairness import views

app_name = "fairness"
urlpatterns = [
    path("hr/fairness/attributes/", views.attributes, name="attributes"),
    path("hr/fairness/cycles/<int:cycle_id>/", views.cycle, name="cycle"),
]
