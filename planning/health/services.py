"""Governance health: the rules of the design ("The governance rules the product checks by
itself") computed for the municipality for a year, each finding with a severity, a message
and a link to where it is fixed.

- Bodies: every active body with a cadence (its current mandate's meetings per year, else the
  body's own) against the meetings held this year (held or a later state), the meetings
  expected by now (pro rata to the day) and those planned for the rest of the year; every body
  with a current mandate against its composition rules (`organisation.services
  .check_composition`, fed with the mandates, rules and memberships of all bodies at once).
- Projects: an active project whose next status report is overdue
  (`portfolio.services.with_latest_status`, in SQL).
- Benefits of active projects: no responsible leader, no target, a measurement overdue (the
  flags of `benefits.services`, from one query of small rows, as the benefit overview does).
- Follow-ups: open ones past their due date, and open ones without an owner or a due date. A
  follow-up the user may not read in full (of a closed item, or of minutes not approved yet,
  for who is not a member of the body: `meetings.rules.sees_follow_up`) shows no
  text, only that it exists.
- The year's annual action plan: missing or not approved.
- IT systems and data protection: the duties of the register that are overdue, missing or
  due soon (`systems.duties.open_duties`), each linking to its system; the user's own are
  those of the systems the user owns or the user's bodies govern.

The agenda's approval by the chair before it is sent is not checked here: `meetings.services
.send_agenda` refuses an agenda the chair has not approved, and the API cannot change a
meeting's state, so every sent agenda is approved by construction.

Projects, benefits and follow-ups are checked as they stand today; the meetings and the
action plan are those of the chosen year.

"What I can act on" (`Actor`): bodies the user chairs or is secretary of (administrators and
secretaries: every body), projects the user leads or owns (those who run the portfolio: every
project), benefits the user answers for or whose project the user keeps, follow-ups the user
(or the user's unit) owns or whose body's minutes the user writes, and the action plan for
those who run planning.

Every group is counted in SQL (or from one query of small rows) and lists at most `limit`
findings, with a link to the full filtered list: the page costs the same number of queries
however many bodies, projects, benefits and follow-ups the municipality has.
"""

import calendar
import datetime
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.expressions import Window
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from benefits import services as benefit_services
from benefits.models import Benefit
from core.auth import person_of
from core.collation import danish_key
from core.links import link
from core.models import Role
from core.permissions import has_perm
from meetings.models import FollowUp, MeetingState
from meetings.rules import is_admin, member_body_ids
from organisation import services as organisation_services
from organisation.models import (
    Body,
    CompositionRule,
    Mandate,
    Membership,
    MembershipRole,
    OrgUnit,
)
from planning.models import AnnualPlan, PlanState
from portfolio.models import ACTIVE_PHASES, Project
from portfolio.services import AddDays, with_latest_status
from systems.duties import State, open_duties
from systems.models import SystemUsage

# States of a meeting that count as held.
HELD_STATES = [MeetingState.HELD, MeetingState.MINUTES_DRAFT, MeetingState.MINUTES_APPROVED]
LIMIT = 10
FIRST_YEAR = 2000

HIGH, MEDIUM, LOW = "high", "medium", "low"
SEVERITY_LABELS = {
    HIGH: gettext_lazy("Serious"),
    MEDIUM: gettext_lazy("Warning"),
    LOW: gettext_lazy("Note"),
}
SEVERITY_ORDER = {HIGH: 0, MEDIUM: 1, LOW: 2}

# The checks, in the order the page shows them, with their section.
CADENCE = "cadence"
COMPOSITION = "composition"
REPORT_LATE = "report_late"
BENEFIT_OVERDUE = "benefit_overdue"
BENEFIT_NO_OWNER = "benefit_no_owner"
BENEFIT_NO_TARGET = "benefit_no_target"
FOLLOW_UP_OVERDUE = "follow_up_overdue"
FOLLOW_UP_INCOMPLETE = "follow_up_incomplete"
PLAN = "plan"
SYSTEM_DUTY = "system_duty"

BODIES, PROJECTS, BENEFITS, FOLLOW_UPS, PLANS, SYSTEMS = (
    "bodies",
    "projects",
    "benefits",
    "follow_ups",
    "plans",
    "systems",
)
SECTIONS = {
    BODIES: (gettext_lazy("Bodies"), (CADENCE, COMPOSITION)),
    PROJECTS: (gettext_lazy("Projects"), (REPORT_LATE,)),
    BENEFITS: (gettext_lazy("Benefits"), (BENEFIT_OVERDUE, BENEFIT_NO_OWNER, BENEFIT_NO_TARGET)),
    FOLLOW_UPS: (gettext_lazy("Follow-ups"), (FOLLOW_UP_OVERDUE, FOLLOW_UP_INCOMPLETE)),
    PLANS: (gettext_lazy("Annual action plan"), (PLAN,)),
    SYSTEMS: (gettext_lazy("IT systems and data protection"), (SYSTEM_DUTY,)),
}
CHECKS = [check for _title, checks in SECTIONS.values() for check in checks]
TITLES = {
    CADENCE: gettext_lazy("Bodies behind their cadence"),
    COMPOSITION: gettext_lazy("Composition rules not met"),
    REPORT_LATE: gettext_lazy("Late status reports"),
    BENEFIT_OVERDUE: gettext_lazy("Benefit measurements overdue"),
    BENEFIT_NO_OWNER: gettext_lazy("Benefits without a responsible leader"),
    BENEFIT_NO_TARGET: gettext_lazy("Benefits without a target"),
    FOLLOW_UP_OVERDUE: gettext_lazy("Overdue follow-ups"),
    FOLLOW_UP_INCOMPLETE: gettext_lazy("Follow-ups without an owner or a due date"),
    PLAN: gettext_lazy("No approved action plan"),
    SYSTEM_DUTY: gettext_lazy("Duties of the IT systems overdue, missing or due soon"),
}
HINTS = {
    CADENCE: gettext_lazy("A body meets as often as its mandate says. Plan the missing meetings."),
    COMPOSITION: gettext_lazy(
        "The members of a body satisfy its mandate's composition rules. Add or change members."
    ),
    REPORT_LATE: gettext_lazy(
        "Every active project files a status report each cycle. The project's leader files it."
    ),
    BENEFIT_OVERDUE: gettext_lazy("Record a measurement: the next one was due on the date shown."),
    BENEFIT_NO_OWNER: gettext_lazy(
        "Choose the leader who answers for the benefit and measures it."
    ),
    BENEFIT_NO_TARGET: gettext_lazy("Give the value the benefit is to reach, and by when."),
    FOLLOW_UP_OVERDUE: gettext_lazy("Finish the follow-up or give it a new due date."),
    FOLLOW_UP_INCOMPLETE: gettext_lazy("Every follow-up has an owner and a due date."),
    PLAN: gettext_lazy(
        "The programme group recommends the year's action plan and the steering group approves it."
    ),
    SYSTEM_DUTY: gettext_lazy(
        "Risk assessments, impact assessments, the yearly review, data processing agreements, "
        "supervisions of the processors and contract notices, by their deadlines. The system "
        "owner and the body that governs the system see to them."
    ),
}
# How a benefit flag of benefits.services maps to a check here.
BENEFIT_FLAGS = {
    benefit_services.FLAG_OVERDUE: BENEFIT_OVERDUE,
    benefit_services.FLAG_NO_OWNER: BENEFIT_NO_OWNER,
    benefit_services.FLAG_NO_TARGET: BENEFIT_NO_TARGET,
}
BENEFIT_SEVERITY = {BENEFIT_OVERDUE: HIGH, BENEFIT_NO_OWNER: MEDIUM, BENEFIT_NO_TARGET: MEDIUM}

# The state of a body's cadence.
ON_TRACK, BEHIND, TOO_FEW = "on_track", "behind", "too_few"
CADENCE_LABELS = {
    ON_TRACK: gettext_lazy("On track"),
    BEHIND: gettext_lazy("Behind"),
    TOO_FEW: gettext_lazy("Too few planned"),
}


def day(value: datetime.date | None) -> str:
    """dd-mm-yyyy, as the rest of digistyr writes dates."""
    return f"{value:%d-%m-%Y}" if value else ""


def _reverse(name: str, *args) -> str:
    """The URL of a page, or "" when the page does not exist (yet); a page of one integer
    argument is reversed once (`core.links.link`)."""
    if len(args) == 1 and isinstance(args[0], int):
        return link(name, args[0])
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# --- Who is asking ----------------------------------------------------------------------------


@dataclass
class Actor:
    """What the user may act on (see the module's docstring)."""

    user: object
    person_id: int | None = None
    unit_id: int | None = None
    admin: bool = False
    runs_bodies: bool = False
    led_bodies: frozenset = frozenset()
    member_bodies: frozenset = frozenset()
    runs_portfolio: bool = False
    edits_meetings: bool = False
    runs_planning: bool = False

    @classmethod
    def of(cls, user, today: datetime.date | None = None) -> "Actor":
        """The user's person, unit and rights: a query for the bodies the person leads."""
        actor = cls(user=user)
        if not user or not user.is_authenticated or user.municipality_id is None:
            return actor
        today = today or timezone.localdate()
        person = person_of(user)
        if person is not None:
            actor.person_id, actor.unit_id = person.pk, person.unit_id
        actor.admin = is_admin(user)
        actor.runs_bodies = user.role in {Role.ADMINISTRATOR, Role.SECRETARY}
        actor.runs_portfolio = has_perm(user, "portfolio.change")
        actor.edits_meetings = has_perm(user, "meetings.change")
        actor.runs_planning = has_perm(user, "planning.change")
        if actor.person_id:
            # One query for the bodies the person sits in (the systems they govern are the
            # person's) and those the person chairs or is secretary of.
            seats = list(
                Membership.objects.current(today)
                .filter(person_id=actor.person_id)
                .values_list("body_id", "role")
            )
            actor.member_bodies = frozenset(body_id for body_id, _role in seats)
            if not actor.runs_bodies:
                actor.led_bodies = frozenset(
                    body_id
                    for body_id, role in seats
                    if role in (MembershipRole.CHAIR, MembershipRole.SECRETARY)
                )
        return actor

    @property
    def acts_on_anything(self) -> bool:
        """False for a user who can act on nothing (a reader without a person)."""
        return bool(
            self.person_id
            or self.runs_bodies
            or self.runs_portfolio
            or self.runs_planning
            or self.admin
        )

    def leads_body(self, body_id: int) -> bool:
        return self.runs_bodies or body_id in self.led_bodies

    def project_q(self, prefix: str = "") -> Q:
        """Projects (through `prefix`) the user keeps; Q() for all."""
        if self.runs_portfolio:
            return Q()
        if self.person_id is None:
            return Q(pk__in=[])
        return Q(**{f"{prefix}leader_id": self.person_id}) | Q(
            **{f"{prefix}owner_id": self.person_id}
        )

    def keeps_project(self, leader_id, owner_id) -> bool:
        return self.runs_portfolio or (
            self.person_id is not None and self.person_id in (leader_id, owner_id)
        )

    def follow_up_q(self) -> Q:
        """Follow-ups the user owns (or the user's unit), or whose body's minutes the user
        writes (`meetings.rules.can_edit`); Q() for all."""
        if self.admin:
            return Q()
        q = Q(pk__in=[])
        if self.person_id:
            q |= Q(owner_id=self.person_id)
        if self.unit_id:
            q |= Q(owner_unit_id=self.unit_id)
        if self.edits_meetings:
            q |= Q(body_id__in=member_body_ids(self.user))
        return q


# --- What was found ---------------------------------------------------------------------------


@dataclass
class Finding:
    """One thing that breaks a rule, with where to fix it."""

    check: str
    severity: str
    subject: str
    message: str
    url: str
    action: str
    mine: bool
    date: datetime.date | None = None
    who: str = ""
    subject_url: str = ""

    @property
    def severity_label(self) -> str:
        return str(SEVERITY_LABELS[self.severity])


@dataclass
class Group:
    """The findings of one check: how many there are (in the scope asked for, for everyone
    and for the user), the first `limit` of them, and the list with all of them."""

    check: str
    count: int = 0
    all_count: int = 0
    mine_count: int = 0
    findings: list[Finding] = field(default_factory=list)
    more_url: str = ""

    @property
    def title(self) -> str:
        return str(TITLES[self.check])

    @property
    def hint(self) -> str:
        return str(HINTS[self.check])

    @property
    def more(self) -> int:
        return max(self.count - len(self.findings), 0)


@dataclass
class BodyRow:
    """A body's line in the table: cadence and composition."""

    body: Body
    per_year: int | None
    held: int
    expected: int | None
    planned: int
    cadence: str | None  # ON_TRACK, BEHIND, TOO_FEW; None without a cadence
    composition: organisation_services.CompositionCheck | None  # None without a mandate
    mine: bool
    url: str = ""

    @property
    def cadence_label(self) -> str:
        return str(CADENCE_LABELS[self.cadence]) if self.cadence else ""

    @property
    def composition_met(self) -> bool | None:
        if self.composition is None or not self.composition.results:
            return None
        return self.composition.satisfied

    @property
    def unmet_rules(self) -> list:
        if self.composition is None:
            return []
        return [r for r in self.composition.results if not r.satisfied]


@dataclass
class Health:
    year: int
    today: datetime.date
    on: datetime.date  # the day the year's cadence is counted to
    mine: bool
    actor: Actor
    bodies: list[BodyRow]
    groups: dict[str, Group]
    active_bodies: list = field(default_factory=list)  # every active body, in Danish order
    # The open duties of the systems the user owns or the user's bodies govern
    # (`systems.duties.Duty`), overdue and missing first: the front page lists them.
    my_duties: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(g.count for g in self.groups.values())

    @property
    def all_count(self) -> int:
        return sum(g.all_count for g in self.groups.values())

    @property
    def mine_count(self) -> int:
        return sum(g.mine_count for g in self.groups.values())

    def sections(self) -> list[dict]:
        return [
            {
                "key": key,
                "title": str(title),
                "groups": [self.groups[c] for c in checks],
                "count": sum(self.groups[c].count for c in checks),
            }
            for key, (title, checks) in SECTIONS.items()
        ]


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def expected_by(per_year: int, year: int, today: datetime.date) -> int:
    """Meetings a body meeting `per_year` times should have held of `year` by `today`: pro rata
    to the whole days passed, rounded down (a quarterly body owes its first meeting once a
    quarter has passed)."""
    start, end = year_bounds(year)
    days = 366 if calendar.isleap(year) else 365
    passed = min(max((today - start).days, 0), days)
    return per_year * passed // days


def governance_health(
    user,
    year: int | None = None,
    *,
    mine: bool = False,
    limit: int = LIMIT,
    today: datetime.date | None = None,
    actor: Actor | None = None,
) -> Health:
    """The governance health of the user's municipality for `year` (default this year).

    `mine`: only what the user can act on. `limit`: findings listed per check (0: counts
    only). A constant number of queries."""
    today = today or timezone.localdate()
    year = year or today.year
    actor = actor or Actor.of(user, today)
    start, end = year_bounds(year)
    on = min(max(today, start), end)
    groups = {check: Group(check) for check in CHECKS}
    bodies, active = _bodies(actor, groups, year, today, on, mine, limit)
    _projects(actor, groups, today, mine, limit)
    _benefits(actor, groups, today, mine, limit)
    _follow_ups(actor, groups, today, mine, limit)
    _plan(actor, groups, year, mine, limit)
    my_duties = _system_duties(actor, groups, today, mine, limit)
    return Health(year, today, on, mine, actor, bodies, groups, active, my_duties)


def _count(group: Group, all_count: int, mine_count: int, mine: bool) -> None:
    group.all_count, group.mine_count = all_count, mine_count
    group.count = mine_count if mine else all_count


# --- Bodies ----------------------------------------------------------------------------------


def _bodies(actor: Actor, groups, year, today, on, mine, limit) -> tuple[list[BodyRow], list]:
    """The rows of the bodies with a cadence (the user's own when `mine`), and every body of
    the administration active on `on` (not those outside it: the political treatment)."""
    start, end = year_bounds(year)
    current = organisation_services.mandates_in_force(OuterRef("pk"), on)
    held = Q(meetings__date__gte=start, meetings__date__lte=end, meetings__state__in=HELD_STATES)
    planned = Q(meetings__date__gte=max(today, start), meetings__date__lte=end) & ~Q(
        meetings__state__in=HELD_STATES
    )
    bodies = list(
        # A body outside the administration has no members, mandate or meetings here.
        Body.objects.active_on(on)
        .internal()
        .annotate(
            mandate_pk=Subquery(current.values("pk")[:1]),
            mandate_per_year=Subquery(current.values("meetings_per_year")[:1]),
            held_count=Count("meetings", filter=held),
            planned_count=Count("meetings", filter=planned),
        )
        .order_by()
    )
    active = sorted(bodies, key=lambda b: (danish_key(b.name), b.pk))
    bodies = [b for b in active if b.mandate_pk or b.mandate_per_year or b.meetings_per_year]
    checks = _compositions(bodies, on)

    rows = []
    for body in bodies:
        per_year = body.mandate_per_year or body.meetings_per_year or None
        expected = expected_by(per_year, year, today) if per_year else None
        if per_year is None:
            cadence = None
        elif body.held_count < expected:
            cadence = BEHIND
        elif body.held_count + body.planned_count < per_year:
            cadence = TOO_FEW
        else:
            cadence = ON_TRACK
        rows.append(
            BodyRow(
                body=body,
                per_year=per_year,
                held=body.held_count,
                expected=expected,
                planned=body.planned_count,
                cadence=cadence,
                composition=checks.get(body.pk),
                mine=actor.leads_body(body.pk),
                url=_reverse("organisation:body_detail", body.pk),
            )
        )

    # The rows that break a rule; only the `limit` shown become findings (the front page
    # asks for counts alone, and a finding's message and links cost more than its row).
    behind = [row for row in rows if row.cadence in (BEHIND, TOO_FEW)]
    unmet = [row for row in rows if row.unmet_rules]
    list_url = reverse("organisation:body_list")
    for check, found, make, severity in (
        (
            CADENCE,
            behind,
            lambda row: _cadence_finding(actor, row, year, today, end),
            lambda row: HIGH if row.cadence == BEHIND else MEDIUM,
        ),
        (COMPOSITION, unmet, _composition_finding, lambda row: HIGH),
    ):
        group = groups[check]
        _count(group, len(found), sum(1 for row in found if row.mine), mine)
        shown = [row for row in found if row.mine] if mine else found
        shown = sorted(shown, key=lambda row: SEVERITY_ORDER[severity(row)])[:limit]
        group.findings = [make(row) for row in shown]
        group.more_url = list_url
    return ([row for row in rows if row.mine] if mine else rows), active


def _compositions(
    bodies: list[Any], on: datetime.date
) -> dict[int, organisation_services.CompositionCheck]:
    """{body id: CompositionCheck} of the bodies (annotated with their current mandate's
    `mandate_pk`) with a current mandate: the mandates' rules with their units, the
    memberships with their people (as plain rows) and the unit tree in three queries. The
    check needs no more of a mandate than its id."""
    mandate_ids = [b.mandate_pk for b in bodies if b.mandate_pk]
    if not mandate_ids:
        return {}
    rules: dict[int, list[CompositionRule]] = {pk: [] for pk in mandate_ids}
    for rule in CompositionRule.objects.filter(mandate_id__in=mandate_ids).select_related("unit"):
        rules[rule.mandate_id].append(rule)
    seats = organisation_services.current_seats([b.pk for b in bodies if b.mandate_pk], on)
    tree = organisation_services.UnitTree([])
    if any(rule.unit_id for found in rules.values() for rule in found):
        # One tree for every body's rules: each subtree is walked once.
        tree = organisation_services.UnitTree(OrgUnit.objects.only("pk", "parent_id"))
    return {
        body.pk: organisation_services.check_composition(
            body,
            on,
            seats.get(body.pk, []),
            Mandate(pk=body.mandate_pk, body_id=body.pk),
            tree,
            rules=rules[body.mandate_pk],
        )
        for body in bodies
        if body.mandate_pk
    }


def _cadence_finding(actor: Actor, row: BodyRow, year: int, today, end) -> Finding:
    body = row.body
    values = {
        "held": row.held,
        "expected": row.expected,
        "per_year": row.per_year,
        "planned": row.planned,
        "date": day(min(today, end)),
        "year": year,
    }
    if row.cadence == BEHIND:
        severity = HIGH
        message = (
            ngettext(
                "%(held)d held of the %(expected)d meeting expected by %(date)s "
                "(%(per_year)d a year); %(planned)d more planned in %(year)d.",
                "%(held)d held of the %(expected)d meetings expected by %(date)s "
                "(%(per_year)d a year); %(planned)d more planned in %(year)d.",
                cast(int, row.expected),
            )
            % values
        )
    else:
        severity = MEDIUM
        missing = cast(int, row.per_year) - row.held - row.planned
        values["missing"] = missing
        message = (
            ngettext(
                "%(held)d held and %(planned)d planned in %(year)d: %(missing)d meeting short of "
                "the %(per_year)d a year it should hold.",
                "%(held)d held and %(planned)d planned in %(year)d: %(missing)d meetings short of "
                "the %(per_year)d a year it should hold.",
                missing,
            )
            % values
        )
    if has_perm(actor.user, "meetings.edit", body) and not body.is_closed:
        url, action = _reverse("meetings:meeting_plan_year", body.pk), _("Plan meetings")
    else:
        url = reverse("meetings:meeting_list") + f"?organ={body.pk}&aar={year}"
        action = _("See the meetings")
    return Finding(
        check=CADENCE,
        severity=severity,
        subject=body.name,
        message=message,
        url=url,
        action=action,
        mine=row.mine,
        subject_url=row.url,
    )


def _composition_finding(row: BodyRow) -> Finding:
    """Of a body whose current mandate's composition rules are not all met."""
    assert row.composition is not None
    unmet = row.unmet_rules
    message = ngettext(
        "%(count)d of %(total)d composition rules is not met: %(rules)s.",
        "%(count)d of %(total)d composition rules are not met: %(rules)s.",
        len(unmet),
    ) % {
        "count": len(unmet),
        "total": len(row.composition.results),
        "rules": "; ".join(r.rule.description for r in unmet),
    }
    return Finding(
        check=COMPOSITION,
        severity=HIGH,
        subject=row.body.name,
        message=message,
        url=row.url + "#members",
        action=_("See the members"),
        mine=row.mine,
        subject_url=row.url,
    )


# --- Projects --------------------------------------------------------------------------------


def with_report_due(projects, today: datetime.date | None = None):
    """`with_latest_status` plus `report_due`: the day the next report is due."""
    return with_latest_status(projects, today).annotate(
        report_due=AddDays(Coalesce(F("latest_end"), F("start_date")), F("report_cycle"))
    )


def _counted(queryset, mine_q: Q, mine: bool, order: tuple, limit: int) -> tuple[list, int, int]:
    """Up to `limit` rows of `queryset` in `order` (only the user's own, `mine_q`, when
    `mine`), and how many rows there are in all and of the user's own, in one query whatever
    the numbers: (rows, all, mine). With `limit` 0, only the numbers."""
    flag: Case | Value
    if mine_q:
        flag = Case(When(mine_q, then=Value(1)), default=Value(0), output_field=IntegerField())
    else:  # Q(): all of it is the user's
        flag = Value(1, output_field=IntegerField())
    if not limit:
        counts = queryset.order_by().aggregate(all=Count("pk"), mine=Sum(flag))
        return [], counts["all"], counts["mine"] or 0
    rows = list(
        queryset.annotate(
            health_mine=flag,
            health_all=Window(Count("pk")),
            health_mine_count=Window(Sum(flag)),
        ).order_by(*(("-health_mine",) if mine else ()), *order)[:limit]
    )
    if not rows:
        return [], 0, 0
    counts = rows[0].health_all, rows[0].health_mine_count or 0
    if mine:
        rows = [row for row in rows if row.health_mine]
    return rows, *counts


def _projects(actor: Actor, groups, today, mine, limit) -> None:
    group = groups[REPORT_LATE]
    late = (
        with_report_due(Project.objects.filter(phase__in=ACTIVE_PHASES), today)
        .filter(report_late=True)
        .select_related("leader")
        .only("pk", "name", "leader_id", "owner_id", "leader__name")
    )
    rows, all_count, mine_count = _counted(
        late, actor.project_q(), mine, ("report_due", "pk"), limit
    )
    _count(group, all_count, mine_count, mine)
    group.more_url = reverse("portfolio:board") + "?sen=1"
    for row in rows:
        keeps = actor.keeps_project(row.leader_id, row.owner_id)
        due = row.report_due
        if isinstance(due, str):  # SQLite's date() answers text
            due = datetime.date.fromisoformat(due)
        days = (today - due).days
        group.findings.append(
            Finding(
                check=REPORT_LATE,
                severity=HIGH,
                subject=row.name,
                message=ngettext(
                    "The status report was due on %(due)s, %(days)d day ago.",
                    "The status report was due on %(due)s, %(days)d days ago.",
                    days,
                )
                % {"due": day(due), "days": days},
                url=_reverse(
                    "portfolio:report_create" if keeps else "portfolio:report_list", row.pk
                ),
                action=_("File a status report") if keeps else _("See the reports"),
                mine=keeps,
                date=due,
                who=row.leader.name if row.leader_id else "",
                subject_url=_reverse("portfolio:project_detail", row.pk),
            )
        )


# --- Benefits --------------------------------------------------------------------------------


_BENEFIT_FIELDS = (
    "pk",
    "title",
    "responsible_id",
    "target_value",
    "frequency",
    "first_due",
    "baseline_date",
    "last_measured",
    "project_id",
    "project_name",
    "leader_id",
    "owner_id",
    "responsible_name",
)


def _benefits(actor: Actor, groups, today, mine, limit) -> None:
    """The flags of every benefit of an active project, from one query of small rows (the
    next measurement's due date is counted in months, as `Benefit.measurement_due` does)."""
    rows = (
        benefit_services.with_last_measured(
            Benefit.objects.filter(project__phase__in=ACTIVE_PHASES)
        )
        .annotate(
            project_name=F("project__name"),
            leader_id=F("project__leader_id"),
            owner_id=F("project__owner_id"),
            responsible_name=F("responsible__name"),
        )
        .order_by()
        .values_list(*_BENEFIT_FIELDS, named=True)
    )
    found: dict[str, list] = {check: [] for check in BENEFIT_FLAGS.values()}
    for row in rows:
        due = benefit_services.due_of(row)
        for flag in benefit_services.flags_of(row, due, today):
            found[BENEFIT_FLAGS[flag]].append((row, due))
    overview = reverse("benefits:benefit_overview")
    for flag, check in BENEFIT_FLAGS.items():
        group = groups[check]
        entries = found[check]
        mine_entries = [(r, d) for r, d in entries if _measures(actor, r)]
        _count(group, len(entries), len(mine_entries), mine)
        query = f"?flag={flag}&fase=aktive" + ("&sort=forfald" if check == BENEFIT_OVERDUE else "")
        group.more_url = overview + query
        shown = mine_entries if mine else entries
        if check == BENEFIT_OVERDUE:
            shown.sort(key=lambda e: (e[1], e[0].pk))
        else:
            shown.sort(
                key=lambda e: (danish_key(e[0].project_name), danish_key(e[0].title), e[0].pk)
            )
        group.findings = [
            _benefit_finding(actor, check, row, due, today) for row, due in shown[:limit]
        ]


def _measures(actor: Actor, row) -> bool:
    """Does the user keep the benefit's project or answer for the benefit?"""
    return actor.keeps_project(row.leader_id, row.owner_id) or (
        actor.person_id is not None and row.responsible_id == actor.person_id
    )


def _benefit_finding(actor: Actor, check: str, row, due, today) -> Finding:
    keeps = actor.keeps_project(row.leader_id, row.owner_id)
    mine = _measures(actor, row)
    if check == BENEFIT_OVERDUE:
        days = (today - due).days
        message = ngettext(
            "A measurement was due on %(due)s, %(days)d day ago.",
            "A measurement was due on %(due)s, %(days)d days ago.",
            days,
        ) % {"due": day(due), "days": days}
        url_name = "benefits:measurement_add" if mine else "benefits:benefit_detail"
        action = _("Record measurement") if mine else _("See the benefit")
    elif check == BENEFIT_NO_OWNER:
        message = _("The benefit has no responsible leader.")
        url_name = "benefits:benefit_edit" if keeps else "benefits:benefit_detail"
        action = _("Choose a responsible leader") if keeps else _("See the benefit")
    else:
        message = _("The benefit has no target.")
        url_name = "benefits:benefit_edit" if keeps else "benefits:benefit_detail"
        action = _("Set a target") if keeps else _("See the benefit")
    return Finding(
        check=check,
        severity=BENEFIT_SEVERITY[check],
        subject=f"{row.project_name}: {row.title}",
        message=message,
        url=_reverse(url_name, row.pk),
        action=action,
        mine=mine,
        date=due if check == BENEFIT_OVERDUE else None,
        who=row.responsible_name or "",
        subject_url=_reverse("benefits:benefit_detail", row.pk),
    )


# --- Follow-ups ------------------------------------------------------------------------------


def _follow_ups(actor: Actor, groups, today, mine, limit) -> None:
    overdue = Q(due_date__lt=today)
    incomplete = Q(owner__isnull=True, owner_unit__isnull=True) | Q(due_date__isnull=True)
    mine_q = actor.follow_up_q()
    open_ = FollowUp.objects.open()
    list_url = reverse("meetings:followup_list")
    counts = None
    if not limit:  # the numbers of both checks in one query
        counts = open_.order_by().aggregate(
            overdue=Count("pk", filter=overdue),
            overdue_mine=Count("pk", filter=overdue & mine_q),
            incomplete=Count("pk", filter=incomplete),
            incomplete_mine=Count("pk", filter=incomplete & mine_q),
        )
    for check, condition, status in (
        (FOLLOW_UP_OVERDUE, overdue, "overdue"),
        (FOLLOW_UP_INCOMPLETE, incomplete, "open"),
    ):
        group = groups[check]
        group.more_url = f"{list_url}?status={status}"
        if counts is not None:
            key = "overdue" if check == FOLLOW_UP_OVERDUE else "incomplete"
            _count(group, counts[key], counts[f"{key}_mine"], mine)
            continue
        rows, all_count, mine_count = _counted(
            open_.filter(condition).select_related("body", "owner", "owner_unit", "item__meeting"),
            mine_q,
            mine,
            (F("due_date").asc(nulls_first=True), "pk"),
            limit,
        )
        _count(group, all_count, mine_count, mine)
        for follow_up in rows:
            group.findings.append(
                _follow_up_finding(
                    actor,
                    check,
                    follow_up,
                    today,
                    visible=has_perm(actor.user, "meetings.see_follow_up", follow_up),
                    editable=has_perm(actor.user, "meetings.edit_follow_up", follow_up),
                )
            )


def _follow_up_finding(
    actor: Actor, check, follow_up: FollowUp, today, *, visible: bool, editable: bool
) -> Finding:
    body_url = _reverse("organisation:body_detail", follow_up.body_id)
    mine = bool(
        actor.admin
        or (actor.person_id and follow_up.owner_id == actor.person_id)
        or (actor.unit_id and follow_up.owner_unit_id == actor.unit_id)
        or (actor.edits_meetings and follow_up.body_id in member_body_ids(actor.user))
    )
    if not visible:
        # Never the text of a follow-up the user may not read: only that it exists.
        message = (
            _("A follow-up of a closed item.")
            if follow_up.closed
            else _("A follow-up in minutes that are not approved yet.")
        )
        return Finding(
            check=check,
            severity=HIGH if check == FOLLOW_UP_OVERDUE else MEDIUM,
            subject=follow_up.body.name,
            message=message,
            url=body_url,
            action=_("See the body"),
            mine=mine,
            date=follow_up.due_date,
            subject_url=body_url,
        )
    text = follow_up.description.strip()
    if len(text) > 200:
        text = text[:199].rstrip() + "…"
    if check == FOLLOW_UP_OVERDUE:
        days = (today - follow_up.due_date).days
        message = ngettext(
            "%(text)s (due %(due)s, %(days)d day ago)",
            "%(text)s (due %(due)s, %(days)d days ago)",
            days,
        ) % {"text": text, "due": day(follow_up.due_date), "days": days}
        severity = HIGH
    else:
        missing = []
        if not follow_up.owner_id and not follow_up.owner_unit_id:
            missing.append(_("no owner"))
        if not follow_up.due_date:
            missing.append(_("no due date"))
        message = f"{text} ({', '.join(missing)})"
        severity = MEDIUM
    if editable:
        url = (
            _reverse("meetings:followup_edit", follow_up.pk) + "?next=" + reverse("planning:health")
        )
        action = _("Update the follow-up")
    elif follow_up.item_id:
        url, action = (
            _reverse("meetings:meeting_detail", follow_up.item.meeting_id),  # type: ignore[union-attr]
            _("See the meeting"),
        )
    else:
        url = reverse("meetings:followup_list") + f"?organ={follow_up.body_id}&status=open"
        action = _("See the follow-ups")
    return Finding(
        check=check,
        severity=severity,
        subject=follow_up.body.name,
        message=message,
        url=url,
        action=action,
        mine=mine,
        date=follow_up.due_date,
        who=follow_up.owner_name,
        subject_url=body_url,
    )


# --- The action plan -------------------------------------------------------------------------


def _plan(actor: Actor, groups, year: int, mine: bool, limit: int) -> None:
    group = groups[PLAN]
    plan = AnnualPlan.objects.filter(year=year).values_list("pk", "state").first()
    if plan is not None and plan[1] == PlanState.APPROVED:
        return
    found = 1
    _count(group, found, found if actor.runs_planning else 0, mine)
    if not limit or not group.count:
        return
    if plan is None:
        message = _("There is no action plan for %(year)d.") % {"year": year}
        if actor.runs_planning and _reverse("planning:plan_create"):
            url, action = _reverse("planning:plan_create"), _("Create the action plan")
        else:
            url, action = _reverse("planning:plan_list"), _("See the action plans")
    else:
        message = _("The action plan for %(year)d is not approved yet (%(state)s).") % {
            "year": year,
            "state": PlanState(plan[1]).label,
        }
        url = _reverse("planning:plan_detail", plan[0])
        action = _("See the action plan")
    group.findings = [
        Finding(
            check=PLAN,
            severity=LOW,
            subject=_("Action plan %(year)d") % {"year": year},
            message=message,
            url=url,
            action=action,
            mine=actor.runs_planning,
        )
    ]
    group.more_url = url


# --- IT systems and data protection ----------------------------------------------------------

DUTY_SEVERITY = {State.OVERDUE: HIGH, State.MISSING: MEDIUM, State.SOON: LOW}


def _system_duties(actor: Actor, groups, today, mine, limit) -> list:
    """The open duties of the register (`systems.duties.open_duties`: four queries), the
    user's own being those of the systems the user owns or the user's bodies govern
    (`Actor.member_bodies`). Returns the user's own, for the front page."""
    group = groups[SYSTEM_DUTY]
    group.more_url = _reverse("systems:usage_list")
    bodies = actor.member_bodies
    if mine and not limit:
        # Only the user's count is asked (the front page): read only the systems the user
        # owns or the user's bodies govern, not the whole register (1,000 systems in
        # København). The count of all is then not known, and given as the user's.
        wanted = Q(body_id__in=list(bodies))
        if actor.person_id:
            wanted |= Q(owner_id=actor.person_id)
        own = open_duties(today, usages=SystemUsage.objects.filter(wanted))
        _count(group, len(own), len(own), mine)
        return own
    duties = open_duties(today)

    def is_mine(duty) -> bool:
        return bool(
            (actor.person_id and duty.owner_id == actor.person_id)
            or (duty.body_id and duty.body_id in bodies)
        )

    own = [duty for duty in duties if is_mine(duty)]
    _count(group, len(duties), len(own), mine)
    shown = own if mine else duties
    group.findings = [_duty_finding(duty, is_mine(duty)) for duty in shown[:limit]]
    return own


def duty_message(duty) -> str:
    """ "Risk assessment: overdue since 01-03-2024." and the like."""
    values = {"duty": duty.label, "date": day(duty.due)}
    if duty.state == State.OVERDUE:
        return _("%(duty)s: overdue since %(date)s.") % values
    if duty.state == State.MISSING:
        return _("%(duty)s: there is none.") % values
    return _("%(duty)s: due on %(date)s.") % values


def _duty_finding(duty, mine: bool) -> Finding:
    try:
        url = duty.url
    except NoReverseMatch:  # the system's page is not there (yet)
        url = ""
    return Finding(
        check=SYSTEM_DUTY,
        severity=DUTY_SEVERITY.get(duty.state, LOW),
        subject=duty.subject,
        message=duty_message(duty),
        url=url,
        action=_("See the system"),
        mine=mine,
        date=duty.due,
        who=duty.owner_name,
        subject_url=url,
    )
