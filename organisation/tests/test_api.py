"""The REST API under /api/v1/: tenant scoping, authentication, roles and validation."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django_scopes import get_scope, scopes_disabled
from rest_framework.test import APIClient

from core.models import ApiToken, Role
from core.tokens import hash_key
from organisation import api as organisation_api
from organisation.models import (
    Body,
    BodyKind,
    CompositionRule,
    Mandate,
    Membership,
    MembershipRole,
    OrgUnit,
    OrgUnitKind,
    Person,
)
from tests import factories

pytestmark = pytest.mark.django_db

SECRET = "SECRET-of-the-other-municipality"

MODELS = {
    "orgunits": OrgUnit,
    "persons": Person,
    "bodies": Body,
    "mandates": Mandate,
    "composition-rules": CompositionRule,
    "memberships": Membership,
}
ENDPOINTS = list(MODELS)
READ_ONLY_ROLES = [Role.READER, Role.MEMBER, Role.PROJECT_LEADER]
WRITE_ROLES = [Role.ADMINISTRATOR, Role.SECRETARY]


def da(message: str) -> str:
    """The Danish text of a message id, as the API should answer with `Accept-Language: da`."""
    with translation.override("da"):
        return gettext(message)


def list_url(resource: str) -> str:
    return f"/api/v1/{resource}/"


def detail_url(resource: str, pk: int) -> str:
    return f"/api/v1/{resource}/{pk}/"


def counts() -> dict[str, int]:
    """Rows per model over all municipalities: what a rejected request must leave alone."""
    with scopes_disabled():
        return {name: model.objects.count() for name, model in MODELS.items()}


def refetch(obj):
    with scopes_disabled():
        return type(obj).objects.get(pk=obj.pk)


def snapshot_of(obj) -> dict:
    """The stored field values of a row."""
    return {k: v for k, v in refetch(obj).__dict__.items() if not k.startswith("_")}


def exists(obj) -> bool:
    with scopes_disabled():
        return type(obj).objects.filter(pk=obj.pk).exists()


@pytest.fixture
def org(municipality, other_municipality):
    """An organisation in `municipality` and a mirror of it, marked SECRET, in the other."""
    o = SimpleNamespace()
    o.unit_top = factories.unit(municipality, "Direktionen", OrgUnitKind.FORVALTNING)
    o.unit_digi = factories.unit(municipality, "Digitalisering", OrgUnitKind.AFDELING, o.unit_top)
    o.anne = factories.person(municipality, "Anne Andersen", "Direktør", o.unit_top)
    o.bo = factories.person(municipality, "Bo Berg", "Konsulent", o.unit_digi)
    o.carl = factories.person(municipality, "Carl Clausen", "Konsulent", o.unit_digi)
    o.direktion = factories.body(municipality, "Direktionen", BodyKind.EXECUTIVE_BOARD)
    o.steering = factories.body(municipality, "Digitaliseringsstyregruppen", parent=o.direktion)
    o.closed = factories.body(
        municipality,
        "Lukket arbejdsgruppe",
        BodyKind.WORKING_GROUP,
        established_on=datetime.date(2019, 1, 1),
        closed_on=datetime.date(2021, 1, 1),
        closing_summary="Opgaven er løst.",
    )
    o.mandate = factories.mandate(o.steering, approved_by=o.direktion)
    o.rule_chief = factories.rule(
        o.mandate, "En direktør som formand", role=MembershipRole.CHAIR, title_contains="direktør"
    )
    o.rule_digi = factories.rule(o.mandate, "En fra Digitalisering", unit=o.unit_digi, position=1)
    o.m_anne = factories.membership(o.anne, o.steering, MembershipRole.CHAIR)
    o.m_bo = factories.membership(o.bo, o.steering)

    o.f_unit = factories.unit(other_municipality, SECRET, OrgUnitKind.FORVALTNING)
    o.f_person = factories.person(other_municipality, SECRET, SECRET, o.f_unit)
    o.f_body = factories.body(other_municipality, SECRET, purpose=SECRET)
    o.f_mandate = factories.mandate(o.f_body, o.f_body, title=SECRET, purpose=SECRET)
    o.f_rule = factories.rule(o.f_mandate, SECRET)
    o.f_membership = factories.membership(o.f_person, o.f_body)

    o.own = {
        "orgunits": [o.unit_top, o.unit_digi],
        "persons": [o.anne, o.bo, o.carl],
        "bodies": [o.direktion, o.steering, o.closed],
        "mandates": [o.mandate],
        "composition-rules": [o.rule_chief, o.rule_digi],
        "memberships": [o.m_anne, o.m_bo],
    }
    o.foreign = {
        "orgunits": o.f_unit,
        "persons": o.f_person,
        "bodies": o.f_body,
        "mandates": o.f_mandate,
        "composition-rules": o.f_rule,
        "memberships": o.f_membership,
    }
    return o


@pytest.fixture
def api(users):
    """`api(role, auth)`: an API client for the user of that role, by token or session."""

    def make(role=Role.ADMINISTRATOR, auth="token", language="da"):
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        user = users[role]
        if auth == "token":
            key = factories.api_key(user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        else:
            client.force_login(user)
        return client

    return make


def create_payload(resource: str, o) -> dict:
    return {
        "orgunits": {"name": "Ny afdeling", "kind": OrgUnitKind.AFDELING, "parent": o.unit_top.pk},
        "persons": {
            "name": "Dorte Dahl",
            "title": "Projektleder",
            "unit": o.unit_digi.pk,
            "email": "dorte@example.dk",
            "active": True,
        },
        "bodies": {"name": "Ny gruppe", "kind": BodyKind.WORKING_GROUP, "parent": o.direktion.pk},
        "mandates": {
            "body": o.direktion.pk,
            "title": "Kommissorium for Direktionen",
            "purpose": "At lede kommunen.",
            "approved_by": o.direktion.pk,
            "approved_on": "2024-01-15",
        },
        "composition-rules": {"mandate": o.mandate.pk, "description": "En konsulent"},
        "memberships": {
            "person": o.carl.pk,
            "body": o.steering.pk,
            "role": MembershipRole.MEMBER,
            "start": "2024-01-01",
        },
    }[resource]


PATCHES = {
    "orgunits": {"name": "Omdøbt"},
    "persons": {"title": "Chef"},
    "bodies": {"purpose": "Nyt formål"},
    "mandates": {"duties": "Nye opgaver"},
    "composition-rules": {"description": "Ændret regel"},
    "memberships": {"note": "Ændret"},
}


def full_payload(resource: str, obj) -> dict:
    """A PUT body for `obj`: its current representation without read-only fields."""
    with scopes_disabled():
        data = organisation_api_serializer(resource)(obj).data
    for read_only in ("id", "version", "rules"):
        data.pop(read_only, None)
    return {k: v for k, v in data.items() if v is not None}


def organisation_api_serializer(resource: str):
    return {
        "orgunits": organisation_api.OrgUnitSerializer,
        "persons": organisation_api.PersonSerializer,
        "bodies": organisation_api.BodySerializer,
        "mandates": organisation_api.MandateSerializer,
        "composition-rules": organisation_api.CompositionRuleSerializer,
        "memberships": organisation_api.MembershipSerializer,
    }[resource]


# --- Scoping ---------------------------------------------------------------------------


@pytest.mark.parametrize("auth", ["token", "session"])
@pytest.mark.parametrize("resource", ENDPOINTS)
def test_list_shows_only_own_municipality(api, org, resource, auth):
    response = api(Role.READER, auth).get(list_url(resource))
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {obj.pk for obj in org.own[resource]}
    assert response.json()["count"] == len(org.own[resource])
    assert SECRET not in response.content.decode()


@pytest.mark.parametrize(
    "resource, query, expected",
    [
        ("persons", {"q": "konsulent"}, ["bo", "carl"]),
        ("persons", {"q": "ANNE"}, ["anne"]),
        ("bodies", {"active": "true"}, ["direktion", "steering"]),
        ("bodies", {"active": "false"}, ["closed"]),
        ("bodies", {"kind": BodyKind.EXECUTIVE_BOARD}, ["direktion"]),
        ("bodies", {"kind": BodyKind.WORKING_GROUP, "active": "true"}, []),
    ],
)
def test_lists_filter_as_their_pages_do(api, org, resource, query, expected):
    response = api(Role.READER).get(list_url(resource), query)
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {
        getattr(org, name).pk for name in expected
    }


@pytest.mark.parametrize(
    "resource, query", [("bodies", {"kind": "x"}), ("bodies", {"active": "kan"})]
)
def test_a_bad_list_filter_is_400(api, org, resource, query):
    response = api(Role.READER).get(list_url(resource), query)
    assert response.status_code == 400
    assert set(response.json()) == set(query)


@pytest.mark.parametrize("auth", ["token", "session"])
@pytest.mark.parametrize("resource", ENDPOINTS)
def test_retrieve_own_and_not_foreign(api, org, resource, auth):
    client = api(Role.READER, auth)
    own = org.own[resource][0]
    response = client.get(detail_url(resource, own.pk))
    assert response.status_code == 200
    assert response.json()["id"] == own.pk

    response = client.get(detail_url(resource, org.foreign[resource].pk))
    assert response.status_code == 404
    assert SECRET not in response.content.decode()


@pytest.mark.parametrize("auth", ["token", "session"])
@pytest.mark.parametrize("resource", ENDPOINTS)
def test_foreign_objects_cannot_be_changed_or_deleted(api, org, resource, auth):
    client = api(Role.ADMINISTRATOR, auth)
    foreign = org.foreign[resource]
    before = counts()
    snapshot = snapshot_of(foreign)
    url = detail_url(resource, foreign.pk)
    for response in (
        client.put(url, create_payload(resource, org), format="json"),
        client.patch(url, PATCHES[resource], format="json"),
        client.delete(url),
    ):
        assert response.status_code == 404
        assert SECRET not in response.content.decode()
    assert counts() == before
    assert snapshot_of(foreign) == snapshot


@pytest.mark.parametrize("auth", ["token", "session"])
def test_the_other_municipality_sees_only_its_own(users, org, auth):
    outsider = users["outsider"]
    api_client = APIClient()
    if auth == "token":
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {factories.api_key(outsider)}")
    else:
        api_client.force_login(outsider)
    for resource in ENDPOINTS:
        response = api_client.get(list_url(resource))
        assert response.status_code == 200
        assert [row["id"] for row in response.json()["results"]] == [org.foreign[resource].pk]
        assert api_client.get(detail_url(resource, org.own[resource][0].pk)).status_code == 404


@pytest.mark.parametrize("auth", ["token", "session"])
def test_composition_is_scoped(api, org, auth):
    client = api(Role.READER, auth)
    assert client.get(f"/api/v1/bodies/{org.steering.pk}/composition/").status_code == 200
    response = client.get(f"/api/v1/bodies/{org.f_body.pk}/composition/")
    assert response.status_code == 404
    assert SECRET not in response.content.decode()


# --- Authentication ----------------------------------------------------------------------


def test_token_obtained_with_username_and_password_works(org, users):
    client = APIClient()
    response = client.post(
        "/api/token/",
        {"username": "secretary", "password": factories.PASSWORD, "scope": "write"},
        format="json",
    )
    assert response.status_code == 200
    key = response.json()["token"]
    assert ApiToken.objects.get(key_hash=hash_key(key)).user == users[Role.SECRETARY]

    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get(list_url("bodies"))
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {b.pk for b in org.own["bodies"]}
    response = client.patch(detail_url("bodies", org.steering.pk), {"purpose": "Ny"}, format="json")
    assert response.status_code == 200


def test_token_with_wrong_password_is_refused(users):
    response = APIClient(HTTP_ACCEPT_LANGUAGE="da").post(
        "/api/token/", {"username": "secretary", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [
        da("Unable to log in with provided credentials.")
    ]
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("resource", ENDPOINTS)
def test_anonymous_is_refused(org, resource):
    client = APIClient()
    before = counts()
    own = org.own[resource][0]
    responses = [
        client.get(list_url(resource)),
        client.get(detail_url(resource, own.pk)),
        client.post(list_url(resource), create_payload(resource, org), format="json"),
        client.patch(detail_url(resource, own.pk), PATCHES[resource], format="json"),
        client.delete(detail_url(resource, own.pk)),
    ]
    for response in responses:
        assert response.status_code in (401, 403)
        assert "results" not in response.json()
    assert counts() == before


def test_anonymous_composition_is_refused(org):
    response = APIClient().get(f"/api/v1/bodies/{org.steering.pk}/composition/")
    assert response.status_code in (401, 403)


def test_invalid_token_is_refused(org):
    client = APIClient(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get(list_url("bodies")).status_code in (401, 403)


def test_user_without_municipality_is_refused(org):
    user = factories.user(None, Role.ADMINISTRATOR)
    client = APIClient(HTTP_AUTHORIZATION=f"Token {factories.api_key(user)}")
    assert client.get(list_url("bodies")).status_code == 403


@pytest.mark.parametrize("auth", ["token", "session"])
def test_browsable_api_works_for_token_and_session_users(api, org, auth):
    """The HTML renderer lists related objects after the view returned: still scoped."""
    client = api(Role.ADMINISTRATOR, auth)
    for url, shown in [
        (list_url("memberships"), "Carl Clausen"),  # in the form's choice of people
        (detail_url("bodies", org.steering.pk), "Digitaliseringsstyregruppen"),
        (f"/api/v1/bodies/{org.steering.pk}/composition/", "En fra Digitalisering"),
    ]:
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        html = response.content.decode()
        assert shown in html
        assert SECRET not in html
    assert "municipality" not in get_scope()


def test_scope_does_not_outlive_a_failing_request(api, org, monkeypatch):
    """Even when a view crashes, the token user's scope must not stay on the thread."""

    def crash(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(organisation_api.OrgUnitViewSet, "get_queryset", crash)
    client = api(Role.READER, "token")
    with pytest.raises(RuntimeError):
        client.get(list_url("orgunits"))
    assert "municipality" not in get_scope()


# --- Roles -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
@pytest.mark.parametrize("resource", ENDPOINTS)
def test_read_only_roles_may_read_but_not_write(api, org, resource, role):
    client = api(role)
    own = org.own[resource][0]
    assert client.get(list_url(resource)).status_code == 200
    assert client.get(detail_url(resource, own.pk)).status_code == 200
    before = counts()
    snapshot = snapshot_of(own)
    url = detail_url(resource, own.pk)
    for response in (
        client.post(list_url(resource), create_payload(resource, org), format="json"),
        client.put(url, full_payload(resource, own), format="json"),
        client.patch(url, PATCHES[resource], format="json"),
        client.delete(url),
    ):
        assert response.status_code == 403
    assert counts() == before
    assert snapshot_of(own) == snapshot


@pytest.mark.parametrize("role", WRITE_ROLES)
@pytest.mark.parametrize("auth", ["token", "session"])
@pytest.mark.parametrize("resource", ENDPOINTS)
def test_write_roles_may_create_update_and_delete(api, org, municipality, resource, role, auth):
    client = api(role, auth)
    before = counts()
    response = client.post(list_url(resource), create_payload(resource, org), format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    model = MODELS[resource]
    with scopes_disabled():
        obj = model.objects.get(pk=created["id"])
    assert obj.municipality_id == municipality.pk
    assert counts()[resource] == before[resource] + 1

    url = detail_url(resource, created["id"])
    response = client.patch(url, PATCHES[resource], format="json")
    assert response.status_code == 200, response.json()
    field, value = next(iter(PATCHES[resource].items()))
    assert response.json()[field] == value

    response = client.put(url, full_payload(resource, refetch(obj)), format="json")
    assert response.status_code == 200, response.json()

    response = client.delete(url)
    assert response.status_code == 204
    assert counts() == before


def test_updating_an_existing_object_keeps_its_municipality(api, org, municipality):
    response = api().put(
        detail_url("persons", org.bo.pk),
        {"name": "Bo Berg", "title": "Chefkonsulent", "unit": org.unit_top.pk},
        format="json",
    )
    assert response.status_code == 200
    bo = refetch(org.bo)
    assert (bo.title, bo.unit_id, bo.municipality_id) == (
        "Chefkonsulent",
        org.unit_top.pk,
        municipality.pk,
    )


# --- Validation --------------------------------------------------------------------------


def assert_rejected(response, before, field, message=None):
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors, errors
    if message is not None:
        assert errors[field] == [message]
    assert counts() == before
    return errors


def test_membership_ending_before_it_starts(api, org):
    before = counts()
    response = api().post(
        list_url("memberships"),
        {
            "person": org.carl.pk,
            "body": org.steering.pk,
            "start": "2024-02-01",
            "end": "2024-01-31",
        },
        format="json",
    )
    assert_rejected(response, before, "end", da("A membership cannot end before it starts."))


def test_membership_changed_to_end_before_it_starts(api, org):
    before = counts()
    response = api().patch(
        detail_url("memberships", org.m_bo.pk), {"end": "2019-12-31"}, format="json"
    )
    assert_rejected(response, before, "end", da("A membership cannot end before it starts."))
    assert refetch(org.m_bo).end is None


@pytest.mark.parametrize(
    "period",
    [
        {"start": "2024-01-01"},
        {"start": "2010-01-01", "end": "2020-01-01"},
        {"start": "2010-01-01"},
    ],
)
def test_duplicate_active_membership(api, org, period):
    before = counts()
    response = api().post(
        list_url("memberships"),
        {"person": org.bo.pk, "body": org.steering.pk, **period},
        format="json",
    )
    assert_rejected(
        response, before, "person", da("The person is already a member of the body in this period.")
    )


def test_membership_in_an_earlier_period_is_allowed(api, org):
    response = api().post(
        list_url("memberships"),
        {"person": org.bo.pk, "body": org.steering.pk, "start": "2010-01-01", "end": "2019-12-31"},
        format="json",
    )
    assert response.status_code == 201, response.json()


def test_member_cannot_be_added_to_a_closed_body(api, org):
    before = counts()
    response = api().post(
        list_url("memberships"),
        {"person": org.carl.pk, "body": org.closed.pk, "start": "2020-01-01"},
        format="json",
    )
    assert_rejected(response, before, "body", da("Members cannot be added to a closed body."))


def test_mandate_cannot_be_approved_in_the_future(api, org):
    before = counts()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = api().post(
        list_url("mandates"),
        {**create_payload("mandates", org), "approved_on": tomorrow.isoformat()},
        format="json",
    )
    assert_rejected(
        response, before, "approved_on", da("A mandate cannot be approved on a date in the future.")
    )


def test_body_cannot_report_to_itself(api, org):
    before = counts()
    client = api()
    response = client.patch(
        detail_url("bodies", org.steering.pk), {"parent": org.steering.pk}, format="json"
    )
    assert_rejected(response, before, "parent", da("A body cannot report to itself."))
    # nor through a body that reports to it
    response = client.patch(
        detail_url("bodies", org.direktion.pk), {"parent": org.steering.pk}, format="json"
    )
    assert_rejected(response, before, "parent", da("A body cannot report to itself."))
    assert refetch(org.direktion).parent_id is None
    assert refetch(org.steering).parent_id == org.direktion.pk


def test_unit_cannot_be_placed_below_itself(api, org):
    before = counts()
    response = api().patch(
        detail_url("orgunits", org.unit_top.pk), {"parent": org.unit_digi.pk}, format="json"
    )
    assert_rejected(response, before, "parent", da("A unit cannot be placed below itself."))
    assert refetch(org.unit_top).parent_id is None


def test_closed_body_needs_a_closing_summary(api, org):
    before = counts()
    response = api().patch(
        detail_url("bodies", org.steering.pk), {"closed_on": "2024-01-01"}, format="json"
    )
    assert_rejected(
        response, before, "closing_summary", da("Write a closing summary when a body is closed.")
    )


def test_closing_a_body_ends_its_running_memberships_as_the_page_does(api, org):
    """The API closes a body through `services.close_body`, as the close page does."""
    response = api().patch(
        detail_url("bodies", org.steering.pk),
        {"closed_on": "2024-06-30", "closing_summary": "Opgaven er løst."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["closed_on"] == "2024-06-30"
    assert [refetch(m).end for m in (org.m_anne, org.m_bo)] == [datetime.date(2024, 6, 30)] * 2
    # other changes leave the memberships alone
    with scopes_disabled():
        Membership.objects.filter(pk=org.m_bo.pk).update(end=None)
    response = api().patch(
        detail_url("bodies", org.steering.pk), {"purpose": "Nyt formål"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert refetch(org.m_bo).end is None


def test_composition_rule_needs_a_positive_number(api, org):
    before = counts()
    response = api().post(
        list_url("composition-rules"),
        {"mandate": org.mandate.pk, "description": "Ingen", "min_count": 0},
        format="json",
    )
    assert_rejected(response, before, "min_count", da("The number must be at least 1."))


FOREIGN_REFERENCES = [
    ("orgunits", "parent", "f_unit"),
    ("persons", "unit", "f_unit"),
    ("bodies", "parent", "f_body"),
    ("mandates", "body", "f_body"),
    ("mandates", "approved_by", "f_body"),
    ("composition-rules", "mandate", "f_mandate"),
    ("composition-rules", "unit", "f_unit"),
    ("memberships", "person", "f_person"),
    ("memberships", "body", "f_body"),
]


@pytest.mark.parametrize("resource,field,foreign", FOREIGN_REFERENCES)
def test_reference_to_another_municipality_is_rejected_on_create(
    api, org, resource, field, foreign
):
    before = counts()
    foreign_pk = getattr(org, foreign).pk
    response = api().post(
        list_url(resource), {**create_payload(resource, org), field: foreign_pk}, format="json"
    )
    errors = assert_rejected(response, before, field)
    assert errors[field][0].startswith("Ugyldig primærnøgle")
    assert errors[field] == [
        da('Invalid pk "{pk_value}" - object does not exist.').format(pk_value=foreign_pk)
    ]
    assert SECRET not in response.content.decode()


@pytest.mark.parametrize("resource,field,foreign", FOREIGN_REFERENCES)
def test_reference_to_another_municipality_is_rejected_on_update(
    api, org, resource, field, foreign
):
    before = counts()
    own = org.own[resource][-1]
    snapshot = getattr(refetch(own), f"{field}_id")
    response = api().patch(
        detail_url(resource, own.pk), {field: getattr(org, foreign).pk}, format="json"
    )
    errors = assert_rejected(response, before, field)
    assert errors[field][0].startswith("Ugyldig primærnøgle")
    assert SECRET not in response.content.decode()
    assert getattr(refetch(own), f"{field}_id") == snapshot


def test_required_fields_are_reported_in_danish(api, org):
    before = counts()
    response = api().post(list_url("bodies"), {}, format="json")
    errors = assert_rejected(response, before, "name", "Dette felt er påkrævet.")
    assert errors["kind"] == ["Dette felt er påkrævet."]


def test_messages_follow_accept_language(api, org):
    before = counts()
    response = api(language="en").post(
        list_url("memberships"),
        {"body": org.steering.pk, "start": "2024-02-01", "end": "2024-01-31"},
        format="json",
    )
    errors = assert_rejected(response, before, "person", "This field is required.")
    assert "end" not in errors  # field errors first; the model is only cleaned when they pass

    response = api(language="en").post(
        list_url("memberships"),
        {
            "person": org.carl.pk,
            "body": org.steering.pk,
            "start": "2024-02-01",
            "end": "2024-01-31",
        },
        format="json",
    )
    assert_rejected(response, before, "end", "A membership cannot end before it starts.")


@pytest.mark.parametrize(
    "resource,field",
    [
        ("bodies", "name"),
        ("bodies", "purpose"),
        ("persons", "email"),
        ("persons", "title"),
        ("memberships", "note"),
        ("mandates", "purpose"),
        ("composition-rules", "title_contains"),
    ],
)
def test_nul_characters_are_rejected(api, org, resource, field):
    """PostgreSQL cannot store NUL; the API must say so with a 400, never a 500."""
    before = counts()
    payload = {**create_payload(resource, org), field: "a\x00b"}
    response = api().post(list_url(resource), payload, format="json")
    errors = assert_rejected(response, before, field)
    assert da("Null characters are not allowed.") in errors[field]


def test_nul_characters_in_ids_and_dates_are_rejected(api, org):
    client = api()
    assert client.get("/api/v1/bodies/1%00/").status_code == 404
    before = counts()
    response = client.post(
        list_url("memberships"),
        {"person": "1\x00", "body": org.steering.pk, "start": "2024-01-01\x00"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"person", "start"}
    assert counts() == before


def test_a_mandate_cannot_be_moved_to_another_body(api, org):
    other = factories.mandate(org.direktion, approved_by=org.direktion)
    assert (other.version, org.mandate.version) == (1, 1)
    before = counts()
    response = api().patch(
        detail_url("mandates", other.pk), {"body": org.steering.pk}, format="json"
    )
    assert_rejected(response, before, "body", da("A mandate cannot be moved to another body."))
    assert refetch(other).body_id == org.direktion.pk


def test_protected_objects_answer_409_and_stay(api, org):
    client = api()
    before = counts()
    for resource, obj in [
        ("orgunits", org.unit_top),  # has a unit below it and people
        ("persons", org.anne),  # has a membership
        ("bodies", org.direktion),  # approved a mandate and has a body below it
    ]:
        response = client.delete(detail_url(resource, obj.pk))
        assert response.status_code == 409
        assert response.json()["detail"]
        assert exists(obj)
    assert counts() == before


# --- Mandates and composition ----------------------------------------------------------


def test_posting_mandates_numbers_their_versions(api, org):
    client = api(Role.SECRETARY)
    payload = {**create_payload("mandates", org), "version": 42}
    first = client.post(list_url("mandates"), payload, format="json")
    assert first.status_code == 201, first.json()
    second = client.post(
        list_url("mandates"), {**payload, "approved_on": "2024-06-01"}, format="json"
    )
    assert second.status_code == 201, second.json()
    assert (first.json()["version"], second.json()["version"]) == (1, 2)
    with scopes_disabled():
        assert list(
            Mandate.objects.filter(body=org.direktion)
            .order_by("version")
            .values_list("version", flat=True)
        ) == [1, 2]
    # versions count per body: the steering group's next mandate is its version 2 as well
    third = client.post(list_url("mandates"), {**payload, "body": org.steering.pk}, format="json")
    assert third.json()["version"] == 2


def test_a_posted_mandate_is_published_as_on_the_page(api, org):
    """`services.publish_mandate`: the body takes the mandate's meetings per year when it has
    none of its own."""
    assert refetch(org.direktion).meetings_per_year is None
    payload = {**create_payload("mandates", org), "meetings_per_year": 11}
    response = api(Role.SECRETARY).post(list_url("mandates"), payload, format="json")
    assert response.status_code == 201, response.json()
    assert refetch(org.direktion).meetings_per_year == 11


def test_mandate_representation_includes_rules(api, org):
    response = api().get(detail_url("mandates", org.mandate.pk))
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == 1
    assert [r["id"] for r in data["rules"]] == [org.rule_chief.pk, org.rule_digi.pk]


def test_composition_satisfied(api, org):
    response = api(Role.READER).get(f"/api/v1/bodies/{org.steering.pk}/composition/")
    assert response.status_code == 200
    data = response.json()
    assert data["satisfied"] is True
    assert data["mandate"] == org.mandate.pk
    with translation.override("da"):
        expected = [
            {
                "rule": org.rule_chief.pk,
                "description": "En direktør som formand",
                "satisfied": True,
                "reason": gettext("Met by %(names)s.") % {"names": "Anne Andersen"},
                "members": [org.anne.pk],
            },
            {
                "rule": org.rule_digi.pk,
                "description": "En fra Digitalisering",
                "satisfied": True,
                "reason": gettext("Met by %(names)s.") % {"names": "Bo Berg"},
                "members": [org.bo.pk],
            },
        ]
    assert data["rules"] == expected


def test_composition_not_satisfied_explains_why(api, org):
    consultants = factories.rule(
        org.mandate, "To konsulenter", title_contains="konsulent", min_count=2, position=2
    )
    response = api(Role.MEMBER).get(f"/api/v1/bodies/{org.steering.pk}/composition/")
    assert response.status_code == 200
    data = response.json()
    assert data["satisfied"] is False
    assert [r["satisfied"] for r in data["rules"]] == [True, True, False]
    last = data["rules"][2]
    assert last["rule"] == consultants.pk
    assert last["members"] == []
    with translation.override("da"):
        expected = (
            ngettext(
                "Requires %(count)d, found %(found)d: %(missing)d is missing.",
                "Requires %(count)d, found %(found)d: %(missing)d are missing.",
                2,
            )
            % {"count": 2, "found": 0, "missing": 2}
            + " "
            + gettext("%(names)s also fits, but is counted for another rule.")
            % {"names": "Bo Berg"}
        )
    assert last["reason"] == expected


def test_composition_ignores_former_members(api, org):
    with scopes_disabled():
        Membership.objects.filter(pk=org.m_bo.pk).update(end=datetime.date(2021, 1, 1))
    data = api().get(f"/api/v1/bodies/{org.steering.pk}/composition/").json()
    assert data["satisfied"] is False
    assert [r["members"] for r in data["rules"]] == [[org.anne.pk], []]


def test_composition_without_mandate(api, org):
    data = api().get(f"/api/v1/bodies/{org.direktion.pk}/composition/").json()
    assert data == {"satisfied": True, "mandate": None, "rules": []}


# --- Paging and schema -----------------------------------------------------------------


def test_huge_paging_numbers_are_refused(api, org):
    """Paging past its bounds (limit 1–500, offset up to 2³¹−1) is 400 naming the
    parameter, as the schema says, not quietly cut (core.pagination)."""
    client = api()
    for name in ("limit", "offset"):
        response = client.get(list_url("bodies"), {name: 10**20})
        assert response.status_code == 400
        assert list(response.json()) == [name]
    response = client.get(list_url("bodies"), {"limit": 500, "offset": 2**31 - 1})
    assert response.status_code == 200
    assert response.json()["results"] == []
    response = client.get(list_url("bodies"), {"limit": 1, "offset": 1})
    assert [row["id"] for row in response.json()["results"]] == [org.direktion.pk]


def test_openapi_schema_generates_without_warnings(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )
    assert "/api/v1/bodies/{id}/composition/" in (tmp_path / "schema.yml").read_text()


def test_memberships_filter_as_the_body_page_lists_them(api, org):
    """`?body=`, `?person=` and `?current=` narrow the list (the body page's members); a
    bad value is 400 naming the parameter."""
    with scopes_disabled():
        ended = factories.membership(
            org.carl,
            org.steering,
            start=datetime.date(2020, 1, 1),
            end=datetime.date(2021, 1, 1),
        )
        elsewhere = factories.membership(org.carl, org.direktion)
    client = api()

    def ids(query: str) -> set[int]:
        response = client.get(list_url("memberships") + query)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(f"?body={org.steering.pk}") == {org.m_anne.pk, org.m_bo.pk, ended.pk}
    assert ids(f"?body={org.steering.pk}&current=true") == {org.m_anne.pk, org.m_bo.pk}
    assert ids(f"?body={org.steering.pk}&current=false") == {ended.pk}
    assert ids(f"?person={org.carl.pk}") == {ended.pk, elsewhere.pk}
    assert ids(f"?body={org.f_body.pk}") == set()  # another municipality's body: nothing
    bad = client.get(list_url("memberships") + "?body=styregruppen")
    assert bad.status_code == 400 and "body" in bad.json()
