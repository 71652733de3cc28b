"""Review pages: running (see views_running.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
