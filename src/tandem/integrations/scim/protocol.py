"""The SCIM 2.0 protocol (RFC 7644) at /scim/v2/: authentication by SCIM token, request
parsing with scim2-models, errors as SCIM error bodies, ETags, and logging for IT.

Thin, like every view: it parses, calls `services`/`queries`, and renders JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError as PydanticValidationError
from scim2_models import (
    Context,
    Email,
    Error,
    InvalidPathException,
    InvalidSyntaxException,
    InvalidValueException,
    NotFoundException,
    NotImplementedException,
    PatchOp,
    PreconditionFailedException,
    SCIMException,
    SearchRequest,
    UnauthorizedException,
)

from tandem.audit.context import origin
from tandem.integrations.scim import queries, resources, services
from tandem.integrations.scim.models import ScimToken
from tandem.integrations.scim.resources import (
    ENTERPRISE_ATTRIBUTES,
    ENTERPRISE_SCHEMA,
    GROUP_ATTRIBUTES,
    GROUP_SCHEMA,
    IGNORED_SUBS,
    LIST_SCHEMA,
    USER_ATTRIBUTES,
    USER_SCHEMA,
    ScimUserModel,
)

CONTENT_TYPE = "application/scim+json"
DEFAULT_COUNT = 100
MAX_COUNT = 1000
COMMON = {"schemas", "id", "externalid", "meta"}

Handler = Callable[..., HttpResponse]


def _json(body: Any, status: int = 200, etag: str = "") -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type=CONTENT_TYPE)
    if etag:
        response["ETag"] = etag
    return response


def error_response(error: SCIMException | Error) -> HttpResponse:
    scim_error = error.to_error() if isinstance(error, SCIMException) else error
    body = scim_error.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    status = int(scim_error.status or 400)
    response = _json(body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="SCIM"'
    return response


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def scim_view(handler: Handler) -> Handler:
    """Authenticate the SCIM token, turn every refusal into a SCIM error, log for IT."""

    @csrf_exempt
    @wraps(handler)
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token: ScimToken | None = None
        writes = request.method in {"POST", "PUT", "PATCH", "DELETE"}
        try:
            header = request.META.get("HTTP_AUTHORIZATION", "")
            scheme, _, raw = header.partition(" ")
            token = services.authenticate(raw.strip()) if scheme.lower() == "bearer" else None
            if token is None:
                raise UnauthorizedException(
                    detail="Use a SCIM token issued by IT on the IT page (/it/scim/); "
                    "personal API tokens and sessions are not accepted here."
                )
            request.scim_token = token  # type: ignore[attr-defined]
            with origin(_client_ip(request), "scim"):
                response = handler(request, *args, **kwargs)
        except SCIMException as error:
            response = error_response(error)
        except PydanticValidationError as error:
            response = error_response(Error.from_validation_errors(error)[0])
        # Only what an identity provider with a token did: a stranger's 401s are not IT's
        # errors to count (and a refused GET writes nothing).
        if token is not None and (writes or response.status_code >= 400):
            detail = ""
            if response.status_code >= 400:
                detail = str(json.loads(response.content).get("detail", ""))
            services.log_event(
                token=token,
                method=request.method or "",
                path=request.path,
                status=response.status_code,
                detail=detail,
            )
        return response

    return view


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/scim/v2").rstrip("/")


def _payload(request: HttpRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        raise InvalidSyntaxException(detail="The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise InvalidSyntaxException(detail="The body must be a JSON object.")
    return _fix_managers(body)


def _fix_managers(value: Any) -> Any:
    """Okta and Entra send `manager` as {"value": id} or a bare id; scim2-models wants $ref."""
    if isinstance(value, list):
        return [_fix_managers(item) for item in value]
    if not isinstance(value, dict):
        return value
    fixed = {}
    if str(value.get("path", "")).lower().endswith("manager") and "value" in value:
        value = {**value, "value": _manager_value(value["value"])}
    for key, item in value.items():
        if key.lower().endswith("manager"):
            item = _manager_value(item)
        fixed[key] = _fix_managers(item)
    return fixed


def _manager_value(item: Any) -> Any:
    if isinstance(item, str | int) and str(item):
        item = {"value": str(item)}
    if isinstance(item, dict) and item.get("value") and not item.get("$ref"):
        item = {**item, "$ref": f"../Users/{item['value']}"}
    return item


def _check_known(payload: dict[str, Any], kind: str) -> None:
    """Refuse attributes Tandem does not keep (RFC 7644 §3.12: invalidSyntax)."""
    kept = USER_ATTRIBUTES if kind == "User" else GROUP_ATTRIBUTES
    for key, value in payload.items():
        lowered = key.lower()
        if lowered in COMMON:
            continue
        if kind == "User" and lowered == ENTERPRISE_SCHEMA.lower():
            _check_subs(value, ENTERPRISE_ATTRIBUTES, key)
            continue
        match = next((name for name in kept if name.lower() == lowered), None)
        if match is None:
            raise InvalidSyntaxException(detail=f"{key}: Tandem does not keep this attribute.")
        subs = {s.lower() for s in (*kept[match][0], *IGNORED_SUBS.get(match, ()))}
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict) and subs:
                for sub in item:
                    if sub.lower() not in subs:
                        raise InvalidSyntaxException(
                            detail=f"{key}.{sub}: Tandem does not keep this attribute."
                        )


def _check_subs(value: Any, kept: dict[str, tuple[tuple[str, ...], bool]], prefix: str) -> None:
    if not isinstance(value, dict):
        return
    names = {name.lower() for name in kept}
    for key in value:
        if key.lower() not in names:
            raise InvalidSyntaxException(
                detail=f"{prefix}:{key}: Tandem does not keep this attribute."
            )


def _check_version(request: HttpRequest, current: str) -> None:
    wanted = request.META.get("HTTP_IF_MATCH", "").strip()
    if wanted and wanted != "*" and current not in {v.strip() for v in wanted.split(",")}:
        raise PreconditionFailedException(
            detail="The resource changed since you read it (If-Match does not match its version)."
        )


def _int_param(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name, "")
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise InvalidValueException(detail=f"{name}: “{raw}” is not a whole number.") from None


def _names(request: HttpRequest, name: str) -> list[str]:
    return [part.strip() for part in request.GET.get(name, "").split(",") if part.strip()]


class Search:
    """A query's parameters, from the query string (GET) or a SearchRequest body (POST .search)."""

    def __init__(self, request: HttpRequest) -> None:
        if request.method == "POST":
            search: SearchRequest = SearchRequest.model_validate(
                _payload(request), scim_ctx=Context.SEARCH_REQUEST
            )
            self.filter = str(search.filter or "")
            self.start = max(search.start_index or 1, 1)
            self.count = min(
                max(DEFAULT_COUNT if search.count is None else search.count, 0), MAX_COUNT
            )
            self.attributes = [str(a) for a in search.attributes or []]
            self.excluded = [str(a) for a in search.excluded_attributes or []]
        else:
            self.filter = request.GET.get("filter", "")
            self.start, self.count = _page_params(request)
            self.attributes = _names(request, "attributes")
            self.excluded = _names(request, "excludedAttributes")


def _listing(search: Search, total: int, bodies: list[dict[str, Any]]) -> HttpResponse:
    attributes, excluded, start = search.attributes, search.excluded, search.start
    return _json(
        {
            "schemas": [LIST_SCHEMA],
            "totalResults": total,
            "startIndex": start,
            "itemsPerPage": len(bodies),
            "Resources": [
                resources.pick(body, attributes=attributes, excluded=excluded) for body in bodies
            ],
        }
    )


def _one(request: HttpRequest, body: dict[str, Any], status: int = 200) -> HttpResponse:
    version = body["meta"]["version"]
    fresh = version in request.META.get("HTTP_IF_NONE_MATCH", "")
    if status == 200 and request.method == "GET" and fresh:
        response = HttpResponse(status=304)
        response["ETag"] = version
        return response
    picked = resources.pick(
        body,
        attributes=_names(request, "attributes"),
        excluded=_names(request, "excludedAttributes"),
    )
    response = _json(picked, status=status, etag=version)
    if status == 201:
        response["Location"] = body["meta"]["location"]
    return response


def _page_params(request: HttpRequest) -> tuple[int, int]:
    start = max(_int_param(request, "startIndex", 1), 1)
    count = min(max(_int_param(request, "count", DEFAULT_COUNT), 0), MAX_COUNT)
    return start, count


# --- Discovery ---------------------------------------------------------------------------


@scim_view
def service_provider_config(request: HttpRequest) -> HttpResponse:
    if request.method != "GET":
        return _not_allowed()
    return _json(resources.service_provider_config(_base(request), max_results=MAX_COUNT))


@scim_view
def resource_types(request: HttpRequest) -> HttpResponse:
    if request.method != "GET":
        return _not_allowed()
    found = resources.resource_types(_base(request))
    return _json(
        {
            "schemas": [LIST_SCHEMA],
            "totalResults": len(found),
            "startIndex": 1,
            "itemsPerPage": len(found),
            "Resources": found,
        }
    )


@scim_view
def resource_type(request: HttpRequest, name: str) -> HttpResponse:
    if request.method != "GET":
        return _not_allowed()
    for body in resources.resource_types(_base(request)):
        if body["id"] == name:
            return _json(body)
    raise NotFoundException(detail=f"No resource type “{name}”.")


@scim_view
def schemas(request: HttpRequest) -> HttpResponse:
    if request.method != "GET":
        return _not_allowed()
    found = resources.schemas(_base(request))
    return _json(
        {
            "schemas": [LIST_SCHEMA],
            "totalResults": len(found),
            "startIndex": 1,
            "itemsPerPage": len(found),
            "Resources": found,
        }
    )


@scim_view
def schema(request: HttpRequest, schema_id: str) -> HttpResponse:
    if request.method != "GET":
        return _not_allowed()
    for body in resources.schemas(_base(request)):
        if body["id"] == schema_id:
            return _json(body)
    raise NotFoundException(detail=f"No schema “{schema_id}”.")


# --- Users -------------------------------------------------------------------------------


@scim_view
def users(request: HttpRequest) -> HttpResponse:
    base = _base(request)
    if request.method == "POST":
        payload = _payload(request)
        _check_known(payload, "User")
        data = ScimUserModel.model_validate(payload, scim_ctx=Context.RESOURCE_CREATION_REQUEST)
        person = services.provision_user(data=data)
        return _one(request, resources.user_body(queries.user(str(person.pk)), base), status=201)
    if request.method != "GET":
        return _not_allowed()
    return _user_listing(Search(request), base)


def _user_listing(search: Search, base: str) -> HttpResponse:
    total, people = queries.user_page(
        filter_text=search.filter, start=search.start, count=search.count
    )
    return _listing(search, total, [resources.user_body(p, base) for p in people])


@scim_view
def users_search(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _not_allowed()
    return _user_listing(Search(request), _base(request))


@scim_view
def groups_search(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _not_allowed()
    return _group_listing(Search(request), _base(request))


@scim_view
def root_search(request: HttpRequest) -> HttpResponse:
    raise NotImplementedException(
        detail="Searching several resource types at once is not supported: "
        "use /Users/.search or /Groups/.search."
    )


@scim_view
def user(request: HttpRequest, pk: str) -> HttpResponse:
    base = _base(request)
    person = queries.user(pk)
    current = resources.user_body(person, base)
    if request.method == "GET":
        return _one(request, current)
    if request.method == "DELETE":
        _check_version(request, current["meta"]["version"])
        services.deprovision_user(person=person)
        return HttpResponse(status=204)
    if request.method == "PUT":
        _check_version(request, current["meta"]["version"])
        payload = _payload(request)
        _check_known(payload, "User")
        data = ScimUserModel.model_validate(payload, scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
        services.replace_user(person=person, data=data)
        return _one(request, resources.user_body(queries.user(pk), base))
    if request.method == "PATCH":
        _check_version(request, current["meta"]["version"])
        payload = _payload(request)
        _check_patch_paths(payload, "User")
        patch = PatchOp[ScimUserModel].model_validate(
            payload, scim_ctx=Context.RESOURCE_PATCH_REQUEST
        )
        resource = ScimUserModel.model_validate(current, scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
        for email in resource.emails or []:
            # The one e-mail Tandem keeps is the work one: Entra patches it by that filter.
            email.type = Email.Type.work
        if patch.patch(resource):
            services.replace_user(person=person, data=resource)
        return _one(request, resources.user_body(queries.user(pk), base))
    return _not_allowed()


def _check_patch_paths(payload: dict[str, Any], kind: str) -> None:
    operations = payload.get("Operations") or payload.get("operations") or []
    if not isinstance(operations, list):
        raise InvalidSyntaxException(detail="Operations: give a list of operations.")
    for operation in operations:
        if not isinstance(operation, dict):
            raise InvalidSyntaxException(detail="Operations: each operation is an object.")
        op = str(operation.get("op", "")).lower()
        if op not in {"add", "remove", "replace"}:
            raise InvalidValueException(
                detail=f"op: “{operation.get('op')}” is not a PATCH operation "
                "(add, remove or replace)."
            )
        path = operation.get("path")
        if path:
            top = _top_attribute(str(path), kind)
            if top is None:
                raise InvalidPathException(detail=f"path: Tandem does not keep “{path}”.")
        elif isinstance(operation.get("value"), dict):
            value = operation["value"]
            plain = {
                k: v for k, v in value.items() if "." not in k and not k.lower().startswith("urn:")
            }
            _check_known(plain, kind)
            for key in value:
                if ("." in key or key.lower().startswith("urn:")) and _top_attribute(
                    key, kind
                ) is None:
                    raise InvalidPathException(detail=f"path: Tandem does not keep “{key}”.")


def _top_attribute(path: str, kind: str) -> str | None:
    lowered = path.lower()
    kept = USER_ATTRIBUTES if kind == "User" else GROUP_ATTRIBUTES
    if kind == "User" and lowered.startswith(ENTERPRISE_SCHEMA.lower()):
        rest = path[len(ENTERPRISE_SCHEMA) :].lstrip(":")
        if not rest:
            return ENTERPRISE_SCHEMA
        name = re.split(r"[.\[]", rest)[0].lower()
        return name if name in {n.lower() for n in ENTERPRISE_ATTRIBUTES} else None
    for urn in (USER_SCHEMA, GROUP_SCHEMA):
        if lowered.startswith(urn.lower() + ":"):
            path = path[len(urn) + 1 :]
    name = re.split(r"[.\[]", path)[0].lower()
    if name in {"externalid"}:
        return name
    return name if name in {n.lower() for n in kept} else None


# --- Groups ------------------------------------------------------------------------------


def _group_body(department: Any, base: str) -> dict[str, Any]:
    return resources.group_body(
        department, queries.members_of([department.pk])[department.pk], base
    )


def _group_fields(payload: dict[str, Any], ctx: Context) -> tuple[str, str | None, list[str]]:
    _check_known(payload, "Group")
    from scim2_models import Group

    data = Group.model_validate(payload, scim_ctx=ctx)
    if not data.display_name or not data.display_name.strip():
        raise InvalidValueException(detail="displayName: give the department's name.")
    members = [str(m.value) for m in data.members or [] if m.value]
    return data.display_name, data.external_id, members


@scim_view
def groups(request: HttpRequest) -> HttpResponse:
    base = _base(request)
    if request.method == "POST":
        name, external_id, members = _group_fields(
            _payload(request), Context.RESOURCE_CREATION_REQUEST
        )
        department = services.provision_group(name=name, external_id=external_id, members=members)
        return _one(request, _group_body(queries.group(str(department.pk)), base), status=201)
    if request.method != "GET":
        return _not_allowed()
    return _group_listing(Search(request), base)


def _group_listing(search: Search, base: str) -> HttpResponse:
    total, departments = queries.group_page(
        filter_text=search.filter, start=search.start, count=search.count
    )
    excluded = {name.lower() for name in search.excluded}
    members: dict[int, list[int]] = (
        {d.pk: [] for d in departments}
        if "members" in excluded
        else queries.members_of([d.pk for d in departments])
    )
    return _listing(
        search, total, [resources.group_body(d, members[d.pk], base) for d in departments]
    )


@scim_view
def group(request: HttpRequest, pk: str) -> HttpResponse:
    from scim2_models import Group

    base = _base(request)
    department = queries.group(pk)
    current = _group_body(department, base)
    if request.method == "GET":
        return _one(request, current)
    _check_version(request, current["meta"]["version"])
    if request.method == "DELETE":
        services.remove_group(department=department)
        return HttpResponse(status=204)
    if request.method == "PUT":
        name, external_id, members = _group_fields(
            _payload(request), Context.RESOURCE_REPLACEMENT_REQUEST
        )
    elif request.method == "PATCH":
        payload = _payload(request)
        _check_patch_paths(payload, "Group")
        patch = PatchOp[Group].model_validate(payload, scim_ctx=Context.RESOURCE_PATCH_REQUEST)
        resource = Group.model_validate(current, scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
        patch.patch(resource)
        name = resource.display_name or ""
        external_id = resource.external_id
        members = [str(m.value) for m in resource.members or [] if m.value]
    else:
        return _not_allowed()
    services.replace_group(
        department=department, name=name, external_id=external_id, members=members
    )
    return _one(request, _group_body(queries.group(pk), base))


def _not_allowed() -> HttpResponse:
    return error_response(Error(status=405, detail="This method is not supported here."))


@scim_view
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    raise NotFoundException(detail="There is no such SCIM endpoint.")
