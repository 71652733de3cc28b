from django.urls import path

from tandem.coach import views
from tandem.coach.views import playbooks

app_name = "coach"
urlpatterns = [
    path("coach/panel/", views.panel, name="panel"),
    path("coach/playbooks/", playbooks.playbook_list, name="playbooks"),
    path("coach/playbooks/<slug:slug>/", playbooks.playbook_detail, name="playbook"),
    path(
        "coach/playbooks/<slug:slug>/steps/<int:position>/done/",
        playbooks.step_done,
        name="step_done",
    ),
    path("coach/playbooks/<slug:slug>/quiz/", playbooks.quiz, name="quiz"),
    path("hr/coach/", views.stats, name="stats"),
    path("hr/coach/words/", views.add_word, name="add_word"),
    path("hr/coach/words/<int:word_id>/remove/", views.remove_word, name="remove_word"),
    path("hr/coach/playbooks/", playbooks.hr_playbooks, name="hr_playbooks"),
    path("hr/coach/playbooks/<slug:slug>/", playbooks.hr_edit, name="hr_playbook"),
    path("hr/coach/playbooks/<slug:slug>/publish/", playbooks.hr_publish, name="hr_publish"),
]
