from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404

from tandem.access.models import ApiToken
from tandem.access.rules import can, require


def own_tokens(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(person_id=user.pk).order_by("-created_at")


def token_for(user: Any, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_related("person").filter(pk=token_id).first()
    if token is None or not can(user, "token.revoke", token):
        raise Http404("No such token.")
    return token


def all_tokens_page(user: Any, *, page: Any) -> Page:
    require(user, "tokens.manage_all")
    tokens = ApiToken.objects.filter(revoked_at__isnull=True).select_related("person")
    return Paginator(tokens.order_by("-created_at", "-pk"), 50).get_page(page)
