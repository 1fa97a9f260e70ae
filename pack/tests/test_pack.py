"""The steering-group pack: what it gathers, the PDF and DOCX read back, who sees it, and
attaching it to a meeting's agenda."""

import datetime
import io
import re
import subprocess

import docx
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from docx.oxml.ns import qn
from docx.table import Table

from core.models import Role
from meetings.models import AgendaItem, Attachment, ItemKind, MeetingState
from pack import documents as pack_documents
from pack import services as packs
from portfolio.models import Colour, Phase, RiskStatus, StatusReport
from portfolio.services import change_phase, file_status_report
from tests import factories
from tests.once import once_per_module
from tests.world import build_tenant, grow

pytestmark = pytest.mark.django_db

PREVIOUS = datetime.date(2024, 5, 15)  # the world's meeting: the previous one of the draft's


@once_per_module
def t():
    """The world (no canaries), its draft meeting on 18-09-2024 the one the pack is for, and
    since the previous meeting (15-05-2024): the project turned from yellow to red, moved to
    the realisation phase and asked for a decision; a new risk; a project of the Direktion."""
    tenant = build_tenant("Norddjurs Kommune")
    factories.status_report(
        tenant.project,
        datetime.date(2024, 4, 1),
        datetime.date(2024, 6, 30),
        colour="red",
        schedule="yellow",
        reported_on=datetime.date(2024, 7, 1),
    )
    change_phase(tenant.project, Phase.REALISATION, decided_on=datetime.date(2024, 6, 1))
    tenant.project.refresh_from_db()
    report = StatusReport(
        project=tenant.project,
        period_start=datetime.date(2024, 7, 1),
        period_end=datetime.date(2024, 8, 31),
        reported_on=datetime.date(2024, 9, 1),
        schedule="green",
        budget="green",
        scope="green",
        benefits="green",
        resources="green",
        needs_decision=True,
        decision_request="Skal projektet have 200.000 kr. mere?",
    )
    file_status_report(report)
    tenant.decision_report = report
    tenant.new_risk = factories.risk(
        tenant.project,
        title="Nøglemedarbejder stopper",
        probability=2,
        impact=3,
        identified_on=datetime.date(2024, 6, 10),
        mitigation="Dokumentation",
    )
    tenant.board_project = factories.project(
        tenant.municipality,
        "Direktionens projekt",
        body=tenant.board,
        phase=Phase.ANALYSIS,
    )
    factories.status_report(
        tenant.board_project,
        datetime.date(2024, 1, 1),
        colour="green",
        reported_on=datetime.date(2024, 1, 14),
    )
    factories.status_report(
        tenant.board_project,
        datetime.date(2024, 8, 1),
        colour="green",
        needs_decision=True,
        decision_request="Må analysen udvides?",
        reported_on=datetime.date(2024, 8, 14),
    )
    factories.project(tenant.municipality, "Lukket projekt", phase=Phase.CLOSED)
    return tenant


def build(t, scope=packs.SCOPE_ALL, meeting=None):
    with scopes_disabled(), translation.override("en"):
        return packs.build(meeting or t.draft_meeting, scope)


def pdf_text(content: bytes, tmp_path) -> str:
    assert content.startswith(b"%PDF")
    path = tmp_path / "pack.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(re.sub(r"^\s*\d+\s*/\s*\d+\s*$", "", text, flags=re.MULTILINE).split())


def docx_text(content: bytes) -> str:
    """Paragraphs and table rows in document order; a row's cells joined with “ | ”."""
    document = docx.Document(io.BytesIO(content))
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(" | ".join(cell.text for cell in row.cells) for row in block.rows)
        else:
            lines.append(block.text)
    return "\n".join(lines)


def render(t, fmt: str, tmp_path, scope=packs.SCOPE_ALL) -> str:
    pack = build(t, scope)
    with scopes_disabled(), translation.override("en"):
        if fmt == "pdf":
            return pdf_text(pack_documents.pack_pdf(pack), tmp_path)
        return docx_text(pack_documents.pack_docx(pack))


# --- What the pack gathers ---------------------------------------------------------------------


def test_the_status_table_has_every_active_project_with_its_latest_colours(t):
    pack = build(t)
    assert [row.project.name for row in pack.rows] == ["Borgerblikket", "Direktionens projekt"]
    row = pack.rows[0]
    assert row.overall.colour == Colour.GREEN  # the report of 01-09-2024
    assert [light.colour for light in row.dimensions] == [Colour.GREEN] * 5
    assert row.reported_on == datetime.date(2024, 9, 1)
    assert row.late  # a quarterly cycle after 31-08-2024 lies long behind us


def test_changes_are_counted_from_the_previous_meeting_of_the_body(t):
    pack = build(t)
    assert pack.previous_meeting == t.meeting and pack.since == PREVIOUS
    with translation.override("en"):
        assert pack.since_label == (
            f"Changes since the previous meeting of {t.body.name} on 15-05-2024"
        )
    # Yellow (the report known on 15-05-2024) to green (the latest).
    assert [(c.project.name, c.before, c.after) for c in pack.colour_changes] == [
        ("Borgerblikket", Colour.YELLOW, Colour.GREEN)
    ]
    assert [(c.project.name, c.to_phase) for c in pack.phase_changes] == [
        ("Borgerblikket", Phase.REALISATION)
    ]
    assert [r.title for r in pack.new_risks] == ["Nøglemedarbejder stopper"]
    # Created by the fixture today: every project is new since 2024.
    assert {p.name for p in pack.new_projects} >= {"Borgerblikket", "Direktionens projekt"}


def test_a_report_with_the_same_colour_is_no_change(t):
    with scopes_disabled():
        factories.status_report(
            t.project,
            datetime.date(2024, 9, 1),
            colour="yellow",
            reported_on=datetime.date(2024, 9, 15),
        )
    pack = build(t)
    assert pack.colour_changes == []


def test_without_a_previous_meeting_the_last_91_days_count(t):
    pack = build(t, meeting=t.meeting)
    assert pack.previous_meeting is None
    assert pack.since == PREVIOUS - datetime.timedelta(days=91)
    # The report of 31-03-2024 was the first since 14-02-2024: no report → yellow.
    assert [(c.before, c.after) for c in pack.colour_changes] == [("", Colour.GREEN)]


def test_the_ten_highest_open_risks(t):
    with scopes_disabled():
        for i in range(12):
            factories.risk(t.project, title=f"Risiko {i:02d}", probability=1 + i % 5, impact=2)
        factories.risk(
            t.project, title="Lukket risiko", probability=5, impact=5, status=RiskStatus.CLOSED
        )
        factories.risk(
            t.project, title="Afbødes", probability=5, impact=4, status=RiskStatus.MITIGATING
        )
    pack = build(t)
    assert len(pack.top_risks) == packs.TOP_RISKS
    scores = [risk.score for risk in pack.top_risks]
    assert scores == sorted(scores, reverse=True)
    assert [r.title for r in pack.top_risks[:3]] == [
        "Afbødes",
        "Leverandør forsinket",
        "Mangel på ressourcer",
    ]
    assert "Lukket risiko" not in {r.title for r in pack.top_risks}


def test_benefits_per_year_and_per_project(t):
    pack = build(t)
    assert [(r.year, r.planned, r.realised) for r in pack.benefit_years] == [
        (2024, 200_000, 120_000),
        (2025, 400_000, None),
    ]
    entry = pack.benefit_projects[0]
    assert (entry.project, entry.planned, entry.realised, entry.share) == (
        t.project,
        600_000,
        120_000,
        20,
    )
    assert pack.chart.categories == ["2024", "2025"] and not pack.chart.empty


def test_decisions_asked_for_come_from_the_backlog_and_the_reports(t):
    pack = build(t)
    case = t.decision_report.case
    titles = [(d.case_number, d.question) for d in pack.decisions]
    # The case in the steering group's backlog, once (not again as its report) …
    assert (case.number, "Skal projektet have 200.000 kr. mere?") in titles
    # … and the Direktion project's question since the previous meeting.
    assert ("", "Må analysen udvides?") in titles
    assert len(titles) == 2


def test_the_body_scope_keeps_the_projects_of_the_body_and_those_below(t):
    pack = build(t, packs.SCOPE_BODY)
    assert pack.scope_offered and pack.scope == packs.SCOPE_BODY
    assert [row.project.name for row in pack.rows] == ["Borgerblikket"]
    assert [d.question for d in pack.decisions] == ["Skal projektet have 200.000 kr. mere?"]
    # The Direktion governs a project too; a body without any falls back to the portfolio.
    with scopes_disabled():
        lonely = factories.body(t.municipality, "Ensom gruppe")
        meeting = factories.meeting(lonely, datetime.date(2024, 10, 1))
    pack = build(t, packs.SCOPE_BODY, meeting=meeting)
    assert not pack.scope_offered and pack.scope == packs.SCOPE_ALL
    assert len(pack.rows) == 2


# --- The documents read back --------------------------------------------------------------------


@pytest.mark.documents
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_documents_show_every_section(t, fmt, tmp_path):
    text = render(t, fmt, tmp_path)
    flat = " ".join(text.split())
    for expected in [
        f"Portfolio status for {t.body.name} 18-09-2024",
        "Generated ",
        # The status table
        "Borgerblikket",
        "National / joint-municipal",
        "Realisation",
        "Projektleder",
        "Direktionens projekt",
        "Analysis",
        "01-09-2024",
        # Changed since
        f"Changes since the previous meeting of {t.body.name} on 15-05-2024",
        "Overall colour changed",
        "Yellow",
        "Phase changes",
        "Implementation",
        "01-06-2024",
        "New risks",
        "Nøglemedarbejder stopper",
        # Top risks
        "Top risks",
        "Leverandør forsinket",
        "16 (4 × 4)",
        "Afbødning",
        "Mangel på ressourcer",
        "The whole portfolio",
        # Benefits
        "Benefits realised against planned",
        "200.000 kr.",
        "120.000 kr.",
        "60 %",
        "400.000 kr.",
        "600.000 kr.",
        # Decisions
        "Decisions asked for",
        "Skal projektet have 200.000 kr. mere?",
        "Må analysen udvides?",
    ]:
        assert expected in flat, f"missing in the {fmt}: {expected}"
    assert "Lukket projekt" not in flat


@pytest.mark.documents
def test_the_docx_rows_and_shaded_cells(t):
    pack = build(t)
    with scopes_disabled(), translation.override("en"):
        content = pack_documents.pack_docx(pack)
    text = docx_text(content)
    assert (
        "Borgerblikket | National / joint-municipal | Realisation | Projektleder | "
        "Green | Green | Green | Green | Green | Green | 01-09-2024 | Late"
    ) in text
    assert "Borgerblikket | Yellow | Green" in text  # the colour change
    assert "2024 | 200.000 kr. | 120.000 kr. | 60 %" in text
    table = docx.Document(io.BytesIO(content)).tables[0]
    overall = table.rows[1].cells[4]
    shading = overall._tc.tcPr.find(qn("w:shd"))
    assert shading.get(qn("w:fill")) == "358000"


def test_the_pdf_draws_the_chart_in_colour(t):
    pack = build(t)
    with scopes_disabled(), translation.override("en"):
        html = pack_documents.chart_for_pdf(pack)
    assert re.search(r"<svg[^>]*>\s*<style>[^<]*\.fill-planned\{fill:#a0a0a0\}", html)


# --- Views --------------------------------------------------------------------------------------


def url(name, meeting, query=""):
    return reverse(f"pack:{name}", kwargs={"pk": meeting.pk}) + query


def test_the_preview_and_the_downloads(client, t):
    client.force_login(t.users[Role.READER])
    response = client.get(url("pack", t.meeting))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Borgerblikket" in page and url("pack_pdf", t.meeting) in page
    assert url("pack_attach", t.meeting) not in page  # a reader attaches nothing
    response = client.get(url("pack_pdf", t.meeting))
    assert response["Content-Type"] == "application/pdf"
    assert "portefoeljestatus-2024-05-15.pdf" in response["Content-Disposition"]
    response = client.get(url("pack_docx", t.meeting, "?omfang=organ"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "Direktionens projekt" not in docx_text(response.content)


@pytest.mark.parametrize("name", ["pack", "pack_pdf", "pack_docx"])
def test_a_meeting_the_user_cannot_see_is_not_found(client, t, name):
    # The draft agenda is for the body's members (and administrators) only.
    client.force_login(t.users[Role.READER])
    assert client.get(url(name, t.draft_meeting)).status_code == 404
    client.force_login(t.users[Role.MEMBER])
    assert client.get(url(name, t.draft_meeting)).status_code == 200


def test_choosing_a_meeting(client, t):
    client.force_login(t.users[Role.READER])
    response = client.get(reverse("pack:pack_choose"))
    assert response.status_code == 200
    page = response.content.decode()
    assert url("pack", t.meeting) in page
    assert url("pack", t.draft_meeting) not in page  # not visible to a reader
    response = client.get(reverse("pack:pack_choose"), {"moede": t.meeting.pk})
    assert response.status_code == 302 and response["Location"] == url("pack", t.meeting)
    for chosen in ("abc", 10**30, t.draft_meeting.pk):
        response = client.get(reverse("pack:pack_choose"), {"moede": chosen})
        assert response.status_code == 200
    assert "alert-error" in response.content.decode()  # the draft: not found


def test_the_choice_preselects_the_next_meeting(client, t):
    """Not the first body's past meeting: the soonest meeting from today on."""
    today = datetime.date.today()
    with scopes_disabled():
        first = factories.body(t.municipality, "Aaa-gruppen")
        factories.meeting(first, today - datetime.timedelta(days=30), state=MeetingState.HELD)
        factories.meeting(first, today + datetime.timedelta(days=90))
        following = factories.meeting(first, today + datetime.timedelta(days=5))
    client.force_login(t.users[Role.ADMINISTRATOR])
    response = client.get(reverse("pack:pack_choose"))
    assert response.context["selected"] == following.pk
    page = response.content.decode()
    assert re.findall(r'<option value="(\d+)" selected>', page) == [str(following.pk)]


def test_the_pack_queries_do_not_grow_with_the_portfolio(client, t):
    client.force_login(t.users[Role.ADMINISTRATOR])

    def count(name):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(name, t.draft_meeting)).status_code == 200
        return len(captured)

    small = {name: count(name) for name in ("pack", "pack_docx")}
    with scopes_disabled():
        grow(t, 6)
    assert {name: count(name) for name in ("pack", "pack_docx")} == small


# --- Attaching to the agenda --------------------------------------------------------------------


def site_title(meeting) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        return packs.item_title(), packs.attachment_title(meeting)


def test_the_secretary_attaches_the_pack_as_a_new_item_then_a_new_version(client, t):
    meeting = t.draft_meeting
    client.force_login(t.users[Role.SECRETARY])
    page = client.get(url("pack", meeting)).content.decode()
    assert url("pack_attach", meeting) in page
    with scopes_disabled():
        items_before = AgendaItem.objects.filter(meeting=meeting).count()
        sequence = type(meeting).objects.get(pk=meeting.pk).sequence
    response = client.post(url("pack_attach", meeting), {"item": "ny", "omfang": "portefoelje"})
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:meeting_detail", kwargs={"pk": meeting.pk})
    item_title, attachment_title = site_title(meeting)
    with scopes_disabled():
        item = AgendaItem.objects.get(meeting=meeting, title=item_title)
        assert item.kind == ItemKind.INFORMATION
        assert item.position == items_before  # at the end
        attachment = Attachment.objects.get(item=item)
        assert attachment.title == attachment_title and attachment.version == 1
        assert attachment.content_type == "application/pdf"
        assert attachment.file.read().startswith(b"%PDF")
        assert type(meeting).objects.get(pk=meeting.pk).sequence == sequence + 1

    # The item is suggested the next time; attaching again makes a new version.
    page = client.get(url("pack_attach", meeting)).content.decode()
    assert f'<option value="{item.pk}" selected>' in page
    response = client.post(url("pack_attach", meeting), {"item": str(item.pk)})
    assert response.status_code == 302
    with scopes_disabled():
        attachment = Attachment.objects.get(item=item)
        assert attachment.version == 2
        assert AgendaItem.objects.filter(meeting=meeting).count() == items_before + 1


def test_attaching_to_an_existing_item(client, t):
    meeting = t.draft_meeting
    with scopes_disabled():
        item = meeting.items.get()
    client.force_login(t.users[Role.ADMINISTRATOR])
    response = client.post(url("pack_attach", meeting), {"item": str(item.pk)})
    assert response.status_code == 302
    with scopes_disabled():
        assert Attachment.objects.filter(item=item).count() == 1
        assert meeting.items.count() == 1


def test_attaching_is_refused_once_the_agenda_is_sent(client, t):
    meeting = t.draft_meeting
    with scopes_disabled():
        type(meeting).objects.filter(pk=meeting.pk).update(state=MeetingState.AGENDA_SENT)
        before = (AgendaItem.objects.count(), Attachment.objects.count())
    client.force_login(t.users[Role.SECRETARY])
    page = client.get(url("pack", meeting)).content.decode()
    assert url("pack_attach", meeting) not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(url("pack_attach", meeting), {"item": "ny"})
    assert response.status_code == 409
    assert "The agenda has been sent and can no longer be changed." in response.content.decode()
    with scopes_disabled():
        assert (AgendaItem.objects.count(), Attachment.objects.count()) == before


def test_the_service_refuses_a_sent_agenda_and_foreign_items(t):
    with scopes_disabled(), translation.override("en"):
        with pytest.raises(packs.ValidationError, match="can no longer be changed"):
            packs.attach(t.meeting, b"%PDF-1.4")
        pause = factories.item(t.draft_meeting, "Pause", kind=ItemKind.BREAK)
        for item in (pause, t.open_item):
            with pytest.raises(packs.ValidationError, match="Choose an item"):
                packs.attach(t.draft_meeting, b"%PDF-1.4", item)
        assert not Attachment.objects.filter(item__meeting=t.draft_meeting).exists()


def test_bad_input_writes_nothing(client, t):
    meeting = t.draft_meeting
    with scopes_disabled():
        before = (AgendaItem.objects.count(), Attachment.objects.count())
    client.force_login(t.users[Role.SECRETARY])
    for data in ({}, {"item": str(t.open_item.pk)}, {"item": "abc"}):
        response = client.post(url("pack_attach", meeting), data)
        assert response.status_code == 422
        assert response.context["form"].errors["item"]
    with scopes_disabled():
        assert (AgendaItem.objects.count(), Attachment.objects.count()) == before


@pytest.mark.parametrize("role", [Role.READER, Role.MEMBER, Role.PROJECT_LEADER])
def test_who_may_not_edit_the_agenda_gets_403(client, t, role):
    client.force_login(t.users[role])
    assert client.post(url("pack_attach", t.draft_meeting), {"item": "ny"}).status_code == 403
    with scopes_disabled():
        assert not Attachment.objects.filter(item__meeting=t.draft_meeting).exists()
