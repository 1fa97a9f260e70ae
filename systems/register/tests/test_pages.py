"""The register's pages: the list and its filters and flags, the Excel, a system's page, the
forms with bad input, sending a duty to a body's list, the project card's section, the
history pages, who may, and queries that do not grow with the rows."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from core.dates import add_months
from core.models import Role
from meetings.models import Case, CaseStep
from systems.models import (
    Assessment,
    Contract,
    DataProcessingAgreement,
    Supervision,
    System,
    SystemProject,
    SystemUsage,
)
from tests import factories
from tests.world import CANARY_OTHER, CANARY_OWN

pytestmark = [pytest.mark.usefixtures("english"), pytest.mark.history]

LIST = reverse("systems:usage_list")


def _login(client, t, role=Role.ADMINISTRATOR):
    client.force_login(t.users[role])
    return client


def _count(model) -> int:
    with scopes_disabled():
        return model.objects.count()


def _names(response) -> list[str]:
    return [str(u) for u in response.context["usages"]]


# --- The list --------------------------------------------------------------------------------


def test_the_list_shows_every_system_by_name_with_its_flags(client, t):
    with scopes_disabled():
        factories.system_usage(t.municipality, "Aula", lifecycle="in_use")
        factories.system_usage(t.municipality, "Økonomisystem", criticality="low")
        factories.system_usage(t.municipality, "Bibliotek", local_name="Cicero")
    response = _login(client, t, Role.READER).get(LIST)
    assert response.status_code == 200
    assert _names(response) == ["Aula", "Cicero", f"Omsorgssystem {CANARY_OWN}", "Økonomisystem"]
    html = response.content.decode()
    assert CANARY_OWN in html and CANARY_OTHER not in html
    # The world's system: sensitive data and CPR, no DPIA, no yearly review: red flags.
    row = next(u for u in response.context["usages"] if u.pk == t.usage.pk)
    kinds = {duty.kind: duty.state for duty in row.flags}
    assert kinds["dpia"] == "missing"
    assert kinds["review"] == "missing"
    assert "badge-error" in html
    # Its contract ends in 2030 with 6 months' notice: end and last notice date.
    assert "31-12-2030 / 30-06-2030" in html
    assert "USA" in html
    # Readers get no button to add.
    assert reverse("systems:usage_create") not in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"q": "omsorg"}, [f"Omsorgssystem {CANARY_OWN}"]),
        ({"kritikalitet": "low"}, ["Lav"]),
        ({"livscyklus": "ended"}, ["Slut"]),
        ({"persondata": "ingen"}, ["Lav", "Slut"]),
        ({"persondata": "cpr"}, [f"Omsorgssystem {CANARY_OWN}"]),
        ({"drift": "on_premises"}, ["Slut"]),
        ({"flag": "ja"}, [f"Omsorgssystem {CANARY_OWN}"]),
    ],
)
def test_filters(client, t, query, expected):
    with scopes_disabled():
        factories.system_usage(t.municipality, "Lav", criticality="low", hosting="external")
        factories.system_usage(
            t.municipality, "Slut", lifecycle="ended", hosting="on_premises", criticality="high"
        )
    response = _login(client, t, Role.READER).get(LIST, query)
    assert _names(response) == expected


def test_filters_by_body_unit_and_owner(client, t):
    with scopes_disabled():
        factories.system_usage(t.municipality, "Andet")
    client = _login(client, t, Role.READER)
    for name, value in (("organ", t.body.pk), ("enhed", t.unit.pk), ("ejer", t.person.pk)):
        assert _names(client.get(LIST, {name: value})) == [f"Omsorgssystem {CANARY_OWN}"]
    # A bad value is ignored and shown.
    response = client.get(LIST, {"organ": "x", "kritikalitet": "nonsense"})
    assert response.status_code == 200
    assert len(_names(response)) == 2
    assert response.context["form"].errors


def test_a_system_due_within_the_notice_period_is_flagged(client, t):
    today = timezone.localdate()
    with scopes_disabled():
        usage = factories.system_usage(t.municipality, "Snart", criticality="low")
        factories.contract(
            t.municipality,
            usages=[usage],
            start=datetime.date(2020, 1, 1),
            end=add_months(today, 3),
            notice_months=2,
        )
    response = _login(client, t).get(LIST, {"flag": "ja", "q": "Snart"})
    (row,) = response.context["usages"]
    assert [(d.kind, d.state) for d in row.flags] == [("notice", "soon")]


def test_the_excel_reads_back(client, t):
    response = _login(client, t, Role.READER).get(
        reverse("systems:usage_list_xlsx"), {"q": "omsorg"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    header, (row,) = rows[0], rows[1:]
    data = dict(zip(header, row, strict=True))
    assert data["System"] == f"Omsorgssystem {CANARY_OWN}"
    assert data["Supplier"] == f"Leverandør {CANARY_OWN}"
    assert data["Business criticality"] == "Critical"
    assert data["Personal data"] == "Sensitive, CPR numbers"
    assert data["Last notice date"] == datetime.datetime(2030, 6, 30)
    assert data["Third countries"] == "USA"
    assert data["Last risk assessment"] == datetime.datetime(2024, 1, 15)
    assert data["Last supervision"] == datetime.datetime(2024, 3, 1)
    assert "Impact assessment (DPIA)" in data["Needs attention"]


# --- A system's page ----------------------------------------------------------------------------


def test_the_detail_shows_everything(client, t):
    with scopes_disabled():
        sub = factories.supplier(t.municipality, "Underleverandør", country="Irland")
        t.agreement.sub_processors.add(sub)
        factories.assessment(t.usage, kind="dpia", next_due=datetime.date(2099, 1, 1))
        factories.breach(t.municipality, "Brud på omsorg", usage=t.usage, description="HEMMELIG")
    response = _login(client, t, Role.READER).get(
        reverse("systems:usage_detail", args=[t.usage.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        f"Kontrakt {CANARY_OWN}",
        "30-06-2030",
        f"Databehandleraftale {CANARY_OWN}",
        "Underleverandør (Irland)",
        "Standard contractual clauses (art. 46)",
        "01-03-2024",
        "Risk assessment",
        "Impact assessment (DPIA)",
        "01-01-2099",
        t.project.name,
        "Changes it",
        "Brud på omsorg",
    ):
        assert text in html, text
    assert "HEMMELIG" not in html
    # Readers cannot send a duty on or edit.
    assert reverse("systems:duty_escalate", args=[t.usage.pk]) not in html
    assert reverse("systems:usage_edit", args=[t.usage.pk]) not in html


def test_the_detail_links_the_kle_page_when_there_is_one(client, t):
    html = _login(client, t).get(reverse("systems:usage_detail", args=[t.usage.pk])).content
    from django.urls import NoReverseMatch

    try:
        url = reverse("systems:usage_kle", args=[t.usage.pk])
    except NoReverseMatch:
        return
    assert url in html.decode()


def test_another_municipality_is_404(client, t, other):
    client = _login(client, t)
    for name, pk in (
        ("systems:usage_detail", other.usage.pk),
        ("systems:usage_edit", other.usage.pk),
        ("systems:contract_edit", other.contract.pk),
        ("systems:agreement_edit", other.agreement.pk),
        ("systems:assessment_edit", other.assessment.pk),
        ("systems:assessment_document", other.assessment.pk),
        ("systems:duty_escalate", other.usage.pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 404, name


@pytest.mark.parametrize("role", [Role.READER, Role.MEMBER, Role.PROJECT_LEADER])
def test_read_only_roles_are_refused(client, t, role):
    before = _count(Case)
    client = _login(client, t, role)
    assert client.get(reverse("systems:usage_create")).status_code == 403
    response = client.post(reverse("systems:usage_edit", args=[t.usage.pk]), {"local_name": "X"})
    assert response.status_code == 403
    response = client.post(
        reverse("systems:duty_escalate", args=[t.usage.pk]),
        {"duty": f"dpia-{t.usage.pk}", "body": t.body.pk},
    )
    assert response.status_code == 403
    assert _count(Case) == before  # nothing opened
    with scopes_disabled():
        assert SystemUsage.objects.get(pk=t.usage.pk).local_name == ""


# --- Forms ---------------------------------------------------------------------------------------


def _usage_data(**fields):
    return {
        "system": "",
        "new_system": "",
        "local_name": "",
        "purpose": "",
        "owner": "",
        "responsible_unit": "",
        "body": "",
        "criticality": "high",
        "personal_data": ["ordinary"],
        "hosting": "external",
        "lifecycle": "in_use",
        "annual_cost": "1.250.000",
        "risk_assessment_months": "12",
        "note": "",
        **fields,
    }


def test_a_usage_with_a_new_system_and_a_new_supplier(client, t):
    response = _login(client, t, Role.SECRETARY).post(
        reverse("systems:usage_create"),
        _usage_data(
            new_system="Fagsystem X", new_supplier="Firma Y", owner=t.person.pk, body=t.body.pk
        ),
    )
    assert response.status_code == 302
    with scopes_disabled():
        usage = SystemUsage.objects.get(system__name="Fagsystem X")
        assert usage.system.supplier.name == "Firma Y"
        assert str(usage.annual_cost) == "1250000.00"
        assert usage.personal_data == ["ordinary"]
        assert usage.history.count() == 1
    assert response.url == reverse("systems:usage_detail", args=[usage.pk])


def test_a_usage_of_an_existing_system(client, t):
    with scopes_disabled():
        system = System.objects.create(municipality=t.municipality, name="KMD Nexus")
    response = _login(client, t).post(
        reverse("systems:usage_create"), _usage_data(system=system.pk, local_name="Nexus")
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert SystemUsage.objects.filter(system=system, local_name="Nexus").exists()


@pytest.mark.parametrize(
    "fields, field",
    [
        ({}, "system"),  # neither chosen nor named
        ({"system": "SYS", "new_system": "Ny"}, "new_system"),  # both
        ({"new_system": "", "new_supplier": "Firma"}, "new_system"),
        ({"new_system": "Ny", "owner": "OTHER_PERSON"}, "owner"),
        ({"new_system": "Ny", "responsible_unit": "OTHER_UNIT"}, "responsible_unit"),
        ({"new_system": "Ny", "body": "OTHER_BODY"}, "body"),
        ({"new_system": "Ny", "personal_data": ["dna"]}, "personal_data"),
        ({"new_system": "Ny", "annual_cost": "-5"}, "annual_cost"),
        ({"new_system": "Ny", "risk_assessment_months": "0"}, "risk_assessment_months"),
    ],
)
def test_a_usage_with_bad_input(client, t, other, fields, field):
    values = {
        "SYS": t.usage.system_id,
        "OTHER_PERSON": other.person.pk,
        "OTHER_UNIT": other.unit.pk,
        "OTHER_BODY": other.body.pk,
    }
    fields = {k: values.get(v, v) if isinstance(v, str) else v for k, v in fields.items()}
    before = (_count(SystemUsage), _count(System))
    response = _login(client, t).post(reverse("systems:usage_create"), _usage_data(**fields))
    assert response.status_code == 422
    assert field in response.context["form"].errors, response.context["form"].errors
    assert (_count(SystemUsage), _count(System)) == before


def _contract_data(t, **fields):
    return {
        "name": "Driftsaftale",
        "usages": [t.usage.pk],
        "supplier": "",
        "start": "2024-01-01",
        "end": "2027-12-31",
        "notice_months": "6",
        "value": "100.000",
        "note": "",
        **fields,
    }


def test_a_contract_is_saved_with_its_systems(client, t):
    response = _login(client, t).post(
        reverse("systems:contract_create", args=[t.usage.pk]), _contract_data(t)
    )
    assert response.status_code == 302
    with scopes_disabled():
        contract = Contract.objects.get(name="Driftsaftale")
        assert list(contract.usages.all()) == [t.usage]
        assert contract.last_notice_date == datetime.date(2027, 6, 30)


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"end": "2023-12-31"}, "end"),  # ends before it starts
        ({"notice_months": "60"}, "notice_months"),  # notice longer than the contract
        ({"start": "1899-01-01"}, "start"),
        ({"value": "mange"}, "value"),
        ({"supplier": "OTHER"}, "supplier"),
        ({"usages": ["OTHER_USAGE"]}, "usages"),
    ],
)
def test_a_contract_with_bad_input(client, t, other, fields, field):
    with scopes_disabled():
        other_supplier = factories.supplier(other.municipality, "Fremmed")
    values = {"OTHER": other_supplier.pk, "OTHER_USAGE": other.usage.pk}
    fixed = {}
    for key, value in fields.items():
        if isinstance(value, list):
            fixed[key] = [values.get(v, v) for v in value]
        else:
            fixed[key] = values.get(value, value)
    before = _count(Contract)
    response = _login(client, t).post(
        reverse("systems:contract_create", args=[t.usage.pk]), _contract_data(t, **fixed)
    )
    assert response.status_code == 422
    assert field in response.context["form"].errors, response.context["form"].errors
    assert _count(Contract) == before


def _agreement_data(t, **fields):
    return {
        "name": "Databehandleraftale 2",
        "usages": [t.usage.pk],
        "processor": t.usage.system.supplier_id,
        "sub_processors": [],
        "concluded_on": "2024-02-01",
        "third_countries": "",
        "transfer_basis": "",
        "supervision_months": "12",
        "note": "",
        **fields,
    }


def test_an_agreement_with_a_third_country_needs_a_basis(client, t):
    client = _login(client, t)
    url = reverse("systems:agreement_create", args=[t.usage.pk])
    before = _count(DataProcessingAgreement)
    response = client.post(url, _agreement_data(t, third_countries="Indien"))
    assert response.status_code == 422
    assert "transfer_basis" in response.context["form"].errors
    assert _count(DataProcessingAgreement) == before
    response = client.post(url, _agreement_data(t, third_countries="Indien", transfer_basis="scc"))
    assert response.status_code == 302
    assert _count(DataProcessingAgreement) == before + 1


def test_an_agreement_refuses_the_processor_as_its_own_sub_processor(client, t):
    supplier = t.usage.system.supplier_id
    response = _login(client, t).post(
        reverse("systems:agreement_create", args=[t.usage.pk]),
        _agreement_data(t, sub_processors=[supplier]),
    )
    assert response.status_code == 422
    assert "sub_processors" in response.context["form"].errors


def test_a_supervision_cannot_be_in_the_future(client, t):
    client = _login(client, t)
    url = reverse("systems:supervision_create", args=[t.agreement.pk])
    future = timezone.localdate() + datetime.timedelta(days=3)
    before = _count(Supervision)
    data = {"done_on": future.isoformat(), "method": "written", "outcome": "satisfactory"}
    response = client.post(url, data)
    assert response.status_code == 422
    assert "done_on" in response.context["form"].errors
    assert _count(Supervision) == before
    data["done_on"] = timezone.localdate().isoformat()
    assert client.post(url, data).status_code == 302
    with scopes_disabled():
        latest = Supervision.objects.filter(agreement=t.agreement).order_by("-pk").first()
        assert latest.recorded_by == t.users[Role.ADMINISTRATOR]


def _pdf(name="vurdering.pdf", content=b"%PDF-1.4\n%test\n"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_an_assessment_with_its_document(client, t):
    client = _login(client, t)
    url = reverse("systems:assessment_create", args=[t.usage.pk])
    data = {"kind": "dpia", "done_on": "2024-05-01", "outcome": "remarks", "next_due": ""}
    response = client.post(url, {**data, "upload": _pdf()})
    assert response.status_code == 302
    with scopes_disabled():
        assessment = Assessment.objects.get(usage=t.usage, kind="dpia")
        assert assessment.document.name.endswith(".pdf")
    download = client.get(reverse("systems:assessment_document", args=[assessment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    "upload, fields, field",
    [
        (("virus.exe", b"MZ..."), {}, "upload"),
        (("falsk.pdf", b"not a pdf"), {}, "upload"),
        (None, {"done_on": "2099-01-01"}, "done_on"),
        (None, {"next_due": "2024-04-01"}, "next_due"),
        (None, {"kind": "guess"}, "kind"),
    ],
)
def test_an_assessment_with_bad_input(client, t, upload, fields, field):
    data = {"kind": "risk", "done_on": "2024-05-01", "outcome": "satisfactory", **fields}
    if upload:
        data["upload"] = SimpleUploadedFile(upload[0], upload[1])
    before = _count(Assessment)
    response = _login(client, t).post(reverse("systems:assessment_create", args=[t.usage.pk]), data)
    assert response.status_code == 422
    assert field in response.context["form"].errors, response.context["form"].errors
    assert _count(Assessment) == before


def test_a_project_link_once_and_removed(client, t):
    client = _login(client, t)
    url = reverse("systems:project_link_create", args=[t.usage.pk])
    response = client.post(url, {"project": t.project.pk, "effect": "replaces"})
    assert response.status_code == 422
    assert "project" in response.context["form"].errors
    with scopes_disabled():
        project = factories.project(t.municipality, "Nyt projekt")
    assert client.post(url, {"project": project.pk, "effect": "replaces"}).status_code == 302
    with scopes_disabled():
        link = SystemProject.objects.get(project=project)
    response = client.post(reverse("systems:project_link_edit", args=[link.pk]), {"remove": "1"})
    assert response.status_code == 302
    with scopes_disabled():
        assert not SystemProject.objects.filter(pk=link.pk).exists()


def test_a_project_of_another_municipality_is_refused(client, t, other):
    with scopes_disabled():
        before = SystemProject.objects.count()
    response = _login(client, t).post(
        reverse("systems:project_link_create", args=[t.usage.pk]),
        {"project": other.project.pk, "effect": "changes"},
    )
    assert response.status_code == 422
    assert "project" in response.context["form"].errors
    with scopes_disabled():
        assert SystemProject.objects.count() == before


def test_kitos_fields_are_disabled_for_a_row_from_kitos(client, t):
    import uuid

    with scopes_disabled():
        SystemUsage.objects.filter(pk=t.usage.pk).update(kitos_uuid=uuid.uuid4())
    client = _login(client, t)
    url = reverse("systems:usage_edit", args=[t.usage.pk])
    form = client.get(url).context["form"]
    assert form.fields["criticality"].disabled
    assert not form.fields["owner"].disabled
    response = client.post(
        url, _usage_data(criticality="low", owner=t.person.pk, body=t.body.pk, note="Lokal note")
    )
    assert response.status_code == 302
    with scopes_disabled():
        usage = SystemUsage.objects.get(pk=t.usage.pk)
        assert usage.criticality == "critical"  # KITOS's, unchanged
        assert usage.note == "Lokal note"


# --- Sending a duty to a body's list -----------------------------------------------------------


def test_a_flagged_duty_goes_to_the_body_list_once(client, t):
    client = _login(client, t, Role.SECRETARY)
    url = reverse("systems:duty_escalate", args=[t.usage.pk])
    key = f"dpia-{t.usage.pk}"
    detail = client.get(reverse("systems:usage_detail", args=[t.usage.pk])).content.decode()
    assert url in detail and f'value="{key}"' in detail
    response = client.post(url, {"duty": key, "body": t.board.pk})
    assert response.status_code == 302
    with scopes_disabled():
        case = Case.objects.get(origin_url__endswith=f"#pligt-{key}")
        assert case.number.startswith("SYS-")
        assert case.origin_url.startswith(reverse("systems:usage_detail", args=[t.usage.pk]))
        assert CaseStep.objects.get(case=case).body == t.board
        assert "DPIA" in case.title
    detail = client.get(reverse("systems:usage_detail", args=[t.usage.pk])).content.decode()
    assert case.number in detail
    # Twice: refused, nothing more opened.
    before = _count(Case)
    response = client.post(url, {"duty": key, "body": t.body.pk})
    assert response.status_code == 422
    assert case.number in response.content.decode()
    assert _count(Case) == before


@pytest.mark.parametrize("duty", ["risk_assessment-{pk}", "dpia-0", "nonsense"])
def test_a_duty_in_order_or_unknown_is_not_sent(client, t, duty):
    with scopes_disabled():
        factories.assessment(t.usage, done_on=timezone.localdate())  # the risk is in order
    before = _count(Case)
    response = _login(client, t).post(
        reverse("systems:duty_escalate", args=[t.usage.pk]),
        {"duty": duty.format(pk=t.usage.pk), "body": t.body.pk},
    )
    assert response.status_code == 422
    assert _count(Case) == before


def test_a_duty_is_not_sent_to_another_municipality_body(client, t, other):
    before = _count(Case)
    response = _login(client, t).post(
        reverse("systems:duty_escalate", args=[t.usage.pk]),
        {"duty": f"dpia-{t.usage.pk}", "body": other.body.pk},
    )
    assert response.status_code == 422
    assert "body" in response.context["form"].errors
    assert _count(Case) == before


# --- The project card, the history -------------------------------------------------------------


def test_the_project_card_shows_the_systems_it_touches(client, t):
    response = _login(client, t, Role.READER).get(
        reverse("portfolio:project_detail", args=[t.project.pk])
    )
    html = response.content.decode()
    assert "Systems this project touches" in html
    assert reverse("systems:usage_detail", args=[t.usage.pk]) in html
    assert "Changes it" in html


@pytest.mark.parametrize(
    "kind, obj",
    [
        ("system", "usage"),
        ("kontrakt", "contract"),
        ("databehandleraftale", "agreement"),
        ("tilsyn", "supervision"),
        ("vurdering", "assessment"),
        ("systemprojekt", "system_link"),
    ],
)
def test_history_pages(client, t, kind, obj):
    row = getattr(t, obj)
    with scopes_disabled():
        if kind == "system":
            row.note = "Ændret note"
            row.save()
        elif kind == "kontrakt":
            row.notice_months = 3
            row.save()
    response = _login(client, t, Role.READER).get(
        reverse("organisation:history", args=[kind, row.pk])
    )
    assert response.status_code == 200
    if kind == "system":
        assert "Ændret note" in response.content.decode()


@pytest.mark.parametrize("kind", ["leverandoer", "itsystem", "databeskyttelse", "sagsopgave"])
def test_history_of_the_other_kinds(client, t, kind):
    with scopes_disabled():
        rows = {
            "leverandoer": t.usage.system.supplier,
            "itsystem": t.usage.system,
            "databeskyttelse": factories.privacy(t.municipality, officer=t.person),
        }
        if kind == "sagsopgave":
            from systems.models import CaseTask

            rows[kind] = CaseTask.objects.create(
                municipality=t.municipality, case=t.case, code=factories.kle("00.01.00")
            )
    response = _login(client, t).get(reverse("organisation:history", args=[kind, rows[kind].pk]))
    assert response.status_code == 200


# --- Queries ---------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_and_the_detail_do_not_grow_with_the_rows(client, t):
    client = _login(client, t)
    urls = [
        LIST,
        LIST + "?flag=ja",
        reverse("systems:usage_list_xlsx"),
        reverse("systems:usage_detail", args=[t.usage.pk]),
    ]
    small = [_queries(client, url) for url in urls]
    with scopes_disabled():
        for i in range(8):
            usage = factories.system_usage(
                t.municipality,
                f"Ekstra {i}",
                criticality="high",
                hosting="external",
                personal_data=["cpr"],
            )
            factories.contract(
                t.municipality,
                usages=[usage, t.usage],
                notice_months=1,
                start=datetime.date(2020, 1, 1),
                end=datetime.date(2031, 1, 1),
            )
            agreement = factories.agreement(t.municipality, usages=[usage, t.usage])
            factories.supervision(agreement)
            factories.assessment(usage)
            factories.assessment(t.usage, kind="review")
    large = [_queries(client, url) for url in urls]
    assert small == large
    assert small[0] <= 12, small
