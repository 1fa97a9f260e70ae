"""What the API says it does, it does: strict JSON types (`core.api.StrictTypes`), paging
that refuses bad bounds (`core.pagination`), and the errors every operation documents
(`core.api_schema`)."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from django_scopes import scopes_disabled
from rest_framework import serializers
from rest_framework.test import APIClient

from core.api import StrictTypes
from core.models import Role
from organisation.models import Person
from tests import factories
from tests.once import once_per_module

pytestmark = pytest.mark.django_db

PERSONS = "/api/v1/persons/"


def da(message: str) -> str:
    with translation.override("da"):
        return gettext(message)


@once_per_module
def world():
    municipality = factories.municipality("Norddjurs Kommune")
    users = factories.users_of_every_role(municipality, factories.municipality())
    unit = factories.unit(municipality)
    return {"users": users, "unit": unit}


@pytest.fixture
def client(world):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="da")
    client.force_login(world["users"][Role.ADMINISTRATOR])
    return client


def persons() -> list[tuple]:
    with scopes_disabled():
        return sorted(Person.objects.values_list("pk", "name", "active", "unit_id"))


# --- Strict types ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body,field,message",
    [
        (lambda unit: {"name": 0}, "name", "Not a valid string."),
        (lambda unit: {"name": ["Anne"]}, "name", "Not a valid string."),
        (lambda unit: {"name": "Anne", "title": 12.5}, "title", "Not a valid string."),
        (lambda unit: {"name": "Anne", "active": 0}, "active", "Must be a valid boolean."),
        (lambda unit: {"name": "Anne", "active": "true"}, "active", "Must be a valid boolean."),
        (lambda unit: {"name": "Anne", "unit": str(unit)}, "unit", None),
        (lambda unit: {"name": "Anne", "unit": float(unit)}, "unit", None),
        (lambda unit: {"name": "Anne", "unit": True}, "unit", None),
        (lambda unit: {"name": "Anne", "email": 5}, "email", None),
    ],
)
def test_json_values_of_the_wrong_type_are_refused(client, world, body, field, message):
    before = persons()
    response = client.post(PERSONS, body(world["unit"].pk), format="json")
    assert response.status_code == 400, response.json()
    errors = response.json()
    assert list(errors) == [field], errors
    if message is not None:
        assert errors[field] == [da(message)]
    assert persons() == before


def test_a_type_error_is_answered_with_the_other_fields_errors(client):
    response = client.post("/api/v1/mandates/", {"meetings_per_year": "4"}, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["meetings_per_year"] == [da("A valid integer is required.")]
    assert "body" in errors  # required, reported in the same answer


@pytest.mark.parametrize("value", [True, 4.0, "4", 4.5])
def test_a_whole_number_must_be_one(client, value):
    response = client.post("/api/v1/mandates/", {"meetings_per_year": value}, format="json")
    assert response.json()["meetings_per_year"] == [da("A valid integer is required.")]


def test_choices_lists_and_decimals_keep_their_json_types(client, world):
    response = client.post("/api/v1/orgunits/", {"name": "X", "kind": 0}, format="json")
    assert list(response.json()) == ["kind"]
    response = client.post(
        "/api/v1/agenda-items/", {"title": "X", "guests": str(world["unit"].pk)}, format="json"
    )
    assert response.status_code == 400 and "guests" in response.json()
    response = client.post("/api/v1/agenda-items/", {"title": "X", "guests": ["1"]}, format="json")
    assert "guests" in response.json()
    # A decimal is a string, as the schema says ("12.50"), never a JSON number.
    for value, refused in ((12.5, True), ("1e3", True), ("12.50", False)):
        response = client.post("/api/v1/benefit-measurements/", {"value": value}, format="json")
        assert response.status_code == 400
        assert ("value" in response.json()) is refused, (value, response.json())


def test_well_typed_json_and_forms_are_accepted(client, world):
    unit = world["unit"].pk
    response = client.post(
        PERSONS, {"name": "Anne", "active": False, "unit": unit, "title": ""}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["active"], response.json()["unit"]) == (False, unit)
    # A form sends text: read as DRF reads it.
    response = client.post(
        PERSONS, {"name": "Bo", "active": "false", "unit": str(unit)}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["active"], response.json()["unit"]) == (False, unit)
    response = client.post(
        PERSONS, "name=Carl&active=true", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 201, response.json()


def test_every_serializer_of_the_api_is_strict():
    """A new serializer must take its base from core.api (StrictSerializer,
    StrictModelSerializer or ModelCleanSerializer), or JSON's types go unchecked again."""
    import digistyr.api  # noqa: F401  (imports every app's API)

    # (core's own serializers of /api/token/ belong to the authentication, not to /api/v1/.)
    apps = ("organisation", "meetings", "portfolio", "benefits", "strategy", "planning")
    lax = []
    stack = [serializers.BaseSerializer]
    seen = set()
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub in seen:
                continue
            seen.add(sub)
            stack.append(sub)
            ours = sub.__module__.split(".")[0] in apps and ".tests" not in sub.__module__
            if ours and not issubclass(sub, serializers.ListSerializer | StrictTypes):
                lax.append(f"{sub.__module__}.{sub.__qualname__}")
    assert lax == []


# --- Paging ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query,name",
    [
        ("limit=abc", "limit"),
        ("limit=", "limit"),
        ("limit=-1", "limit"),
        ("limit=0", "limit"),
        ("limit=1.5", "limit"),
        ("limit=501", "limit"),
        ("offset=-5", "offset"),
        ("offset=abc", "offset"),
        (f"offset={2**31}", "offset"),
    ],
)
def test_bad_paging_is_refused(client, query, name):
    response = client.get(f"{PERSONS}?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [name]
    assert response.json()[name][0]


def test_good_paging_pages(client, world):
    with scopes_disabled():
        for n in range(3):
            factories.person(world["unit"].municipality, f"Person {n}")
    page = client.get(f"{PERSONS}?limit=2&offset=1").json()
    assert (page["count"], len(page["results"])) == (3, 2)
    assert client.get(f"{PERSONS}?limit=500&offset=0").status_code == 200
    assert len(client.get(f"{PERSONS}?offset=0").json()["results"]) == 3


# --- The schema -----------------------------------------------------------------------------


def test_every_operation_documents_its_errors(client):
    schema = client.get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    assert components["ValidationErrorResponse"]["properties"]["non_field_errors"]["type"] == (
        "array"
    )
    missing = []
    for path, operations in schema["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            if method == "parameters":
                continue
            responses = operation["responses"]
            parameters = operation.get("parameters", [])
            expected = {"401", "403"}
            if method in ("post", "put", "patch", "delete") or any(
                p["in"] == "query" for p in parameters
            ):
                expected.add("400")
            if "{" in path:
                expected.add("404")
            for code in expected:
                content = responses.get(code, {}).get("content", {}).get("application/json")
                if content is None:
                    missing.append(f"{method.upper()} {path} {code}")
            if "400" in expected and method != "get":
                ref = responses["400"]["content"]["application/json"]["schema"].get("$ref", "")
                if not ref.endswith("/ValidationErrorResponse"):
                    missing.append(f"{method.upper()} {path} 400 shape")
    assert missing == []
    limit = next(
        p for p in schema["paths"]["/api/v1/persons/"]["get"]["parameters"] if p["name"] == "limit"
    )
    assert limit["schema"] == {"type": "integer", "minimum": 1, "maximum": 500}


# --- Refusals name the missing right ---------------------------------------------------------


def test_a_refusal_says_why_and_names_the_permission(world):
    from core.permissions import refusal

    reader = APIClient(HTTP_ACCEPT_LANGUAGE="da")
    reader.force_login(world["users"][Role.READER])
    response = reader.post(PERSONS, {"name": "Anne"}, format="json")
    assert response.status_code == 403
    with translation.override("da"):
        expected = refusal("organisation.change")
    assert response.json() == {"detail": expected, "permission": "organisation.change"}
    assert "sekretær" in expected  # Danish, as the user asked
    # the schema documents the field on every 403
    schema = reader.get("/api/schema/?format=json").json()
    refusal_schema = schema["components"]["schemas"]["RefusalResponse"]
    assert "permission" in refusal_schema["properties"]
    forbidden = schema["paths"]["/api/v1/persons/"]["post"]["responses"]["403"]
    assert forbidden["content"]["application/json"]["schema"]["$ref"].endswith("/RefusalResponse")
