"""Permission-matrix entries of the register's API (systems/register/api.py); see
tests/test_permissions.py for the kinds. Everyone of the municipality reads the register;
those who keep it (`systems.change`: administrators and secretaries in the world, which has
no data protection officer or IT security group) write it. The world's rows are those of
`tests.world.add_register`; its supplier is the contract's, its system the usage's."""

WRITE = "systems.change"


def _detail(obj, pk):
    return ("api", obj, lambda t: {"pk": pk(t)}, WRITE)


MATRIX: dict = {
    "supplier-list": ("api", None, lambda t: {}, WRITE),
    "supplier-detail": _detail("contract", lambda t: t.contract.supplier_id),
    "system-list": ("api", None, lambda t: {}, WRITE),
    "system-detail": _detail("usage", lambda t: t.usage.system_id),
    "systemusage-list": ("api", None, lambda t: {}, WRITE),
    "systemusage-detail": _detail("usage", lambda t: t.usage.pk),
    "systemproject-list": ("api", None, lambda t: {}, WRITE),
    "systemproject-detail": _detail("system_link", lambda t: t.system_link.pk),
    "contract-list": ("api", None, lambda t: {}, WRITE),
    "contract-detail": _detail("contract", lambda t: t.contract.pk),
    "dataprocessingagreement-list": ("api", None, lambda t: {}, WRITE),
    "dataprocessingagreement-detail": _detail("agreement", lambda t: t.agreement.pk),
    "supervision-list": ("api", None, lambda t: {}, WRITE),
    "supervision-detail": _detail("supervision", lambda t: t.supervision.pk),
    "assessment-list": ("api", None, lambda t: {}, WRITE),
    "assessment-detail": _detail("assessment", lambda t: t.assessment.pk),
}
# The link of a system to a project carries no text of its own.
SHOWS_OWN_DATA: set[str] = set(MATRIX) - {"systemproject-list", "systemproject-detail"}
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()

QUERY_PAGES: dict = {
    "api_suppliers": lambda t: ("supplier-list", {}),
    "api_systems": lambda t: ("system-list", {}),
    "api_system_usages": lambda t: ("systemusage-list", {}),
    "api_system_usages_filtered": lambda t: (
        "systemusage-list",
        {},
        f"?q=system&hosting=external&body={t.body.pk}",
    ),
    "api_system_usage_detail": lambda t: ("systemusage-detail", {"pk": t.usage.pk}),
    "api_system_projects": lambda t: ("systemproject-list", {}),
    "api_contracts": lambda t: ("contract-list", {}),
    "api_agreements": lambda t: ("dataprocessingagreement-list", {}),
    "api_supervisions": lambda t: ("supervision-list", {}),
    "api_assessments": lambda t: ("assessment-list", {}),
}
