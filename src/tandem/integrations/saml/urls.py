from django.urls import path

from tandem.integrations.saml import views

app_name = "integrations_saml"
urlpatterns = [
    path("it/saml/", views.providers, name="providers"),
    path("it/saml/<int:provider_id>/", views.edit_provider, name="provider_edit"),
    path("it/saml/<int:provider_id>/test/", views.test_provider, name="provider_test"),
    path("it/saml/<int:provider_id>/delete/", views.delete_provider, name="provider_delete"),
    path("saml/metadata/", views.metadata, name="metadata"),
    path("saml/acs/", views.acs, name="acs"),
    path("saml/<int:provider_id>/login/", views.login, name="login"),
]
