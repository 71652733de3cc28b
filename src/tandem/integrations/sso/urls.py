from django.urls import path

from tandem.integrations.sso import views

app_name = "integrations_sso"
urlpatterns = [
    path("it/sso/", views.providers, name="providers"),
    path("it/sso/policy/", views.policy, name="policy"),
    path("it/sso/<int:provider_id>/", views.edit_provider, name="provider_edit"),
    path("it/sso/<int:provider_id>/test/", views.test_provider, name="provider_test"),
    path("it/sso/<int:provider_id>/delete/", views.delete_provider, name="provider_delete"),
    path("sso/oidc/<int:provider_id>/start/", views.start, name="start"),
    path("sso/oidc/callback/", views.callback, name="callback"),
]
