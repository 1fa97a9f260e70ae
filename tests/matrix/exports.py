"""Permission-matrix entries for the Excel exports of the list pages and the full export of a
municipality; see tests/test_permissions.py for the kinds. A workbook is compressed, so the
canary checks of the matrix cannot read it: tests/test_exports.py reads the files back."""

MATRIX = {
    "organisation:orgunit_list_xlsx": ("read", None, lambda t: {}, "core.view"),
    "organisation:person_list_xlsx": ("read", None, lambda t: {}, "core.view"),
    "organisation:body_list_xlsx": ("read", None, lambda t: {}, "core.view"),
    "meetings:meeting_list_xlsx": ("read", None, lambda t: {}, "core.view"),
    "meetings:case_list_xlsx": ("read", None, lambda t: {}, "core.view"),
    "meetings:followup_list_xlsx": ("read", None, lambda t: {}, "core.view"),
    "meetings:my_followups_xlsx": ("read", None, lambda t: {}, "core.view"),
    "planning:proposal_list_xlsx": ("read", None, lambda t: {}, "core.view"),
    "planning:plan_list_xlsx": ("read", None, lambda t: {}, "core.view"),
    "planning:plan_entries_xlsx": ("read", "plan", lambda t: {"pk": t.plan.pk}, "core.view"),
    "planning:activity_list_xlsx": ("read", None, lambda t: {}, "core.view"),
    "strategy:strategy_list_xlsx": ("read", None, lambda t: {}, "core.view"),
    "user_list_xlsx": ("manage", None, lambda t: {}, "core.manage_users"),
    "full_export": ("manage", None, lambda t: {}, "core.manage_municipality"),
}
SHOWS_OWN_DATA: set[str] = set()
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
QUERY_PAGES = {
    "orgunit_list_xlsx": lambda t: ("organisation:orgunit_list_xlsx", {}),
    "person_list_xlsx": lambda t: ("organisation:person_list_xlsx", {}),
    "body_list_xlsx": lambda t: ("organisation:body_list_xlsx", {}, "?status=alle"),
    "meeting_list_xlsx": lambda t: ("meetings:meeting_list_xlsx", {}),
    "case_list_xlsx": lambda t: ("meetings:case_list_xlsx", {}, "?status=all"),
    "followup_list_xlsx": lambda t: ("meetings:followup_list_xlsx", {}, "?status=all"),
    "my_followups_xlsx": lambda t: ("meetings:my_followups_xlsx", {}),
    "proposal_list_xlsx": lambda t: ("planning:proposal_list_xlsx", {}),
    "plan_list_xlsx": lambda t: ("planning:plan_list_xlsx", {}),
    "plan_entries_xlsx": lambda t: ("planning:plan_entries_xlsx", {"pk": t.plan.pk}),
    "activity_list_xlsx": lambda t: ("planning:activity_list_xlsx", {}),
    "strategy_list_xlsx": lambda t: ("strategy:strategy_list_xlsx", {}),
    "user_list_xlsx": lambda t: ("user_list_xlsx", {}),
    "full_export": lambda t: ("full_export", {}),
}
