"""What became of a decision: the forward trace from a decision to what it started or changed.

A decision is an agenda item with an outcome or a decision text (`meetings.views.decisions.
decisions_for`, the decision log's rule of who may read it). Everything that points back to
it is gathered here, forward:

- its case (sag), the case's route (sagsgang) and the case's other treatments;
- the projects whose phase it changed (`PhaseChange.decision`): "started" when the change
  took the project out of the idea phase, else "changed", with the project's phase now and the
  colour of its latest status report (`portfolio.services.with_latest_status`);
- the action plans it recommended or approved (`AnnualPlan.recommended_by`/`approved_by`) and
  their entries;
- its follow-ups, as far as the user may read them (`meetings.rules.follow_ups_for`);
- the benefits of those projects, planned and realised since the decision's day
  (`benefits.services.summarise` with `since`).

`trace(items, user)` traces any number of decisions in a constant number of queries (a
body's decisions of two years, `body_decisions`); `case_treatments` adds the case's other
treatments for the page of one decision.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils import timezone

from benefits.models import Benefit
from benefits.services import BenefitSummary, benefit_queryset, summarise, to_date
from core.permissions import has_perm
from meetings.models import AgendaItem, CaseStep, FollowUpStatus
from meetings.rules import follow_ups_for, published_agendas
from meetings.views.decisions import decisions_for
from planning.models import AnnualPlan, PlanEntry
from portfolio.models import Colour, Phase, PhaseChange, Project
from portfolio.services import with_latest_status

# A body's decisions "of the last two years".
YEARS_BACK = 2


def readable_decisions(user):
    """The decisions `user` may read in full: the decision log's rule."""
    return decisions_for(user)


def two_years_before(today: datetime.date) -> datetime.date:
    try:
        return today.replace(year=today.year - YEARS_BACK)
    except ValueError:  # 29 February
        return today.replace(year=today.year - YEARS_BACK, day=28)


def body_decisions(user, body, today: datetime.date | None = None):
    """The body's decisions of the last two years that `user` may read, newest first."""
    today = today or timezone.localdate()
    return readable_decisions(user).filter(
        meeting__body=body, meeting__date__gte=two_years_before(today), meeting__date__lte=today
    )


@dataclass
class BenefitTrace:
    """A benefit of a traced project: planned and realised from the decision's day on."""

    summary: BenefitSummary
    planned: Decimal | None  # planned up to this year (a level: this year's plan)
    realised: Decimal | None  # realised since the decision; None: not measured since

    @property
    def benefit(self) -> Benefit:
        return self.summary.benefit

    @property
    def share(self) -> int | None:
        if not self.planned or self.realised is None:
            return None
        return round(self.realised / self.planned * 100)


@dataclass
class ProjectTrace:
    project: Project  # with `latest_colour` (None: no report yet)
    changes: list[PhaseChange]  # the phase changes this decision made, oldest first
    benefits: list[BenefitTrace] = field(default_factory=list)

    @property
    def colour_label(self) -> str:
        colour = getattr(self.project, "latest_colour", None)
        return str(Colour(colour).label) if colour in Colour.values else ""

    @property
    def started(self) -> bool:
        """The decision took the project out of the idea phase."""
        return any(change.from_phase == Phase.IDEA for change in self.changes)


@dataclass
class PlanTrace:
    plan: AnnualPlan
    recommended: bool  # the decision recommended the plan
    approved: bool  # the decision approved the plan

    @property
    def entries(self) -> list[PlanEntry]:
        return list(self.plan.entries.all())


@dataclass
class DecisionTrace:
    item: AgendaItem
    projects: list[ProjectTrace] = field(default_factory=list)
    plans: list[PlanTrace] = field(default_factory=list)
    follow_ups: list = field(default_factory=list)
    # Filled in for the page of one decision (`case_treatments`).
    route: list[CaseStep] = field(default_factory=list)
    treatments: list[dict] = field(default_factory=list)
    shows_case_description: bool = False

    @property
    def date(self) -> datetime.date:
        return self.item.meeting.date

    @property
    def started(self) -> list[ProjectTrace]:
        return [p for p in self.projects if p.started]

    @property
    def changed(self) -> list[ProjectTrace]:
        return [p for p in self.projects if not p.started]

    @property
    def benefits(self) -> list[BenefitTrace]:
        return [b for p in self.projects for b in p.benefits]

    @property
    def open_follow_ups(self) -> list:
        return [f for f in self.follow_ups if f.status == FollowUpStatus.OPEN]

    @property
    def done_follow_ups(self) -> list:
        return [f for f in self.follow_ups if f.status == FollowUpStatus.DONE]

    @property
    def overdue_follow_ups(self) -> list:
        return [f for f in self.follow_ups if f.is_overdue]

    @property
    def led_to_something(self) -> bool:
        return bool(self.projects or self.plans or self.follow_ups)


def _benefit_trace(benefit: Benefit, since: datetime.date, today: datetime.date) -> BenefitTrace:
    summary = summarise(benefit, today, since=since)
    if benefit.accumulates:
        planned = to_date(summary.rows, today.year).planned if summary.rows else None
    else:
        levels = [r.planned for r in summary.rows if r.year <= today.year and r.planned]
        planned = levels[-1] if levels else None
    realised = summary.realised_total if summary.last_measured is not None else None
    return BenefitTrace(summary, planned or None, realised)


def trace(items, user, today: datetime.date | None = None) -> list[DecisionTrace]:
    """What each decision of `items` (read with their meetings) led to, in their order, in a
    constant number of queries whatever the number of decisions, projects and benefits."""
    today = today or timezone.localdate()
    items = list(items)
    traces = [DecisionTrace(item) for item in items]
    if not items:
        return traces
    by_item = {t.item.pk: t for t in traces}
    ids = list(by_item)

    changes = list(PhaseChange.objects.filter(decision_id__in=ids).order_by("decided_on", "pk"))
    projects = {
        p.pk: p
        for p in with_latest_status(
            Project.objects.filter(pk__in={c.project_id for c in changes}), today
        )
    }
    benefits: dict[int, list[Benefit]] = {}
    if projects:
        for benefit in benefit_queryset(Benefit.objects.filter(project_id__in=list(projects))):
            benefits.setdefault(benefit.project_id, []).append(benefit)
    for change in changes:
        if change.decision_id is None:  # pragma: no cover - the query asks for decisions
            continue
        decision = by_item[change.decision_id]
        change.project = projects[change.project_id]
        found = next((p for p in decision.projects if p.project.pk == change.project_id), None)
        if found is None:
            found = ProjectTrace(projects[change.project_id], [])
            found.benefits = [
                _benefit_trace(b, decision.date, today) for b in benefits.get(change.project_id, [])
            ]
            decision.projects.append(found)
        found.changes.append(change)

    plans = AnnualPlan.objects.filter(
        Q(recommended_by_id__in=ids) | Q(approved_by_id__in=ids)
    ).prefetch_related(
        Prefetch(
            "entries",
            queryset=PlanEntry.objects.select_related("project", "responsible").order_by(
                "position", "pk"
            ),
        )
    )
    for plan in plans.order_by("year"):
        for item_id in {plan.recommended_by_id, plan.approved_by_id} & by_item.keys():
            if item_id is None:  # pragma: no cover - by_item holds decisions only
                continue
            by_item[item_id].plans.append(
                PlanTrace(
                    plan,
                    recommended=plan.recommended_by_id == item_id,
                    approved=plan.approved_by_id == item_id,
                )
            )

    for follow_up in follow_ups_for(user).filter(item_id__in=ids):
        by_item[follow_up.item_id].follow_ups.append(follow_up)
    return traces


def case_treatments(decision: DecisionTrace, user) -> None:
    """The decision's case for its own page: the route, whether its description may be read
    (a closed case: members of a body on its route), and every treatment of the case whose
    agenda the user may read, a closed item's title only for those who read closed items."""
    case = decision.item.case
    if case is None:
        return
    decision.route = list(case.steps.all())
    decision.shows_case_description = has_perm(user, "meetings.see_case_description", case)
    items = (
        AgendaItem.objects.filter(case=case)
        .filter(published_agendas(user, prefix="meeting__"))
        .select_related("meeting__body")
        .order_by("meeting__date", "meeting__start", "position", "pk")
    )
    readable = set(readable_decisions(user).filter(case=case).values_list("pk", flat=True))
    for item in items:
        closed_hidden = item.closed and not has_perm(user, "meetings.see_closed", item.meeting)
        decision.treatments.append(
            {
                "item": item,
                "meeting": item.meeting,
                "closed_hidden": closed_hidden,
                "this": item.pk == decision.item.pk,
                "traceable": item.pk in readable,
            }
        )


def decision_queryset(user):
    """The readable decisions with what a trace reads of them: meeting, body, case, route."""
    return readable_decisions(user).prefetch_related(
        Prefetch(
            "case__steps",
            queryset=CaseStep.objects.select_related("body").order_by("position"),
        )
    )
