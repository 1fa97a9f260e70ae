"""The security headers of every answer and the request size limit (core.middleware).

That every URL of the app carries the headers is asserted by the permission matrix
(tests/test_permissions.py, `assert_security_headers`); the browser tests run every page they
show under the policy (tests/browser/conftest.py, tests/browser/test_csp.py).
"""

import pytest
from django.conf import settings

from core.middleware import permissions_policy

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args, **kwargs):
        raise AssertionError("the body was read")

    readline = read

    def __iter__(self):
        raise AssertionError("the body was read")


def post_claiming(client, size: int, **extra):
    """A POST to the login page that claims `size` bytes and has none to give."""
    return client.generic(
        "POST",
        "/konto/login/",
        content_type="application/x-www-form-urlencoded",
        **{"wsgi.input": UnreadableBody(), "CONTENT_LENGTH": str(size), **extra},
    )


def test_the_headers_of_a_page(client):
    response = client.get("/konto/login/")
    assert response.status_code == 200
    policy = dict(part.split(" ", 1) for part in response["Content-Security-Policy"].split("; "))
    assert policy == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    assert response["Permissions-Policy"] == (
        "accelerometer=(), browsing-topics=(), camera=(), display-capture=(), geolocation=(), "
        "gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
    )
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_permissions_policy_header():
    assert permissions_policy({}) == ""
    assert permissions_policy(
        {"camera": [], "fullscreen": ["self"], "payment": ["self", "https://pay.example"]}
    ) == ('camera=(), fullscreen=(self), payment=(self "https://pay.example")')


def test_the_request_cap_leaves_room_for_the_largest_attachment():
    assert settings.MAX_REQUEST_MB > settings.ATTACHMENT_MAX_MB
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 5 * MB
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 1000


@pytest.mark.parametrize("size", [10**12, 31 * MB, 30 * MB + 1])
def test_a_request_over_the_cap_is_refused_unread(client, settings, size):
    settings.MAX_REQUEST_MB = 30
    response = post_claiming(client, size)
    assert response.status_code == 413
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "Forespørgslen er for stor: der kan højst sendes 30 MB."
    # The refusal is an answer like any other: it carries the security headers.
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


def test_the_refusal_follows_the_chosen_language(client, settings):
    settings.MAX_REQUEST_MB = 30
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = post_claiming(client, 31 * MB)
    assert response.status_code == 413
    assert response.content.decode() == "The request is too large: at most 30 MB can be sent."


def test_a_request_at_the_cap_goes_on(client, settings):
    """Exactly the cap is allowed: the request reaches the view (which reads the body)."""
    settings.MAX_REQUEST_MB = 1
    body = b"username=x&password=" + b"y" * (MB - len(b"username=x&password="))
    assert len(body) == MB
    response = client.generic(
        "POST", "/konto/login/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code != 413
    assert response.status_code in {200, 403}  # the form again, or the CSRF refusal


def test_a_body_without_a_length_is_refused_unread(client):
    response = client.generic(
        "POST",
        "/konto/login/",
        **{"wsgi.input": UnreadableBody(), "HTTP_TRANSFER_ENCODING": "chunked"},
    )
    assert response.status_code == 411
    assert "Content-Length" in response.content.decode()
    assert response.content.decode().startswith("Forespørgslen skal oplyse sin længde")


def test_ordinary_requests_pass(client):
    assert client.get("/konto/login/").status_code == 200
    response = client.post("/konto/login/", {"username": "x", "password": "y"})
    assert response.status_code == 200  # the form again, with its error
