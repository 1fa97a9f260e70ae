"""The organisation pages: what a secretary does, and what happens with bad input."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from core.models import Role
from organisation.models import Body, BodyStatus, CompositionRule, Mandate, Membership, Person
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary_client(client, users):
    client.force_login(users[Role.SECRETARY])
    return client


@pytest.fixture
def steering(municipality):
    board = factories.body(municipality, "Direktion", kind="direktion")
    body = factories.body(
        municipality,
        "Digitaliseringsstyregruppen",
        parent=board,
        cross_cutting=True,
        purpose="At styrke digitaliseringen.",
    )
    return body


def counts():
    with scopes_disabled():
        return {
            m.__name__: m.objects.count()
            for m in (Body, BodyStatus, Mandate, CompositionRule, Membership, Person)
        }


def test_body_list_filters_closed_and_active(reader_client, municipality, steering):
    factories.body(
        municipality,
        "Gruppe for markedsføring",
        closed_on=datetime.date(2019, 11, 30),
        closing_summary="Afsluttet.",
    )
    active = reader_client.get(reverse("organisation:body_list")).content.decode()
    closed = reader_client.get(
        reverse("organisation:body_list") + "?status=afsluttede"
    ).content.decode()
    assert "Digitaliseringsstyregruppen" in active and "markedsføring" not in active
    assert "markedsføring" in closed and "Digitaliseringsstyregruppen" not in closed


def test_secretary_creates_a_body(secretary_client, municipality):
    response = secretary_client.post(
        reverse("organisation:body_create"),
        {
            "name": "IT-sikkerhedsgruppen",
            "kind": "sikkerhedsgruppe",
            "meetings_per_year": "1",
            # as the form shows them: the chair approves the minutes (the model's default)
            "minutes_approval": "chair",
            "minutes_approval_days": "5",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        body = Body.objects.get(name="IT-sikkerhedsgruppen")
    assert body.municipality == municipality
    assert body.history.first().history_user.role == Role.SECRETARY


def test_body_form_rejects_a_parent_of_another_municipality(secretary_client, other_municipality):
    foreign = factories.body(other_municipality, "Fremmed direktion")
    before = counts()
    response = secretary_client.post(
        reverse("organisation:body_create"),
        {
            "name": "Ny gruppe",
            "kind": "ad_hoc",
            "parent": foreign.pk,
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors["parent"]
    assert "Fremmed direktion" not in response.content.decode()
    assert counts() == before


def test_add_member_with_htmx_swaps_the_members_section(secretary_client, municipality, steering):
    person = factories.person(municipality, "Søs Fuglsang", "sundheds- og omsorgschef")
    url = reverse("organisation:membership_add", args=[steering.pk])
    response = secretary_client.post(
        url, {"person": person.pk, "role": "member", "start": "2021-01-01"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="members"' in html and "<html" not in html
    assert "Søs Fuglsang" in html
    with scopes_disabled():
        assert Membership.objects.filter(body=steering, person=person).count() == 1


@pytest.mark.parametrize(
    "data, field",
    [
        ({"role": "member", "start": "2024-05-01", "end": "2024-04-01"}, "end"),
        ({"role": "member", "start": ""}, "start"),
        ({"role": "bestyrer", "start": "2024-05-01"}, "role"),
        ({"role": "member", "start": "01-05-2024x"}, "start"),
    ],
)
def test_add_member_bad_input(secretary_client, municipality, steering, data, field):
    person = factories.person(municipality)
    before = counts()
    response = secretary_client.post(
        reverse("organisation:membership_add", args=[steering.pk]), {"person": person.pk, **data}
    )
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert (
        "Nothing was saved" in response.content.decode()
        or "Intet blev gemt" in response.content.decode()
    )
    assert counts() == before


def test_add_member_twice_is_refused(secretary_client, municipality, steering):
    person = factories.person(municipality)
    factories.membership(person, steering, start=datetime.date(2020, 1, 1))
    before = counts()
    response = secretary_client.post(
        reverse("organisation:membership_add", args=[steering.pk]),
        {"person": person.pk, "role": "member", "start": "2021-01-01"},
    )
    assert response.status_code == 422
    assert "person" in response.context["form"].errors
    assert counts() == before


def test_add_member_of_another_municipality_is_refused(
    secretary_client, other_municipality, steering
):
    stranger = factories.person(other_municipality, "Fremmed Person")
    before = counts()
    response = secretary_client.post(
        reverse("organisation:membership_add", args=[steering.pk]),
        {"person": stranger.pk, "role": "member", "start": "2021-01-01"},
    )
    assert response.status_code == 422
    assert "person" in response.context["form"].errors
    assert counts() == before


def test_add_member_to_closed_body_is_refused(secretary_client, municipality):
    closed = factories.body(
        municipality,
        "Gruppe for bæredygtighed",
        closed_on=datetime.date(2021, 3, 31),
        closing_summary="Afsluttet.",
    )
    person = factories.person(municipality)
    before = counts()
    response = secretary_client.post(
        reverse("organisation:membership_add", args=[closed.pk]),
        {"person": person.pk, "role": "member", "start": "2021-01-01"},
    )
    assert response.status_code == 422
    assert response.context["form"].errors
    assert counts() == before


def test_close_body_with_summary(secretary_client, municipality, steering):
    member = factories.membership(factories.person(municipality), steering)
    response = secretary_client.post(
        reverse("organisation:body_close", args=[steering.pk]),
        {
            "closed_on": "2021-03-31",
            "closing_summary": "Gruppen afrapporterede primo 2021.",
        },
    )
    assert response.status_code == 302
    steering.refresh_from_db()
    member.refresh_from_db()
    assert steering.closed_on == datetime.date(2021, 3, 31)
    assert member.end == datetime.date(2021, 3, 31)


@pytest.mark.parametrize(
    "data",
    [
        {"closed_on": "2021-03-31", "closing_summary": ""},
        {"closed_on": "", "closing_summary": "Slut"},
        {
            "closed_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "closing_summary": "Slut",
        },
        {"closed_on": "2016-01-01", "closing_summary": "Før oprettelsen"},
    ],
)
def test_close_body_bad_input_changes_nothing(secretary_client, municipality, data):
    body = factories.body(municipality, established_on=datetime.date(2017, 1, 11))
    factories.membership(factories.person(municipality), body, start=datetime.date(2017, 2, 1))
    before = counts()
    response = secretary_client.post(reverse("organisation:body_close", args=[body.pk]), data)
    assert response.status_code == 422
    assert response.context["form"].errors
    body.refresh_from_db()
    assert body.closed_on is None
    with scopes_disabled():
        assert Membership.objects.get(body=body).end is None
    assert counts() == before


def test_publish_mandate_version_with_rules(secretary_client, municipality, steering):
    board = steering.parent
    response = secretary_client.post(
        reverse("organisation:mandate_create", args=[steering.pk]),
        {
            "title": "Kommissorium for den tværgående digitaliseringsorganisation",
            "purpose": "Ledelsesmæssig forankring.",
            "cadence": "Fire årlige møder",
            "meetings_per_year": "4",
            "approved_by": board.pk,
            "approved_on": "2021-01-12",
            "rules-TOTAL_FORMS": "2",
            "rules-INITIAL_FORMS": "0",
            "rules-MIN_NUM_FORMS": "0",
            "rules-MAX_NUM_FORMS": "1000",
            "rules-0-description": "Formand: chef for Borgerservice, IT og Digitalisering",
            "rules-0-role": "chair",
            "rules-0-min_count": "1",
            "rules-0-title_contains": "chef for borgerservice",
            "rules-1-description": "",
            "rules-1-min_count": "1",
        },
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    with scopes_disabled():
        mandate = Mandate.objects.get(body=steering)
        assert mandate.version == 1
        assert list(mandate.rules.values_list("description", flat=True)) == [
            "Formand: chef for Borgerservice, IT og Digitalisering"
        ]
    page = secretary_client.get(
        reverse("organisation:body_detail", args=[steering.pk])
    ).content.decode()
    assert "Formand: chef for Borgerservice" in page


def test_mandate_in_the_future_writes_nothing(secretary_client, municipality, steering):
    before = counts()
    future = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = secretary_client.post(
        reverse("organisation:mandate_create", args=[steering.pk]),
        {
            "title": "K",
            "purpose": "P",
            "approved_by": steering.parent.pk,
            "approved_on": future,
            "rules-TOTAL_FORMS": "1",
            "rules-INITIAL_FORMS": "0",
            "rules-MIN_NUM_FORMS": "0",
            "rules-MAX_NUM_FORMS": "1000",
            "rules-0-description": "Formand",
            "rules-0-min_count": "1",
        },
    )
    assert response.status_code == 422
    assert "approved_on" in response.context["form"].errors
    assert counts() == before


def test_bad_rule_writes_no_mandate(secretary_client, municipality, steering):
    before = counts()
    response = secretary_client.post(
        reverse("organisation:mandate_create", args=[steering.pk]),
        {
            "title": "K",
            "purpose": "P",
            "approved_by": steering.parent.pk,
            "approved_on": "2021-01-01",
            "rules-TOTAL_FORMS": "1",
            "rules-INITIAL_FORMS": "0",
            "rules-MIN_NUM_FORMS": "0",
            "rules-MAX_NUM_FORMS": "1000",
            "rules-0-description": "To chefer",
            "rules-0-min_count": "0",
        },
    )
    assert response.status_code == 422
    assert counts() == before


def test_new_mandate_version_starts_from_the_previous(secretary_client, municipality, steering):
    mandate = factories.mandate(steering, steering.parent, title="Kommissorium v1")
    factories.rule(mandate, "Stabschefen", title_contains="stabschef")
    page = secretary_client.get(reverse("organisation:mandate_create", args=[steering.pk]))
    html = page.content.decode()
    assert 'value="Kommissorium v1"' in html and 'value="Stabschefen"' in html


def test_status_entry_in_the_future_is_refused(secretary_client, steering):
    before = counts()
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = secretary_client.post(
        reverse("organisation:status_add", args=[steering.pk]), {"date": future, "text": "Snart"}
    )
    assert response.status_code == 422
    assert counts() == before


def test_history_shows_who_changed_what(secretary_client, users, steering):
    secretary_client.post(
        reverse("organisation:body_edit", args=[steering.pk]),
        {
            "name": "Digitaliseringsstyregruppen",
            "kind": "styregruppe",
            "cadence": "Fire gange om året",
            "cross_cutting": "on",
            "purpose": steering.purpose,
            "parent": steering.parent_id,
            "minutes_approval": "chair",
            "minutes_approval_days": "5",
        },
    )
    html = secretary_client.get(
        reverse("organisation:history", args=["organ", steering.pk])
    ).content.decode()
    assert "Fire gange om året" in html
    assert users[Role.SECRETARY].username in html


def test_unknown_history_kind_is_404(secretary_client, steering):
    assert secretary_client.get(f"/historik/bruger/{steering.pk}/").status_code == 404


def test_person_search(reader_client, municipality):
    factories.person(municipality, "Kaare Christensen", "teamleder og databeskyttelsesrådgiver")
    factories.person(municipality, "Tonny Olsen", "chef")
    html = reader_client.get(
        reverse("organisation:person_list") + "?q=databeskyttelse"
    ).content.decode()
    assert "Kaare Christensen" in html and "Tonny Olsen" not in html


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_login_page_and_redirect(client, db):
    response = client.get(reverse("organisation:body_list"))
    assert response.status_code == 302 and response["Location"].startswith("/konto/login/")


def test_cancel_on_an_edit_page_goes_back_to_the_object(secretary_client, steering):
    html = secretary_client.get(
        reverse("organisation:body_edit", args=[steering.pk])
    ).content.decode()
    assert (
        f'class="button button-secondary" href="{reverse("organisation:body_detail", args=[steering.pk])}"'
        in html
    )
    html = secretary_client.get(
        reverse("organisation:body_close", args=[steering.pk])
    ).content.decode()
    assert "Afslut organet" in html or "Close the body" in html
