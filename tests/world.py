"""A small but complete world of two municipalities, for the permission and query tests.

A canary string is written into the text fields of each municipality's data: no response
to a user of one municipality may ever contain the other's.
"""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.models import ApiToken, Job, Municipality, Role, User
from organisation.models import Body, BodyKind, Mandate, Membership, OrgUnit, Person
from tests import factories

if TYPE_CHECKING:
    from benefits.models import Benefit, BenefitMeasurement
    from meetings.models import AgendaItem, Attachment, Case, FollowUp, Meeting
    from planning.models import AnnualPlan, Criterion, PlanEntry, Proposal, WheelActivity
    from portfolio.models import Project, Risk, StatusReport
    from publication.models import BodyPublication
    from strategy.models import Goal, Strategy
    from systems.models import (
        Assessment,
        Breach,
        Contract,
        DataProcessingAgreement,
        Supervision,
        SystemProject,
        SystemUsage,
    )

CANARY_OTHER = "KANARIE-ANDEN-KOMMUNE"
CANARY_OWN = "KANARIE-EGEN-KOMMUNE"
# Written into the closed item, its decision, its follow-up and its closed attachment of the
# own municipality: only members of the body and administrators may ever see it.
CANARY_CLOSED = "KANARIE-LUKKET-PUNKT"


@dataclass
class Tenant:
    municipality: Municipality
    unit: OrgUnit
    person: Person
    body: Body
    closed_body: Body
    board: Body
    mandate: Mandate
    membership: Membership
    users: dict[str, User]
    # Meetings of `body`: one with approved minutes, one whose agenda is still a draft.
    meeting: "Meeting" = None
    draft_meeting: "Meeting" = None
    open_item: "AgendaItem" = None
    closed_item: "AgendaItem" = None
    open_attachment: "Attachment" = None
    closed_attachment: "Attachment" = None
    case: "Case" = None
    follow_up: "FollowUp" = None
    closed_follow_up: "FollowUp" = None
    secretary_person: Person = None
    # The portfolio: a project governed by `body`, led by PROJECT_LEADER's person.
    leader_person: Person = None
    project: "Project" = None
    report: "StatusReport" = None
    risk: "Risk" = None
    portfolio_risk: "Risk" = None
    benefit: "Benefit" = None
    measurement: "BenefitMeasurement" = None
    # Strategy and planning: a strategy with a goal the project serves, a proposal, a draft
    # action plan for 2025 with the default criteria and one scored entry (the project), and
    # a yearly activity of the steering group on the annual wheel.
    strategy: "Strategy" = None
    goal: "Goal" = None
    proposal: "Proposal" = None
    plan: "AnnualPlan" = None
    criterion: "Criterion" = None
    entry: "PlanEntry" = None
    activity: "WheelActivity" = None
    # An API key of the administrator (core.tokens), named with the canary.
    api_key: ApiToken = None
    # A background job of the administrator, done, with the file it made (core.jobs).
    job: Job = None
    # A breach under the 72-hour clock whose closed fields carry the closed canary. No data
    # protection officer or IT security group: the circle that reads breaches is the
    # administrator (systems/breaches/tests/test_breaches.py adds the others).
    breach: "Breach" = None
    # The register (systems/register): a critical system with sensitive data run outside,
    # owned by `person`, governed by `body`, changed by `project`; its contract (notice
    # by 2030), data processing agreement to a third country (a supervision), a risk
    # assessment with a document, named with the canary.
    usage: "SystemUsage" = None
    contract: "Contract" = None
    agreement: "DataProcessingAgreement" = None
    supervision: "Supervision" = None
    assessment: "Assessment" = None
    system_link: "SystemProject" = None
    # The public pages (publication): `body` publishes its meetings, 4 days before.
    publication: "BodyPublication" = None


def build_tenant(name: str, canary: str = "", usernames_prefix: str = "") -> Tenant:
    municipality = factories.municipality(name)
    users = {
        role: factories.user(municipality, role, username=f"{usernames_prefix}{role}")
        for role in Role.values
    }
    unit = factories.unit(municipality, f"Digitalisering {canary}".strip())
    person = factories.person(
        municipality,
        f"Tonny Olsen {canary}".strip(),
        f"chef {canary}".strip(),
        unit=unit,
        user=users[Role.MEMBER],
    )
    board = factories.body(
        municipality, f"Direktion {canary}".strip(), kind=BodyKind.EXECUTIVE_BOARD
    )
    body = factories.body(
        municipality,
        f"Digitaliseringsstyregruppen {canary}".strip(),
        parent=board,
        purpose=f"Formål {canary}",
        cadence="4 gange årligt",
        meetings_per_year=4,
        cross_cutting=True,
        established_on=datetime.date(2017, 1, 11),
    )
    closed_body = factories.body(
        municipality,
        f"Gruppe for markedsføring {canary}".strip(),
        cross_cutting=True,
        closed_on=datetime.date(2019, 10, 1),
        closing_summary=f"Afsluttet {canary}",
    )
    mandate = factories.mandate(body, board, purpose=f"Kommissorium {canary}")
    factories.rule(
        mandate, f"Formand {canary}".strip(), role="chair", title_contains="chef", unit=unit
    )
    membership = factories.membership(person, body, role="chair")
    factories.status(body, f"Status {canary}")
    tenant = Tenant(
        municipality, unit, person, body, closed_body, board, mandate, membership, users
    )
    add_meetings(tenant, canary)
    add_portfolio(tenant, canary)
    add_planning(tenant, canary)
    add_breaches(tenant, canary)
    add_register(tenant, canary)
    add_notes(tenant, canary)
    add_publication(tenant)
    from core import tokens

    tenant.api_key, _ = tokens.issue(users[Role.ADMINISTRATOR], f"Nøgle {canary}".strip())
    tenant.job = factories.job(users[Role.ADMINISTRATOR], f"Dokument {canary}".strip())
    return tenant


def add_portfolio(t: Tenant, canary: str) -> None:
    """A project of the steering group led by PROJECT_LEADER (no member of any body) and owned
    by a person with no login, with a
    status report, a risk, a benefit with a plan and a measurement, and a portfolio risk.
    The portfolio is open to everyone in the municipality; nothing in it is closed."""
    from portfolio.models import Category, Phase

    t.leader_person = factories.person(
        t.municipality,
        f"Projektleder {canary}".strip(),
        "projektleder",
        unit=t.unit,
        user=t.users[Role.PROJECT_LEADER],
    )
    t.project = factories.project(
        t.municipality,
        f"Borgerblikket {canary}".strip(),
        category=Category.NATIONAL,
        kombit=True,
        phase=Phase.IMPLEMENTATION,
        owning_unit=t.unit,
        owner=factories.person(
            t.municipality, f"Projektejer {canary}".strip(), "direktør", unit=t.unit
        ),
        leader=t.leader_person,
        body=t.body,
        purpose=f"Formål {canary}",
        start_date=datetime.date(2024, 1, 1),
    )
    t.report = factories.status_report(
        t.project,
        datetime.date(2024, 1, 1),
        datetime.date(2024, 3, 31),
        colour="yellow",
        progress=f"Fremdrift {canary}",
        barriers=f"Barriere {canary}",
    )
    t.risk = factories.risk(
        t.project,
        title=f"Leverandør forsinket {canary}".strip(),
        probability=4,
        impact=4,
        owner=t.leader_person,
        mitigation=f"Afbødning {canary}",
    )
    t.portfolio_risk = factories.risk(
        municipality=t.municipality,
        title=f"Mangel på ressourcer {canary}".strip(),
        probability=3,
        impact=5,
    )
    t.benefit = factories.benefit(
        t.project,
        f"Færre henvendelser {canary}".strip(),
        responsible=t.leader_person,
        measurement_method=f"Opgørelse {canary}",
    )
    factories.plan(t.benefit, 2024, 200_000)
    factories.plan(t.benefit, 2025, 400_000)
    t.measurement = factories.measurement(
        t.benefit, datetime.date(2024, 6, 30), 120_000, note=f"Måling {canary}"
    )


def add_planning(t: Tenant, canary: str) -> None:
    """Strategy, a proposal, a draft action plan and an annual wheel activity. Everything is
    open to the whole municipality; nothing in it is closed."""
    from django_scopes import scopes_disabled

    t.strategy = factories.strategy(
        t.municipality,
        f"Digitaliseringsprogram {canary}".strip(),
        2021,
        2025,
        vision=f"Vision {canary}",
    )
    t.goal = factories.goal(
        t.strategy,
        f"Borgerne betjener sig selv {canary}".strip(),
        number="1",
        description=f"Mål {canary}",
    )
    with scopes_disabled():
        t.project.goals.add(t.goal)
        t.project.focus_areas.add(factories.focus_area(2))
        t.project.sdgs.add(factories.sdg(16))
    t.proposal = factories.proposal(
        t.municipality,
        f"Digital post til foreninger {canary}".strip(),
        unit=t.unit,
        contact=t.person,
        description=f"Behov {canary}",
        expected_benefit=f"Gevinst {canary}",
    )
    t.plan = factories.annual_plan(
        t.municipality,
        2025,
        title=f"Indsatsplan 2025 {canary}".strip(),
        capacity_hours=2000,
        capacity_amount=1_500_000,
    )
    t.criterion = t.plan.criteria.order_by("position").first()
    t.entry = factories.plan_entry(
        t.plan,
        f"Indsats {canary}".strip(),
        scores=[5, 4, 2, 3, 1, 4],
        project=t.project,
        responsible=t.leader_person,
        hours=500,
        amount=400_000,
        description=f"Indsats {canary}",
    )
    t.activity = factories.wheel_activity(
        t.municipality,
        f"Budgetproces {canary}".strip(),
        body=t.body,
        month=5,
        day=None,
        description=f"Årshjul {canary}",
    )


def add_meetings(t: Tenant, canary: str) -> None:
    """Meetings of the steering group. Users: MEMBER chairs the body, SECRETARY is its
    secretary; ADMINISTRATOR is no member; READER and PROJECT_LEADER are no members."""
    from meetings.models import MeetingState, Outcome

    secret = f"{CANARY_CLOSED} {canary}".strip() if canary != CANARY_OTHER else canary
    t.secretary_person = factories.person(
        t.municipality,
        f"Sekretær {canary}".strip(),
        "digitaliseringskonsulent",
        unit=t.unit,
        user=t.users[Role.SECRETARY],
    )
    factories.membership(t.secretary_person, t.body, role="secretary")
    t.case = factories.case(
        t.municipality,
        f"Borgerblikket {canary}".strip(),
        route=[t.body, t.board],
        description=f"Sag {canary}",
    )
    t.meeting = factories.meeting(
        t.body,
        datetime.date(2024, 5, 15),
        state=MeetingState.HELD,
        place=f"Mødelokale {canary}",
    )
    t.open_item = factories.item(
        t.meeting,
        f"Office 365 {canary}".strip(),
        kind="decision",
        duration=30,
        case=t.case,
        case_text=f"Sagsfremstilling {canary}",
        recommendation=f"Indstilling {canary}",
        decision=f"Godkendt {canary}",
        outcome=Outcome.TREATED,
    )
    t.open_item.guests.add(t.person)
    t.closed_item = factories.item(
        t.meeting,
        f"Personalesag {canary}".strip(),
        kind="decision",
        duration=20,
        closed=True,
        closed_reason="Personfølsomme oplysninger",
        case_text=f"Lukket tekst {secret}",
        recommendation=f"Lukket indstilling {secret}",
        decision=f"Lukket beslutning {secret}",
        other_guests=f"advokat {secret}",
        outcome=Outcome.TREATED,
    )
    t.open_attachment = factories.attachment(
        t.open_item,
        f"Åbent bilag {canary}".strip(),
        document_number="3608761",
        journal_number="40064/24",
    )
    t.closed_attachment = factories.attachment(
        t.closed_item,
        f"Lukket bilag {canary}".strip(),
        document_number=f"DOK-{secret}",
        journal_number="40065/24",
        closed=True,
        closed_reason="Fortroligt",
        content=f"%PDF-1.4\n{secret}\n".encode(),
    )
    t.follow_up = factories.follow_up(
        t.body,
        owner=t.person,
        item=t.open_item,
        description=f"Opfølgning {canary}",
        due_date=datetime.date(2024, 6, 1),
    )
    t.closed_follow_up = factories.follow_up(
        t.body,
        owner=t.secretary_person,
        item=t.closed_item,
        description=f"Lukket opfølgning {secret}",
        due_date=datetime.date(2024, 6, 1),
    )
    from django_scopes import scopes_disabled

    from meetings import services

    with scopes_disabled():
        services.approve_minutes(t.meeting, t.users[Role.ADMINISTRATOR])
        t.meeting.refresh_from_db()
    t.draft_meeting = factories.meeting(
        t.body,
        datetime.date(2024, 9, 18),
        state=MeetingState.AGENDA_DRAFT,
    )
    factories.item(
        t.draft_meeting,
        f"Aula {canary}".strip(),
        kind="information",
        duration=15,
        case_text=f"Udkast {canary}",
        case=t.case,
    )


def add_publication(t: Tenant) -> None:
    """`body` publishes on the public pages (publication): its meeting with approved minutes
    is public, its draft meeting is not; the closed item shows as "Lukket punkt"."""
    from publication.models import BodyPublication

    t.publication = BodyPublication.objects.create(
        municipality=t.municipality, body=t.body, publishes=True
    )


def add_breaches(t: Tenant, canary: str) -> None:
    """An open breach discovered 5 hours ago: its title is open, what happened and the
    persons are closed content."""
    secret = f"{CANARY_CLOSED} {canary}".strip() if canary != CANARY_OTHER else canary
    t.breach = factories.breach(
        t.municipality,
        f"Mail til forkert modtager {canary}".strip(),
        description=f"Brud {secret}",
        persons_affected=12,
        personal_data=["ordinary"],
        measures=f"Tiltag {secret}",
    )


def add_register(t: Tenant, canary: str) -> None:
    """A system of the register with everything around it (systems/register)."""
    from django.core.files.base import ContentFile
    from django_scopes import scopes_disabled

    from systems.models import CaseTask, SystemProject

    supplier = factories.supplier(t.municipality, f"Leverandør {canary}".strip())
    t.usage = factories.system_usage(
        t.municipality,
        f"Omsorgssystem {canary}".strip(),
        supplier=supplier,
        owner=t.person,
        responsible_unit=t.unit,
        body=t.body,
        criticality="critical",
        personal_data=["sensitive", "cpr"],
        hosting="external",
    )
    t.contract = factories.contract(
        t.municipality,
        f"Kontrakt {canary}".strip(),
        usages=[t.usage],
        supplier=supplier,
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2030, 12, 31),
        notice_months=6,
    )
    t.agreement = factories.agreement(
        t.municipality,
        f"Databehandleraftale {canary}".strip(),
        usages=[t.usage],
        processor=supplier,
        third_countries="USA",
        transfer_basis="scc",
    )
    t.supervision = factories.supervision(t.agreement, note=f"Tilsyn {canary}".strip())
    t.assessment = factories.assessment(t.usage, summary=f"Vurdering {canary}".strip())
    with scopes_disabled():
        t.assessment.document.save("risikovurdering.pdf", ContentFile(b"%PDF-1.4 test"))
        t.system_link = SystemProject.objects.create(
            municipality=t.municipality, usage=t.usage, project=t.project, effect="changes"
        )
        # A KLE number (the national catalogue) on the system and on the case.
        code = factories.kle("17.01.05", "Bibliotekssystemer")
        t.usage.kle_codes.add(code)
        CaseTask.objects.create(municipality=t.municipality, case=t.case, code=code)


def _grow_register(tenant: Tenant, n: int) -> None:
    for i in range(n):
        usage = factories.system_usage(
            tenant.municipality,
            f"Vækstsystem {i}",
            owner=tenant.person,
            body=tenant.body,
            criticality="high" if i % 2 else "low",
            personal_data=["ordinary"] if i % 3 else [],
            hosting="external",
        )
        factories.contract(
            tenant.municipality,
            usages=[usage],
            start=datetime.date(2020, 1, 1),
            end=datetime.date(2026 + i % 5, 6, 30),
            notice_months=3,
        )
        agreement = factories.agreement(tenant.municipality, usages=[usage])
        factories.supervision(agreement)
        factories.assessment(usage)


def _grow_breaches(tenant: Tenant, n: int) -> None:
    from django.utils import timezone

    for i in range(n):
        factories.breach(
            tenant.municipality,
            f"Brud {i}",
            discovered_at=timezone.now() - datetime.timedelta(days=i, hours=1),
            description=f"Beskrivelse {i}",
            notified_at=timezone.now() - datetime.timedelta(days=i) if i % 2 else None,
            closed_on=timezone.localdate() if i % 3 == 0 and i % 2 else None,
        )


def grow(tenant: Tenant, n: int) -> None:
    """Add n more of everything, to check that query counts do not grow with the rows."""
    for i in range(n):
        unit = factories.unit(tenant.municipality, f"Afdeling {i}", parent=tenant.unit)
        person = factories.person(tenant.municipality, f"Medlem {i}", "chef", unit=unit)
        factories.membership(person, tenant.body)
        factories.membership(
            person, tenant.board, start=datetime.date(2018, 1, 1), end=datetime.date(2019, 1, 1)
        )
        body = factories.body(
            tenant.municipality,
            f"Projektgruppe {i}",
            parent=tenant.body,
            cross_cutting=True,
            kind=BodyKind.PROJECT_GROUP,
        )
        factories.membership(person, body)
        factories.status(body, f"Status {i}")
        factories.rule(tenant.mandate, f"Regel {i}", unit=unit)
        factories.mandate(body, tenant.board)
    _grow_meetings(tenant, n)
    _grow_portfolio(tenant, n)
    _grow_planning(tenant, n)
    _grow_breaches(tenant, n)
    _grow_register(tenant, n)


def _grow_meetings(tenant: Tenant, n: int) -> None:
    from meetings.models import Attendance, Meeting, MeetingState, Outcome

    for i in range(n):
        person = factories.person(tenant.municipality, f"Gæst {i}", "konsulent", unit=tenant.unit)
        case = factories.case(tenant.municipality, f"Sag {i}", route=[tenant.body, tenant.board])
        meeting = factories.meeting(
            tenant.body,
            datetime.date(2023, 1, 1) + datetime.timedelta(days=7 * i),
            state=MeetingState.HELD,
        )
        for closed in (False, True):
            item = factories.item(
                meeting,
                f"Punkt {i} {closed}",
                case=case,
                duration=10,
                closed=closed,
                closed_reason="Fortroligt" if closed else "",
                decision=f"Beslutning {i}",
                outcome=Outcome.TREATED,
            )
            item.guests.add(person)
            factories.attachment(
                item,
                f"Bilag {i} {closed}",
                closed=closed,
                closed_reason="Fortroligt" if closed else "",
            )
            factories.follow_up(tenant.body, owner=person, item=item, description=f"Følg op {i}")
        Attendance.objects.create(municipality=tenant.municipality, meeting=meeting, person=person)
        Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.MINUTES_APPROVED)
        draft_item = factories.item(tenant.draft_meeting, f"Udkast {i}", duration=5, case=case)
        draft_item.guests.add(person)
        factories.attachment(draft_item, f"Udkastbilag {i}")


def _grow_portfolio(tenant: Tenant, n: int) -> None:
    from portfolio.models import Category, Phase

    categories, phases = list(Category.values), list(Phase.values)
    for i in range(n):
        leader = factories.person(
            tenant.municipality, f"Leder {i}", "projektleder", unit=tenant.unit
        )
        project = factories.project(
            tenant.municipality,
            f"Projekt {i}",
            category=categories[i % len(categories)],
            phase=phases[i % (len(phases) - 1)],
            owning_unit=tenant.unit,
            owner=tenant.person,
            leader=leader,
            body=tenant.body if i % 2 else tenant.board,
        )
        for r in range(3):
            start = datetime.date(2024, 1, 1) + datetime.timedelta(days=14 * r)
            factories.status_report(project, start, colour=["green", "yellow", "red"][(i + r) % 3])
        factories.risk(project, owner=leader, probability=1 + i % 5, impact=1 + (i * 2) % 5)
        factories.risk(municipality=tenant.municipality, probability=2, impact=2)
        factories.milestone(project, f"Milepæl {i}")
        factories.budget_year(project, 2024)
        for kind in ("budget", "qualitative"):
            benefit = factories.benefit(
                project,
                f"Gevinst {i} {kind}",
                type=kind,
                responsible=leader if i % 2 else None,
                unit="kr." if kind == "budget" else "%",
                accumulates=kind == "budget",
            )
            factories.plan(benefit, 2024, 1000)
            factories.measurement(benefit, datetime.date(2024, 3, 31), 500)
            factories.measurement(benefit, datetime.date(2024, 6, 30), 600)


def _grow_planning(tenant: Tenant, n: int) -> None:
    from django_scopes import scopes_disabled

    from planning.models import Frequency
    from portfolio.models import Project

    with scopes_disabled():
        projects = list(Project.objects.filter(municipality=tenant.municipality).order_by("pk"))
    frequencies = [
        Frequency.MONTHLY,
        Frequency.QUARTERLY,
        Frequency.YEARLY,
        Frequency.WEEKLY,
        Frequency.NTH_WEEKDAY,
    ]
    for i in range(n):
        goal = factories.goal(tenant.strategy, f"Mål {i}", number=str(i + 2))
        project = projects[i % len(projects)]
        with scopes_disabled():
            project.goals.add(goal)
            project.focus_areas.add(factories.focus_area(1 + i % 12))
            project.sdgs.add(factories.sdg(1 + i % 17))
        proposal = factories.proposal(
            tenant.municipality, f"Forslag {i}", unit=tenant.unit, contact=tenant.person
        )
        factories.plan_entry(
            tenant.plan,
            f"Indsats {i}",
            scores=[1 + (i + k) % 5 for k in range(6)],
            project=project,
            proposal=proposal,
            responsible=tenant.person,
            unit=tenant.unit,
            hours=100,
            amount=50_000,
        )
        frequency = frequencies[i % len(frequencies)]
        factories.wheel_activity(
            tenant.municipality,
            f"Aktivitet {i}",
            body=tenant.body if i % 2 else None,
            frequency=frequency,
            interval=2 if frequency == Frequency.WEEKLY else 1,
            month=1 + i % 12,
            day=None if frequency == Frequency.NTH_WEEKDAY else 1 + i % 28,
            weekday=1 if frequency == Frequency.NTH_WEEKDAY else None,
            week_of_month=2 if frequency == Frequency.NTH_WEEKDAY else None,
            responsible=tenant.person,
        )


def add_notes(t: Tenant, canary: str) -> None:
    """Private notes (notes/). A user who is none of the matrix's actors wrote a note on the
    open and the closed item and on the open and the closed attachment; each carries the
    *other* municipality's canary, so every check that an actor never sees that canary also
    proves that no page, export or API answer shows another user's note, to any role. The
    author has since left (a login without a municipality), so the municipality's users are
    still one per role. The administrator wrote a note of their own (`t.admin_note`, which
    the matrix deletes)."""
    from django_scopes import scopes_disabled

    from notes.models import Note

    foreign = CANARY_OWN if canary == CANARY_OTHER else CANARY_OTHER
    author = factories.user(None, Role.MEMBER, username=f"noter-{t.municipality.slug}")
    with scopes_disabled():
        for target in (
            {"item": t.open_item},
            {"item": t.closed_item},
            {"attachment": t.open_attachment},
            {"attachment": t.closed_attachment},
        ):
            Note.objects.create(author=author, text=f"Privat note {foreign}", **target)
        t.notes_author = author
        t.admin_note = Note.objects.create(
            author=t.users[Role.ADMINISTRATOR], item=t.open_item, text="Administratorens egen note"
        )
