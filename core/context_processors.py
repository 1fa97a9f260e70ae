from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.permissions import has_perm

# Sections with a sub-menu of their own, shown on each of their pages:
# (url name, label, path prefixes). The entry with the longest matching prefix is current.
PORTFOLIO = [
    ("portfolio:board", _("Project board"), ("/projekttavle/",)),
    ("portfolio:project_list", _("Projects"), ("/projekter/",)),
    ("portfolio:risk_list", _("Risks"), ("/risici/",)),
    ("benefits:benefit_overview", _("Benefits"), ("/gevinster/",)),
    ("pack:pack_choose", _("Steering group pack"), ("/portefoelje/",)),
]
PLANNING = [
    ("planning:plan_list", _("Action plans"), ("/indsatsplaner/",)),
    ("planning:wheel", _("Annual wheel"), ("/aarshjul/",)),
    ("planning:proposal_list", _("Proposals"), ("/forslag/",)),
    ("strategy:strategy_list", _("Strategies"), ("/strategi/",)),
    ("planning:health", _("Governance health"), ("/styringssundhed/",)),
]
SECTIONS = [(_("Portfolio"), PORTFOLIO), (_("Planning"), PLANNING)]


def _prefixes(entries) -> tuple[str, ...]:
    return tuple(prefix for *_, prefixes in entries for prefix in prefixes)


NAVIGATION = [
    ("home", _("Overview"), ()),
    ("organisation:body_list", _("Bodies"), ("/organer/",)),
    ("meetings:meeting_list", _("Meetings"), ("/moeder/",)),
    ("meetings:case_list", _("Cases"), ("/sager/",)),
    ("meetings:decision_list", _("Decisions"), ("/beslutninger/",)),
    ("meetings:followup_list", _("Follow-ups"), ("/opfoelgninger/",)),
    ("portfolio:board", _("Portfolio"), _prefixes(PORTFOLIO)),
    ("planning:plan_list", _("Planning"), _prefixes(PLANNING)),
    ("systems:usage_list", _("IT systems"), ("/systemer/",)),
    ("organisation:person_list", _("People"), ("/personer/",)),
    ("organisation:orgunit_list", _("Organisation"), ("/enheder/",)),
    ("organisation:memo", _("Status memo"), ("/statusnotat/",)),
]


def _match(path: str, prefixes) -> int:
    """The length of the longest of `prefixes` that `path` starts with (0: none)."""
    return max((len(prefix) for prefix in prefixes if path.startswith(prefix)), default=0)


def _menu(entries, path: str) -> list[dict]:
    """The entries, each marked current when its prefix matches best (or its URL is the
    page, for an entry without prefixes)."""
    best = max((_match(path, prefixes) for *_, prefixes in entries), default=0)
    items = []
    for url_name, label, prefixes in entries:
        url = reverse(url_name)
        current = path == url if not prefixes else best > 0 and _match(path, prefixes) == best
        items.append({"url": url, "label": label, "current": current})
    return items


def navigation(request):
    """The main menu, with the current section marked, and what the user may change.

    The pages of the portfolio and of planning also get their section's sub-menu
    (`section_menu`).
    """
    path = request.path
    items = _menu(NAVIGATION, path)
    section_menu, section_label = [], ""
    for label, entries in SECTIONS:
        if _match(path, _prefixes(entries)):
            section_menu, section_label = _menu(entries, path), label
            break
    user = getattr(request, "user", None)
    if has_perm(user, "core.manage_users"):
        url = reverse("user_list")
        items.append({"url": url, "label": _("Users"), "current": path.startswith(url)})
    return {
        "navigation": items,
        "section_menu": section_menu,
        "section_menu_label": section_label,
        "can_change_organisation": has_perm(user, "organisation.change"),
        "municipality": getattr(request, "municipality", None),
        "oidc_enabled": settings.OIDC_ENABLED,
    }
