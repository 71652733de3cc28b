"""The shared display of what an identity provider sent, for IT's "Test sign-in" (OIDC and
SAML)."""

from __future__ import annotations

from tandem.integrations.sign_in_check import MAX_SHOWN, values_for_display


def test_saml_attribute_values_are_joined_with_commas_and_sorted_by_name() -> None:
    shown = values_for_display({"mail": ["a@example.com"], "groups": ["staff", "it"]})
    assert shown == [("groups", "staff, it"), ("mail", "a@example.com")]


def test_oidc_claims_that_are_not_text_are_shown_as_json() -> None:
    assert values_for_display({"email_verified": True, "roles": [1, 2]}) == [
        ("email_verified", "true"),
        ("roles", "[1, 2]"),
    ]


def test_a_long_value_is_cut_with_an_ellipsis() -> None:
    [(_, value)] = values_for_display({"note": "x" * (MAX_SHOWN + 50)})
    assert len(value) == MAX_SHOWN
    assert value.endswith("…")
