from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.permissions import has_perm

NAVIGATION = [
    ("home", _("Overview"), ""),
    ("organisation:body_list", _("Bodies"), "/organer/"),
    ("meetings:meeting_list", _("Meetings"), "/moeder/"),
    ("meetings:case_list", _("Cases"), "/sager/"),
    ("meetings:decision_list", _("Decisions"), "/beslutninger/"),
    ("meetings:followup_list", _("Follow-ups"), "/opfoelgninger/"),
    ("organisation:person_list", _("People"), "/personer/"),
    ("organisation:orgunit_list", _("Organisation"), "/enheder/"),
    ("organisation:memo", _("Status memo"), "/statusnotat/"),
]


def navigation(request):
    """The main menu, with the current section marked, and what the user may change."""
    path = request.path
    items = []
    for url_name, label, prefix in NAVIGATION:
        url = reverse(url_name)
        current = path == url if not prefix else path.startswith(prefix)
        items.append({"url": url, "label": label, "current": current})
    user = getattr(request, "user", None)
    if has_perm(user, "users.manage"):
        url = reverse("user_list")
        items.append(
            {"url": url, "label": _("Users"), "current": path.startswith(url)}
        )
    return {
        "navigation": items,
        "can_change_organisation": has_perm(user, "organisation.change"),
        "municipality": getattr(request, "municipality", None),
        "oidc_enabled": settings.OIDC_ENABLED,
    }
