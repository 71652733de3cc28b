from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integrations.saml import idp as test_idp


@pytest.fixture(scope="session")
def idp_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[test_idp.LoopbackIdP]:
    """A real pysaml2 IdP on a loopback port for the whole run (its key made in tmp)."""
    directory: Path = tmp_path_factory.mktemp("saml-idp")
    idp, server, thread = test_idp.start(directory)
    yield idp
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def idp(idp_server: test_idp.LoopbackIdP) -> Iterator[test_idp.LoopbackIdP]:
    """The IdP, reset between tests (no variant)."""
    idp_server.variant = ""
    idp_server.tamper_to = ""
    idp_server.sp_metadata = ""
    idp_server.responses.clear()
    yield idp_server
    idp_server.variant = ""
