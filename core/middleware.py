"""Resolve the tenant once per request and scope every query in it."""

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
        municipality = getattr(user, "municipality", None) if user and user.is_authenticated else None
        request.municipality = municipality
        if municipality is None:
            return self.get_response(request)
        with scope(municipality=municipality.pk):
            return self.get_response(request)
