"""Your notifications, how you hear about them, and the things waiting for you. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from tandem.access.rules import actor_for
from tandem.core.http import AuthedHttpRequest
from tandem.notifications import queries, services
from tandem.notifications.channels import chat_channels_for
from tandem.notifications.digest import DIGEST_WEEKDAY
from tandem.notifications.forms import DeliveryPreferencesForm
from tandem.notifications.inbox import MAX_PER_PROVIDER, inbox_for_request
from tandem.notifications.kinds import DELIVERY_HELP, Delivery, kind_label
from tandem.notifications.templatetags.tandem_notifications import remember_unread_count
from tandem.notifications.unsubscribe import read_link

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@login_required
def notification_list(request: AuthedHttpRequest) -> HttpResponse:
    """Your notifications, newest first, 30 at a time; unread ones are marked "New"."""
    unread_only = request.GET.get("show") == "unread"
    cursor = request.GET.get("cursor") or None
    error = None
    try:
        page = queries.notifications_page(request.user, cursor=cursor, unread_only=unread_only)
    except queries.BadCursor as bad:
        error = str(bad)
        page = queries.notifications_page(request.user, unread_only=unread_only)
    unread = queries.unread_count(request.user)
    remember_unread_count(request, unread)  # the bell in the header reuses it
    params = request.GET.copy()
    params.pop("cursor", None)
    first_query = params.urlencode()
    next_query = ""
    if page.next_cursor:
        params["cursor"] = page.next_cursor
        next_query = params.urlencode()
    items = [(n, kind_label(n.kind)) for n in page.items]
    return render(
        request,
        "notifications/list.html",
        {
            "items": items,
            "unread": unread,
            "unread_cap": queries.BELL_CAP,
            "unread_only": unread_only,
            "cursor_error": error,
            "next_query": next_query,
            "first_query": first_query,
            "is_later_page": bool(cursor) and error is None,
        },
    )


@login_required
@require_POST
def open_notification(request: AuthedHttpRequest, notification_id: int) -> HttpResponse:
    """Mark a notification read and follow its link. Only its owner may (404 for others).

    A POST (the list shows each notification as a button): a GET never changes anything,
    so a link prefetcher, a crawler or a mail scanner cannot mark notifications read."""
    notification = queries.notification_for(request.user, notification_id)
    services.mark_read(notification=notification, by=request.user)
    target = notification.url
    # Only links inside Tandem: a stored URL must never send people to another site.
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts=None, require_https=False
    ):
        target = reverse("notifications:list")
    return HttpResponseRedirect(target)


@login_required
@require_POST
def mark_all_read(request: AuthedHttpRequest) -> HttpResponse:
    count = services.mark_all_read(person=request.user, by=request.user)
    if count:
        messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} read.")
    else:
        messages.info(request, "Nothing was unread.")
    return redirect("notifications:list")


@login_required
def preferences(request: AuthedHttpRequest) -> HttpResponse:
    """For each kind of notification: e-mail and app, app only, weekly digest, or off."""
    current = queries.delivery_choices(request.user)
    channels = chat_channels_for(request.user)
    actor = actor_for(request.user)
    form = DeliveryPreferencesForm(
        request.POST or None,
        current=current,
        chat=bool(channels),
        manager=bool(actor and actor.is_manager),
    )
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.set_delivery_preferences(
                person=request.user, choices=form.cleaned_data, by=request.user
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            if changes:
                messages.success(request, "Saved. From now on you hear about things as chosen.")
            else:
                messages.info(request, "Nothing changed.")
            return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {
            "form": form,
            "delivery_help": [
                (label, DELIVERY_HELP[value])
                for value, label in Delivery.choices
                if value != Delivery.CHAT or channels
            ],
            "chat_channels": channels,
            "digest_day": WEEKDAYS[DIGEST_WEEKDAY],
            "uses_digest": queries.has_digest_kinds(current),
        },
    )


@login_required
def inbox(request: AuthedHttpRequest) -> HttpResponse:
    """Things waiting for you: what each feature needs you to do, soonest due first."""
    found = inbox_for_request(request)
    return render(
        request,
        "notifications/inbox.html",
        {
            "inbox": found,
            "today": timezone.localdate(),
            "max_per_provider": MAX_PER_PROVIDER,
        },
    )


# No CSRF token: RFC 8058's one-click POST comes from the mail program, without cookies. The
# signed link is the authority, and all it can do is switch one kind of e-mail off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The List-Unsubscribe link of an e-mail: GET shows what it stops, with a button and the
    way to the settings; POST (the button, or the mail program's one click) stops it."""
    link = read_link(token)
    if link is None:
        return render(request, "notifications/unsubscribe.html", {"link": None}, status=404)
    done = False
    if request.method == "POST":
        services.unsubscribe_by_link(link=link)
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {"link": link, "done": done, "settings_url": reverse("notifications:settings")},
    )
