"""A URL configuration for tests only (core/tests/test_error_pages.py): the app's URLs and two
views that fail, for the 400 and 500 pages. Not part of the real URL configuration."""

from django.core.exceptions import SuspiciousOperation
from django.urls import path

from digistyr.urls import urlpatterns as app_urlpatterns


def bad_request(request):
    raise SuspiciousOperation("test")


def server_error(request):
    raise RuntimeError("test")


urlpatterns = [
    path("test-fejl/400/", bad_request),
    path("test-fejl/500/", server_error),
    *app_urlpatterns,
]
