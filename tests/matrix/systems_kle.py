"""Permission-matrix entries of the KLE catalogue, its import and the KLE numbers of a
system usage and of a case; see tests/test_permissions.py for the kinds. The catalogue is
national: everyone reads it, an administrator imports (`systems.import_kle`); the upload
kept for the summary is the administrator's municipality's (another's is 404)."""


def _kle(t):
    """A small catalogue (shared), made as needed."""
    from tests import factories

    return factories.kle("17.01.00", "Biblioteker i almindelighed")


def _usage(t) -> dict:
    """The own municipality's system usage (the world has none), with a KLE number."""
    from systems.models import SystemUsage
    from tests import factories

    usage = SystemUsage.objects.filter(system__name="KLE-matrix system").first()
    if usage is None:
        usage = factories.system_usage(t.municipality, "KLE-matrix system")
        usage.kle_codes.add(_kle(t))
    return {"pk": usage.pk}


def _case(t) -> dict:
    from systems.models import CaseTask

    CaseTask.objects.get_or_create(case=t.case, code=_kle(t))
    return {"pk": t.case.pk}


def _upload(t) -> dict:
    """A valid emneplan kept for the own municipality (its token)."""
    from systems.kle.tests.emneplan import emneplan
    from systems.kle.views import store

    return {"token": store(emneplan(), t.municipality.pk)}


def _code(t) -> dict:
    return {"pk": _kle(t).pk}


MATRIX = {
    "systems:kle_catalogue": ("read", None, lambda t: {}, "core.view"),
    "systems:kle_import": ("manage", None, lambda t: {}, "systems.import_kle"),
    "systems:kle_import_preview": ("manage", "upload", _upload, "systems.import_kle"),
    "systems:usage_kle": ("change", "usage", _usage, "systems.change"),
    "systems:case_kle": ("change", "case", _case, "meetings.change_cases"),
    "klecode-list": ("api", None, lambda t: {}, "systems.change"),
    "klecode-detail": ("api", None, _code, "systems.change"),
}
SHOWS_OWN_DATA: set[str] = {"systems:case_kle"}
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
QUERY_PAGES: dict = {
    "kle_catalogue": lambda t: ("systems:kle_catalogue", {}, "?q=bibliotek"),
    "kle_usage": lambda t: ("systems:usage_kle", _usage(t), "?q=17"),
    "kle_case": lambda t: ("systems:case_kle", _case(t), "?q=17"),
    "api_kle_codes": lambda t: ("klecode-list", {}, "?q=17"),
}
