"""The request as digistyr's middleware leaves it, for type checking: views annotate
`request: TenantRequest` where they read the municipality or the htmx details."""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from core.models import Municipality, User


class TenantRequest(HttpRequest):
    # Set by core.middleware.TenantMiddleware (None for anonymous users and users of no
    # municipality) and by core.api.TenantViewSetMixin for API tokens.
    municipality: "Municipality | None"
    htmx: "HtmxDetails"
    user: "User"
