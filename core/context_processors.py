from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.permissions import has_perm

# The portfolio's pages, shown as a sub-menu on each of them: (url name, label, path prefixes).
PORTFOLIO = [
    ("portfolio:board", _("Project board"), ("/projekttavle/",)),
    ("portfolio:project_list", _("Projects"), ("/projekter/",)),
    ("portfolio:risk_list", _("Risks"), ("/risici/",)),
    ("benefits:benefit_overview", _("Benefits"), ("/gevinster/",)),
    ("portfolio:pack_choose", _("Steering group pack"), ("/portefoelje/",)),
]
PORTFOLIO_PREFIXES = tuple(prefix for *_, prefixes in PORTFOLIO for prefix in prefixes)

NAVIGATION = [
    ("home", _("Overview"), ()),
    ("organisation:body_list", _("Bodies"), ("/organer/",)),
    ("meetings:meeting_list", _("Meetings"), ("/moeder/",)),
    ("meetings:case_list", _("Cases"), ("/sager/",)),
    ("meetings:decision_list", _("Decisions"), ("/beslutninger/",)),
    ("meetings:followup_list", _("Follow-ups"), ("/opfoelgninger/",)),
    ("portfolio:board", _("Portfolio"), PORTFOLIO_PREFIXES),
    ("organisation:person_list", _("People"), ("/personer/",)),
    ("organisation:orgunit_list", _("Organisation"), ("/enheder/",)),
    ("organisation:memo", _("Status memo"), ("/statusnotat/",)),
]


def _menu(entries, path: str) -> list[dict]:
    items = []
    for url_name, label, prefixes in entries:
        url = reverse(url_name)
        current = path == url if not prefixes else path.startswith(prefixes)
        items.append({"url": url, "label": label, "current": current})
    return items


def navigation(request):
    """The main menu, with the current section marked, and what the user may change.

    The pages of the portfolio also get its sub-menu (`section_menu`).
    """
    path = request.path
    items = _menu(NAVIGATION, path)
    section_menu = _menu(PORTFOLIO, path) if path.startswith(PORTFOLIO_PREFIXES) else []
    user = getattr(request, "user", None)
    if has_perm(user, "users.manage"):
        url = reverse("user_list")
        items.append(
            {"url": url, "label": _("Users"), "current": path.startswith(url)}
        )
    return {
        "navigation": items,
        "section_menu": section_menu,
        "section_menu_label": _("Portfolio"),
        "can_change_organisation": has_perm(user, "organisation.change"),
        "municipality": getattr(request, "municipality", None),
        "oidc_enabled": settings.OIDC_ENABLED,
    }
