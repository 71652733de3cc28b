from django.urls import path

from tandem.integrations import views

app_name = "integrations"
urlpatterns = [
    path("it/", views.it_overview, name="it_overview"),
    path("it/chat/", views.webhooks, name="chat_webhooks"),
    path("it/chat/<int:webhook_id>/", views.edit_webhook, name="chat_webhook_edit"),
    path("it/chat/<int:webhook_id>/test/", views.test_webhook, name="chat_webhook_test"),
    path("it/chat/<int:webhook_id>/delete/", views.delete_webhook, name="chat_webhook_delete"),
    path("it/chat/deliveries/", views.deliveries, name="chat_deliveries"),
]
