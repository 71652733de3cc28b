"""The anonymity key of a deployment: generated per server unless given, and said so."""

from __future__ import annotations

from tandem.core.anonymity import check_anonymity_key


def test_deploy_check_warns_that_a_generated_key_serves_one_server(settings) -> None:
    settings.ANONYMITY_KEY = ""

    [warning] = check_anonymity_key()

    assert warning.id == "tandem.W001"
    assert "TANDEM_ANONYMITY_KEY" in warning.msg


def test_deploy_check_is_quiet_when_the_key_is_given(settings) -> None:
    settings.ANONYMITY_KEY = "k" * 48

    assert check_anonymity_key() == []
