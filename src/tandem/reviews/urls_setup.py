"""Review pages: setup (see views_setup.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
