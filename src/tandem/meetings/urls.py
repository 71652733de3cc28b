from django.urls import path

from tandem.meetings import views

app_name = "meetings"
urlpatterns = [
    path("one-on-ones/", views.index, name="index"),
    path("one-on-ones/new/", views.create, name="create"),
    path("one-on-ones/skip-level/", views.skip_level, name="skip_level"),
    path("one-on-ones/<int:series_id>/", views.series, name="series"),
    path("one-on-ones/<int:series_id>/answer/", views.answer, name="answer"),
    path("one-on-ones/<int:series_id>/calendar.ics", views.series_ics, name="series_ics"),
    path("one-on-ones/meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    path(
        "one-on-ones/meetings/<int:meeting_id>/calendar.ics", views.meeting_ics, name="meeting_ics"
    ),
    path("one-on-ones/meetings/<int:meeting_id>/agenda/", views.agenda_add, name="agenda_add"),
    path("one-on-ones/agenda/<int:item_id>/done/", views.agenda_done, name="agenda_done"),
    path("one-on-ones/agenda/<int:item_id>/move/", views.agenda_move, name="agenda_move"),
    path("one-on-ones/meetings/<int:meeting_id>/notes/", views.notes, name="notes"),
    path(
        "one-on-ones/meetings/<int:meeting_id>/private-note/",
        views.private_note,
        name="private_note",
    ),
    path(
        "one-on-ones/meetings/<int:meeting_id>/action-items/",
        views.action_add,
        name="action_add",
    ),
    path(
        "one-on-ones/meetings/<int:meeting_id>/action-items/<int:item_id>/done/",
        views.action_done,
        name="action_done",
    ),
    path("one-on-ones/meetings/<int:meeting_id>/held/", views.hold, name="hold"),
    path(
        "one-on-ones/meetings/<int:meeting_id>/reschedule/",
        views.reschedule,
        name="reschedule",
    ),
]
