"""What the platform keeps for itself: the installation's own random secrets."""

from __future__ import annotations

from django.db import models


class InstanceSecret(models.Model):
    """A random secret this installation generated for itself on first start, kept in the
    database so that every server of a deployment shares it (a file under var/ would not be
    shared). Never derived from SECRET_KEY, never a constant in the code; an operator may
    instead give it in the environment (docs/configuration.md), and then no row is used."""

    name = models.CharField(max_length=60, unique=True)
    value = models.CharField(max_length=200)

    def __str__(self) -> str:
        # Never the value: this label could end up in a log or the admin.
        return f"Secret “{self.name}”"
