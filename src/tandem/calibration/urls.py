from django.urls import path

from tandem.calibration import views

app_name = "calibration"
urlpatterns = [
    path("calibration/", views.index, name="index"),
    path("calibration/cycles/<int:cycle_id>/", views.cycle, name="cycle"),
    path("calibration/sessions/<int:session_id>/", views.session, name="session"),
    path("calibration/sessions/<int:session_id>/guideline", views.guideline, name="guideline"),
    path("calibration/sessions/<int:session_id>/lock", views.lock, name="lock"),
    path("calibration/sessions/<int:session_id>/add", views.add, name="add"),
    path("calibration/entries/<int:entry_id>/adjust", views.adjust, name="adjust"),
    path("calibration/entries/<int:entry_id>/remove", views.remove, name="remove"),
]
