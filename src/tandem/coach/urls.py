from django.urls import path

from tandem.coach import views

app_name = "coach"
urlpatterns = [
    path("coach/panel/", views.panel, name="panel"),
    path("hr/coach/", views.stats, name="stats"),
    path("hr/coach/words/", views.add_word, name="add_word"),
    path("hr/coach/words/<int:word_id>/remove/", views.remove_word, name="remove_word"),
]
