from django.urls import path, re_path

from tandem.integrations.scim import protocol, views

app_name = "integrations_scim"
urlpatterns = [
    path("it/scim/", views.tokens, name="tokens"),
    path("it/scim/<int:token_id>/revoke/", views.revoke, name="revoke"),
    re_path(r"^scim/v2/ServiceProviderConfigs?$", protocol.service_provider_config, name="spc"),
    re_path(r"^scim/v2/ResourceTypes$", protocol.resource_types, name="resource_types"),
    re_path(
        r"^scim/v2/ResourceTypes/(?P<name>[^/]+)$", protocol.resource_type, name="resource_type"
    ),
    re_path(r"^scim/v2/Schemas$", protocol.schemas, name="schemas"),
    re_path(r"^scim/v2/Schemas/(?P<schema_id>[^/]+)$", protocol.schema, name="schema"),
    re_path(r"^scim/v2/\.search$", protocol.root_search, name="search"),
    re_path(r"^scim/v2/Users/\.search$", protocol.users_search, name="users_search"),
    re_path(r"^scim/v2/Groups/\.search$", protocol.groups_search, name="groups_search"),
    re_path(r"^scim/v2/Users$", protocol.users, name="users"),
    re_path(r"^scim/v2/Users/(?P<pk>[^/]+)$", protocol.user, name="user"),
    re_path(r"^scim/v2/Groups$", protocol.groups, name="groups"),
    re_path(r"^scim/v2/Groups/(?P<pk>[^/]+)$", protocol.group, name="group"),
    re_path(r"^scim/v2/(?P<rest>.*)$", protocol.not_found, name="not_found"),
]
