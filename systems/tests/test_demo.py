"""The demo systems of Norddjurs Kommune (the systems the seeds name, with their suppliers)
and of Demokommune Vest: idempotent, every row valid, and exactly one of each state the
register must show (an overdue risk assessment, a contract past its notice date, an overdue
supervision, a breach under the 72-hour clock), computed by `systems.duties`; the other
duties in order."""

import datetime
import io

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from core.models import Municipality
from meetings import demo as meetings_demo
from meetings.models import Attachment
from organisation import demo as organisation_demo
from portfolio import demo as portfolio_demo
from systems import demo
from systems.duties import (
    Kind,
    State,
    agreement_duties,
    contract_duties,
    open_duties,
    usage_duties,
)
from systems.models import (
    Assessment,
    Breach,
    Contract,
    DataProcessingAgreement,
    Privacy,
    Supervision,
    Supplier,
    System,
    SystemProject,
    SystemUsage,
)
from tests.once import once_per_module

pytestmark = pytest.mark.django_db

MODELS = [
    Supplier,
    System,
    SystemUsage,
    SystemProject,
    Contract,
    DataProcessingAgreement,
    Supervision,
    Assessment,
    Breach,
    Privacy,
]
SLUGS = (demo.NORDDJURS, demo.VEST)


@once_per_module(history=True)
def loaded():
    """The organisation demo, the Direktion's meeting of seed 004, the portfolio demo and this
    one, loaded once for the module."""
    organisation_demo.load()
    municipalities = {slug: Municipality.objects.get(slug=slug) for slug in SLUGS}
    meetings_demo.load_executive_meeting(municipalities[demo.NORDDJURS])
    created = {}
    for slug, municipality in municipalities.items():
        portfolio_demo.load_portfolio(municipality)
        created[slug] = demo.load(municipality)
    return municipalities, created


def _counts() -> dict[str, int]:
    with scopes_disabled():
        counts = {model.__name__: model.objects.count() for model in MODELS}
        counts.update({f"{model.__name__}.history": model.history.count() for model in MODELS})
    return counts


def test_a_second_load_changes_nothing(loaded):
    municipalities, created = loaded
    assert created[demo.NORDDJURS]["systemer i brug"] == len(demo.NORDDJURS_PLAN.usages)
    assert created[demo.VEST]["systemer i brug"] == len(demo.VEST_PLAN.usages)
    assert created[demo.NORDDJURS]["årsrapporter"] == 1 and "årsrapporter" not in created[demo.VEST]
    before = _counts()
    out = io.StringIO()
    with scopes_disabled():
        for municipality in municipalities.values():
            assert demo.load(municipality, stdout=out) == {}
    assert _counts() == before
    assert "Systemer i Norddjurs Kommune: allerede indlæst; intet ændret." in out.getvalue()


def test_every_row_is_valid(loaded):
    with scopes_disabled():
        for model in MODELS:
            rows = list(model.objects.all())
            assert rows, model
            for row in rows:
                row.full_clean()


NAMED = {
    "Aula": "KOMBIT",
    "Fasit": demo.FASIT_SUPPLIER,
    "Borgerblikket": "KOMBIT",
    "Office 365 og Teams": "Microsoft",
    "Skype": "Microsoft",
    "Zoom (webinarløsning)": "Zoom Video Communications",
    "Intranet": demo.INTRANET_SUPPLIER,
    "Medarbejderportal på norddjurs.dk": None,
    "Ydelsesrefusionssystem": "KOMBIT",
    "Samarbejdsplatform på skole- og dagtilbudsområdet": "KOMBIT",
    "Bibliotekssystem": "KOMBIT",
    "Talegenkendelse": demo.SPEECH_SUPPLIER,
    "Printløsning": demo.PRINT_SUPPLIER,
    "Telefoniløsning": demo.PHONE_SUPPLIER,
    "TV-overvågning": demo.CCTV_SUPPLIER,
}


def test_the_systems_the_seeds_name_with_their_suppliers(loaded):
    municipalities, _ = loaded
    norddjurs = municipalities[demo.NORDDJURS]
    with scopes_disabled():
        usages = {
            usage.system.name: usage
            for usage in SystemUsage.objects.filter(municipality=norddjurs).select_related(
                "system__supplier", "body", "owner"
            )
        }
        assert set(usages) == set(NAMED)
        for name, supplier in NAMED.items():
            found = usages[name].system.supplier
            assert (found.name if found else None) == supplier, name
            assert usages[name].body.name == "IT-sikkerhedsgruppen", name
            assert usages[name].owner is not None, name
        # Invented suppliers, contracts and agreements say so.
        for supplier in Supplier.objects.filter(municipality=norddjurs):
            assert supplier.name in ("KOMBIT", "Microsoft", "Zoom Video Communications") or (
                "(demo)" in supplier.name
            )
        assert all("(demo)" in c.name and "(demo)" in c.note for c in Contract.objects.all())
        assert all(
            "(demo)" in a.name and "(demo)" in a.note for a in DataProcessingAgreement.objects.all()
        )
        # The projects that change them, Schrems II among them.
        office = usages["Office 365 og Teams"]
        assert set(office.project_links.values_list("project__name", flat=True)) >= {
            "Office 365 og Teams",
            "Schrems II – overførsel af data til tredjelande",
        }
        for link in SystemProject.objects.all():
            assert link.project.municipality_id == link.usage.municipality_id
        assert usages["Aula"].project_links.get().project.name == "Aula"
        microsoft = DataProcessingAgreement.objects.get(usages=office)
        assert microsoft.third_countries == "USA" and microsoft.transfer_basis

        privacy = Privacy.objects.get(municipality=norddjurs)
        assert privacy.officer.name == "Kaare Christensen"
        assert "databeskyttelsesrådgiver" in privacy.officer.title
        assert privacy.security_body.name == "IT-sikkerhedsgruppen"


def test_exactly_the_four_states_of_the_issue(loaded):
    municipalities, _ = loaded
    today = timezone.localdate()
    with scopes_disabled():
        norddjurs = municipalities[demo.NORDDJURS]
        usages = SystemUsage.objects.filter(municipality=norddjurs)
        duties = [d for ds in usage_duties(usages, today).values() for d in ds]
        attention = [(d.kind, d.state, d.subject) for d in duties if d.needs_attention]
        assert attention == [(Kind.RISK, State.OVERDUE, demo.OVERDUE_RISK)]

        contracts = Contract.objects.filter(municipality=norddjurs)
        duties = [d for ds in contract_duties(contracts, today).values() for d in ds]
        attention = [(d.kind, d.state, d.subject) for d in duties if d.needs_attention]
        assert attention == [(Kind.NOTICE, State.OVERDUE, demo.PAST_NOTICE)]
        past = contracts.get(name=demo.PAST_NOTICE)
        assert past.last_notice_date < today < past.end

        agreements = DataProcessingAgreement.objects.filter(municipality=norddjurs)
        duties = [d for ds in agreement_duties(agreements, today).values() for d in ds]
        attention = [(d.kind, d.state, d.subject) for d in duties if d.needs_attention]
        assert attention == [(Kind.SUPERVISION, State.OVERDUE, demo.OVERDUE_SUPERVISION)]

        assert {(d.kind, d.subject) for d in open_duties(today, usages=usages)} == {
            (Kind.RISK, demo.OVERDUE_RISK),
            (Kind.NOTICE, demo.PAST_NOTICE),
            (Kind.SUPERVISION, demo.OVERDUE_SUPERVISION),
        }

        # One breach under the 72-hour clock: discovered hours ago, not notified, open.
        now = timezone.now()
        open_ = Breach.objects.filter(
            municipality=norddjurs, closed_on__isnull=True, notified_at__isnull=True
        )
        assert [b.title for b in open_] == [demo.OPEN_BREACH]
        breach = open_.get()
        assert breach.discovered_at < now < breach.notify_by
        assert now - breach.discovered_at < datetime.timedelta(hours=12)
        # The breaches of 2023 keep their dates, for the DPO's annual report 2023.
        closed = Breach.objects.filter(municipality=norddjurs, discovered_at__year=2023)
        assert closed.count() == 3 and all(b.closed_on for b in closed)
        assert {b.severity for b in closed} == {"low", "risk", "high"}


def test_demokommune_vest_gets_its_own_all_in_order(loaded):
    municipalities, _ = loaded
    today = timezone.localdate()
    with scopes_disabled():
        vest = municipalities[demo.VEST]
        usages = SystemUsage.objects.filter(municipality=vest)
        assert {u.system.name for u in usages} == {demo.VEST_WEB, demo.VEST_BUILDING}
        for model in (Supplier, System, Contract, DataProcessingAgreement, Breach):
            norddjurs_rows = model.objects.filter(municipality=municipalities[demo.NORDDJURS])
            vest_rows = model.objects.filter(municipality=vest)
            assert not set(norddjurs_rows) & set(vest_rows)
        for usage in usages:
            assert usage.owner.municipality_id == vest.pk
            assert usage.system.supplier.municipality_id == vest.pk
            for link in usage.project_links.all():
                assert link.project.municipality_id == vest.pk
        assert open_duties(today, usages=usages) == []
        assert not Breach.objects.filter(municipality=vest).exists()
        assert Privacy.objects.get(municipality=vest).officer.municipality_id == vest.pk


def test_the_dpo_report_2023_is_attached_to_the_direktion_meeting_of_seed_004(loaded):
    from pypdf import PdfReader

    municipalities, _ = loaded
    with scopes_disabled():
        attachment = Attachment.objects.get(
            municipality=municipalities[demo.NORDDJURS],
            title="Databeskyttelsesrådgiverens årsrapport 2023",
        )
    # The seed's numbers stay; the file is the report made from the register.
    assert attachment.item.meeting.date == datetime.date(2024, 5, 15)
    assert (attachment.document_number, attachment.journal_number) == ("3608761", "40064/24")
    assert attachment.file.name.endswith(".pdf") and "dpo-aarsrapport-2023" in attachment.file.name
    with attachment.file.open("rb") as pdf:
        text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert attachment.size > 0 and "2023" in text
    # Open fields of the breaches of 2023 only: titles yes, closed descriptions no.
    assert "Bærbar computer mistet" in " ".join(text.split())
    assert "krypteret bærbar computer blev glemt" not in text
