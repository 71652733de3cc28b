"""A real OpenID Connect provider for the tests: provider.mjs (node's `oidc-provider`)
started on a free loopback port, and a person's side of a sign-in driven over HTTP.

Without node or the npm package (`npm ci` installs it), the tests that need it are skipped
with one clear reason; CI sets TANDEM_REQUIRE_BROWSER=1, which turns that skip into a
failure as for the browser."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import requests

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[2]
SCRIPT = HERE / "provider.mjs"
CLIENT_ID = "tandem-tests"
CLIENT_SECRET = "a-long-client-secret-for-the-tests-only"
CALLBACK_PATH = "/sso/oidc/callback/"
MISSING = "OIDC tests skipped: node or its oidc-provider package is missing (run `npm ci`)"


@dataclass
class IdP:
    """A running provider: its issuer, and its test-only control switch."""

    issuer: str
    process: subprocess.Popen[str]
    log: list[str] = field(default_factory=list)

    def misbehave(self, **settings: Any) -> None:
        """How the next tokens go wrong (provider.mjs); no arguments: back to normal."""
        response = requests.post(f"{self.issuer}/__control", data=json.dumps(settings), timeout=5)
        response.raise_for_status()

    def sign_in(self, authorize_url: str, email: str) -> str:
        """Be the person at the provider: open the authorization address, type `email`, and
        return where the provider sends the browser back (Tandem's callback, with the query)."""
        browser = requests.Session()
        url = authorize_url
        for _ in range(10):
            response = browser.get(url, allow_redirects=False, timeout=10)
            if response.status_code in (302, 303):
                url = urljoin(url, response.headers["Location"])
                if not url.startswith(self.issuer):
                    return url
                continue
            assert response.status_code == 200, (response.status_code, response.text[:300])
            assert "<form" in response.text, response.text[:300]
            response = browser.post(url, data={"email": email}, allow_redirects=False, timeout=10)
            assert response.status_code in (302, 303), (response.status_code, response.text[:300])
            url = urljoin(url, response.headers["Location"])
            if not url.startswith(self.issuer):
                return url
        raise AssertionError(f"the provider never sent the browser back (last: {url})")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _available() -> bool:
    return bool(shutil.which("node")) and (REPO_ROOT / "node_modules" / "oidc-provider").is_dir()


def require_provider() -> None:
    if not _available():
        if os.environ.get("TANDEM_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}:
            pytest.fail(f"{MISSING}, and TANDEM_REQUIRE_BROWSER=1 is set", pytrace=False)
        pytest.skip(MISSING)


@contextmanager
def running_provider(*redirect_uris: str, **extra_env: str) -> Iterator[IdP]:
    """provider.mjs on a free loopback port, stopped afterwards."""
    require_provider()
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URIS": ",".join(redirect_uris),
        **extra_env,
    }
    process = subprocess.Popen(  # noqa: S603 (our own script, with node)
        [shutil.which("node") or "node", str(SCRIPT)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    idp = IdP(issuer=f"http://127.0.0.1:{port}", process=process)
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                break
            idp.log.append(line)
            if line.startswith("ready "):
                break
        else:
            raise AssertionError("the OIDC provider did not start in 30 s")
        if process.poll() is not None:
            raise AssertionError("the OIDC provider stopped:\n" + "".join(idp.log))
        # Keep reading what it prints, so a full pipe never blocks it.
        threading.Thread(target=lambda: idp.log.extend(process.stdout or []), daemon=True).start()
        yield idp
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
