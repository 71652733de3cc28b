"""IT's pages for outgoing webhooks: the endpoints with the form to add one, one endpoint
(its settings and delivery log), a delivery's attempts; sending a test event, rotating the
secret, redelivering, deleting. Thin: parse, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.access.rules import require
from tandem.core.forms import show_errors
from tandem.core.http import AuthedHttpRequest
from tandem.integrations.webhooks import events, queries, services
from tandem.integrations.webhooks.forms import DeliveryFilterForm, EndpointForm
from tandem.integrations.webhooks.models import DeliveryStatus, Endpoint


def _secret_page(
    request: AuthedHttpRequest, endpoint: Endpoint, secret: str, *, new: bool
) -> HttpResponse:
    response = render(
        request,
        "integrations_webhooks/secret.html",
        {"endpoint": endpoint, "secret": secret, "new": new},
    )
    # The secret is shown once: no browser or proxy may keep a copy of this page.
    response["Cache-Control"] = "no-store"
    return response


@login_required
def endpoints(request: AuthedHttpRequest) -> HttpResponse:
    """IT admins: every endpoint, and the form to add one."""
    require(request.user, "webhook_endpoint.manage")
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            endpoint, secret = services.create_endpoint(
                name=data["name"],
                url=data["url"],
                event_types=data["event_types"],
                private_data=data["private_data"],
                enabled=data["enabled"],
                by=request.user,
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            return _secret_page(request, endpoint, secret, new=True)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "integrations_webhooks/endpoints.html",
        {"endpoints": queries.endpoints(request.user), "form": form},
        status=status,
    )


@login_required
def endpoint(request: AuthedHttpRequest, endpoint_id: int) -> HttpResponse:
    """IT admins: one endpoint's settings (POST saves them) and its delivery log."""
    found = queries.endpoint_for(request.user, endpoint_id)
    require(request.user, "webhook_endpoint.manage", found)
    initial = {
        "name": found.name,
        "url": found.url,
        "event_types": found.event_types,
        "private_data": found.private_data,
        "enabled": found.enabled,
    }
    form = EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changes = services.update_endpoint(
                endpoint=found,
                name=data["name"],
                url=data["url"],
                event_types=data["event_types"],
                private_data=data["private_data"],
                enabled=data["enabled"],
                by=request.user,
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            if changes:
                messages.success(request, f"Saved {found}.")
            else:
                messages.info(request, "Nothing changed.")
            return redirect("integrations_webhooks:endpoint", found.pk)
    filters = DeliveryFilterForm(request.GET or None)
    status = filters.cleaned_data.get("status") or None if filters.is_valid() else None
    cursor = request.GET.get("cursor") or None
    cursor_error = None
    try:
        page = queries.deliveries_page(request.user, endpoint=found, status=status, cursor=cursor)
    except queries.BadCursor as bad:
        cursor_error = str(bad)
        page = queries.deliveries_page(request.user, endpoint=found, status=status)
    counts = queries.status_counts(request.user, endpoint=found)
    params = request.GET.copy()
    params.pop("cursor", None)
    first_query = params.urlencode()
    next_query = ""
    if page.next_cursor:
        params["cursor"] = page.next_cursor
        next_query = params.urlencode()
    return render(
        request,
        "integrations_webhooks/endpoint.html",
        {
            "endpoint": found,
            "form": form,
            "filters": filters,
            "page": page,
            "counts": [(label, counts[value], value) for value, label in DeliveryStatus.choices],
            "cursor_error": cursor_error,
            "first_query": first_query,
            "next_query": next_query,
            "is_later_page": bool(cursor) and cursor_error is None,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def delivery(request: AuthedHttpRequest, endpoint_id: int, delivery_id: int) -> HttpResponse:
    """IT admins: one delivery and every attempt with the endpoint's answer."""
    found = queries.endpoint_for(request.user, endpoint_id)
    require(request.user, "webhook_delivery.view", found)
    item = queries.delivery_for(request.user, found, delivery_id)
    return render(
        request,
        "integrations_webhooks/delivery.html",
        {
            "endpoint": found,
            "delivery": item,
            "attempts": queries.attempts_of(item),
            "label": events.LABELS.get(item.event_type, item.event_type),
        },
    )


@login_required
@require_POST
def test_endpoint(request: AuthedHttpRequest, endpoint_id: int) -> HttpResponse:
    """IT admins: send a test event now and say what came of it."""
    found = queries.endpoint_for(request.user, endpoint_id)
    answer = services.send_test_event(endpoint=found, by=request.user)
    if answer.delivered:
        messages.success(request, f"{found}: {answer.message}")
    else:
        messages.error(request, f"{found}: {answer.message}")
    return redirect("integrations_webhooks:endpoint", found.pk)


@login_required
@require_POST
def rotate_secret(request: AuthedHttpRequest, endpoint_id: int) -> HttpResponse:
    """IT admins: a new signing secret, shown once."""
    found = queries.endpoint_for(request.user, endpoint_id)
    secret = services.rotate_secret(endpoint=found, by=request.user)
    return _secret_page(request, found, secret, new=False)


@login_required
@require_POST
def delete_endpoint(request: AuthedHttpRequest, endpoint_id: int) -> HttpResponse:
    """IT admins: delete an endpoint and its delivery log."""
    found = queries.endpoint_for(request.user, endpoint_id)
    label = str(found)
    services.delete_endpoint(endpoint=found, by=request.user)
    messages.success(request, f"Deleted {label}. It receives no more events.")
    return redirect("integrations_webhooks:endpoints")


@login_required
@require_POST
def redeliver(request: AuthedHttpRequest, endpoint_id: int, delivery_id: int) -> HttpResponse:
    """IT admins: send one delivery again, with the same webhook-id."""
    found = queries.endpoint_for(request.user, endpoint_id)
    item = queries.delivery_for(request.user, found, delivery_id)
    try:
        services.redeliver(delivery=item, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Sending {item.message_id} again.")
    return redirect("integrations_webhooks:delivery", found.pk, item.pk)
