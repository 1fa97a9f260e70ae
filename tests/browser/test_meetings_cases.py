"""Keyboard workflows for cases, attachments, the decision log and follow-ups (axe on every page)."""

import datetime

import pytest
from django_scopes import scopes_disabled

from core.models import Role
from meetings.models import AgendaItem, Attachment, Case, CaseStep, FollowUp, MeetingState, Outcome
from tests import factories
from tests.browser.conftest import tab_to

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def minutes(org):
    """The steering group: an agenda in draft with an item, and approved minutes with a
    decision and a follow-up owned by the secretary (Pia Nielsen)."""
    with scopes_disabled():
        draft = factories.meeting(
            org.steering, datetime.date(2030, 3, 4), state=MeetingState.AGENDA_DRAFT
        )
        item = factories.item(draft, "Status på Aula", kind="information")
        held = factories.meeting(org.steering, datetime.date(2024, 11, 20), state=MeetingState.HELD)
        decided = factories.item(
            held,
            "Ny hjemmeside",
            kind="decision",
            case_text="Leverandøren er valgt efter udbud.",
            decision="Styregruppen har besluttet at igangsætte projektet.",
            outcome=Outcome.TREATED,
        )
        factories.item(
            held,
            "Budget",
            kind="decision",
            decision="Budgettet blev godkendt.",
            outcome=Outcome.TREATED,
        )
        follow_up = factories.follow_up(
            org.steering,
            owner=org.people["sekretaer"],
            item=decided,
            description="Sekretariatet indkalder leverandøren",
            due_date=datetime.date(2025, 1, 15),
        )
        held.state = MeetingState.MINUTES_APPROVED
        held.save()
    return {"draft": draft, "item": item, "held": held, "decided": decided, "follow_up": follow_up}


def test_secretary_uploads_an_attachment(page, org, minutes, login, visit, submit, tmp_path):
    item = minutes["item"]
    login(org.secretary)
    visit(f"/punkter/{item.pk}/bilag/ny/")
    # Nothing chosen: errors (422), nothing written.
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"), status=422)
    assert page.locator("main .form-error-message").count() == 2  # title and file

    tab_to(page, "#id_title")
    page.keyboard.type("Projektplan for Aula")
    tab_to(page, "#id_document_number")
    page.keyboard.type("3608761")
    # A zip in disguise: refused with a clear message.
    fake = tmp_path / "plan.pdf"
    fake.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    page.set_input_files("#id_upload", str(fake))
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"), status=422)
    assert "(.pdf)" in page.locator("#id_upload_error").inner_text()
    assert page.locator("#id_upload").get_attribute("aria-invalid") == "true"
    with scopes_disabled():
        assert not Attachment.objects.filter(item=item).exists()

    real = tmp_path / "Projektplan.pdf"
    real.write_bytes(PDF)
    page.set_input_files("#id_upload", str(real))
    assert page.locator("#id_title").input_value() == "Projektplan for Aula"
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    assert page.url.endswith(f"/moeder/{minutes['draft'].pk}/")
    with scopes_disabled():
        attachment = Attachment.objects.get(item=item)
    assert attachment.title == "Projektplan for Aula"
    assert attachment.document_number == "3608761"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF)

    visit(f"/bilag/{attachment.pk}/rediger/")
    assert page.locator("main table tbody tr").count() == 1
    assert "Projektplan.pdf" in page.locator("main table").inner_text()


def test_searching_the_decision_log(page, org, users, minutes, login, visit, submit):
    login(users[Role.READER])
    visit("/beslutninger/")
    rows = page.locator("main table.decision-log tbody tr")
    assert rows.count() == 2
    tab_to(page, "#id_q")
    page.keyboard.type("beslutte")
    submit(lambda: page.keyboard.press("Enter"))
    assert "q=beslutte" in page.url
    assert rows.count() == 1
    assert "Ny hjemmeside" in rows.first.inner_text()
    assert page.locator("main [role=status]").count() == 1
    link = rows.first.locator(f"a[href='/moeder/{minutes['held'].pk}/']")
    assert link.count() == 1

    # A bad date (typed into the address): a clear error, the search still works.
    visit("/beslutninger/?q=beslutte&fra=2024-13-45")
    assert page.locator("#id_fra_error").is_visible()
    assert page.locator("main .alert-error").is_visible()
    assert rows.count() == 1


def test_owner_closes_a_follow_up(page, org, minutes, login, visit, submit):
    follow_up = minutes["follow_up"]
    login(org.secretary)
    visit("/opfoelgninger/mine/")
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1
    assert "Sekretariatet indkalder leverandøren" in rows.first.inner_text()
    assert rows.first.locator(".badge-error").count() == 1, "overdue is flagged"

    tab_to(page, f"main a[href^='/opfoelgninger/{follow_up.pk}/rediger/']")
    submit(lambda: page.keyboard.press("Enter"))
    tab_to(page, "#id_status")
    page.select_option("#id_status", "done")
    tab_to(page, "#id_note")
    page.keyboard.type("Mødet er holdt")
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))

    assert page.url.endswith("/opfoelgninger/mine/")
    assert page.locator("#messages [role=status]").count() == 1
    assert rows.count() == 1 and "Sekretariatet" not in rows.first.inner_text()
    with scopes_disabled():
        follow_up = FollowUp.objects.get(pk=follow_up.pk)
    assert follow_up.status == "done" and follow_up.note == "Mødet er holdt"
    assert follow_up.done_on is not None


def test_creating_a_case_with_a_route(page, org, login, visit, submit):
    login(org.secretary)
    visit("/sager/")
    tab_to(page, "main a[href='/sager/ny/']")
    submit(lambda: page.keyboard.press("Enter"))
    tab_to(page, "#id_number")
    page.keyboard.type("24/12345")
    tab_to(page, "#id_title")
    page.keyboard.type("Ny hjemmeside")
    page.select_option("#id_route-step_0", str(org.project.pk))
    page.select_option("#id_route-step_1", str(org.steering.pk))
    page.select_option("#id_route-step_2", str(org.direktion.pk))
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    with scopes_disabled():
        case = Case.objects.get(number="24/12345")
        assert list(CaseStep.objects.filter(case=case).values_list("body_id", flat=True)) == [
            org.project.pk,
            org.steering.pk,
            org.direktion.pk,
        ]
        assert AgendaItem.objects.filter(case=case).count() == 0
    assert page.url.endswith(f"/sager/{case.pk}/")
    assert page.locator("main ol.case-route li").count() == 3
    assert (
        page.locator("main ol.case-route li[aria-current=step]")
        .inner_text()
        .startswith(org.project.name)
    )


def test_every_page_passes_axe(page, org, users, minutes, login, visit, submit):
    """Each page of this area, in its states (empty, filtered, locked, errors), as an
    administrator and as a reader without a person."""
    with scopes_disabled():
        case = factories.case(
            org.municipality,
            "Ny hjemmeside",
            route=[org.project, org.steering],
            number="24/00042",
            closed=True,
            description="Fortroligt",
        )
        attachment = factories.attachment(minutes["decided"], "Bilag til referatet")
    login(org.admin)
    for path in [
        "/sager/",
        "/sager/?status=all&q=hjemmeside",
        "/sager/?q=ingen",
        f"/sager/{case.pk}/",
        f"/sager/{case.pk}/rediger/",
        "/sager/ny/",
        "/beslutninger/",
        "/beslutninger/?q=budget&type=decision&fra=2024-01-01",
        "/beslutninger/?q=findesikke",
        f"/beslutninger/?organ={org.steering.pk}&til=2020-01-01",
        "/opfoelgninger/",
        "/opfoelgninger/?status=all",
        "/opfoelgninger/mine/",
        f"/opfoelgninger/{minutes['follow_up'].pk}/rediger/",
        f"/bilag/{attachment.pk}/rediger/",  # approved minutes: locked
        f"/punkter/{minutes['decided'].pk}/bilag/ny/",
        f"/historik/sag/{case.pk}/",
        f"/historik/punkt/{minutes['decided'].pk}/",
        f"/historik/opfoelgning/{minutes['follow_up'].pk}/",
    ]:
        visit(path)
    visit("/sager/ny/")
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"), status=422)
    assert page.locator("main .form-error-message").count() >= 3  # number, title, route
    login(users[Role.READER])
    visit("/opfoelgninger/mine/")
    assert page.locator("main .alert-info").is_visible()
    visit(f"/sager/{case.pk}/")
    assert "Fortroligt" not in page.locator("main").inner_text()
