"""Secrets at rest (core/encryption.py): sealed values read as noise, open only for their
purpose and key, and refuse tampering."""

from __future__ import annotations

import pytest

from tandem.core.encryption import Unreadable, seal, unseal


def test_a_sealed_value_opens_for_its_purpose():
    sealed = seal("https://hooks.slack.com/services/T/B/C", purpose="a")
    assert "slack" not in sealed
    assert unseal(sealed, purpose="a") == "https://hooks.slack.com/services/T/B/C"


def test_sealing_twice_gives_different_values():
    assert seal("same", purpose="a") != seal("same", purpose="a")


def test_a_value_sealed_for_another_purpose_does_not_open():
    with pytest.raises(Unreadable):
        unseal(seal("x", purpose="a"), purpose="b")


def test_a_changed_value_does_not_open():
    sealed = seal("secret", purpose="a")
    flipped = sealed[:20] + ("A" if sealed[20] != "A" else "B") + sealed[21:]
    with pytest.raises(Unreadable):
        unseal(flipped, purpose="a")


@pytest.mark.parametrize("junk", ["", "not base64 !!", "AAAA"])
def test_junk_does_not_open(junk):
    with pytest.raises(Unreadable):
        unseal(junk, purpose="a")


def test_the_encryption_key_setting_takes_precedence_over_the_secret_key(settings):
    sealed = seal("x", purpose="a")
    settings.ENCRYPTION_KEY = "k" * 40
    with pytest.raises(Unreadable):
        unseal(sealed, purpose="a")
    assert unseal(seal("x", purpose="a"), purpose="a") == "x"
