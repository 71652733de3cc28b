"""A real SAML identity provider for the tests: pysaml2's Server in a small WSGI app on a
loopback port, with its own key and certificate made in a temporary directory. It signs
real responses with xmlsec1.

- GET  /metadata         the IdP's metadata (what IT uploads or fetches)
- GET  /sso/redirect     the HTTP-Redirect sign-in: a form asking for the work e-mail, or,
                         with `login_as=` in the query, the answer at once
- POST /sso/login        the form's answer

The answer is an HTML form (button "Continue to Tandem") posting SAMLResponse to the SP's
ACS. `variant` changes what is sent: "unsigned" (no signature), "wrong-audience" (an
assertion for another SP), "wrong-destination" (sent to another SP's ACS), "tampered"
(signed, then the e-mail changed).
"""

from __future__ import annotations

import base64
import html
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import AUTHN_PASSWORD_PROTECTED, NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from tandem.integrations.saml.sp import _new_key_pair

ELSEWHERE = "https://elsewhere.example/saml/metadata/"


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class LoopbackIdP:
    directory: Path
    base: str = ""
    sp_metadata: str = ""
    variant: str = ""
    tamper_to: str = ""
    responses: list[str] = field(default_factory=list)

    @property
    def metadata_url(self) -> str:
        return f"{self.base}/metadata"

    @property
    def entity_id(self) -> str:
        return f"{self.base}/metadata"

    def _config(self, sp_metadata: list[str]) -> IdPConfig:
        config = IdPConfig()
        conf: dict[str, Any] = {
            "entityid": self.entity_id,
            "signing_algorithm": SIG_RSA_SHA256,
            "digest_algorithm": DIGEST_SHA256,
            "xmlsec_binary": shutil.which("xmlsec1"),
            "key_file": str(self.directory / "idp.key"),
            "cert_file": str(self.directory / "idp.crt"),
            "service": {
                "idp": {
                    "name": "Test IdP",
                    "endpoints": {
                        "single_sign_on_service": [
                            (f"{self.base}/sso/redirect", BINDING_HTTP_REDIRECT)
                        ]
                    },
                    "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                    "want_authn_requests_signed": False,
                    "policy": {"default": {"lifetime": {"minutes": 5}, "name_form": None}},
                }
            },
        }
        if sp_metadata:
            conf["metadata"] = {"inline": sp_metadata}
        config.load(conf)
        return config

    def metadata_xml(self) -> str:
        return str(
            create_metadata_string(None, config=self._config([]), valid=None, sign=False).decode()
        )

    def answer(self, saml_request: str, relay_state: str, email: str) -> str:
        """The HTML form carrying a signed response for `email` to the SP's ACS."""
        server = Server(config=self._config([self.sp_metadata]))
        request = server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT).message
        args = server.response_args(request, [BINDING_HTTP_POST])
        if self.variant == "wrong-audience":
            args["sp_entity_id"] = ELSEWHERE
        if self.variant == "wrong-destination":
            args["destination"] = "https://elsewhere.example/saml/acs/"
        unsigned = self.variant == "unsigned"
        response = server.create_authn_response(
            identity={"mail": [email]},
            userid=email,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=email),
            authn={"class_ref": AUTHN_PASSWORD_PROTECTED, "authn_auth": self.entity_id},
            sign_assertion=not unsigned,
            sign_response=False,
            **{k: v for k, v in args.items() if k != "binding"},
        )
        xml = str(response)
        if self.variant == "tampered":
            xml = xml.replace(email, self.tamper_to)
        encoded = base64.b64encode(xml.encode()).decode()
        self.responses.append(encoded)
        return (
            "<!doctype html><html lang='en'><title>Test IdP</title><body>"
            f"<form method='post' action='{html.escape(args['destination'])}'>"
            f"<input type='hidden' name='SAMLResponse' value='{encoded}'>"
            f"<input type='hidden' name='RelayState' value='{html.escape(relay_state)}'>"
            "<button type='submit'>Continue to Tandem</button></form></body></html>"
        )

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ["PATH_INFO"]
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length).decode()
            query.update({k: v[0] for k, v in parse_qs(body).items()})
        if path == "/metadata":
            start_response("200 OK", [("Content-Type", "application/samlmetadata+xml")])
            return [self.metadata_xml().encode()]
        if path in {"/sso/redirect", "/sso/login"}:
            email = query.get("login_as") or query.get("email")
            if email:
                page = self.answer(query["SAMLRequest"], query.get("RelayState", ""), email)
            else:
                request = html.escape(query["SAMLRequest"])
                relay = html.escape(query.get("RelayState", ""))
                page = (
                    "<!doctype html><html lang='en'><title>Test IdP sign-in</title><body>"
                    "<form method='post' action='/sso/login'>"
                    f"<input type='hidden' name='SAMLRequest' value='{request}'>"
                    f"<input type='hidden' name='RelayState' value='{relay}'>"
                    "<label for='email'>Work e-mail</label><input id='email' name='email'>"
                    "<button type='submit'>Sign in at the IdP</button></form></body></html>"
                )
            # A CSP as a real IdP sends one (the browser journey checks every page has one).
            start_response(
                "200 OK",
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Security-Policy", "default-src 'self'; script-src 'self'"),
                ],
            )
            return [page.encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]


def make(directory: Path, base: str = "") -> LoopbackIdP:
    """An IdP with a fresh key pair in `directory` (not serving yet)."""
    certificate, key = _new_key_pair()
    (directory / "idp.key").write_text(key)
    (directory / "idp.crt").write_text(certificate)
    return LoopbackIdP(directory, base=base)


def start(directory: Path) -> tuple[LoopbackIdP, WSGIServer, threading.Thread]:
    idp = make(directory)
    server = make_server("127.0.0.1", 0, idp, handler_class=_Quiet)
    idp.base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return idp, server, thread
