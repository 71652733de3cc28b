"""What every API router shares: the one error shape, the strict body schemas, the largest id
a filter or path accepts, and the NinjaAPI that answers every error in that shape.

Every error the API answers — 400, 401, 403, 404, 409, 413, 422, 429 — is an `ErrorOut`:
`detail` says what went wrong in a sentence, `errors` lists each bad input with where it is
(`loc`, e.g. `["body", "title"]`), what is wrong with it (`msg`) and a stable code (`type`).
`Api` documents the statuses that come from the transport on every operation they can
happen to (see `ApiSchema`); routers declare the ones their rules produce (404, 409).

Schema component names come from the class names, so these keep their names wherever they
live (src/tandem/openapi.json names ErrorOut and FieldErrorOut).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.datastructures import MultiValueDict
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, Throttled, ValidationError, ValidationErrorContext
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.operation import Operation
from ninja.parser import Parser
from ninja.schema import NinjaGenerateJsonSchema
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, field_validator
from pydantic_core import PydanticCustomError

from tandem.core.validation import NOT_TEXT, first_unstorable, unstorable

# Ids travel as 64-bit integers in every database we support; a larger number in a filter
# is bad input (422 naming the field), not a database overflow (500).
MAX_ID = 2**63 - 1


# --- The error shape -------------------------------------------------------------------------


class FieldErrorOut(Schema):
    loc: list[str | int] = Field(description='Where the bad input is, e.g. ["query", "limit"]')
    msg: str
    type: str = Field(description="A stable code, e.g. missing, string_too_long, not_text")


class ErrorOut(Schema):
    """Every error the API answers: a sentence, and each bad input by where it is (empty
    when the error is not about an input: 401, 403, 404, 409, 413, 429)."""

    detail: str
    errors: list[FieldErrorOut]


# Routers spread these into `response=`; `Api` adds the transport statuses itself.
ERRORS: dict[int, type[Schema]] = {401: ErrorOut}
NOT_FOUND: dict[int, type[Schema]] = {404: ErrorOut}


def error_body(detail: str, errors: Iterable[Mapping[str, Any]] = ()) -> dict[str, Any]:
    return {
        "detail": detail,
        "errors": [
            {
                "loc": list(error.get("loc") or ()),
                "msg": str(error.get("msg", "")),
                "type": str(error.get("type") or "value_error"),
            }
            for error in errors
        ],
    }


def _summary(errors: list[dict[str, Any]]) -> str:
    """The `detail` of a 422: the one message, or how many inputs are wrong and which."""
    names = [str(e["loc"][-1]) if e["loc"] else "body" for e in errors]
    if len(errors) == 1:
        return f"{names[0]}: {errors[0]['msg']}"
    unique = list(dict.fromkeys(names))
    return f"{len(errors)} inputs are not valid: {', '.join(unique)}."


def too_large_detail() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    size = f"{limit / 1024 / 1024:g} MB" if limit >= 1024 * 1024 else f"{limit:,} bytes"
    return (
        f"The request body is larger than {size}, the most Tandem accepts "
        "(TANDEM_MAX_BODY_MB); uploaded files have their own limit."
    )


def error_json(status: int, detail: str, errors: Iterable[Mapping[str, Any]] = ()) -> JsonResponse:
    """An error in the one shape, for code outside the API's operations (middleware, the
    catch-all for unknown /api/ addresses)."""
    return JsonResponse(
        error_body(detail, errors), status=status, content_type="application/json; charset=utf-8"
    )


@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any /api/ address no operation answers — `/api/v1/goals/abc` among them: a path id
    that is not a number names nothing, so it is answered like an id that does not exist."""
    return error_json(404, "Not found.")


# --- Request bodies ----------------------------------------------------------------------


class InSchema(BaseModel):
    """What a client sends in a JSON body.

    A plain pydantic model, not ninja's `Schema`: that one reads attributes off any object,
    so the body `"AAA"` became a goal titled "Aaa" (`"AAA".title()`) and `[null, null]` an
    empty note. Strict: every value must have its JSON type (`"5"` is not 5, `1` is not
    true); JSON has no type for decimals, dates and choices, so those fields use `DecimalIn`,
    `DateIn`, `DateTimeIn` and `Choice[...]`. No text anywhere in it may hold NUL or an
    unpaired surrogate (`core.validation`)."""

    model_config = ConfigDict(strict=True)

    @field_validator("*", mode="after")
    @classmethod
    def _text_only(cls, value: Any) -> Any:
        if first_unstorable(value) is not None:
            raise PydanticCustomError("not_text", f"This field {NOT_TEXT}.")
        return value


def _text_first(value: Any) -> Any:
    """Dates are written as ISO text in JSON; a number is not a date (pydantic would read
    it as seconds since 1970)."""
    if not isinstance(value, str | date):
        raise PydanticCustomError("date_type", "Write the date as text, e.g. 2025-03-31.")
    return value


T = TypeVar("T")
DecimalIn = Annotated[Decimal, Strict(False)]
"""A JSON number, or a number written as text ("12.50")."""
DateIn = Annotated[date, BeforeValidator(_text_first), Strict(False)]
DateTimeIn = Annotated[datetime, BeforeValidator(_text_first), Strict(False)]
Choice = Annotated[T, Strict(False)]
"""One of an enum's values, written as its text (`Choice[GoalLevel]`)."""
IdIn = Annotated[int, Field(ge=1, le=MAX_ID)]


# --- Parsing -------------------------------------------------------------------------------


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON number")


class StrictJsonParser(Parser):
    """JSON as RFC 8259 writes it (no NaN or Infinity), and query strings whose values are
    text (a NUL is refused, naming the parameter)."""

    def parse_body(self, request: HttpRequest) -> Any:
        return json.loads(request.body, parse_constant=_not_json)

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        source = "query" if data is request.GET else "form"
        bad = [
            {"loc": [source, key], "msg": f"This parameter {NOT_TEXT}.", "type": "not_text"}
            for key, values in data.lists()
            if unstorable(key) or any(isinstance(v, str) and unstorable(v) for v in values)
        ]
        if bad:
            raise ValidationError(bad)
        return super().parse_querydict(data, list_fields, request)


# --- The API ---------------------------------------------------------------------------------

STATUS_DESCRIPTIONS = {
    400: "The body is not JSON",
    401: "No credentials, or a token or session that is not valid",
    403: "A browser session sent a write without its CSRF token",
    404: "Not found, or not yours to see (the two are answered alike)",
    409: "A conflict with the current state",
    413: "The body is larger than the limit (TANDEM_MAX_BODY_MB)",
    422: "An input is not valid; each error names it",
    429: "Too many requests (docs/api.md: 600 a minute per token by default); try again "
    "after Retry-After seconds. Every answer carries RateLimit-Limit, RateLimit-Remaining, "
    "RateLimit-Reset and RateLimit-Policy",
}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class ApiSchema(OpenAPISchema):
    """The OpenAPI document, with the error statuses every operation can answer documented
    on it, all in the one shape: 401 everywhere (every operation needs credentials), 429
    everywhere (the published rate limits), 403 on
    writes (a session without its CSRF token), 400 and 413 where a JSON body is read, 404
    where a path names an object, 422 where there is any input. Routers add what their
    rules produce."""

    def responses(self, operation: Operation) -> dict[int, Any]:
        result = super().responses(operation)
        sources = {model.__ninja_param_source__ for model in operation.models}
        # 429: every operation is rate limited (core.ratelimit, docs/api.md).
        statuses = {401, 429}
        if set(operation.methods) & UNSAFE_METHODS:
            statuses.add(403)
        if "body" in sources:
            statuses |= {400, 413}
        if "path" in sources:
            statuses.add(404)
        if sources:
            statuses.add(422)
        statuses |= {status for status in result if isinstance(status, int) and status >= 400}
        ref = self._error_ref()
        for status in statuses:
            declared = result.get(status, {}).get("content")  # e.g. 409's ConflictOut
            result[status] = {
                "description": STATUS_DESCRIPTIONS.get(status, "Error"),
                "content": declared or {"application/json": {"schema": ref}},
            }
        return result

    def _error_ref(self) -> dict[str, str]:
        if "ErrorOut" not in self.schemas:
            schema = ErrorOut.model_json_schema(
                ref_template=REF_TEMPLATE,
                schema_generator=NinjaGenerateJsonSchema,
                mode="serialization",
            )
            self.add_schema_definitions({**schema.pop("$defs", {}), "ErrorOut": schema})
        return {"$ref": REF_TEMPLATE.format(model="ErrorOut")}


class Api(NinjaAPI):
    """NinjaAPI with strict JSON parsing, every error in `ErrorOut`'s shape, and the error
    statuses documented on every operation."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(parser=StrictJsonParser(), **kwargs)
        self._schemas: dict[str, OpenAPISchema] = {}

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """The schema, built once per process (and path prefix): building it walks every
        operation's models, about a second, and /openapi.json was answered that slowly on
        every request. The operations are all registered at import, before any request."""
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        if path_prefix not in self._schemas:
            self._schemas[path_prefix] = ApiSchema(api=self, path_prefix=path_prefix)
        return self._schemas[path_prefix]

    def error(
        self,
        request: HttpRequest,
        status: int,
        detail: str,
        errors: Iterable[Mapping[str, Any]] = (),
    ) -> HttpResponse:
        return self.create_response(request, error_body(detail, errors), status=status)

    def validation_error_from_error_contexts(
        self, error_contexts: list[ValidationErrorContext[Any]]
    ) -> ValidationError:
        """Pydantic's errors as `FieldErrorOut`s. A body is one object, so its location
        starts at the body (`["body", "title"]`), not at the Python argument holding it."""
        errors: list[dict[str, Any]] = []
        for context in error_contexts:
            model = context.model
            source = model.__ninja_param_source__
            single = getattr(model, "__read_from_single_attr__", None)
            for error in context.pydantic_validation_error.errors(include_url=False):
                loc = tuple(error["loc"])
                if source == "body" and single and loc[:1] == (single,):
                    loc = loc[1:]
                else:
                    loc = model.__ninja_flatten_map_reverse__.get(loc, loc)
                errors.append({"loc": [source, *loc], "msg": error["msg"], "type": error["type"]})
        return ValidationError(errors)

    def set_default_exception_handlers(self) -> None:
        super().set_default_exception_handlers()
        self.add_exception_handler(ValidationError, self._invalid_input)
        self.add_exception_handler(DjangoValidationError, self._rule_broken)
        self.add_exception_handler(HttpError, self._http_error)
        self.add_exception_handler(Http404, self._not_found)
        self.add_exception_handler(RequestDataTooBig, self._too_large)
        self.add_exception_handler(TooManyFieldsSent, self._too_many_fields)
        self.add_exception_handler(TooManyFilesSent, self._too_many_fields)

    def _invalid_input(self, request: HttpRequest, exc: Any) -> HttpResponse:
        body = error_body("", exc.errors)
        body["detail"] = _summary(body["errors"])
        return self.create_response(request, body, status=422)

    def _rule_broken(self, request: HttpRequest, exc: Any) -> HttpResponse:
        """A service's ValidationError: each message under the body field it names."""
        if hasattr(exc, "error_dict"):
            errors = [
                {
                    "loc": ["body"] if field == NON_FIELD_ERRORS else ["body", field],
                    "msg": " ".join(messages),
                }
                for field, messages in exc.message_dict.items()
            ]
        else:
            errors = [{"loc": ["body"], "msg": " ".join(exc.messages)}]
        body = error_body("", errors)
        body["detail"] = _summary(body["errors"])
        return self.create_response(request, body, status=422)

    def _http_error(self, request: HttpRequest, exc: Any) -> HttpResponse:
        status = exc.status_code
        if status == 400 and exc.__cause__ is not None:
            # ninja's "Cannot parse request body", with the parser's reason.
            reason = str(exc.__cause__)
            response = self.error(
                request,
                400,
                f"The request body is not valid JSON: {reason}",
                [{"loc": ["body"], "msg": reason, "type": "json_invalid"}],
            )
        else:
            response = self.error(request, status, str(exc))
        if status == 401:
            response["WWW-Authenticate"] = "Bearer"
        if isinstance(exc, Throttled) and exc.wait:
            response["Retry-After"] = str(int(exc.wait))
        return response

    def _not_found(self, request: HttpRequest, exc: Any) -> HttpResponse:
        return self.error(request, 404, "Not found.")

    def _too_large(self, request: HttpRequest, exc: Any) -> HttpResponse:
        return self.error(request, 413, too_large_detail())

    def _too_many_fields(self, request: HttpRequest, exc: Any) -> HttpResponse:
        return self.error(request, 400, str(exc) or "Too many fields.")
