"""Review pages: nominations (see views_nominations.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
