from django.urls import path

from tandem.program import views

app_name = "program"
urlpatterns = [
    path("program/", views.detail, name="detail"),
    path("program/edit/", views.edit, name="edit"),
    path("program/setup/", views.setup_start, name="setup"),
    path("program/setup/<slug:step>/", views.setup_step, name="setup_step"),
    path("program/presets/", views.preset_list, name="presets"),
    path("program/presets/save/", views.preset_save, name="preset_save"),
    path("program/presets/import/", views.preset_import, name="preset_import"),
    path("program/presets/<slug:key>/", views.preset, name="preset"),
    path("program/presets/<slug:key>/export/", views.preset_export, name="preset_export"),
    path("program/presets/<slug:key>/delete/", views.preset_delete, name="preset_delete"),
    path("program/changes/<int:change_id>/revert/", views.change_revert, name="change_revert"),
]
