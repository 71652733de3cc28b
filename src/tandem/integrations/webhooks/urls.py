from django.urls import path

from tandem.integrations.webhooks import views

app_name = "integrations_webhooks"
urlpatterns = [
    path("it/webhooks/", views.endpoints, name="endpoints"),
    path("it/webhooks/<int:endpoint_id>/", views.endpoint, name="endpoint"),
    path("it/webhooks/<int:endpoint_id>/test/", views.test_endpoint, name="test"),
    path("it/webhooks/<int:endpoint_id>/rotate/", views.rotate_secret, name="rotate"),
    path("it/webhooks/<int:endpoint_id>/delete/", views.delete_endpoint, name="delete"),
    path(
        "it/webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/",
        views.delivery,
        name="delivery",
    ),
    path(
        "it/webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/redeliver/",
        views.redeliver,
        name="redeliver",
    ),
]
