"""The project list, the project card, and what a project's keepers change on it."""

import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from core.models import Role
from meetings.models import MeetingState, Outcome
from organisation.models import BodyKind
from portfolio.models import (
    BudgetYear,
    Category,
    Milestone,
    Phase,
    PhaseChange,
    Project,
    ReportCycle,
)
from portfolio.services import change_phase
from tests import factories
from tests.world import CANARY_OWN

pytestmark = pytest.mark.history


def _login(client, t, role=Role.ADMINISTRATOR):
    """Log in as the role, with English pages (the source language) to assert on."""
    client.force_login(t.users[role])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _url(name, *args):
    return reverse(f"portfolio:{name}", args=args)


def _names(response) -> list[str]:
    return [row["project"].name for row in response.context["rows"]]


def _card_data(**overrides) -> dict:
    data = {
        "name": "Ny hjemmeside",
        "code": "P-17",
        "category": Category.LOCAL,
        "report_cycle": "",
        "purpose": "Borgerne finder svar selv.",
    }
    data.update(overrides)
    return data


# --- The list ----------------------------------------------------------------------------------


@pytest.fixture
def projects(t):
    """Besides the world's project (national, KOMBIT, implementation): three more."""
    with scopes_disabled():
        board = factories.body(t.municipality, "Projektboard", kind=BodyKind.PROJECT_BOARD)
        unit = factories.unit(t.municipality, "Velfærd")
        return {
            "closed": factories.project(
                t.municipality,
                "Gammelt ESDH",
                category=Category.LOCAL,
                phase=Phase.CLOSED,
            ),
            "lighthouse": factories.project(
                t.municipality,
                "Robotter i ældreplejen",
                category=Category.CROSS_CUTTING,
                lighthouse=True,
                phase=Phase.ANALYSIS,
                owning_unit=unit,
                body=board,
                code="FYR-1",
            ),
            "idea": factories.project(
                t.municipality,
                "Chatbot",
                category=Category.LOCAL,
                phase=Phase.IDEA,
            ),
            "board": board,
            "unit": unit,
        }


def test_the_list_shows_active_projects_by_default(client, t, projects):
    response = _login(client, t, Role.READER).get(_url("project_list"))
    assert response.status_code == 200
    assert _names(response) == ["Borgerblikket " + CANARY_OWN, "Chatbot", "Robotter i ældreplejen"]
    assert _names(client.get(_url("project_list"), {"status": "afsluttede"})) == ["Gammelt ESDH"]
    assert len(_names(client.get(_url("project_list"), {"status": "alle"}))) == 4


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"kategori": Category.LOCAL}, ["Chatbot"]),
        ({"fase": Phase.CLOSED}, ["Gammelt ESDH"]),  # a phase overrides active/closed
        ({"fyrtaarn": "on"}, ["Robotter i ældreplejen"]),
        ({"kombit": "on"}, ["Borgerblikket " + CANARY_OWN]),
        ({"q": "robot"}, ["Robotter i ældreplejen"]),
        ({"q": "fyr-1"}, ["Robotter i ældreplejen"]),
        ({"status": "alle", "kategori": Category.LOCAL}, ["Chatbot", "Gammelt ESDH"]),
    ],
)
def test_the_list_filters(client, t, projects, params, expected):
    response = _login(client, t, Role.READER).get(_url("project_list"), params)
    assert _names(response) == expected


def test_the_list_filters_by_unit_and_body(client, t, projects):
    _login(client, t, Role.READER)
    by_unit = client.get(_url("project_list"), {"enhed": projects["unit"].pk})
    assert _names(by_unit) == ["Robotter i ældreplejen"]
    by_body = client.get(_url("project_list"), {"organ": t.body.pk})
    assert _names(by_body) == ["Borgerblikket " + CANARY_OWN]


def test_an_invalid_filter_is_ignored_and_shown(client, t, projects):
    response = _login(client, t, Role.READER).get(_url("project_list"), {"enhed": "x"})
    assert response.status_code == 200
    assert "enhed" in response.context["form"].errors
    assert len(_names(response)) == 3


@pytest.mark.parametrize("goal", ["x", "1.5", "-1", "999999999", " 7 "])
def test_a_bad_strategy_goal_is_ignored_and_shown(client, t, projects, goal):
    """Not a number, or no goal of this municipality: the filter is said to be wrong and the
    list shows what it would without it."""
    response = _login(client, t, Role.READER).get(_url("project_list"), {"maal": goal})
    assert response.status_code == 200
    assert "maal" in response.context["form"].errors
    assert len(_names(response)) == 3


def test_the_list_shows_status_and_late_reports(client, t):
    response = _login(client, t, Role.READER).get(_url("project_list"))
    row = response.context["rows"][0]
    assert row["light"]["colour"] == "yellow"
    assert row["status"].late  # the last report ended 31-03-2024, quarterly
    assert b"light-yellow" in response.content


def test_only_those_who_run_the_portfolio_see_new_project(client, t):
    new = _url("project_create").encode()
    assert new in _login(client, t, Role.SECRETARY).get(_url("project_list")).content
    assert new not in _login(client, t, Role.PROJECT_LEADER).get(_url("project_list")).content
    assert new not in _login(client, t, Role.READER).get(_url("project_list")).content


def test_the_list_pages(client, t):
    with scopes_disabled():
        for i in range(55):
            factories.project(t.municipality, f"Projekt {i:02d}")
    _login(client, t, Role.READER)
    first = client.get(_url("project_list"))
    assert len(first.context["rows"]) == 50
    second = client.get(_url("project_list"), {"side": 2, "kategori": Category.CROSS_CUTTING})
    assert len(second.context["rows"]) == 5
    assert b"kategori=cross_cutting" in second.content  # the filter stays in the links


def test_the_excel_export_has_the_filtered_list(client, t, projects):
    response = _login(client, t, Role.READER).get(
        _url("project_list_xlsx"), {"status": "alle", "kategori": Category.LOCAL}
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["Chatbot", "Gammelt ESDH"]


def test_the_list_costs_the_same_queries_for_more_projects(client, t):
    _login(client, t, Role.READER)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url("project_list")).status_code == 200
        return len(captured)

    few = count()
    with scopes_disabled():
        for i in range(8):
            project = factories.project(
                t.municipality, f"Projekt {i}", owning_unit=t.unit, leader=t.person, body=t.body
            )
            factories.status_report(project, colour="red")
    assert count() == few


# --- The card ----------------------------------------------------------------------------------


@pytest.fixture
def card(t):
    """The world's project with a milestone overdue, a budget, a gate and a report asking for a
    decision (a case)."""
    with scopes_disabled():
        factories.milestone(
            t.project,
            "Kontrakt underskrevet",
            datetime.date(2024, 3, 1),
            done_on=datetime.date(2024, 3, 1),
        )
        factories.milestone(t.project, "Pilotdrift", datetime.date(2024, 9, 1))
        factories.budget_year(t.project, 2024, planned=1_250_000, spent=250_000)
        factories.budget_year(t.project, 2025, planned=500_000, spent=0)
        with scope(municipality=t.municipality.pk):
            change_phase(
                t.project,
                Phase.REALISATION,
                decided_on=datetime.date(2024, 5, 15),
                decision=t.open_item,
                note="Godkendt af styregruppen",
            )
        factories.status_report(
            t.project,
            datetime.date(2024, 4, 1),
            datetime.date(2024, 6, 30),
            colour="green",
            schedule="red",
            overall="yellow",
            override_reason="Leverandøren har lovet at indhente",
            next_steps="Pilot i to afdelinger",
            needs_decision=True,
            decision_request="Skal vi udvide piloten?",
            case=t.case,
        )
    return t


def test_the_card_shows_every_section(client, card):
    t = card
    with translation.override("en"):
        response = _login(client, t, Role.READER).get(_url("project_detail", t.project.pk))
    assert response.status_code == 200
    html = response.content.decode()
    for anchor in (
        "fakta",
        "startdokument",
        "status",
        "milepaele",
        "budget",
        "risici",
        "gevinster",
        "fasehistorik",
    ):
        assert f'id="{anchor}"' in html and f'href="#{anchor}"' in html
    # facts and start document
    assert "KOMBIT" in html and f"Formål {CANARY_OWN}" in html
    assert 'aria-current="step"' in html and "Realisation" in html
    # status: the overridden overall colour with its reason, the trend and the case
    report = response.context["report"]
    assert report["overall"]["colour"] == "yellow"
    assert report["suggested"]["colour"] == "red"
    assert "Leverandøren har lovet at indhente" in html
    assert report["trend"] == "same"  # yellow before, yellow now
    assert reverse("meetings:case_detail", args=[t.case.pk]) in html
    assert _url("report_list", t.project.pk) in html
    # milestones: the open one is overdue, the done one is not
    assert html.count("Overdue") == 1
    # budget in Danish amounts, with totals and a chart
    assert "1.250.000 kr." in html and "1.750.000 kr." in html and "1.500.000 kr." in html
    assert "fill-budget" in html and "fill-spent" in html
    # risks, benefits and the gate with its meeting
    assert f"Leverandør forsinket {CANARY_OWN}" in html
    assert f"{reverse('portfolio:risk_list')}?projekt={t.project.pk}" in html
    assert f"Færre henvendelser {CANARY_OWN}" in html
    assert reverse("benefits:benefit_detail", args=[t.benefit.pk]) in html
    assert reverse("benefits:project_benefits", args=[t.project.pk]) in html
    assert reverse("meetings:meeting_detail", args=[t.meeting.pk]) in html
    assert "Godkendt af styregruppen" in html
    # a reader gets no buttons of the keepers
    assert _url("project_edit", t.project.pk) not in html
    assert _url("report_create", t.project.pk) not in html


def test_the_card_shows_the_keepers_their_actions(client, t):
    html = _login(client, t, Role.PROJECT_LEADER).get(_url("project_detail", t.project.pk))
    html = html.content.decode()
    for name in (
        "project_edit",
        "project_milestones",
        "project_budget",
        "project_phase",
        "project_history",
        "report_create",
        "project_risk_create",
    ):
        assert _url(name, t.project.pk) in html, name


def test_a_closed_decision_is_not_named_to_others(client, t):
    with scopes_disabled(), scope(municipality=t.municipality.pk):
        change_phase(t.project, Phase.REALISATION, decision=t.closed_item)
    html = _login(client, t, Role.READER).get(_url("project_detail", t.project.pk))
    assert t.closed_item.title not in html.content.decode()
    html = _login(client, t, Role.MEMBER).get(_url("project_detail", t.project.pk))
    assert t.closed_item.title in html.content.decode()


def test_a_card_without_reports_or_rows(client, t):
    with scopes_disabled():
        project = factories.project(t.municipality, "Tomt projekt", start_date=None)
    with translation.override("en"):
        response = _login(client, t, Role.READER).get(_url("project_detail", project.pk))
    assert response.status_code == 200
    assert b"has not filed a status report yet" in response.content


def test_the_card_costs_the_same_queries_for_more_rows(client, card):
    t = card
    _login(client, t, Role.PROJECT_LEADER)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url("project_detail", t.project.pk)).status_code == 200
        return len(captured)

    few = count()
    with scopes_disabled():
        for i in range(6):
            factories.milestone(t.project, f"Milepæl {i}")
            factories.budget_year(t.project, 2026 + i)
            factories.risk(t.project, owner=t.person)
            benefit = factories.benefit(t.project, f"Gevinst {i}", responsible=t.person)
            factories.plan(benefit, 2025, 100)
            factories.measurement(benefit, datetime.date(2024, 7, 1), 50)
        with scope(municipality=t.municipality.pk):
            change_phase(t.project, Phase.CLOSED, decision=t.open_item)
    assert count() == few


def test_another_municipality_s_project_is_not_found(client, t, other):
    _login(client, t, Role.ADMINISTRATOR)
    for name in ("project_detail", "project_edit", "project_history", "project_phase"):
        assert client.get(_url(name, other.project.pk)).status_code == 404


# --- Create and edit ---------------------------------------------------------------------------


def test_a_secretary_creates_a_project(client, t):
    response = _login(client, t, Role.SECRETARY).post(
        _url("project_create"),
        _card_data(
            owner=t.person.pk, leader=t.leader_person.pk, owning_unit=t.unit.pk, body=t.body.pk
        ),
    )
    with scopes_disabled():
        project = Project.objects.get(name="Ny hjemmeside")
    assert response.status_code == 302
    assert response["Location"] == _url("project_detail", project.pk)
    assert project.municipality == t.municipality
    assert project.phase == Phase.IDEA
    assert project.report_cycle == ReportCycle.QUARTERLY
    assert project.leader == t.leader_person


def test_a_project_board_project_reports_every_14_days_unless_told(client, t):
    with scopes_disabled():
        board = factories.body(t.municipality, "Projektboard", kind=BodyKind.PROJECT_BOARD)
    _login(client, t, Role.SECRETARY)
    client.post(_url("project_create"), _card_data(name="A", body=board.pk))
    data = _card_data(name="B", body=board.pk)
    del data["report_cycle"]  # a client that leaves the field out
    client.post(_url("project_create"), data)
    client.post(
        _url("project_create"),
        _card_data(name="C", body=board.pk, report_cycle=ReportCycle.MONTHLY),
    )
    with scopes_disabled():
        cycles = dict(Project.objects.filter(name__in="ABC").values_list("name", "report_cycle"))
    assert cycles == {"A": 14, "B": 14, "C": 30}


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"start_date": "2025-06-01", "end_date": "2025-01-01"}, "end_date"),
        ({"kombit": "on", "category": Category.LOCAL}, "kombit"),
        ({"name": ""}, "name"),
        ({"report_cycle": "7"}, "report_cycle"),
    ],
)
def test_bad_input_gives_errors_and_writes_nothing(client, t, overrides, field):
    with scopes_disabled():
        before = Project.objects.count()
    response = _login(client, t).post(_url("project_create"), _card_data(**overrides))
    assert response.status_code == 422
    assert field in response.context["form"].errors
    with scopes_disabled():
        assert Project.objects.count() == before


def test_the_model_rules_read_clearly(client, t):
    with translation.override("en"):
        response = _login(client, t).post(
            _url("project_create"),
            _card_data(kombit="on", start_date="2025-06-01", end_date="2025-01-01"),
        )
    errors = response.context["form"].errors
    assert errors["kombit"] == ["A KOMBIT project is national / joint-municipal."]
    assert errors["end_date"] == ["The end date is before the start date."]


@pytest.mark.parametrize("field", ["owning_unit", "owner", "leader", "body"])
def test_another_municipality_s_rows_cannot_be_chosen(client, t, other, field):
    foreign = {
        "owning_unit": other.unit,
        "owner": other.person,
        "leader": other.leader_person,
        "body": other.body,
    }[field]
    response = _login(client, t).post(_url("project_create"), _card_data(**{field: foreign.pk}))
    assert response.status_code == 422
    assert field in response.context["form"].errors
    with scopes_disabled():
        assert not Project.objects.filter(name="Ny hjemmeside").exists()


def test_inactive_people_and_closed_bodies_are_not_offered(client, t):
    with scopes_disabled():
        gone = factories.person(t.municipality, "Fratrådt Person")
        gone.active = False
        gone.save()
    form = _login(client, t).get(_url("project_create")).context["form"]
    assert gone not in form.fields["leader"].queryset
    assert t.closed_body not in form.fields["body"].queryset
    assert t.body in form.fields["body"].queryset


def test_only_those_who_run_the_portfolio_create(client, t):
    for role in (Role.PROJECT_LEADER, Role.READER, Role.MEMBER):
        response = _login(client, t, role).post(_url("project_create"), _card_data())
        assert response.status_code == 403
    with scopes_disabled():
        assert not Project.objects.filter(name="Ny hjemmeside").exists()


def test_the_leader_edits_the_own_project_but_not_the_phase(client, t):
    _login(client, t, Role.PROJECT_LEADER)
    form = client.get(_url("project_edit", t.project.pk)).context["form"]
    assert "phase" not in form.fields
    data = {
        **form.initial,
        "name": "Borgerblikket 2.0",
        "phase": Phase.CLOSED,
        "scope": "Hele kommunen",
    }
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["kombit"] = "on"
    response = client.post(_url("project_edit", t.project.pk), data)
    assert response.status_code == 302
    with scopes_disabled():
        t.project.refresh_from_db()
    assert t.project.name == "Borgerblikket 2.0"
    assert t.project.scope == "Hele kommunen"
    assert t.project.phase == Phase.IMPLEMENTATION
    assert t.project.report_cycle == ReportCycle.QUARTERLY


def test_a_leader_may_not_edit_another_project(client, t):
    with scopes_disabled():
        project = factories.project(t.municipality, "Andres projekt", leader=t.person)
    _login(client, t, Role.PROJECT_LEADER)
    for name in ("project_edit", "project_milestones", "project_budget", "project_phase"):
        assert client.get(_url(name, project.pk)).status_code == 403
        assert client.post(_url(name, project.pk), {"name": "X"}).status_code == 403
    with scopes_disabled():
        project.refresh_from_db()
    assert project.name == "Andres projekt"


def test_a_reader_may_not_change_a_project(client, t):
    _login(client, t, Role.READER)
    for name in ("project_edit", "project_milestones", "project_budget", "project_phase"):
        assert client.get(_url(name, t.project.pk)).status_code == 403


# --- Milestones and budget ---------------------------------------------------------------------


def _formset_data(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def test_keepers_add_and_delete_milestones(client, t):
    with scopes_disabled():
        old = factories.milestone(t.project, "Gammel milepæl")
    _login(client, t, Role.PROJECT_LEADER)
    page = client.get(_url("project_milestones", t.project.pk))
    assert page.status_code == 200
    assert len(page.context["formset"].forms) == 1 + 3
    data = _formset_data(
        "milepaele",
        [
            {"id": old.pk, "title": old.title, "due_date": "2024-09-01", "DELETE": "on"},
            {"title": "Udbud", "due_date": "2025-02-01"},
            {"title": "Go live", "due_date": "2025-10-01", "done_on": ""},
            {"title": "", "due_date": ""},  # an empty row is skipped
        ],
        initial=1,
    )
    response = client.post(_url("project_milestones", t.project.pk), data)
    assert response.status_code == 302
    assert response["Location"].endswith("#milepaele")
    with scopes_disabled():
        titles = list(Milestone.objects.filter(project=t.project).values_list("title", flat=True))
    assert titles == ["Udbud", "Go live"]


def test_milestones_are_saved_all_or_nothing(client, t):
    with scopes_disabled():
        old = factories.milestone(t.project, "Gammel milepæl")
    data = _formset_data(
        "milepaele",
        [
            {"id": old.pk, "title": "Omdøbt", "due_date": "2024-09-01"},
            {"title": "Udbud", "due_date": "2025-02-01"},
            {"title": "Uden dato", "due_date": ""},
        ],
        initial=1,
    )
    response = _login(client, t, Role.PROJECT_LEADER).post(
        _url("project_milestones", t.project.pk), data
    )
    assert response.status_code == 422
    assert "due_date" in response.context["formset"].forms[2].errors
    with scopes_disabled():
        assert list(
            Milestone.objects.filter(project=t.project).values_list("title", flat=True)
        ) == ["Gammel milepæl"]


def test_keepers_keep_the_budget(client, t):
    data = _formset_data(
        "budget",
        [
            {"year": "2024", "planned": "1250000", "spent": "300000"},
            {"year": "2025", "planned": "800000", "spent": "0"},
        ],
    )
    response = _login(client, t, Role.SECRETARY).post(_url("project_budget", t.project.pk), data)
    assert response.status_code == 302
    with scopes_disabled():
        rows = list(BudgetYear.objects.filter(project=t.project).values_list("year", "planned"))
        assert all(b.municipality_id == t.municipality.pk for b in BudgetYear.objects.all())
    assert rows == [(2024, Decimal("1250000")), (2025, Decimal("800000"))]


def test_a_year_twice_is_refused(client, t):
    with scopes_disabled():
        existing = factories.budget_year(t.project, 2024)
    data = _formset_data(
        "budget",
        [
            {"id": existing.pk, "year": "2024", "planned": "1000000", "spent": "250000"},
            {"year": "2025", "planned": "1", "spent": "0"},
            {"year": "2024", "planned": "5", "spent": "0"},
        ],
        initial=1,
    )
    with translation.override("en"):
        response = _login(client, t, Role.SECRETARY).post(
            _url("project_budget", t.project.pk), data
        )
    assert response.status_code == 422
    assert "A year can appear only once in the budget." in " ".join(
        response.context["formset"].non_form_errors()
    )
    with scopes_disabled():
        assert BudgetYear.objects.filter(project=t.project).count() == 1


def test_a_negative_amount_is_refused(client, t):
    data = _formset_data(
        "budget",
        [
            {"year": "2024", "planned": "100", "spent": "0"},
            {"year": "2025", "planned": "-5", "spent": "0"},
        ],
    )
    with translation.override("en"):
        response = _login(client, t, Role.SECRETARY).post(
            _url("project_budget", t.project.pk), data
        )
    assert response.status_code == 422
    assert response.context["formset"].forms[1].errors["planned"] == [
        "The amount cannot be negative."
    ]
    with scopes_disabled():
        assert not BudgetYear.objects.filter(project=t.project).exists()


def test_more_empty_rows_on_asking(client, t):
    _login(client, t, Role.SECRETARY)
    page = client.get(_url("project_budget", t.project.pk), {"raekker": "6"})
    assert len(page.context["formset"].forms) == 6
    page = client.get(_url("project_budget", t.project.pk), {"raekker": "9999"})
    assert len(page.context["formset"].forms) == 30


# --- The gate ----------------------------------------------------------------------------------


def test_the_gate_records_the_change_and_moves_the_project(client, t):
    _login(client, t, Role.PROJECT_LEADER)
    page = client.get(_url("project_phase", t.project.pk))
    choices = dict(page.context["form"].fields["decision"].choices)
    assert choices == {
        "": choices[""],
        str(t.open_item.pk): f"{t.body.name} 15-05-2024: {t.open_item.title}",
    }, "approved minutes with a decision, closed items only for members"
    response = client.post(
        _url("project_phase", t.project.pk),
        {
            "to_phase": Phase.REALISATION,
            "decided_on": "2024-05-20",
            "decision": t.open_item.pk,
            "note": "Piloten lykkedes",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#fasehistorik")
    with scopes_disabled():
        t.project.refresh_from_db()
        change = PhaseChange.objects.get(project=t.project)
    assert t.project.phase == Phase.REALISATION
    assert (change.from_phase, change.to_phase) == (Phase.IMPLEMENTATION, Phase.REALISATION)
    assert change.decision == t.open_item
    assert change.decided_on == datetime.date(2024, 5, 20)
    assert change.decided_by == t.users[Role.PROJECT_LEADER]
    assert change.note == "Piloten lykkedes"


def test_the_gate_refuses_the_same_phase(client, t):
    with translation.override("en"):
        response = _login(client, t, Role.SECRETARY).post(
            _url("project_phase", t.project.pk),
            {
                "to_phase": Phase.IMPLEMENTATION,
                "decided_on": "2024-05-20",
            },
        )
    assert response.status_code == 422
    assert response.context["form"].errors["to_phase"] == [
        "Choose another phase than the present one."
    ]
    with scopes_disabled():
        assert not PhaseChange.objects.exists()


def test_the_gate_offers_no_draft_or_foreign_decision(client, t, other):
    with scopes_disabled():
        draft = factories.item(
            t.draft_meeting, "Udkast", decision="Foreløbig", outcome=Outcome.TREATED
        )
        held = factories.meeting(t.body, datetime.date(2024, 8, 1), state=MeetingState.HELD)
        undecided = factories.item(held, "Uden beslutning")
    _login(client, t, Role.PROJECT_LEADER)  # no member of the body: no closed items
    for item in (draft, undecided, other.open_item, t.closed_item):
        response = client.post(
            _url("project_phase", t.project.pk),
            {
                "to_phase": Phase.CLOSED,
                "decided_on": "2024-05-20",
                "decision": item.pk,
            },
        )
        assert response.status_code == 422, item
        assert "decision" in response.context["form"].errors
    with scopes_disabled():
        assert not PhaseChange.objects.exists()


# --- History -----------------------------------------------------------------------------------


def test_the_history_shows_who_changed_what(client, t):
    with scopes_disabled():
        project = Project.objects.get(pk=t.project.pk)
        project.leader = t.person
        project._history_user = t.users[Role.SECRETARY]
        project.save()
        factories.milestone(t.project, "Kontrakt")
        factories.budget_year(t.project, 2024)
        with scope(municipality=t.municipality.pk):
            change_phase(t.project, Phase.REALISATION)
    with translation.override("en"):
        response = _login(client, t, Role.READER).get(_url("project_history", t.project.pk))
    assert response.status_code == 200
    html = response.content.decode()
    labels = [entry["label"] for entry in response.context["entries"]]
    assert "Milestone: Kontrakt" in labels and "Budget 2024" in labels
    assert "Gate: Implementation → Realisation" in labels
    # a change names the people, not their ids
    assert f"{t.leader_person.name} → {t.person.name}" in html
    assert "Realisation" in html


@pytest.mark.parametrize("value", [None, "", "2", 2, "7", "<x>"])
def test_the_quick_select_renders_as_a_django_select(value):
    """The filters' QuickSelect writes the same markup as forms.Select, only faster."""
    from django import forms
    from django.test.html import parse_html

    from core.widgets import QuickSelect, named_choices

    choices = named_choices([(2, "Ærø & Co"), (1, "Aabenraa"), (3, "Zebra <b>")], "All")
    attrs = {"class": "form-select", "id": "id_x", "aria-invalid": "true", "required": True}
    quick = QuickSelect(choices=choices).render("x", value, attrs=attrs)
    django = forms.Select(choices=choices).render("x", value, attrs=attrs)
    assert parse_html(quick) == parse_html(django)
    assert quick.count("selected") == django.count("selected")
    assert [c[1] for c in choices] == ["All", "Aabenraa", "Zebra <b>", "Ærø & Co"]
