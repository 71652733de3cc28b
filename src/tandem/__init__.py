"""Tandem: performance management that helps people grow."""

__version__ = "0.1.0"
