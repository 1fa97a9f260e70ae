"""Planning's URLs are collected from its domains (`planning/<domain>/urls.py` and `api.py`)
into the one "planning" namespace and the API router, each name at the path it has always
had: links, bookmarks and API clients keep working."""

from planning import urls

PAGES = {
    "proposal_list": "forslag/",
    "proposal_create": "forslag/nyt/",
    "proposal_detail": "forslag/<int:pk>/",
    "proposal_edit": "forslag/<int:pk>/rediger/",
    "proposal_status": "forslag/<int:pk>/status/",
    "proposal_make_project": "forslag/<int:pk>/projekt/",
    "plan_list": "indsatsplaner/",
    "plan_create": "indsatsplaner/ny/",
    "plan_detail": "indsatsplaner/<int:pk>/",
    "plan_edit": "indsatsplaner/<int:pk>/rediger/",
    "plan_criteria": "indsatsplaner/<int:pk>/kriterier/",
    "plan_scores": "indsatsplaner/<int:pk>/scoring/",
    "entry_create": "indsatsplaner/<int:pk>/indsatser/ny/",
    "plan_recommend": "indsatsplaner/<int:pk>/anbefal/",
    "plan_approve": "indsatsplaner/<int:pk>/godkend/",
    "plan_reopen": "indsatsplaner/<int:pk>/genaabn/",
    "plan_pdf": "indsatsplaner/<int:pk>/pdf/",
    "plan_docx": "indsatsplaner/<int:pk>/docx/",
    "plan_history": "indsatsplaner/<int:pk>/historik/",
    "entry_edit": "indsatsplaner/indsatser/<int:pk>/rediger/",
    "entry_delete": "indsatsplaner/indsatser/<int:pk>/slet/",
    "entry_rank": "indsatsplaner/indsatser/<int:pk>/rang/",
    "entry_progress": "indsatsplaner/indsatser/<int:pk>/fremdrift/",
    "wheel": "aarshjul/",
    "wheel_ics": "aarshjul/aarshjul.ics",
    "wheel_pdf": "aarshjul/aarshjul.pdf",
    "wheel_settings": "aarshjul/indstillinger/",
    "activity_list": "aarshjul/aktiviteter/",
    "activity_create": "aarshjul/aktiviteter/ny/",
    "activity_preview": "aarshjul/aktiviteter/datoer/",
    "activity_detail": "aarshjul/aktiviteter/<int:pk>/",
    "activity_edit": "aarshjul/aktiviteter/<int:pk>/rediger/",
    "activity_delete": "aarshjul/aktiviteter/<int:pk>/slet/",
    "health": "styringssundhed/",
    "proposal_list_xlsx": "forslag/xlsx/",
    "plan_list_xlsx": "indsatsplaner/xlsx/",
    "plan_entries_xlsx": "indsatsplaner/<int:pk>/xlsx/",
    "activity_list_xlsx": "aarshjul/aktiviteter/xlsx/",
    "activity_review": "aarshjul/aktiviteter/<int:pk>/gennemgang/",
    "decision_trace": "beslutninger/<int:pk>/spor/",
    "body_decisions": "organer/<int:pk>/beslutninger/",
    "body_decisions_xlsx": "organer/<int:pk>/beslutninger.xlsx",
}

DOMAINS = {"proposals", "plans", "wheel", "health"}
# The forward trace of decisions has pages only, no API.
PAGE_DOMAINS = DOMAINS | {"trace"}


def test_every_page_keeps_its_name_and_path():
    assert urls.app_name == "planning"
    assert {p.name: str(p.pattern) for p in urls.urlpatterns} == PAGES
    assert len(urls.urlpatterns) == len(PAGES)


def test_each_page_is_a_view_of_its_domain():
    for pattern in urls.urlpatterns:
        module = pattern.callback.__module__
        app, domain, name = module.split(".")
        assert (app, name) == ("planning", "views") and domain in PAGE_DOMAINS, module


def test_the_api_collects_every_domain():
    from planning import api

    class Router:
        def __init__(self):
            self.basenames = {}

        def register(self, prefix, viewset, basename):
            self.basenames[basename] = (prefix, viewset.__module__)

    router = Router()
    api.register(router)
    assert {b: prefix for b, (prefix, _module) in router.basenames.items()} == {
        "proposal": "proposals",
        "annualplan": "annual-plans",
        "plancriterion": "plan-criteria",
        "planentry": "plan-entries",
        "planscore": "plan-scores",
        "wheelactivity": "wheel-activities",
        "wheel": "wheel",
        "governance-health": "governance-health",
    }
    assert {module.split(".")[1] for _prefix, module in router.basenames.values()} == DOMAINS
