from django.urls import path

from tandem.org import views, views_hr, views_import

app_name = "org"
urlpatterns = [
    path("people/", views.directory, name="directory"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("org-chart/", views.chart, name="chart"),
    path("org-chart/<int:person_id>/children/", views.chart_children, name="chart_children"),
    path("company/", views.company, name="company"),
    path("team/", views.team, name="team"),
    path("hr/people/", views_hr.people, name="hr_people"),
    path("hr/people/new/", views_hr.person_create, name="hr_person_create"),
    path("hr/people/<int:person_id>/edit/", views_hr.person_edit, name="hr_person_edit"),
    path("hr/people/<int:person_id>/manager/", views_hr.person_manager, name="hr_person_manager"),
    path("hr/people/<int:person_id>/status/", views_hr.person_status, name="hr_person_status"),
    path("hr/departments/", views_hr.departments, name="hr_departments"),
    path("hr/departments/new/", views_hr.department_create, name="hr_department_create"),
    path(
        "hr/departments/<int:department_id>/edit/",
        views_hr.department_edit,
        name="hr_department_edit",
    ),
    path("hr/company/", views_hr.company_edit, name="hr_company"),
    path("hr/roles/", views_hr.roles, name="hr_roles"),
    path("hr/import/", views_import.import_people, name="hr_import"),
]
