"""SQL queries per page: constant in the number of rows, and kept as baselines in the repo.

`tests/query_baselines.json` holds the expected count per page. A change that adds a query
shows up in review; update the file on purpose with `UPDATE_QUERY_BASELINES=1 make test`.
"""

import json
import os
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from core.models import Role
from tests.matrix import AREAS
from tests.once import once_per_module
from tests.world import build_tenant, grow

pytestmark = pytest.mark.history

BASELINES = Path(__file__).with_name("query_baselines.json")

PAGES = {
    "home": lambda t: ("home", {}),
    "body_list": lambda t: ("organisation:body_list", {}),
    "body_list_all": lambda t: ("organisation:body_list", {}, "?status=alle"),
    "body_detail": lambda t: ("organisation:body_detail", {"pk": t.body.pk}),
    "body_edit": lambda t: ("organisation:body_edit", {"pk": t.body.pk}),
    "membership_add": lambda t: ("organisation:membership_add", {"pk": t.body.pk}),
    "mandate_create": lambda t: ("organisation:mandate_create", {"pk": t.body.pk}),
    "mandate_detail": lambda t: ("organisation:mandate_detail", {"pk": t.mandate.pk}),
    "body_history": lambda t: ("organisation:history", {"kind": "organ", "pk": t.body.pk}),
    "person_list": lambda t: ("organisation:person_list", {}),
    "person_detail": lambda t: ("organisation:person_detail", {"pk": t.person.pk}),
    "orgunit_list": lambda t: ("organisation:orgunit_list", {}),
    "orgunit_detail": lambda t: ("organisation:orgunit_detail", {"pk": t.unit.pk}),
    "memo": lambda t: ("organisation:memo", {}),
    "memo_docx": lambda t: ("organisation:memo_docx", {}),
    "members_xlsx": lambda t: ("organisation:members_xlsx", {}),
    "user_list": lambda t: ("user_list", {}),
    "api_bodies": lambda t: ("body-list", {}),
    "api_persons": lambda t: ("person-list", {}),
    "api_memberships": lambda t: ("membership-list", {}),
    "api_orgunits": lambda t: ("orgunit-list", {}),
    "api_mandates": lambda t: ("mandate-list", {}),
    "api_composition": lambda t: ("body-composition", {"pk": t.body.pk}),
    # meetings
    "meeting_list": lambda t: ("meetings:meeting_list", {}),
    "meeting_detail": lambda t: ("meetings:meeting_detail", {"pk": t.meeting.pk}),
    "meeting_detail_draft": lambda t: ("meetings:meeting_detail", {"pk": t.draft_meeting.pk}),
    "meeting_edit": lambda t: ("meetings:meeting_edit", {"pk": t.draft_meeting.pk}),
    "item_edit": lambda t: ("meetings:item_edit", {"pk": t.draft_meeting.items.first().pk}),
    "attendance": lambda t: ("meetings:attendance", {"pk": t.meeting.pk}),
    "minutes_versions": lambda t: ("meetings:minutes_versions", {"pk": t.meeting.pk}),
    "meeting_history": lambda t: ("meetings:meeting_history", {"pk": t.meeting.pk}),
    "agenda_docx": lambda t: ("meetings:agenda_docx", {"pk": t.draft_meeting.pk}),
    "minutes_docx": lambda t: ("meetings:minutes_docx", {"pk": t.meeting.pk}),
    "meeting_ics": lambda t: ("meetings:meeting_ics", {"pk": t.meeting.pk}),
    "calendar_links": lambda t: ("meetings:calendar_links", {}),
    "case_list": lambda t: ("meetings:case_list", {}),
    "case_detail": lambda t: ("meetings:case_detail", {"pk": t.case.pk}),
    "decision_list": lambda t: ("meetings:decision_list", {}),
    "decision_search": lambda t: ("meetings:decision_list", {}, "?q=beslutning"),
    "decision_xlsx": lambda t: ("meetings:decision_xlsx", {}),
    "followup_list": lambda t: ("meetings:followup_list", {}, "?status=all"),
    "my_followups": lambda t: ("meetings:my_followups", {}),
    "attachment_edit": lambda t: ("meetings:attachment_edit", {"pk": t.open_attachment.pk}),
    "api_meetings": lambda t: ("meeting-list", {}),
    "api_meeting_agenda": lambda t: ("meeting-agenda", {"pk": t.draft_meeting.pk}),
    "api_items": lambda t: ("agendaitem-list", {}),
    "api_cases": lambda t: ("case-list", {}),
    "api_attachments": lambda t: ("attachment-list", {}),
    "api_followups": lambda t: ("followup-list", {}),
    "api_decisions": lambda t: ("decision-list", {}),
    "api_decision_search": lambda t: ("decision-list", {}, "?q=beslutning"),
}

for _area in AREAS:
    _extra = getattr(_area, "QUERY_PAGES", {})
    assert not PAGES.keys() & _extra.keys(), (
        f"Query pages named twice: {PAGES.keys() & _extra.keys()}"
    )
    PAGES.update(_extra)


def count_queries(client, tenant, page) -> int:
    with scope(municipality=tenant.municipality.pk):
        name, kwargs, *query = PAGES[page](tenant)
        url = reverse(name, kwargs=kwargs) + (query[0] if query else "")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@once_per_module
def tenant():
    return build_tenant("Norddjurs Kommune")


def test_queries_are_constant_and_match_the_baselines(client, tenant):
    client.force_login(tenant.users[Role.ADMINISTRATOR])
    small = {page: count_queries(client, tenant, page) for page in PAGES}
    with scopes_disabled():
        grow(tenant, 12)
    large = {page: count_queries(client, tenant, page) for page in PAGES}
    growing = {p: (small[p], large[p]) for p in PAGES if small[p] != large[p]}
    assert not growing, f"Queries grow with the rows (small, large): {growing}"

    if os.environ.get("UPDATE_QUERY_BASELINES"):
        BASELINES.write_text(json.dumps(large, indent=2, sort_keys=True) + "\n")
    baselines = json.loads(BASELINES.read_text())
    assert set(baselines) == set(PAGES), "query_baselines.json and PAGES disagree"
    changed = {p: (baselines[p], large[p]) for p in PAGES if baselines[p] != large[p]}
    assert not changed, f"Query counts changed (baseline, now): {changed}"
