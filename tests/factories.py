"""Small builders for test data. Each takes a municipality and works without an active scope."""

import datetime
import itertools

from django_scopes import scopes_disabled

from core.models import ApiToken, Municipality, Role, User
from organisation.models import (
    Body,
    BodyKind,
    BodyStatus,
    CompositionRule,
    Mandate,
    Membership,
    MembershipRole,
    OrgUnit,
    OrgUnitKind,
    Person,
)

_counter = itertools.count(1)
PASSWORD = "test-password-1234"


def municipality(name: str | None = None) -> Municipality:
    n = next(_counter)
    name = name or f"Testkommune {n}"
    return Municipality.objects.create(name=name, slug=f"testkommune-{n}")


def api_key(user: User, scope: str = "write") -> str:
    """A new API key of `user` (read and write unless `scope="read"`): the key to send."""
    from django.utils import timezone

    from core import tokens

    token, key = tokens.issue(user, "Test", scope=scope)
    # As if used a moment ago: the hourly note of a key's use would add two queries to the
    # first request, which query counts would take for growth.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return key


def user(municipality: Municipality | None, role: str = Role.READER, **kwargs) -> User:
    n = next(_counter)
    return User.objects.create_user(
        username=kwargs.pop("username", f"user{n}"),
        password=PASSWORD,
        municipality=municipality,
        role=role,
        **kwargs,
    )


def users_of_every_role(municipality: Municipality, other: Municipality) -> dict[str, User]:
    """One user per role in `municipality`, named after the role, plus `outsider`, an
    administrator of the `other` municipality."""
    result = {role: user(municipality, role, username=role) for role in Role.values}
    result["outsider"] = user(other, Role.ADMINISTRATOR, username="outsider")
    return result


@scopes_disabled()
def unit(municipality, name="Digitalisering", kind=OrgUnitKind.AFDELING, parent=None) -> OrgUnit:
    return OrgUnit.objects.create(municipality=municipality, name=name, kind=kind, parent=parent)


@scopes_disabled()
def person(municipality, name=None, title="", unit=None, user=None) -> Person:
    return Person.objects.create(
        municipality=municipality,
        name=name or f"Person {next(_counter)}",
        title=title,
        unit=unit,
        user=user,
    )


@scopes_disabled()
def body(municipality, name=None, kind=BodyKind.STEERING_GROUP, **kwargs) -> Body:
    return Body.objects.create(
        municipality=municipality, name=name or f"Gruppe {next(_counter)}", kind=kind, **kwargs
    )


@scopes_disabled()
def membership(person, body, role=MembershipRole.MEMBER, start=None, end=None) -> Membership:
    return Membership.objects.create(
        municipality=body.municipality,
        person=person,
        body=body,
        role=role,
        start=start or datetime.date(2020, 1, 1),
        end=end,
    )


@scopes_disabled()
def mandate(body, approved_by, approved_on=None, **kwargs) -> Mandate:
    return Mandate.objects.create(
        municipality=body.municipality,
        body=body,
        title=kwargs.pop("title", f"Kommissorium for {body.name}"),
        purpose=kwargs.pop("purpose", "Formål"),
        approved_by=approved_by,
        approved_on=approved_on or datetime.date(2020, 1, 1),
        **kwargs,
    )


@scopes_disabled()
def rule(mandate, description, **kwargs) -> CompositionRule:
    return CompositionRule.objects.create(
        municipality=mandate.municipality, mandate=mandate, description=description, **kwargs
    )


@scopes_disabled()
def status(body, text, date=None) -> BodyStatus:
    return BodyStatus.objects.create(
        municipality=body.municipality, body=body, text=text, date=date or datetime.date(2021, 8, 1)
    )


# --- Meetings ------------------------------------------------------------------------------


@scopes_disabled()
def meeting(body, date=None, state="planned", **kwargs):
    from meetings.models import Meeting

    return Meeting.objects.create(
        municipality=body.municipality,
        body=body,
        date=date or datetime.date(2024, 5, 15),
        start=kwargs.pop("start", datetime.time(9, 0)),
        state=state,
        **kwargs,
    )


@scopes_disabled()
def item(meeting, title=None, **kwargs):
    """An agenda item, appended; saved directly, so it works on any state but approved."""
    from meetings.models import AgendaItem

    position = kwargs.pop("position", meeting.items.count())
    return AgendaItem.objects.create(
        municipality=meeting.municipality,
        meeting=meeting,
        position=position,
        title=title or f"Punkt {next(_counter)}",
        **kwargs,
    )


@scopes_disabled()
def case(municipality, title=None, route=(), **kwargs):
    from meetings.models import Case, CaseStep

    n = next(_counter)
    obj = Case.objects.create(
        municipality=municipality,
        number=kwargs.pop("number", f"24/{n:05d}"),
        title=title or f"Sag {n}",
        created_on=kwargs.pop("created_on", datetime.date(2024, 1, 2)),
        **kwargs,
    )
    for position, body in enumerate(route):
        CaseStep.objects.create(
            municipality=municipality,
            case=obj,
            body=body,
            position=position,
            arrived_on=obj.created_on if position == 0 else None,
        )
    return obj


@scopes_disabled()
def attachment(item, title=None, content=b"%PDF-1.4\n% test\n", filename="bilag.pdf", **kwargs):
    from django.core.files.base import ContentFile

    from meetings.models import Attachment

    obj = Attachment(
        municipality=item.municipality,
        item=item,
        title=title or f"Bilag {next(_counter)}",
        content_type="application/pdf",
        size=len(content),
        **kwargs,
    )
    if content is not None:
        obj.file.save(filename, ContentFile(content), save=False)
    obj.save()
    return obj


@scopes_disabled()
def follow_up(body, owner=None, due_date=None, item=None, **kwargs):
    from meetings.models import FollowUp

    return FollowUp.objects.create(
        municipality=body.municipality,
        body=body,
        owner=owner,
        item=item,
        description=kwargs.pop("description", "Følger op"),
        due_date=due_date or datetime.date(2024, 6, 1),
        **kwargs,
    )


# --- Portfolio and benefits --------------------------------------------------------------------


@scopes_disabled()
def project(municipality, name=None, **kwargs):
    from portfolio.models import Category, Phase, Project

    return Project.objects.create(
        municipality=municipality,
        name=name or f"Projekt {next(_counter)}",
        category=kwargs.pop("category", Category.CROSS_CUTTING),
        phase=kwargs.pop("phase", Phase.IMPLEMENTATION),
        start_date=kwargs.pop("start_date", datetime.date(2024, 1, 1)),
        **kwargs,
    )


@scopes_disabled()
def status_report(project, period_start=None, period_end=None, colour="green", **kwargs):
    from portfolio.models import COLOUR_FIELDS, StatusReport

    period_start = period_start or datetime.date(2024, 1, 1)
    colours = {name: kwargs.pop(name, colour) for name in COLOUR_FIELDS}
    return StatusReport.objects.create(
        project=project,
        period_start=period_start,
        period_end=period_end or period_start + datetime.timedelta(days=13),
        reported_on=kwargs.pop("reported_on", period_end or period_start),
        **colours,
        **kwargs,
    )


@scopes_disabled()
def risk(project=None, municipality=None, title=None, probability=3, impact=3, **kwargs):
    from portfolio.models import Risk

    return Risk.objects.create(
        municipality=municipality or project.municipality,
        project=project,
        title=title or f"Risiko {next(_counter)}",
        probability=probability,
        impact=impact,
        identified_on=kwargs.pop("identified_on", datetime.date(2024, 2, 1)),
        **kwargs,
    )


@scopes_disabled()
def benefit(project, title=None, **kwargs):
    from benefits.models import Benefit, BenefitType

    return Benefit.objects.create(
        project=project,
        title=title or f"Gevinst {next(_counter)}",
        type=kwargs.pop("type", BenefitType.BUDGET),
        unit=kwargs.pop("unit", "kr."),
        baseline_value=kwargs.pop("baseline_value", 0),
        baseline_date=kwargs.pop("baseline_date", datetime.date(2024, 1, 1)),
        target_value=kwargs.pop("target_value", 500_000),
        target_date=kwargs.pop("target_date", datetime.date(2026, 12, 31)),
        **kwargs,
    )


@scopes_disabled()
def plan(benefit, year, planned):
    from benefits.models import BenefitPlan

    return BenefitPlan.objects.create(benefit=benefit, year=year, planned=planned)


@scopes_disabled()
def measurement(benefit, measured_on=None, value=100_000, **kwargs):
    from benefits.models import BenefitMeasurement

    return BenefitMeasurement.objects.create(
        benefit=benefit,
        measured_on=measured_on or datetime.date(2024, 6, 30),
        value=value,
        unit=kwargs.pop("unit", benefit.unit),
        **kwargs,
    )


@scopes_disabled()
def milestone(project, title=None, due_date=None, **kwargs):
    from portfolio.models import Milestone

    return Milestone.objects.create(
        project=project,
        title=title or f"Milepæl {next(_counter)}",
        due_date=due_date or datetime.date(2024, 9, 1),
        **kwargs,
    )


@scopes_disabled()
def budget_year(project, year=2024, planned=1_000_000, spent=250_000):
    from portfolio.models import BudgetYear

    return BudgetYear.objects.create(project=project, year=year, planned=planned, spent=spent)


# --- Strategy and planning ---------------------------------------------------------------------


@scopes_disabled()
def strategy(municipality, title=None, start_year=2021, end_year=2025, **kwargs):
    from strategy.models import Strategy

    return Strategy.objects.create(
        municipality=municipality,
        title=title or f"Strategi {next(_counter)}",
        start_year=start_year,
        end_year=end_year,
        **kwargs,
    )


@scopes_disabled()
def goal(strategy, title=None, **kwargs):
    from strategy.models import Goal

    return Goal.objects.create(strategy=strategy, title=title or f"Mål {next(_counter)}", **kwargs)


@scopes_disabled()
def focus_area(number=1):
    from strategy.catalogues import ensure_loaded
    from strategy.models import FocusArea

    ensure_loaded()
    return FocusArea.objects.get(number=number)


@scopes_disabled()
def sdg(number=9):
    from strategy.catalogues import ensure_loaded
    from strategy.models import SDG

    ensure_loaded()
    return SDG.objects.get(number=number)


@scopes_disabled()
def proposal(municipality, title=None, **kwargs):
    from planning.models import Proposal

    return Proposal.objects.create(
        municipality=municipality,
        title=title or f"Forslag {next(_counter)}",
        description=kwargs.pop("description", "Et behov"),
        received_on=kwargs.pop("received_on", datetime.date(2024, 2, 1)),
        **kwargs,
    )


@scopes_disabled()
def annual_plan(municipality, year=2025, criteria=True, **kwargs):
    """A plan for `year`; with `criteria`, the six default criteria and their weights."""
    from planning.models import DEFAULT_CRITERIA, AnnualPlan, Criterion

    plan_ = AnnualPlan.objects.create(
        municipality=municipality,
        year=year,
        title=kwargs.pop("title", f"Indsatsplan {year}"),
        **kwargs,
    )
    if criteria:
        for position, (name, weight, lower) in enumerate(DEFAULT_CRITERIA):
            Criterion.objects.create(
                plan=plan_,
                name=str(name),
                weight=weight,
                lower_is_better=lower,
                position=position,
            )
    return plan_


@scopes_disabled()
def plan_entry(plan, title=None, scores=None, **kwargs):
    """An entry of `plan`; `scores` is a list of values, one per criterion in order."""
    from planning.models import PlanEntry, Score

    entry = PlanEntry.objects.create(
        plan=plan, title=title or f"Indsats {next(_counter)}", **kwargs
    )
    if scores:
        for criterion, value in zip(plan.criteria.order_by("position", "pk"), scores, strict=False):
            Score.objects.create(entry=entry, criterion=criterion, value=value)
    return entry


@scopes_disabled()
def wheel_activity(municipality, title=None, body=None, **kwargs):
    from planning.models import Frequency, WheelActivity

    return WheelActivity.objects.create(
        municipality=municipality,
        body=body,
        title=title or f"Aktivitet {next(_counter)}",
        frequency=kwargs.pop("frequency", Frequency.YEARLY),
        month=kwargs.pop("month", 3),
        day=kwargs.pop("day", 15),
        starts_on=kwargs.pop("starts_on", datetime.date(2024, 1, 1)),
        **kwargs,
    )


def job(user: User, label: str, content: bytes = b"%PDF-1.7 demo", name: str = "dokument.pdf"):
    """A finished background job of `user` with the file it made (core.jobs)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from core.models import Job, JobStatus

    made = Job(
        kind="documents.test",
        label=label,
        user=user,
        municipality_id=user.municipality_id,
        status=JobStatus.DONE,
        on_queue=True,
        attempts=1,
        progress=100,
        started_at=timezone.now(),
        finished_at=timezone.now(),
        result_name=name,
    )
    made.result_file.save(name, ContentFile(content), save=False)
    made.save()
    return made


# --- Systems and data protection ---------------------------------------------------------------


def supplier(municipality, name=None, **kwargs):
    from systems.models import Supplier

    with scopes_disabled():
        return Supplier.objects.create(
            municipality=municipality, name=name or f"Leverandør {next(_counter)}", **kwargs
        )


def system_usage(municipality, name=None, supplier=None, **kwargs):
    """A system of the catalogue and the municipality's use of it (`SystemUsage`)."""
    from systems.models import System, SystemUsage

    with scopes_disabled():
        system = System.objects.create(
            municipality=municipality,
            name=name or f"System {next(_counter)}",
            supplier=supplier,
        )
        return SystemUsage.objects.create(municipality=municipality, system=system, **kwargs)


def contract(municipality, name=None, usages=(), **kwargs):
    from systems.models import Contract

    with scopes_disabled():
        found = Contract.objects.create(
            municipality=municipality, name=name or f"Kontrakt {next(_counter)}", **kwargs
        )
        found.usages.set(usages)
        return found


def agreement(municipality, name=None, usages=(), **kwargs):
    from systems.models import DataProcessingAgreement

    with scopes_disabled():
        found = DataProcessingAgreement.objects.create(
            municipality=municipality,
            name=name or f"Databehandleraftale {next(_counter)}",
            **kwargs,
        )
        found.usages.set(usages)
        return found


def supervision(agreement, done_on=None, outcome="satisfactory", **kwargs):
    from systems.models import Supervision

    with scopes_disabled():
        return Supervision.objects.create(
            agreement=agreement,
            done_on=done_on or datetime.date(2024, 3, 1),
            outcome=outcome,
            **kwargs,
        )


def assessment(usage, kind="risk", done_on=None, outcome="satisfactory", **kwargs):
    from systems.models import Assessment

    with scopes_disabled():
        return Assessment.objects.create(
            usage=usage,
            kind=kind,
            done_on=done_on or datetime.date(2024, 1, 15),
            outcome=outcome,
            **kwargs,
        )


def breach(municipality, title=None, discovered_at=None, severity="risk", **kwargs):
    from django.utils import timezone

    from systems.models import Breach

    with scopes_disabled():
        return Breach.objects.create(
            municipality=municipality,
            title=title or f"Brud {next(_counter)}",
            discovered_at=discovered_at or timezone.now() - datetime.timedelta(hours=5),
            severity=severity,
            **kwargs,
        )


def privacy(municipality, officer=None, security_body=None):
    from systems.models import Privacy

    with scopes_disabled():
        found, _ = Privacy.objects.update_or_create(
            municipality=municipality,
            defaults={"officer": officer, "security_body": security_body},
        )
        return found


def kle(number: str, title: str | None = None):
    """A KLE number of the shared catalogue, with its parents (00, 00.01) made as needed."""
    from systems.models import KleCode

    parts = number.split(".")
    parent = kle(".".join(parts[:-1])) if len(parts) > 1 else None
    found, _ = KleCode.objects.get_or_create(
        number=number,
        defaults={"title": title or f"Emne {number}", "level": len(parts), "parent": parent},
    )
    return found
