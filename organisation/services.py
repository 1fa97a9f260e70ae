"""Domain logic of the organisation app: the composition check, closing a body, the memo."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.collation import Danish, danish_key
from core.models import Municipality
from organisation.models import (
    Body,
    BodyStatus,
    CompositionRule,
    Mandate,
    Membership,
    OrgUnit,
    UnitTree,
)


def rules_with_units() -> Prefetch:
    """Prefetch a mandate's composition rules together with their units (one query)."""
    return Prefetch("rules", queryset=CompositionRule.objects.select_related("unit"))


def mandates_in_force(body, on: datetime.date):
    """The versions of `body`'s mandate approved on or before `on`, newest first: the first
    is the mandate in force. `body` may be an `OuterRef` (a subquery per body)."""
    return Mandate.objects.filter(body=body, approved_on__lte=on).order_by("-version")


def current_mandate(body: Body, on: datetime.date) -> Mandate | None:
    """The newest version of the body's mandate approved on or before `on`."""
    return (
        mandates_in_force(body, on)
        .select_related("approved_by")
        .prefetch_related(rules_with_units())
        .first()
    )


@dataclass(slots=True)
class SeatHolder:
    """What a composition check reads of a member: a person without the model around it."""

    name: str
    title: str
    unit_id: int | None


@dataclass(slots=True)
class Seat:
    """A current membership as a composition check reads it, for checking many bodies at
    once: thousands of these cost a fifth of as many model instances (`current_seats`)."""

    pk: int
    body_id: int
    role: str
    start: datetime.date
    end: datetime.date | None
    person: SeatHolder

    def is_current(self, on: datetime.date) -> bool:
        return self.start <= on and (self.end is None or self.end >= on)


SeatLike = Membership | Seat


def current_seats(body_ids: list[int], on: datetime.date) -> dict[int, list[Seat]]:
    """{body id: its current seats} of the bodies, in one query of plain rows."""
    seats: dict[int, list[Seat]] = {}
    rows = (
        Membership.objects.current(on)
        .filter(body_id__in=body_ids)
        .order_by("pk")
        .values_list(
            "pk", "body_id", "role", "start", "end", "person__name", "person__title",
            "person__unit_id",
        )
    )  # fmt: skip
    for pk, body_id, role, start, end, name, title, unit_id in rows:
        seat = Seat(pk, body_id, role, start, end, SeatHolder(name, title, unit_id))
        seats.setdefault(body_id, []).append(seat)
    return seats


@dataclass
class RuleResult:
    rule: CompositionRule
    matched: list[SeatLike]
    candidates: list[SeatLike]

    @property
    def satisfied(self) -> bool:
        return len(self.matched) >= self.rule.min_count

    @property
    def reason(self) -> str:
        if self.satisfied:
            names = ", ".join(m.person.name for m in self.matched)
            return _("Met by %(names)s.") % {"names": names}
        missing = self.rule.min_count - len(self.matched)
        text = ngettext(
            "Requires %(count)d, found %(found)d: %(missing)d is missing.",
            "Requires %(count)d, found %(found)d: %(missing)d are missing.",
            missing,
        ) % {"count": self.rule.min_count, "found": len(self.matched), "missing": missing}
        if self.matched:
            text += " " + _("Counted: %(names)s.") % {
                "names": ", ".join(m.person.name for m in self.matched)
            }
        shared = [m for m in self.candidates if m not in self.matched]
        if shared:
            text += " " + _("%(names)s also fits, but is counted for another rule.") % {
                "names": ", ".join(m.person.name for m in shared)
            }
        return text


@dataclass
class CompositionCheck:
    mandate: Mandate | None
    results: list[RuleResult] = field(default_factory=list)

    @property
    def satisfied(self) -> bool:
        return all(r.satisfied for r in self.results)


def _matches(
    rule: CompositionRule, membership: SeatLike, unit_scope: frozenset[int] | None
) -> bool:
    if rule.role and membership.role != rule.role:
        return False
    person = membership.person
    if unit_scope is not None and person.unit_id not in unit_scope:
        return False
    if rule.title_contains and rule.title_contains.casefold() not in person.title.casefold():
        return False
    return True


def check_composition(
    body: Body,
    on: datetime.date,
    memberships: "Sequence[SeatLike]",
    mandate: Mandate | None,
    units: "list[OrgUnit] | UnitTree | None" = None,
    rules: "Sequence[CompositionRule] | None" = None,
) -> CompositionCheck:
    """Whether the body's current members satisfy its mandate's composition rules.

    Each membership is counted for one rule at most (a maximum bipartite matching of rule
    slots to memberships), so one chief cannot fill both “2 chiefs from welfare” and
    “1 chief from the joint administration”.
    """
    if mandate is None:
        return CompositionCheck(mandate=None)
    rules = list(mandate.rules.all() if rules is None else rules)
    current = [m for m in memberships if m.is_current(on)]
    if units is None and any(rule.unit_id for rule in rules):
        units = list(OrgUnit.objects.only("pk", "parent_id"))
    tree = units if isinstance(units, UnitTree) else UnitTree(units or [])
    candidates: dict[int, list[SeatLike]] = {}
    for rule in rules:
        scope = tree.subtree(rule.unit_id) if rule.unit_id else None
        candidates[rule.pk] = [m for m in current if _matches(rule, m, scope)]

    # Slots: one per required seat. Kuhn's augmenting-path matching; the sizes are tiny.
    slots = [rule for rule in rules for _ in range(rule.min_count)]
    owner: dict[int, int] = {}  # membership pk -> slot index

    def assign(slot_index: int, visited: set[int]) -> bool:
        for membership in candidates[slots[slot_index].pk]:
            if membership.pk in visited:
                continue
            visited.add(membership.pk)
            if membership.pk not in owner or assign(owner[membership.pk], visited):
                owner[membership.pk] = slot_index
                return True
        return False

    for index in range(len(slots)):
        assign(index, set())

    by_pk = {m.pk: m for m in current}
    matched: dict[int, list[SeatLike]] = {rule.pk: [] for rule in rules}
    for membership_pk, slot_index in owner.items():
        matched[slots[slot_index].pk].append(by_pk[membership_pk])
    return CompositionCheck(
        mandate=mandate,
        results=[RuleResult(rule, matched[rule.pk], candidates[rule.pk]) for rule in rules],
    )


@transaction.atomic
def close_body(body: Body, closed_on: datetime.date, summary: str) -> Body:
    """Close a body: record the date and summary and end the memberships still running."""
    body.closed_on = closed_on
    body.closing_summary = summary
    body.full_clean()
    body.save()
    for membership in Membership.objects.filter(body=body).filter(
        Q(end__isnull=True) | Q(end__gt=closed_on)
    ):
        membership.end = max(closed_on, membership.start)
        membership.save()
    return body


@transaction.atomic
def publish_mandate(mandate: Mandate, rules: list[CompositionRule]) -> Mandate:
    """Save a new mandate version together with its composition rules, all or nothing."""
    mandate.full_clean(exclude=["version"])
    mandate.save()
    for position, rule in enumerate(rules):
        rule.mandate = mandate
        rule.position = position
        rule.full_clean(exclude=["mandate"])
        rule.save()
    if mandate.meetings_per_year and not mandate.body.meetings_per_year:
        mandate.body.meetings_per_year = mandate.meetings_per_year
        mandate.body.save(update_fields=["meetings_per_year"])
    return mandate


# --- The status memo -------------------------------------------------------------------


@dataclass
class MemoMember:
    name: str
    title: str
    role: str
    role_label: str


@dataclass
class MemoGroup:
    body: Body
    purpose: str
    members: list[MemoMember]
    organisation: list[str]
    status: BodyStatus | None


@dataclass
class MemoClosedGroup:
    body: Body
    year: int
    summary: str


@dataclass
class StatusMemo:
    municipality_name: str
    date: datetime.date
    intro: str
    groups: list[MemoGroup]
    closed: list[MemoClosedGroup]
    municipality: Municipality | None = None  # its letterhead on the memo's documents


ROLE_ORDER = {"chair": 0, "member": 1, "observer": 2, "secretary": 3}


def seat_order(membership: Membership) -> tuple:
    """How seats are listed: the chair first, then members, observers, the secretary;
    by name in Danish alphabetical order within each role."""
    return (ROLE_ORDER.get(membership.role, 9), danish_key(membership.person.name))


def status_memo(municipality, on: datetime.date) -> StatusMemo:
    """“Status på tværgående grupper” for a date, as seed 000 lays it out. Three queries."""
    bodies = list(
        Body.objects.filter(cross_cutting=True)
        .filter(Q(established_on__isnull=True) | Q(established_on__lte=on))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.current(on).select_related("person"),
                to_attr="memo_memberships",
            ),
            Prefetch(
                "statuses",
                queryset=BodyStatus.objects.filter(date__lte=on).order_by("-date", "-pk"),
                to_attr="memo_statuses",
            ),
        )
        .order_by(Danish("name"))
    )
    groups, closed = [], []
    for body in bodies:
        if body.closed_on and body.closed_on <= on:
            closed.append(MemoClosedGroup(body, body.closed_on.year, body.closing_summary))
            continue
        memberships = sorted(body.memo_memberships, key=seat_order)
        members = [
            MemoMember(m.person.name, m.person.title, m.role, m.get_role_display())
            for m in memberships
        ]
        organisation = [
            line.strip(" •-") for line in body.organisation.splitlines() if line.strip()
        ]
        if body.cadence and not organisation:
            organisation = [body.cadence]
        groups.append(
            MemoGroup(
                body=body,
                purpose=body.purpose,
                members=members,
                organisation=organisation,
                status=body.memo_statuses[0] if body.memo_statuses else None,
            )
        )
    closed.sort(key=lambda c: (-c.year, danish_key(c.body.name)))
    return StatusMemo(
        municipality_name=municipality.name,
        date=on,
        intro=municipality.memo_intro,
        groups=groups,
        closed=closed,
        municipality=municipality,
    )
