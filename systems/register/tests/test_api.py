"""The register's API under /api/v1/: suppliers, systems, system usages, their projects,
contracts, data-processing agreements, supervisions and assessments.

The data (built once per module): two systems of a supplier used by the municipality, one of
them read from KITOS, with a contract, an agreement with a supervision and assessments of
every kind; a project linked to one; and a mirror, marked SECRET, in another municipality.
ADMINISTRATOR and SECRETARY keep the register (`systems.change`); the other roles read it.
"""

import datetime
import uuid
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from core.models import Role
from systems.models import (
    Assessment,
    Contract,
    DataProcessingAgreement,
    Supervision,
    Supplier,
    System,
    SystemProject,
    SystemUsage,
)
from tests import factories
from tests.once import once_per_module

pytestmark = pytest.mark.django_db

SECRET = "SECRET-of-the-other-municipality"
READ_ONLY_ROLES = [Role.READER, Role.MEMBER, Role.PROJECT_LEADER]
MODELS = {
    "suppliers": Supplier,
    "systems": System,
    "system-usages": SystemUsage,
    "system-projects": SystemProject,
    "contracts": Contract,
    "data-processing-agreements": DataProcessingAgreement,
    "supervisions": Supervision,
    "assessments": Assessment,
}
RESOURCES = list(MODELS)
CHANGES = {
    "suppliers": {"name": "Rettet"},
    "systems": {"description": "Rettet"},
    "system-projects": {"effect": "integrates"},
    "assessments": {"summary": "Rettet"},
}


def _mirror(municipality, secret: str) -> SimpleNamespace:
    o = SimpleNamespace()
    o.unit = factories.unit(municipality, f"Digitalisering {secret}".strip())
    o.person = factories.person(municipality, f"Sara Ejer {secret}".strip(), "chef", o.unit)
    o.body = factories.body(municipality, f"IT-sikkerhedsgruppen {secret}".strip())
    o.supplier = factories.supplier(municipality, f"Netcompany {secret}".strip(), cvr="12345678")
    o.usage = factories.system_usage(
        municipality,
        f"Sagssystem {secret}".strip(),
        supplier=o.supplier,
        owner=o.person,
        responsible_unit=o.unit,
        body=o.body,
        criticality="high",
        personal_data=["ordinary", "cpr"],
        hosting="external",
        note=secret,
    )
    o.system = o.usage.system
    o.project = factories.project(municipality, f"Nyt sagssystem {secret}".strip())
    with scopes_disabled():
        o.link = SystemProject.objects.create(
            municipality=municipality, usage=o.usage, project=o.project, note=secret
        )
    o.contract = factories.contract(
        municipality,
        f"Driftskontrakt {secret}".strip(),
        usages=[o.usage],
        supplier=o.supplier,
        start=datetime.date(2022, 1, 1),
        end=datetime.date(2026, 12, 31),
        notice_months=6,
        note=secret,
    )
    o.agreement = factories.agreement(
        municipality,
        f"Databehandleraftale {secret}".strip(),
        usages=[o.usage],
        processor=o.supplier,
        concluded_on=datetime.date(2022, 1, 1),
        note=secret,
    )
    o.supervision = factories.supervision(o.agreement, datetime.date(2024, 3, 1), note=secret)
    o.old_risk = factories.assessment(o.usage, "risk", datetime.date(2023, 1, 10))
    o.risk = factories.assessment(o.usage, "risk", datetime.date(2024, 1, 15), summary=secret)
    o.dpia = factories.assessment(
        o.usage, "dpia", datetime.date(2023, 6, 1), next_due=datetime.date(2026, 6, 1)
    )
    return o


@once_per_module
def reg():
    municipality = factories.municipality("Norddjurs Kommune")
    other = factories.municipality("Syddjurs Kommune")
    o = _mirror(municipality, "")
    o.municipality = municipality
    o.users = factories.users_of_every_role(municipality, other)
    # A second system, read from KITOS, used on premises without personal data.
    o.kitos_supplier = factories.supplier(municipality, "KOMBIT", kitos_uuid=uuid.uuid4())
    o.kitos = factories.system_usage(
        municipality,
        "Aula",
        supplier=o.kitos_supplier,
        kitos_uuid=uuid.uuid4(),
        criticality="low",
        hosting="on_premises",
        lifecycle="phasing_out",
    )
    o.kitos_contract = factories.contract(
        municipality,
        "KOMBIT-kontrakt",
        usages=[o.kitos],
        kitos_uuid=uuid.uuid4(),
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2030, 1, 1),
    )
    o.f = _mirror(other, SECRET)
    return o


@pytest.fixture
def api(reg):
    """`api(role)`: an API client of the user with that role; Danish messages."""

    def make(role=Role.ADMINISTRATOR):
        client = APIClient(HTTP_ACCEPT_LANGUAGE="da")
        if role != "anonymous":
            client.force_authenticate(reg.users[role])
        return client

    return make


def da(message: str) -> str:
    """The Danish text of a message id, as the API answers with `Accept-Language: da`."""
    with translation.override("da"):
        return gettext(message)


def url(resource: str, pk: int | None = None) -> str:
    return f"/api/v1/{resource}/" + (f"{pk}/" if pk is not None else "")


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def counts() -> dict:
    with scopes_disabled():
        return {name: model.objects.count() for name, model in MODELS.items()}


def refetch(obj):
    with scopes_disabled():
        return type(obj).objects.get(pk=obj.pk)


def own_row(reg, resource):
    return {
        "suppliers": reg.supplier,
        "systems": reg.system,
        "system-usages": reg.usage,
        "system-projects": reg.link,
        "contracts": reg.contract,
        "data-processing-agreements": reg.agreement,
        "supervisions": reg.supervision,
        "assessments": reg.risk,
    }[resource]


def foreign_row(reg, resource):
    return own_row(reg.f, resource)


def payload(reg, resource) -> dict:
    """A valid new row of each resource."""
    return {
        "suppliers": {"name": "Systematic", "cvr": "78834412", "country": "Danmark"},
        "systems": {"name": "Columna", "supplier": reg.supplier.pk},
        "system-usages": {
            "system": reg.system.pk,
            "local_name": "Sagssystem (skole)",
            "owner": reg.person.pk,
            "responsible_unit": reg.unit.pk,
            "body": reg.body.pk,
            "criticality": "critical",
            "personal_data": ["sensitive", "cpr"],
            "hosting": "external",
            "annual_cost": "125000.00",
        },
        "system-projects": {"usage": reg.kitos.pk, "project": reg.project.pk, "effect": "replaces"},
        "contracts": {
            "name": "Licensaftale",
            "usages": [reg.usage.pk],
            "supplier": reg.supplier.pk,
            "start": "2024-01-01",
            "end": "2027-12-31",
            "notice_months": 3,
            "value": "500000.00",
        },
        "data-processing-agreements": {
            "name": "Aftale med Systematic",
            "usages": [reg.usage.pk],
            "processor": reg.supplier.pk,
            "sub_processors": [reg.kitos_supplier.pk],
            "third_countries": "USA",
            "transfer_basis": "scc",
        },
        "supervisions": {
            "agreement": reg.agreement.pk,
            "done_on": "2025-01-10",
            "method": "report",
            "outcome": "remarks",
        },
        "assessments": {
            "usage": reg.usage.pk,
            "kind": "review",
            "done_on": "2025-02-01",
            "outcome": "satisfactory",
        },
    }[resource]


# --- Reading -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role.values))
@pytest.mark.parametrize("resource", RESOURCES)
def test_everyone_in_the_municipality_reads_the_register(api, reg, role, resource):
    response = api(role).get(url(resource))
    assert own_row(reg, resource).pk in ids(response)
    assert foreign_row(reg, resource).pk not in ids(response)
    assert SECRET not in response.content.decode()
    assert api(role).get(url(resource, own_row(reg, resource).pk)).status_code == 200


@pytest.mark.parametrize("resource", RESOURCES)
def test_anonymous_is_refused(api, reg, resource):
    assert api("anonymous").get(url(resource)).status_code in {401, 403}


@pytest.mark.parametrize("resource", RESOURCES)
def test_another_municipalitys_rows_are_404(api, reg, resource):
    before = counts()
    row = foreign_row(reg, resource)
    client = api()
    for response in (
        client.get(url(resource, row.pk)),
        client.patch(url(resource, row.pk), {"note": "x"}, format="json"),
        client.delete(url(resource, row.pk)),
    ):
        assert response.status_code == 404
        assert SECRET not in response.content.decode()
    assert counts() == before


def test_a_usage_has_the_summary_of_its_contracts_agreements_and_assessments(api, reg):
    row = api().get(url("system-usages", reg.usage.pk)).json()
    assert row["name"] == "Sagssystem"
    assert row["criticality_label"] == "Høj"
    assert row["personal_data"] == ["ordinary", "cpr"]
    assert row["from_kitos"] is False
    assert row["contracts"] == [
        {
            "id": reg.contract.pk,
            "name": "Driftskontrakt",
            "end": "2026-12-31",
            "last_notice_date": "2026-06-30",
        }
    ]
    assert row["agreements"] == [
        {
            "id": reg.agreement.pk,
            "name": "Databehandleraftale",
            "processor": reg.supplier.pk,
            "last_supervision": "2024-03-01",
            "supervision_due": "2025-03-01",
        }
    ]
    # The latest of each kind: the risk assessment of 2024 (due a year later), the DPIA.
    assert {a["kind"]: (a["id"], a["due"]) for a in row["assessments"]} == {
        "risk": (reg.risk.pk, "2025-01-15"),
        "dpia": (reg.dpia.pk, "2026-06-01"),
    }


@pytest.mark.parametrize(
    "query,expected",
    [
        ("q=sags", ["usage"]),
        ("q=AULA", ["kitos"]),
        ("criticality=high", ["usage"]),
        ("criticality=critical", []),
        ("lifecycle=phasing_out", ["kitos"]),
        ("lifecycle=in_use", ["usage"]),
        ("personal_data=cpr", ["usage"]),
        ("personal_data=sensitive", []),
        ("hosting=on_premises", ["kitos"]),
        ("hosting=external&criticality=high", ["usage"]),
        ("", ["kitos", "usage"]),
    ],
)
def test_usages_are_filtered_as_the_register_filters(api, reg, query, expected):
    found = ids(api().get(url("system-usages") + "?" + query))
    assert found == [getattr(reg, name).pk for name in expected]


def test_usages_are_filtered_by_body_unit_and_owner(api, reg):
    for name, row in (("body", reg.body), ("unit", reg.unit), ("owner", reg.person)):
        assert ids(api().get(url("system-usages") + f"?{name}={row.pk}")) == [reg.usage.pk]
        assert ids(api().get(url("system-usages") + f"?{name}={reg.f.body.pk}")) == []


@pytest.mark.parametrize(
    "query", ["criticality=extreme", "personal_data=x", "hosting=1", "body=x", "unit=1.5"]
)
def test_a_bad_filter_is_400(api, reg, query):
    response = api().get(url("system-usages") + "?" + query)
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_the_other_lists_are_filtered(api, reg):
    assert ids(api().get(url("contracts") + f"?usage={reg.kitos.pk}")) == [reg.kitos_contract.pk]
    assert ids(api().get(url("suppliers") + "?q=kombit")) == [reg.kitos_supplier.pk]
    assert ids(api().get(url("assessments") + f"?usage={reg.usage.pk}&kind=dpia")) == [reg.dpia.pk]
    assert ids(api().get(url("supervisions") + f"?agreement={reg.agreement.pk}")) == [
        reg.supervision.pk
    ]
    assert ids(api().get(url("system-projects") + f"?project={reg.project.pk}")) == [reg.link.pk]


def test_a_contract_has_its_last_notice_date_and_an_assessment_its_due_date(api, reg):
    contract = api().get(url("contracts", reg.contract.pk)).json()
    assert contract["last_notice_date"] == "2026-06-30"
    assessment = api().get(url("assessments", reg.old_risk.pk)).json()
    assert assessment["due"] == "2024-01-10"
    assert assessment["document"] is None


# --- Writing ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.SECRETARY])
@pytest.mark.parametrize("resource", RESOURCES)
def test_keepers_create_change_and_delete(api, reg, role, resource):
    client = api(role)
    before = counts()
    response = client.post(url(resource), payload(reg, resource), format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert counts()[resource] == before[resource] + 1
    with scopes_disabled():
        created = MODELS[resource].objects.get(pk=pk)
    assert created.municipality_id == reg.municipality.pk
    change = CHANGES.get(resource, {"note": "Rettet"})
    response = client.patch(url(resource, pk), change, format="json")
    assert response.status_code == 200, response.json()
    assert {k: response.json()[k] for k in change} == change
    assert client.delete(url(resource, pk)).status_code == 204
    assert counts() == before


def test_a_new_usage_answers_with_its_summary_and_supervisions_record_who(api, reg):
    response = api().post(url("system-usages"), payload(reg, "system-usages"), format="json")
    assert response.status_code == 201
    assert response.json()["contracts"] == []
    assert response.json()["personal_data"] == ["sensitive", "cpr"]
    response = api(Role.SECRETARY).post(
        url("supervisions"), payload(reg, "supervisions"), format="json"
    )
    assert refetch(Supervision(pk=response.json()["id"])).recorded_by == reg.users[Role.SECRETARY]


def test_a_system_in_use_is_not_deleted(api, reg):
    response = api().delete(url("systems", reg.system.pk))
    assert response.status_code == 409
    assert refetch(reg.system)


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
@pytest.mark.parametrize("resource", RESOURCES)
def test_read_only_roles_are_refused_and_told_the_permission(api, reg, role, resource):
    before = counts()
    row = own_row(reg, resource)
    client = api(role)
    for response in (
        client.post(url(resource), payload(reg, resource), format="json"),
        client.patch(url(resource, row.pk), {"note": "x"}, format="json"),
        client.delete(url(resource, row.pk)),
    ):
        assert response.status_code == 403
        assert response.json()["permission"] == "systems.change"
    assert counts() == before


def test_the_data_protection_officer_keeps_the_register(api, reg):
    """The circle of `systems.change`: a reader who is the DPO writes."""
    with scopes_disabled():
        officer = factories.person(reg.municipality, "DPO", "jurist", user=reg.users[Role.READER])
    factories.privacy(reg.municipality, officer=officer)
    response = api(Role.READER).patch(url("contracts", reg.contract.pk), {"note": "Tjekket"})
    assert response.status_code == 200


# --- Bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "resource,changes,field,message",
    [
        ("contracts", {"end": "2023-12-31"}, "end", da("The contract ends before it starts.")),
        (
            "contracts",
            {"notice_months": 60},
            "notice_months",
            da("The notice period is longer than the contract."),
        ),
        ("data-processing-agreements", {"transfer_basis": ""}, "transfer_basis", None),
        ("supervisions", {"done_on": "2999-01-01"}, "done_on", None),
        ("assessments", {"done_on": "2999-01-01"}, "done_on", None),
        ("assessments", {"next_due": "2025-01-01"}, "next_due", None),
        ("system-usages", {"personal_data": ["dna"]}, "personal_data", None),
        ("system-usages", {"criticality": "extreme"}, "criticality", None),
        ("system-usages", {"risk_assessment_months": 0}, "risk_assessment_months", None),
        ("system-usages", {"annual_cost": 12}, "annual_cost", None),
        ("suppliers", {"cvr": "1234"}, "cvr", da("A CVR number has 8 digits.")),
        ("contracts", {"value": "-1.00"}, "value", None),
        ("contracts", {"notice_months": 10**6}, "notice_months", None),
        ("system-usages", {"risk_assessment_months": 121}, "risk_assessment_months", None),
        (
            "data-processing-agreements",
            {"supervision_months": 2**40},
            "supervision_months",
            None,
        ),
    ],
)
def test_bad_input_is_refused_in_danish_and_nothing_is_written(
    api, reg, resource, changes, field, message
):
    before = counts()
    response = api().post(url(resource), {**payload(reg, resource), **changes}, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert field in errors, errors
    if message is not None:
        assert errors[field] == [message]
    assert counts() == before


def test_a_third_country_without_a_basis_is_named(api, reg):
    response = api().patch(
        url("data-processing-agreements", reg.agreement.pk), {"third_countries": "Indien"}
    )
    assert response.status_code == 400
    assert response.json()["transfer_basis"] == [
        da("A transfer to a third country needs a legal basis: choose one.")
    ]
    assert refetch(reg.agreement).third_countries == ""


def test_a_future_supervision_is_refused_on_change_too(api, reg):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = api().patch(
        url("supervisions", reg.supervision.pk), {"done_on": tomorrow.isoformat()}
    )
    assert response.status_code == 400
    assert response.json()["done_on"] == [da("A supervision cannot be dated in the future.")]
    assert refetch(reg.supervision).done_on == datetime.date(2024, 3, 1)


@pytest.mark.parametrize(
    "resource,field,foreign",
    [
        ("systems", "supplier", "supplier"),
        ("system-usages", "system", "system"),
        ("system-usages", "owner", "person"),
        ("system-usages", "responsible_unit", "unit"),
        ("system-usages", "body", "body"),
        ("system-projects", "project", "project"),
        ("system-projects", "usage", "usage"),
        ("contracts", "supplier", "supplier"),
        ("contracts", "usages", "usage"),
        ("data-processing-agreements", "processor", "supplier"),
        ("data-processing-agreements", "sub_processors", "supplier"),
        ("supervisions", "agreement", "agreement"),
        ("assessments", "usage", "usage"),
    ],
)
def test_a_reference_to_another_municipality_is_400(api, reg, resource, field, foreign):
    before = counts()
    pk = getattr(reg.f, foreign).pk
    value = [pk] if field in {"usages", "sub_processors"} else pk
    response = api().post(url(resource), {**payload(reg, resource), field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert SECRET not in response.content.decode()
    assert counts() == before
    # … and on a change of an own row
    row = own_row(reg, resource)
    response = api().patch(url(resource, row.pk), {field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()


# --- Rows from KITOS ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "resource,row,changes",
    [
        ("system-usages", "kitos", {"criticality": "critical"}),
        ("system-usages", "kitos", {"lifecycle": "ended", "note": "Udfases"}),
        ("system-usages", "kitos", {"personal_data": ["cpr"]}),
        ("suppliers", "kitos_supplier", {"name": "Ny"}),
        ("contracts", "kitos_contract", {"end": "2031-01-01"}),
        ("contracts", "kitos_contract", {"usages": []}),
    ],
)
def test_the_fields_kitos_owns_are_refused_on_a_row_from_kitos(api, reg, resource, row, changes):
    row = getattr(reg, row)
    before = refetch(row).__dict__.copy()
    response = api().patch(url(resource, row.pk), changes, format="json")
    assert response.status_code == 400
    owned = set(response.json())
    assert owned == set(changes) - {"note"}
    assert response.json()[next(iter(owned))] == [da("It comes from KITOS: change it there.")]
    after = refetch(row).__dict__
    assert {k: v for k, v in after.items() if k != "_state"} == {
        k: v for k, v in before.items() if k != "_state"
    }


def test_a_row_from_kitos_keeps_its_own_fields_writable(api, reg):
    client = api()
    response = client.patch(
        url("system-usages", reg.kitos.pk),
        {"note": "Vores note", "body": reg.body.pk, "criticality": "low"},  # unchanged: fine
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["from_kitos"] is True
    assert refetch(reg.kitos).note == "Vores note"
    # A full write that sends KITOS's values as they are passes too.
    row = client.get(url("contracts", reg.kitos_contract.pk)).json()
    writable = {k: row[k] for k in ("name", "usages", "supplier", "start", "end", "notice_months")}
    response = client.put(
        url("contracts", reg.kitos_contract.pk), {**writable, "note": "Ok"}, format="json"
    )
    assert response.status_code == 200, response.json()


def test_a_row_from_kitos_is_not_deleted_here(api, reg):
    response = api().delete(url("contracts", reg.kitos_contract.pk))
    assert response.status_code == 409
    assert response.json()["detail"] == da("It comes from KITOS: remove it there.")
    assert refetch(reg.kitos_contract)


# --- Queries -------------------------------------------------------------------------------------


def _more(reg, n: int) -> None:
    m = reg.municipality
    for i in range(n):
        usage = factories.system_usage(m, f"Ekstra {i}", personal_data=["ordinary"])
        factories.contract(m, usages=[usage], end=datetime.date(2027, 1, 1), notice_months=3)
        agreement = factories.agreement(m, usages=[usage], processor=reg.supplier)
        agreement.sub_processors.add(reg.supplier)
        factories.supervision(agreement)
        factories.assessment(usage, "risk")
        factories.assessment(usage, "review")
        with scopes_disabled():
            SystemProject.objects.create(municipality=m, usage=usage, project=reg.project)
            usage.kle_codes.add(factories.kle(f"00.0{i % 9 + 1}"))
        factories.supplier(m)


def _queries(client, resource) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url(resource)).status_code == 200
    return len(captured)


def test_the_lists_take_as_many_queries_for_many_rows_as_for_few(api, reg):
    client = api()
    few = {resource: _queries(client, resource) for resource in RESOURCES}
    _more(reg, 5)
    many = {resource: _queries(client, resource) for resource in RESOURCES}
    assert many == few
