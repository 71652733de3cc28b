"""CSRF that works with htmx, a Content-Security-Policy without inline code, no caching of
people data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

import tandem
from tests.factories import PASSWORD, PersonFactory, hr_admin

SRC = Path(tandem.__file__).resolve().parent


def signed_in_strict_client(person) -> Client:  # type: ignore[no-untyped-def]
    """A client that enforces CSRF like a browser would, signed in through the form."""
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        "/login/",
        {"username": person.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    client.get("/settings/tokens/")  # the token rotates at sign-in; fetch the new one
    return client


def test_a_post_without_the_csrf_token_is_refused(db):
    client = signed_in_strict_client(PersonFactory())
    response = client.post("/settings/tokens/", {"name": "Sync"})
    assert response.status_code == 403


def test_the_refusal_explains_itself_without_inline_styles(db):
    client = signed_in_strict_client(PersonFactory())
    response = client.post("/settings/tokens/", {"name": "Sync"})
    assert "nothing was changed" in response.content.decode()
    assert "<style" not in response.content.decode()


def test_a_post_with_the_token_in_htmxs_header_succeeds(db):
    client = signed_in_strict_client(PersonFactory())
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        "/settings/tokens/", {"name": "Sync"}, HTTP_X_CSRFTOKEN=token, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Your new token" in response.text


def test_every_page_hands_htmx_the_csrf_token(client_for):
    text = client_for(PersonFactory()).get("/").text
    match = re.search(r"<body [^>]*hx-headers='\{\"X-CSRFToken\": \"([A-Za-z0-9]+)\"\}'>", text)
    assert match and len(match.group(1)) == 64


def test_sign_out_without_the_csrf_token_is_refused(db):
    client = signed_in_strict_client(PersonFactory())
    assert client.post("/logout/").status_code == 403
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("path", ["/login/", "/", "/people/", "/hr/audit/"])
def test_the_content_security_policy_allows_no_inline_script_or_style(client_for, path):
    response = client_for(hr_admin()).get(path)
    policy = response["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_htmx_is_told_not_to_evaluate_code(client_for):
    text = client_for(PersonFactory()).get("/").text
    assert '"allowEval": false' in text
    assert '"allowScriptTags": false' in text


# --- Templates -----------------------------------------------------------------------------

TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
EVENT_ATTR = re.compile(r"(?:^|\s)(on[a-z]+|hx-on[:\-][^\s=]*)\s*=", re.I)
STYLE_ATTR = re.compile(r"(?:^|\s)style\s*=", re.I)


def template_files() -> list[Path]:
    return sorted(p for p in SRC.rglob("templates/**/*.html") if p.is_file())


def inline_code(source: str) -> list[str]:
    problems = []
    for attrs, body in SCRIPT.findall(source):
        if body.strip():
            problems.append("a <script> with an inline body")
        if "src=" not in attrs:
            problems.append("a <script> without src")
    if re.search(r"<style\b", source, re.I):
        problems.append("a <style> block")
    for name, attrs in TAG.findall(source):
        if STYLE_ATTR.search(attrs):
            problems.append(f'a style="" attribute on <{name}>')
        handler = EVENT_ATTR.search(attrs)
        if handler:
            problems.append(f"an inline {handler.group(1)}= handler on <{name}>")
        if re.search(r"""=\s*["']?\s*javascript:""", attrs, re.I):
            problems.append(f"a javascript: URL on <{name}>")
    return problems


def test_the_template_scanner_catches_what_it_should():
    assert inline_code("<script>alert(1)</script>")
    assert inline_code('<p style="color: red">x</p>')
    assert inline_code('<button onclick="go()">x</button>')
    assert inline_code('<div hx-on:click="go()">x</div>')
    assert inline_code('<a href="javascript:go()">x</a>')
    assert inline_code("<style>p { color: red }</style>")
    assert not inline_code('<script src="/static/x.js" defer></script>')
    assert not inline_code('<p class="one">Someone=nice, one="two"</p>')


def test_the_scanner_sees_the_templates():
    assert len(template_files()) > 10


@pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_template_has_inline_scripts_styles_or_handlers(path):
    problems = inline_code(path.read_text(encoding="utf-8"))
    assert not problems, f"{path.relative_to(SRC)} has {', '.join(problems)} (CSP forbids them)"


# --- Caching -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/people/", "/program/", "/hr/audit/", "/settings/tokens/"])
def test_pages_with_people_data_are_not_stored(client_for, path):
    response = client_for(hr_admin()).get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_profile_is_not_stored(client_for):
    person = PersonFactory()
    response = client_for(PersonFactory()).get(f"/people/{person.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_api_answers_are_not_stored(client_for):
    response = client_for(PersonFactory()).get("/api/v1/me")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_other_security_headers_are_set(client_for):
    response = client_for(PersonFactory()).get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


# --- Permissions-Policy, and no software versions --------------------------------------------

SWITCHED_OFF = ("camera", "microphone", "geolocation", "payment", "usb", "serial", "bluetooth")


@pytest.mark.parametrize("path", ["/login/", "/api/v1/openapi.json", "/healthz", "/no-such-page/"])
def test_every_response_switches_the_browsers_powerful_features_off(db, path):
    policy = Client().get(path)["Permissions-Policy"]
    assert all(f"{feature}=()" in policy for feature in SWITCHED_OFF), policy


def test_pages_for_signed_in_people_carry_the_permissions_policy_too(db, client_for):
    response = client_for(PersonFactory()).get("/")
    assert "camera=()" in response["Permissions-Policy"]


def test_error_pages_name_no_software_or_version(db, settings, rf):
    from django.views.defaults import page_not_found, server_error

    settings.DEBUG = False
    request = rf.get("/x/")
    pages = [
        Client().get("/no-such-page/").content.decode(),
        page_not_found(request, Exception("nope")).content.decode(),
        server_error(request).content.decode(),
    ]
    for text in pages:
        for name in ("Django", "Python", "gunicorn", "WSGI"):
            assert name not in text, f"an error page says {name}: {text[:200]}"
