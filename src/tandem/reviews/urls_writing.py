"""Review pages: writing (see views_writing.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
