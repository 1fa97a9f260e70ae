"""The user's own reminder settings: per kind, at once, in the weekly digest, or none."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.http import TenantRequest
from core.permissions import permission_required
from core.responses import invalid_status
from reminders import services
from reminders.forms import ReminderSettingsForm


@permission_required("reminders.change_own_settings")
def reminder_settings(request: TenantRequest) -> HttpResponse:
    form = ReminderSettingsForm(
        request.POST or None, initial_choices=services.settings_for(request.user)
    )
    if request.method == "POST" and form.is_valid():
        services.save_settings(request.user, form.cleaned_data)
        messages.success(request, _("Your reminder settings were saved."))
        return redirect("reminders:settings")
    return render(
        request,
        "reminders/settings.html",
        {"form": form, "email": request.user.email},
        status=invalid_status(request) if request.method == "POST" else 200,
    )
