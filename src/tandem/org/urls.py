from django.urls import path

from tandem.org.views import hr, imports, people

app_name = "org"
urlpatterns = [
    path("people/", people.directory, name="directory"),
    path("people/pick/", people.pick, name="people_pick"),
    path("people/<int:person_id>/", people.person, name="person"),
    path("org-chart/", people.chart, name="chart"),
    path("org-chart/<int:person_id>/children/", people.chart_children, name="chart_children"),
    path("company/", people.company, name="company"),
    path("hr/people/", hr.people, name="hr_people"),
    path("hr/people/new/", hr.person_create, name="hr_person_create"),
    path("hr/people/invite/", hr.people_invite, name="hr_people_invite"),
    path("hr/people/<int:person_id>/edit/", hr.person_edit, name="hr_person_edit"),
    path("hr/people/<int:person_id>/manager/", hr.person_manager, name="hr_person_manager"),
    path("hr/people/<int:person_id>/status/", hr.person_status, name="hr_person_status"),
    path("hr/people/<int:person_id>/invite/", hr.person_invite, name="hr_person_invite"),
    path("hr/departments/", hr.departments, name="hr_departments"),
    path("hr/departments/new/", hr.department_create, name="hr_department_create"),
    path(
        "hr/departments/<int:department_id>/edit/",
        hr.department_edit,
        name="hr_department_edit",
    ),
    path("hr/company/", hr.company_edit, name="hr_company"),
    path("hr/roles/", hr.roles, name="hr_roles"),
    path("hr/import/", imports.import_people, name="hr_import"),
]
