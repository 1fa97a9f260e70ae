"""Resolve the tenant once per request and scope every query in it."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
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
