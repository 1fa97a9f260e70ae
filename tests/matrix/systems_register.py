"""Permission-matrix entries of the register of IT systems (systems/register); see
tests/test_permissions.py for the kinds. Everyone reads the register; those who keep it
(`systems.change`: administrators and secretaries in the world, which has no data protection
officer or IT security group) change it."""


def _change(obj, key):
    return ("change", obj, lambda t: {"pk": getattr(t, obj).pk}, "systems.change")


MATRIX: dict = {
    "systems:usage_list": ("read", None, lambda t: {}, "core.view"),
    "systems:usage_list_xlsx": ("read", None, lambda t: {}, "core.view"),
    "systems:usage_detail": ("read", "usage", lambda t: {"pk": t.usage.pk}, "core.view"),
    "systems:usage_create": ("change", None, lambda t: {}, "systems.change"),
    "systems:usage_edit": _change("usage", "pk"),
    "systems:duty_escalate": _change("usage", "pk"),
    "systems:contract_create": _change("usage", "pk"),
    "systems:contract_edit": _change("contract", "pk"),
    "systems:agreement_create": _change("usage", "pk"),
    "systems:agreement_edit": _change("agreement", "pk"),
    "systems:supervision_create": _change("agreement", "pk"),
    "systems:assessment_create": _change("usage", "pk"),
    "systems:assessment_edit": _change("assessment", "pk"),
    "systems:assessment_document": _change("assessment", "pk"),
    "systems:project_link_create": _change("usage", "pk"),
    "systems:project_link_edit": _change("system_link", "pk"),
}
SHOWS_OWN_DATA: set[str] = {"systems:usage_list", "systems:usage_detail"}
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()


def _history(kind: str, obj):
    return lambda t: ("organisation:history", {"kind": kind, "pk": obj(t).pk})


QUERY_PAGES: dict = {
    "usage_list": lambda t: ("systems:usage_list", {}),
    "usage_list_flagged": lambda t: ("systems:usage_list", {}, "?flag=ja&kritikalitet=critical"),
    "usage_list_xlsx": lambda t: ("systems:usage_list_xlsx", {}),
    "usage_detail": lambda t: ("systems:usage_detail", {"pk": t.usage.pk}),
    "usage_edit": lambda t: ("systems:usage_edit", {"pk": t.usage.pk}),
    "contract_edit": lambda t: ("systems:contract_edit", {"pk": t.contract.pk}),
    "agreement_edit": lambda t: ("systems:agreement_edit", {"pk": t.agreement.pk}),
    "duty_escalate": lambda t: ("systems:duty_escalate", {"pk": t.usage.pk}),
    "usage_history": _history("system", lambda t: t.usage),
    "contract_history": _history("kontrakt", lambda t: t.contract),
    "agreement_history": _history("databehandleraftale", lambda t: t.agreement),
}
