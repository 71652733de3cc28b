"""IT's pages for chat webhooks: the list with the form to add one, editing, testing,
deleting, and the delivery log. Thin: parse, call, render."""

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
from tandem.integrations import queries, services, status
from tandem.integrations.forms import ChatWebhookForm, DeliveryFilterForm
from tandem.integrations.models import DeliveryStatus


@login_required
def webhooks(request: AuthedHttpRequest) -> HttpResponse:
    """IT admins: every chat webhook, and the form to add one."""
    require(request.user, "chat_webhook.manage")
    form = ChatWebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            webhook = services.create_webhook(
                provider=data["provider"],
                name=data["name"],
                url=data["url"],
                department=data["department"],
                enabled=data["enabled"],
                by=request.user,
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request, f"Added {webhook}. Send a test message to check it reaches the channel."
            )
            return redirect("integrations:chat_webhooks")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "integrations/webhooks.html",
        {"webhooks": queries.webhooks(request.user), "form": form},
        status=status,
    )


@login_required
def edit_webhook(request: AuthedHttpRequest, webhook_id: int) -> HttpResponse:
    """IT admins: change a webhook's name, address, audience or switch."""
    webhook = queries.webhook_for(request.user, webhook_id)
    require(request.user, "chat_webhook.manage", webhook)
    initial = {
        "provider": webhook.provider,
        "name": webhook.name,
        "department": webhook.department,
        "enabled": webhook.enabled,
    }
    form = ChatWebhookForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changes = services.update_webhook(
                webhook=webhook,
                provider=data["provider"],
                name=data["name"],
                url=data["url"],
                department=data["department"],
                enabled=data["enabled"],
                by=request.user,
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            if changes:
                messages.success(request, f"Saved {webhook}.")
            else:
                messages.info(request, "Nothing changed.")
            return redirect("integrations:chat_webhooks")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "integrations/webhook_edit.html", {"webhook": webhook, "form": form}, status=status
    )


@login_required
@require_POST
def test_webhook(request: AuthedHttpRequest, webhook_id: int) -> HttpResponse:
    """IT admins: post a test message now and say what came of it."""
    webhook = queries.webhook_for(request.user, webhook_id)
    answer = services.test_webhook(webhook=webhook, by=request.user)
    if answer.delivered:
        messages.success(request, f"{webhook}: {answer.message} Look for it in the channel.")
    else:
        messages.error(request, f"{webhook}: {answer.message}")
    return redirect("integrations:chat_webhooks")


@login_required
@require_POST
def delete_webhook(request: AuthedHttpRequest, webhook_id: int) -> HttpResponse:
    """IT admins: delete a webhook (and its delivery log)."""
    webhook = queries.webhook_for(request.user, webhook_id)
    label = str(webhook)
    services.delete_webhook(webhook=webhook, by=request.user)
    messages.success(request, f"Deleted {label}. People it served no longer get chat messages.")
    return redirect("integrations:chat_webhooks")


@login_required
def deliveries(request: AuthedHttpRequest) -> HttpResponse:
    """IT admins: recent chat deliveries, newest first, by webhook and status, with counts."""
    require(request.user, "chat_delivery.view")
    hooks = queries.webhooks(request.user)
    form = DeliveryFilterForm(request.GET or None, webhooks=[(w.pk, str(w)) for w in hooks])
    webhook_id = status = None
    if form.is_valid():
        webhook_id = form.cleaned_data["webhook"]
        status = form.cleaned_data["status"] or None
    cursor = request.GET.get("cursor") or None
    error = None
    try:
        page = queries.deliveries_page(
            request.user, webhook_id=webhook_id, status=status, cursor=cursor
        )
    except queries.BadCursor as bad:
        error = str(bad)
        page = queries.deliveries_page(request.user, webhook_id=webhook_id, status=status)
    counts = queries.status_counts(request.user, webhook_id=webhook_id)
    params = request.GET.copy()
    params.pop("cursor", None)
    first_query = params.urlencode()
    next_query = ""
    if page.next_cursor:
        params["cursor"] = page.next_cursor
        next_query = params.urlencode()
    return render(
        request,
        "integrations/deliveries.html",
        {
            "form": form,
            "page": page,
            "counts": [(label, counts[value], value) for value, label in DeliveryStatus.choices],
            "cursor_error": error,
            "first_query": first_query,
            "next_query": next_query,
            "is_later_page": bool(cursor) and error is None,
            "has_webhooks": bool(hooks),
        },
    )


@login_required
def it_overview(request: AuthedHttpRequest) -> HttpResponse:
    """IT admins: the state of every integration, each with a link to where it is managed."""
    require(request.user, "it_overview.view")
    lines = status.collect()
    order = {"failing": 0, "attention": 1, "ok": 2, "off": 3}
    worst = min((order[line.state] for line in lines), default=2)
    return render(
        request,
        "integrations/it.html",
        {"lines": lines, "needs_attention": worst < 2},
    )
