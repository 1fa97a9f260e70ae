"""The answer to a login attempt that django-axes has locked out (`AXES_LOCKOUT_CALLABLE`)."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

STATUS = 429


def message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "Too many failed logins: this username is locked from your address for "
        "%(minutes)s minutes. Wait, or ask an administrator to reset your password."
    ) % {"minutes": minutes}


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """429 with a Danish message: JSON for the API, the login page for people."""
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message()}, status=STATUS)
    else:
        # Unbound: validating the posted form would try the password once more.
        form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
        context = {"form": form, "next": "", "lockout": message()}
        response = render(request, "registration/login.html", context, status=STATUS)
    response["Retry-After"] = retry_after
    return response
