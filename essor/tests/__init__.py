"""Tests of the whole site (every page, the settings): on top of every app, like essor/urls.py."""
