"""How people and departments look in SCIM (RFC 7643), built with scim2-models.

A person is a `User` with the enterprise extension; a department is a `Group` whose members
are the people in it. The SCIM `id` is the person's (department's) id in Tandem. Only the
attributes Tandem keeps are published in /Schemas; the rest are refused as unknown.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from scim2_models import (
    Context,
    EnterpriseUser,
    Group,
    Mutability,
    ResourceType,
    Schema,
    User,
)

from tandem.org.models import Department, Person, PersonStatus

ScimUserModel = User[EnterpriseUser]
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"

# The attributes Tandem keeps, by schema: (attribute, sub-attributes kept, read-only).
USER_ATTRIBUTES: dict[str, tuple[tuple[str, ...], bool]] = {
    "userName": ((), False),
    "name": (("givenName", "familyName"), False),
    "displayName": ((), True),
    "title": ((), False),
    "active": ((), False),
    # One work e-mail, the sign-in: `type` and `primary` are accepted (providers send them)
    # but not kept, so not published either.
    "emails": (("value",), False),
    "groups": (("value", "$ref", "display", "type"), True),
}
ENTERPRISE_ATTRIBUTES: dict[str, tuple[tuple[str, ...], bool]] = {
    "employeeNumber": ((), False),
    "department": ((), False),
    "manager": (("value", "$ref"), False),
}
GROUP_ATTRIBUTES: dict[str, tuple[tuple[str, ...], bool]] = {
    "displayName": ((), False),
    "members": (("value", "$ref", "type"), False),
}
READ_ONLY_SUBS: set[str] = set()
# Sub-attributes accepted in requests and ignored, because providers always send them.
IGNORED_SUBS = {"emails": {"type", "primary", "display"}}
# A person always has a work e-mail (their sign-in), a first and last name, and is active
# or not: Tandem cannot store a person without them, so they cannot be removed either.
REQUIRED = {"userName", "name", "emails", "displayName", "active"}
REQUIRED_SUBS = {"givenName", "familyName", "value"}


def _trim(schema: Schema, kept: dict[str, tuple[tuple[str, ...], bool]]) -> dict[str, Any]:
    """The library's full schema, narrowed to what Tandem keeps, read-only marked."""
    body = schema.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    attributes = []
    for attribute in body.get("attributes", []):
        if attribute["name"] not in kept:
            continue
        subs, read_only = kept[attribute["name"]]
        if attribute["name"] in REQUIRED and not read_only:
            # A person needs a work e-mail (their sign-in) and a first and last name.
            attribute["required"] = True
        if read_only:
            attribute["mutability"] = Mutability.read_only.value
        if "subAttributes" in attribute:
            attribute["subAttributes"] = [
                {
                    **sub,
                    **(
                        {"mutability": Mutability.read_only.value}
                        if read_only or sub["name"] in READ_ONLY_SUBS
                        else {}
                    ),
                    **({"required": True} if sub["name"] in REQUIRED_SUBS else {}),
                }
                for sub in attribute["subAttributes"]
                if sub["name"] in subs
            ]
        attributes.append(attribute)
    body["attributes"] = attributes
    return body


def schemas(base: str) -> list[dict[str, Any]]:
    result = []
    for model, kept in (
        (User, USER_ATTRIBUTES),
        (EnterpriseUser, ENTERPRISE_ATTRIBUTES),
        (Group, GROUP_ATTRIBUTES),
    ):
        body = _trim(model.to_schema(), kept)
        body["meta"] = {"resourceType": "Schema", "location": f"{base}/Schemas/{body['id']}"}
        result.append(body)
    return result


def resource_types(base: str) -> list[dict[str, Any]]:
    user = ResourceType.model_validate(
        {
            "id": "User",
            "name": "User",
            "description": "A person who works (or worked) at the company",
            "endpoint": "/Users",
            "schema": USER_SCHEMA,
            "schemaExtensions": [{"schema": ENTERPRISE_SCHEMA, "required": False}],
        }
    )
    group = ResourceType.model_validate(
        {
            "id": "Group",
            "name": "Group",
            "description": "A department",
            "endpoint": "/Groups",
            "schema": GROUP_SCHEMA,
        }
    )
    result = []
    for resource_type in (user, group):
        body = resource_type.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
        body["meta"] = {
            "resourceType": "ResourceType",
            "location": f"{base}/ResourceTypes/{resource_type.id}",
        }
        result.append(body)
    return result


def service_provider_config(base: str, *, max_results: int) -> dict[str, Any]:
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "documentationUri": "https://github.com/tandem-hr/tandem/blob/main/docs/integrations.md",
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": max_results},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": True},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "A SCIM token issued by IT on the IT page (/it/scim/).",
                "primary": True,
            }
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": f"{base}/ServiceProviderConfig",
        },
    }


def version_of(body: dict[str, Any]) -> str:
    """A weak ETag from the resource's content: it changes whenever anything shown does."""
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
    return f'W/"{digest[:20]}"'


def _with_meta(
    body: dict[str, Any], *, kind: str, location: str, created: Any, modified: Any
) -> dict[str, Any]:
    body["meta"] = {
        "resourceType": kind,
        "created": created.isoformat(),
        "lastModified": modified.isoformat(),
        "location": location,
        "version": version_of(body),
    }
    return body


def user_body(person: Person, base: str) -> dict[str, Any]:
    """The SCIM User for a person (department, manager and scim link selected)."""
    link = getattr(person, "scim", None) if _has_link(person) else None
    body: dict[str, Any] = {
        "schemas": [USER_SCHEMA, ENTERPRISE_SCHEMA],
        "id": str(person.pk),
    }
    if link is not None and link.external_id:
        body["externalId"] = link.external_id
    body["userName"] = link.user_name if link is not None and link.user_name else person.email
    body["name"] = {
        "givenName": person.first_name,
        "familyName": person.last_name,
    }
    body["displayName"] = person.display_name
    if person.title:
        body["title"] = person.title
    body["active"] = person.status != PersonStatus.LEFT
    body["emails"] = [{"value": person.email}]
    if person.department_id is not None:
        department = person.department
        assert department is not None
        body["groups"] = [
            {
                "value": str(department.pk),
                "$ref": f"{base}/Groups/{department.pk}",
                "display": department.name,
                "type": "direct",
            }
        ]
    enterprise: dict[str, Any] = {}
    if person.employee_id:
        enterprise["employeeNumber"] = person.employee_id
    if person.department_id is not None and person.department is not None:
        enterprise["department"] = person.department.name
    if person.manager_id is not None and person.manager is not None:
        enterprise["manager"] = {
            "value": str(person.manager_id),
            "$ref": f"{base}/Users/{person.manager_id}",
        }
    if enterprise:
        body[ENTERPRISE_SCHEMA] = enterprise
    modified = link.updated_at if link is not None else person.created_at
    return _with_meta(
        body,
        kind="User",
        location=f"{base}/Users/{person.pk}",
        created=person.created_at,
        modified=max(modified, person.created_at),
    )


def _has_link(person: Person) -> bool:
    try:
        person.scim  # noqa: B018  (a reverse one-to-one: missing raises)
    except Person.scim.RelatedObjectDoesNotExist:
        return False
    return True


def group_body(department: Department, members: list[int], base: str) -> dict[str, Any]:
    """The SCIM Group for a department; `members` are the ids of the people in it."""
    link = getattr(department, "scim", None) if _has_group_link(department) else None
    body: dict[str, Any] = {"schemas": [GROUP_SCHEMA], "id": str(department.pk)}
    if link is not None and link.external_id:
        body["externalId"] = link.external_id
    body["displayName"] = department.name
    body["members"] = [
        {"value": str(pk), "$ref": f"{base}/Users/{pk}", "type": "User"} for pk in members
    ]
    stamp = link.updated_at if link is not None else None
    created = stamp or _epoch()
    return _with_meta(
        body,
        kind="Group",
        location=f"{base}/Groups/{department.pk}",
        created=created,
        modified=created,
    )


def _has_group_link(department: Department) -> bool:
    try:
        department.scim  # noqa: B018
    except Department.scim.RelatedObjectDoesNotExist:
        return False
    return True


def _epoch() -> Any:
    from datetime import UTC, datetime

    return datetime(2020, 1, 1, tzinfo=UTC)


def pick(body: dict[str, Any], *, attributes: list[str], excluded: list[str]) -> dict[str, Any]:
    """RFC 7644 §3.9: `attributes` keeps only those (and id, schemas, meta), `excludedAttributes`
    drops those. Names are compared case-insensitively, by their top-level attribute."""

    def top(name: str) -> str:
        lowered = name.lower()
        for urn in (ENTERPRISE_SCHEMA.lower(), USER_SCHEMA.lower(), GROUP_SCHEMA.lower()):
            if lowered.startswith(urn + ":"):
                rest = lowered[len(urn) + 1 :]
                return urn if urn == ENTERPRISE_SCHEMA.lower() else rest.split(".")[0]
            if lowered == urn:
                return urn
        return lowered.split(".")[0]

    always = {"id", "schemas"}
    if attributes:
        wanted = {top(a) for a in attributes} | always
        return {k: v for k, v in body.items() if k.lower() in wanted}
    if excluded:
        dropped = {top(a) for a in excluded} - always
        return {k: v for k, v in body.items() if k.lower() not in dropped}
    return body
