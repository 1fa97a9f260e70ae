"""The project's middleware: the tenant of each request (every query scoped to it), the
pages' language, idle sessions, the Permissions-Policy header and the request size limit."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext_noop
from django_scopes import scope


class TenantMiddleware:
    """Sets `request.municipality` from the logged-in user and activates its scope.

    Anonymous users and users without a municipality get no scope: a tenant query then
    raises rather than returning another municipality's rows.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        municipality = (
            getattr(user, "municipality", None) if user and user.is_authenticated else None
        )
        request.municipality = municipality
        if municipality is None:
            return self.get_response(request)
        with scope(municipality=municipality.pk):
            return self.get_response(request)


class DanishFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are Danish unless the user chose English (the language cookie).

    Municipal staff often run browsers that ask for English; the product is Danish, so the
    browser's Accept-Language is ignored for pages. API clients still get what they ask for.
    """

    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class IdleTimeoutMiddleware:
    """Logs a session out after `SESSION_IDLE_HOURS` without a request.

    The session's expiry (`SESSION_COOKIE_AGE`, the same hours) is pushed forward by saving
    the session, at most every `REFRESH_SECONDS`, so an active user stays logged in and a
    request costs no session write. The mark is set at login (`core.audit`'s receiver).
    """

    REFRESH_SECONDS = 300
    KEY = "_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            seen = session.get(self.KEY)
            if seen is not None and now - seen > settings.SESSION_IDLE_HOURS * 3600:
                logout(request)
            elif seen is None or now - seen > self.REFRESH_SECONDS:
                session[self.KEY] = now
        return self.get_response(request)


def mark_seen(request) -> None:
    """Called at login: the session's idle clock starts now."""
    session = getattr(request, "session", None)
    if session is not None:
        session[IdleTimeoutMiddleware.KEY] = int(time.time())


def permissions_policy(features: dict[str, list[str]]) -> str:
    """The Permissions-Policy header for {feature: allowlist}: an empty allowlist turns the
    feature off, e.g. {"camera": [], "fullscreen": ["self"]} -> "camera=(), fullscreen=(self)"."""

    def origin(value: str) -> str:
        return value if value in {"self", "*"} else f'"{value}"'

    return ", ".join(
        f"{feature}=({' '.join(origin(v) for v in allow)})" for feature, allow in features.items()
    )


class PermissionsPolicyMiddleware:
    """Sets the Permissions-Policy header of every answer from `settings.PERMISSIONS_POLICY`
    (Django has no setting of its own for it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        header = permissions_policy(getattr(settings, "PERMISSIONS_POLICY", {}))
        if header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = header
        return response


class RequestSizeLimitMiddleware:
    """Refuses a request larger than `settings.MAX_REQUEST_MB` before anything reads its body.

    The size is the Content-Length the client states: over the limit answers 413 without
    reading a byte. A body without a length (Transfer-Encoding: chunked) answers 411: Django
    would read it as empty anyway, and its size cannot be known without reading it. The
    reverse proxy limits the body as well (client_max_body_size, README).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = request.META.get("CONTENT_LENGTH")
        if length:
            try:
                size = int(length)
            except ValueError:
                size = 0  # Django reads a malformed length as no body
            if size > settings.MAX_REQUEST_MB * 1024 * 1024:
                return self._refuse(
                    request,
                    413,
                    gettext_noop("The request is too large: at most %(max)d MB can be sent."),
                )
        elif "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return self._refuse(
                request, 411, gettext_noop("The request must state its length (Content-Length).")
            )
        return self.get_response(request)

    @staticmethod
    def _refuse(request, status: int, message: str) -> HttpResponse:
        """The refusal as plain text in the language of the pages (Danish unless the user
        chose English, as `DanishFirstLocaleMiddleware`, which has not run yet)."""
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        with translation.override(language):
            text = translation.gettext(message) % {"max": settings.MAX_REQUEST_MB}
        return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
