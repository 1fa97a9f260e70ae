"""Proposals: the list with its filters, one proposal with the plan entries that refer to it,
reporting and editing, the status with its note, and making a proposal a project."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from core.models import Role
from core.permissions import has_perm
from planning.models import Proposal, ProposalSource, ProposalStatus
from planning.proposals import services
from portfolio.models import Category, Phase, Project
from tests import factories
from tests.world import CANARY_OTHER, CANARY_OWN


def _login(client, t, role=Role.ADMINISTRATOR):
    client.force_login(t.users[role])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _url(name, *args):
    return reverse(f"planning:{name}", args=args)


def _data(t, **overrides) -> dict:
    data = {
        "title": "Chatbot på hjemmesiden",
        "source": ProposalSource.INNOVATION,
        "body": t.body.pk,
        "unit": t.unit.pk,
        "contact": t.person.pk,
        "received_on": "2025-03-10",
        "description": "Borgerne spørger om det samme uden for åbningstid.",
        "expected_benefit": "Færre opkald.",
        "estimated_hours": "250",
        "estimated_amount": "1.250.000",
    }
    data.update(overrides)
    return data


def _count(t) -> int:
    with scopes_disabled():
        return Proposal.objects.filter(municipality=t.municipality).count()


def _get(pk) -> Proposal:
    with scopes_disabled():
        return Proposal.objects.get(pk=pk)


# --- The list ----------------------------------------------------------------------------------


@pytest.fixture
def several(t):
    with scopes_disabled():
        unit = factories.unit(t.municipality, "Sundhed og Omsorg")
        return {
            "idea": factories.proposal(
                t.municipality,
                "Droner",
                source=ProposalSource.INNOVATION,
                status=ProposalStatus.REJECTED,
                status_note="For dyrt",
            ),
            "need": factories.proposal(
                t.municipality, "Talegenkendelse", unit=unit, status=ProposalStatus.ASSESSING
            ),
            "unit": unit,
        }


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, {"Droner", "Talegenkendelse", f"Digital post til foreninger {CANARY_OWN}"}),
        ({"status": "rejected"}, {"Droner"}),
        ({"kilde": "innovation"}, {"Droner"}),
        ({"kilde": "local", "status": "new"}, {f"Digital post til foreninger {CANARY_OWN}"}),
    ],
)
def test_the_list_filters(client, t, other, several, params, expected):
    response = _login(client, t, Role.READER).get(_url("proposal_list"), params)
    assert response.status_code == 200
    assert {p.title for p in response.context["rows"]} == expected
    assert CANARY_OTHER not in response.content.decode()


def test_the_list_filters_by_unit_and_ignores_bad_filters(client, t, other, several):
    client = _login(client, t, Role.READER)
    response = client.get(_url("proposal_list"), {"enhed": several["unit"].pk})
    assert [p.title for p in response.context["rows"]] == ["Talegenkendelse"]
    response = client.get(_url("proposal_list"), {"enhed": other.unit.pk, "status": "nope"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"enhed", "status"}
    assert len(response.context["rows"]) == 3


def test_the_list_costs_the_same_queries_for_more_proposals(client, t):
    client = _login(client, t, Role.READER)
    with CaptureQueriesContext(connection) as small:
        client.get(_url("proposal_list"))
    with scopes_disabled():
        for i in range(8):
            project = factories.project(t.municipality, f"Projekt {i}")
            factories.proposal(
                t.municipality,
                f"Forslag {i}",
                unit=t.unit,
                project=project,
                status=ProposalStatus.PROJECT,
            )
    with CaptureQueriesContext(connection) as large:
        client.get(_url("proposal_list"))
    assert len(large) == len(small)


# --- One proposal ------------------------------------------------------------------------------


def test_the_detail_shows_the_plan_entries_that_refer_to_it(client, t, other):
    with scopes_disabled():
        entry = factories.plan_entry(t.plan, "Digital post", proposal=t.proposal)
    response = _login(client, t, Role.READER).get(_url("proposal_detail", t.proposal.pk))
    assert response.status_code == 200
    assert response.context["entries"] == [entry]
    html = response.content.decode()
    assert "Digital post" in html and f"Behov {CANARY_OWN}" in html
    assert "Make a project" not in html  # a reader does not assess
    assert client.get(_url("proposal_detail", other.proposal.pk)).status_code == 404


# --- Reporting and editing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.ADMINISTRATOR, Role.SECRETARY, Role.MEMBER, Role.PROJECT_LEADER]
)
def test_everyone_who_takes_part_reports_a_proposal(client, t, role):
    response = _login(client, t, role).post(_url("proposal_create"), _data(t))
    assert response.status_code == 302
    with scopes_disabled():
        proposal = Proposal.objects.get(title="Chatbot på hjemmesiden")
    assert proposal.created_by == t.users[role]
    assert proposal.status == ProposalStatus.NEW
    assert str(proposal.estimated_amount) == "1250000.00"
    assert proposal.history.get().history_user == t.users[role]


def test_a_reader_does_not_report(client, t):
    client = _login(client, t, Role.READER)
    assert client.get(_url("proposal_create")).status_code == 403
    assert client.post(_url("proposal_create"), _data(t)).status_code == 403
    assert _count(t) == 1


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"description": ""}, "description", "This field is required."),
        ({"title": ""}, "title", "This field is required."),
        ({"estimated_amount": "12,3,4"}, "estimated_amount", "Enter a number"),
        ({"estimated_amount": "-5"}, "estimated_amount", "greater than or equal to 0"),
        ({"estimated_hours": "-1"}, "estimated_hours", "greater than or equal to 0"),
        ({"estimated_hours": "99999999999"}, "estimated_hours", "less than or equal to"),
        ({"received_on": "3001-01-01"}, "received_on", ""),
        ({"source": "everyone"}, "source", "Select a valid choice"),
    ],
)
def test_a_bad_proposal_is_refused_and_nothing_is_saved(
    client, t, english, overrides, field, message
):
    response = _login(client, t, Role.MEMBER).post(_url("proposal_create"), _data(t, **overrides))
    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors[field])
    assert _count(t) == 1


def test_another_municipalitys_unit_body_or_person_is_refused(client, t, other):
    client = _login(client, t)
    for field, value in (
        ("unit", other.unit.pk),
        ("body", other.body.pk),
        ("contact", other.person.pk),
    ):
        response = client.post(_url("proposal_create"), _data(t, **{field: value}))
        assert response.status_code == 422
        assert field in response.context["form"].errors
    assert _count(t) == 1


def test_the_creator_edits_the_proposal_while_it_is_new(client, t):
    client = _login(client, t, Role.MEMBER)
    client.post(_url("proposal_create"), _data(t))
    with scopes_disabled():
        proposal = Proposal.objects.get(title="Chatbot på hjemmesiden")
    response = client.post(_url("proposal_edit", proposal.pk), _data(t, title="Chatbot"))
    assert response.status_code == 302
    assert _get(proposal.pk).title == "Chatbot"
    # another member may not
    with scopes_disabled():
        someone = factories.user(t.municipality, Role.MEMBER, username="someone")
    client.force_login(someone)
    assert client.post(_url("proposal_edit", proposal.pk), _data(t)).status_code == 403
    # once it is being assessed, the creator may not either
    with scopes_disabled():
        Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.ASSESSING)
    client.force_login(t.users[Role.MEMBER])
    assert client.get(_url("proposal_edit", proposal.pk)).status_code == 403
    assert _get(proposal.pk).title == "Chatbot"


def test_those_who_run_planning_edit_every_proposal(client, t, other):
    client = _login(client, t, Role.SECRETARY)
    response = client.post(_url("proposal_edit", t.proposal.pk), _data(t, title="Nyt navn"))
    assert response.status_code == 302
    assert _get(t.proposal.pk).title == "Nyt navn"
    assert client.get(_url("proposal_edit", other.proposal.pk)).status_code == 404


# --- Status ------------------------------------------------------------------------------------


def test_the_status_changes_with_a_note(client, t):
    response = _login(client, t, Role.SECRETARY).post(
        _url("proposal_status", t.proposal.pk),
        {"status": ProposalStatus.PLANNED, "status_note": "I indsatsplanen 2025."},
    )
    assert response.status_code == 302
    proposal = _get(t.proposal.pk)
    assert (proposal.status, proposal.status_note) == ("planned", "I indsatsplanen 2025.")


def test_a_rejection_needs_the_reason(client, t, english):
    response = _login(client, t).post(
        _url("proposal_status", t.proposal.pk), {"status": "rejected", "status_note": "  "}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["status_note"] == [
        "Give the reason the proposal was rejected."
    ]
    assert _get(t.proposal.pk).status == ProposalStatus.NEW


@pytest.mark.parametrize("status", ["project", "unknown", ""])
def test_the_status_project_is_not_set_by_hand(client, t, status):
    response = _login(client, t).post(
        _url("proposal_status", t.proposal.pk), {"status": status, "status_note": ""}
    )
    assert response.status_code == 422
    assert _get(t.proposal.pk).status == ProposalStatus.NEW


@pytest.mark.parametrize("role", [Role.MEMBER, Role.PROJECT_LEADER, Role.READER])
def test_only_those_who_run_planning_assess(client, t, role):
    client = _login(client, t, role)
    response = client.post(
        _url("proposal_status", t.proposal.pk), {"status": "planned", "status_note": ""}
    )
    assert response.status_code == 403
    response = client.post(
        _url("proposal_make_project", t.proposal.pk), {"name": "X", "category": Category.LOCAL}
    )
    assert response.status_code == 403
    assert _get(t.proposal.pk).status == ProposalStatus.NEW


# --- Making a project --------------------------------------------------------------------------


def _projects(t) -> int:
    with scopes_disabled():
        return Project.objects.filter(municipality=t.municipality).count()


def test_a_proposal_becomes_a_project_once(client, t, english):
    client = _login(client, t, Role.SECRETARY)
    response = client.get(_url("proposal_make_project", t.proposal.pk))
    assert response.context["form"]["name"].value() == t.proposal.title
    before = _projects(t)
    response = client.post(
        _url("proposal_make_project", t.proposal.pk),
        {"name": "Digital post", "category": Category.CROSS_CUTTING},
    )
    proposal = _get(t.proposal.pk)
    assert response.status_code == 302
    assert response["Location"] == reverse("portfolio:project_detail", args=[proposal.project_id])
    with scopes_disabled():
        project = Project.objects.get(pk=proposal.project_id)
    assert (project.name, project.category, project.phase) == (
        "Digital post",
        Category.CROSS_CUTTING,
        Phase.IDEA,
    )
    assert project.purpose == t.proposal.description
    assert project.owning_unit_id == t.unit.pk
    assert project.municipality_id == t.municipality.pk
    assert proposal.status == ProposalStatus.PROJECT
    assert project.history.get().history_user == t.users[Role.SECRETARY]
    # a second time: a clear error, and no second project
    response = client.post(
        _url("proposal_make_project", t.proposal.pk),
        {"name": "Igen", "category": Category.LOCAL},
    )
    assert response.status_code == 422
    assert "already became the project “Digital post”" in response.content.decode()
    assert _projects(t) == before + 1
    # nor does its status change any more
    response = client.post(
        _url("proposal_status", t.proposal.pk), {"status": "new", "status_note": ""}
    )
    assert response.status_code == 422
    assert _get(t.proposal.pk).status == ProposalStatus.PROJECT


@pytest.mark.parametrize(
    "data, field",
    [
        ({"name": "X", "category": ""}, "category"),
        ({"name": "X", "category": "space"}, "category"),
        ({"name": "", "category": Category.LOCAL}, "name"),
        ({"name": "X" * 201, "category": Category.LOCAL}, "name"),
    ],
)
def test_bad_input_makes_no_project(client, t, data, field):
    before = _projects(t)
    response = _login(client, t).post(_url("proposal_make_project", t.proposal.pk), data)
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert _projects(t) == before
    assert _get(t.proposal.pk).project_id is None


def test_a_rejected_proposal_is_not_made_a_project(client, t, english):
    with scopes_disabled():
        Proposal.objects.filter(pk=t.proposal.pk).update(status="rejected", status_note="Nej")
    before = _projects(t)
    response = _login(client, t).post(
        _url("proposal_make_project", t.proposal.pk), {"name": "X", "category": Category.LOCAL}
    )
    assert response.status_code == 422
    assert "The proposal was rejected." in response.content.decode()
    assert _projects(t) == before


def test_a_refused_project_leaves_nothing_behind(t):
    """The project's own rules fail after the proposal was read: nothing is written."""
    before = _projects(t)
    with scope(municipality=t.municipality.pk), pytest.raises(ValidationError):
        services.make_project(t.proposal, category="no-such-category")
    assert _projects(t) == before
    assert _get(t.proposal.pk).status == ProposalStatus.NEW


def test_who_may_edit(t):
    with scopes_disabled():
        mine = factories.proposal(t.municipality, created_by=t.users[Role.READER])
    # a reader who once created a proposal (before the role changed) no longer edits it
    assert not has_perm(t.users[Role.READER], "planning.edit_proposal", mine)
    assert has_perm(t.users[Role.SECRETARY], "planning.edit_proposal", mine)
    assert not has_perm(None, "planning.edit_proposal", mine)


def test_the_pages_and_the_api_save_a_proposal_with_the_same_rules(t, english):
    """`save_proposal`: a status set by hand is checked against the one saved."""
    with scope(municipality=t.municipality.pk):
        new = services.save_proposal(Proposal(title="Ny", description="Behov"))
        assert new.municipality_id == t.municipality.pk and new.status == ProposalStatus.NEW
        new.status = ProposalStatus.PROJECT
        with pytest.raises(ValidationError, match="Make a project"):
            services.save_proposal(new)
        services.make_project(new, category=Category.LOCAL)
        new.status = ProposalStatus.NEW
        with pytest.raises(ValidationError, match="no longer changes"):
            services.save_proposal(new)
        with pytest.raises(ValidationError, match="reason"):
            services.set_status(Proposal.objects.get(pk=t.proposal.pk), "rejected", " ")
    assert _get(new.pk).status == ProposalStatus.PROJECT
    assert _get(t.proposal.pk).status == ProposalStatus.NEW
