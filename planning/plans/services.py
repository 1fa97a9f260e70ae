"""The annual action plan (indsatsplan): its rules and its computations.

- **Weighted score** of an entry: sum(weight × effective score) / sum(weights), where the
  effective score is the score itself, or 6 − score for a criterion where a low score is best
  (risk, cost). An entry without a score on every criterion is "not fully scored": its
  weighted score counts only the criteria it has scores for, and it ranks after every fully
  scored entry.
- **Rank**: fully scored entries first, the highest weighted score first; ties keep the
  entries' own order (position, then id), so the same scores always give the same ranks. A
  rank set by hand wins: the entry takes that place and the others close up around it.
- **Capacity**: the hours and kroner available against the sum of what the entries are
  allocated; either one over is "over capacity".
- **States**: draft → recommended (by a decision, typically the programme group's) →
  approved (by a decision, typically the steering group's; over capacity needs a reason).
  Reopening takes the plan back to draft with a reason, recorded in its history. Only a
  draft's criteria, entries, scores and ranks change; progress is followed in every state.

Every change here runs in one transaction and raises `ValidationError` with a translated
message when it is refused, so a refused change writes nothing. Views and the API call these
functions and only translate HTTP.
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.collation import danish_key
from core.links import url_maker
from core.models import current_municipality_id
from core.permissions import has_perm
from meetings.models import AgendaItem, ItemKind, MeetingState
from meetings.rules import open_or_member
from organisation.models import Mandate, PlanRole
from organisation.services import mandates_in_force
from planning.models import (
    DEFAULT_CRITERIA,
    SCORE_MAX,
    SCORE_MIN,
    AnnualPlan,
    Criterion,
    PlanEntry,
    PlanState,
    Progress,
    Score,
)

# The meeting decisions the state forms offer, newest first.
DECISION_CHOICES = 200
# The history's change reason is a CharField(100) of django-simple-history.
REASON_MAX = 100
# Entries whose progress says they are finished are not carried into next year's plan.
FINISHED = {Progress.DONE, Progress.DROPPED}

LOCKED = gettext_lazy(
    "The plan is no longer a draft: its criteria, entries, scores and ranks are locked. "
    "Reopen it to change them."
)


# --- Who may do what: planning/rules.py (`planning.change`, `planning.follow`) ----------------


def person_id(user) -> int | None:
    from portfolio.rules import person_id as lookup

    return lookup(user)


def require_draft(plan: AnnualPlan) -> None:
    if plan.state != PlanState.DRAFT:
        raise ValidationError(LOCKED)


# --- The ranking -------------------------------------------------------------------------------


TWO_PLACES = Decimal("0.01")


def effective(value: int, lower_is_better: bool) -> int:
    """The score as it counts: a 1 counts as a 5 where a low score is best."""
    return (SCORE_MIN + SCORE_MAX - value) if lower_is_better else value


def weighted_score(criteria, values: dict[int, int]) -> Decimal | None:
    """sum(weight × effective score) / sum(weights) over the criteria with a score in
    `values` ({criterion id: score}); None when none of them carries weight."""
    total = weights = 0
    for criterion in criteria:
        value = values.get(criterion.pk)
        if value is None:
            continue
        total += criterion.weight * effective(value, criterion.lower_is_better)
        weights += criterion.weight
    if weights == 0:
        return None
    return (Decimal(total) / Decimal(weights)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass
class Ranked:
    """An entry with its scores, weighted score and rank."""

    entry: PlanEntry
    values: list[int | None]  # one per criterion, in the criteria's order
    score: Decimal | None
    complete: bool
    computed_rank: int = 0
    rank: int = 0
    proposal_url: str = ""
    # The row's links, each pattern reversed once for the table (`plan_view`).
    project_url: str = ""
    edit_url: str = ""
    rank_url: str = ""
    delete_url: str = ""
    progress_url: str = ""

    @property
    def overridden(self) -> bool:
        return self.entry.rank_override is not None

    @property
    def score_text(self) -> str:
        """The weighted score the Danish way with two decimals ("3,80"); "–" for none."""
        return score_text(self.score)


def score_text(score: Decimal | None) -> str:
    return "–" if score is None else f"{score:.2f}".replace(".", ",")


def rank_entries(criteria, entries, scores) -> list[Ranked]:
    """The entries in rank order.

    `criteria` in their order, `entries` in theirs (position, id), `scores` an iterable of
    Score rows (or (entry id, criterion id, value) tuples) of those entries.
    """
    criteria = list(criteria)
    by_entry: dict[int, dict[int, int]] = {}
    for score in scores:
        entry_id, criterion_id, value = (
            score if isinstance(score, tuple) else (score.entry_id, score.criterion_id, score.value)
        )
        by_entry.setdefault(entry_id, {})[criterion_id] = value
    rows = []
    for entry in entries:
        values = by_entry.get(entry.pk, {})
        rows.append(
            Ranked(
                entry=entry,
                values=[values.get(c.pk) for c in criteria],
                score=weighted_score(criteria, values),
                complete=bool(criteria) and all(c.pk in values for c in criteria),
            )
        )
    # Fully scored first, then the highest score; sorted() is stable, so ties keep the
    # entries' own order.
    computed = sorted(rows, key=lambda r: (not r.complete, r.score is None, -(r.score or 0)))
    for index, row in enumerate(computed, start=1):
        row.computed_rank = index
    # A rank set by hand wins: those entries take their places (in the order of the rank
    # asked for, then the computed one; a place already taken, or beyond the end, gives the
    # nearest free one), the others fill the places left in computed order.
    slots: list[Ranked | None] = [None] * len(computed)
    fixed = sorted(
        (r for r in computed if r.overridden),
        key=lambda r: (r.entry.rank_override, r.computed_rank),
    )
    for row in fixed:
        wanted = min(cast(int, row.entry.rank_override), len(slots)) - 1
        open_slots = [i for i, taken in enumerate(slots) if taken is None]
        slots[next((i for i in open_slots if i >= wanted), open_slots[-1])] = row
    free = iter(r for r in computed if not r.overridden)
    final = [slot if slot is not None else next(free) for slot in slots]
    for index, row in enumerate(final, start=1):
        row.rank = index
    return final


@dataclass
class Capacity:
    hours_available: int
    hours_allocated: int
    amount_available: Decimal
    amount_allocated: Decimal

    @property
    def hours_over(self) -> int:
        return max(self.hours_allocated - self.hours_available, 0)

    @property
    def amount_over(self) -> Decimal:
        return max(self.amount_allocated - self.amount_available, Decimal(0))

    @property
    def hours_left(self) -> int:
        return max(self.hours_available - self.hours_allocated, 0)

    @property
    def amount_left(self) -> Decimal:
        return max(self.amount_available - self.amount_allocated, Decimal(0))

    @property
    def over(self) -> bool:
        return bool(self.hours_over or self.amount_over)

    @property
    def hours_share(self) -> int | None:
        return _share(self.hours_allocated, self.hours_available)

    @property
    def amount_share(self) -> int | None:
        return _share(self.amount_allocated, self.amount_available)


def _share(allocated, available) -> int | None:
    """The share of what is available that is allocated, in per cent; None when nothing is."""
    if not available:
        return None
    return round(100 * allocated / available)


def capacity(plan: AnnualPlan, entries=None) -> Capacity:
    """What the plan has available against what its entries are allocated. With `entries`
    (already fetched) no query is made."""
    if entries is None:
        totals = PlanEntry.objects.filter(plan=plan).aggregate(h=Sum("hours"), a=Sum("amount"))
        hours, amount = totals["h"] or 0, totals["a"] or Decimal(0)
    else:
        hours = sum(e.hours for e in entries)
        amount = sum((e.amount for e in entries), Decimal(0))
    return Capacity(plan.capacity_hours, hours, plan.capacity_amount, amount)


@dataclass
class PlanView:
    """Everything a page or a document shows of a plan, fetched in a constant number of
    queries."""

    plan: AnnualPlan
    criteria: list[Criterion]
    ranked: list[Ranked]
    capacity: Capacity
    progress: list[dict] = field(default_factory=list)

    @property
    def total_weight(self) -> int:
        return sum(c.weight for c in self.criteria)

    @property
    def incomplete(self) -> int:
        return sum(1 for r in self.ranked if not r.complete)


def progress_counts(entries) -> list[dict]:
    """[{value, label, count}] for every progress state, in the states' order."""
    counts = Counter(e.progress for e in entries)
    return [
        {"value": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Progress.choices
    ]


def entry_queryset():
    return PlanEntry.objects.select_related("project", "proposal", "responsible", "unit").order_by(
        "position", "pk"
    )


def plan_view(plan: AnnualPlan) -> PlanView:
    """The plan's criteria, its entries in rank order with their scores, its capacity and
    progress: three queries."""
    criteria = list(Criterion.objects.filter(plan=plan).order_by("position", "pk"))
    entries = list(entry_queryset().filter(plan=plan))
    scores = Score.objects.filter(entry__plan=plan).values_list("entry_id", "criterion_id", "value")
    ranked = rank_entries(criteria, entries, list(scores))
    proposal_url = url_maker("planning:proposal_detail")
    project_url = url_maker("portfolio:project_detail")
    edit_url, rank_url = url_maker("planning:entry_edit"), url_maker("planning:entry_rank")
    delete_url = url_maker("planning:entry_delete")
    progress_url = url_maker("planning:entry_progress")
    for row in ranked:
        entry = row.entry
        if entry.proposal_id:
            row.proposal_url = proposal_url(entry.proposal_id)
        if entry.project_id:
            row.project_url = project_url(entry.project_id)
        row.edit_url, row.rank_url = edit_url(entry.pk), rank_url(entry.pk)
        row.delete_url, row.progress_url = delete_url(entry.pk), progress_url(entry.pk)
    return PlanView(
        plan=plan,
        criteria=criteria,
        ranked=ranked,
        capacity=capacity(plan, entries),
        progress=progress_counts(entries),
    )


def rankings(plan_ids) -> dict[int, tuple[list, dict[int, Ranked]]]:
    """{plan id: (criteria, {entry id: Ranked})} for the plans: for lists of entries (the
    API), in three queries whatever the number of plans."""
    plan_ids = set(plan_ids)
    criteria: dict[int, list] = {pk: [] for pk in plan_ids}
    for criterion in Criterion.objects.filter(plan_id__in=plan_ids).order_by("position", "pk"):
        criteria[criterion.plan_id].append(criterion)
    entries: dict[int, list] = {pk: [] for pk in plan_ids}
    for entry in (
        PlanEntry.objects.filter(plan_id__in=plan_ids)
        .order_by("position", "pk")
        .only("pk", "plan", "position", "rank_override")
    ):
        entries[entry.plan_id].append(entry)
    scores = list(
        Score.objects.filter(entry__plan_id__in=plan_ids).values_list(
            "entry_id", "criterion_id", "value"
        )
    )
    result = {}
    for pk in plan_ids:
        ranked = rank_entries(criteria[pk], entries[pk], scores)
        result[pk] = (criteria[pk], {r.entry.pk: r for r in ranked})
    return result


def plan_summaries(plans) -> dict[int, dict]:
    """{plan id: {entries, hours, amount, done}} for the plan list, in one query."""
    rows = (
        PlanEntry.objects.filter(plan__in=plans)
        .order_by()
        .values("plan_id")
        .annotate(
            count=Count("pk"),
            hours=Sum("hours"),
            amount=Sum("amount"),
            done=Count("pk", filter=Q(progress=Progress.DONE)),
        )
    )
    return {
        row["plan_id"]: {
            "entries": row["count"],
            "hours": row["hours"] or 0,
            "amount": row["amount"] or Decimal(0),
            "done": row["done"],
        }
        for row in rows
    }


# --- Decisions ---------------------------------------------------------------------------------


def decisions(user, role: str = ""):
    """The meeting decisions a state change may point to: items with a decision text in
    approved minutes that the user may read, newest first; for a `role` that mandates give a
    body (`named_bodies`, today), that body's only."""
    found = (
        AgendaItem.objects.filter(meeting__state=MeetingState.MINUTES_APPROVED)
        .exclude(decision="")
        .exclude(kind=ItemKind.BREAK)
        .filter(open_or_member(user))
        .select_related("meeting__body")
        .order_by("-meeting__date", "-meeting__start", "position", "pk")
    )
    named = named_bodies(user.municipality_id, role, timezone.localdate()) if role else {}
    return found.filter(meeting__body_id__in=named) if named else found


def decision_label(item: AgendaItem) -> str:
    """“Programgruppen 19-11-2024: Indsatsplan 2025 – anbefaling”."""
    meeting = item.meeting
    return f"{meeting.body.name} {meeting.date:%d-%m-%Y}: {item.title}"


def decision_link(user, item: AgendaItem | None) -> dict | None:
    """What a page may show of a decision: the meeting always; the item's title and decision
    only to those who may read it (a closed item shows as “a closed item”)."""
    if item is None:
        return None
    meeting = item.meeting
    readable = not item.closed or has_perm(user, "meetings.see_closed", meeting)
    # The decision text only once the minutes are public (or to the body's members).
    decision = readable and has_perm(user, "meetings.see_decisions", meeting)
    heading = f"{meeting.body.name} {meeting.date:%d-%m-%Y}"
    title = item.title if readable else _("a closed item")
    return {
        "item": item,
        "meeting": meeting,
        "heading": heading,
        "readable": readable,
        "title": title,
        "decision": item.decision if decision else "",
        "label": f"{heading}: {title}",
    }


def _check_decision(
    plan: AnnualPlan, item: AgendaItem | None, field_name: str, missing: str, role: str
) -> AgendaItem:
    if item is None:
        raise ValidationError({field_name: missing})
    item = AgendaItem.within(plan).select_related("meeting").filter(pk=item.pk).first()
    if item is None:
        raise ValidationError({field_name: _("The decision belongs to another municipality.")})
    if not item.decision.strip() or item.meeting.state != MeetingState.MINUTES_APPROVED:
        raise ValidationError(
            {field_name: _("Choose an item with a decision in approved minutes.")}
        )
    named = named_bodies(plan.municipality_id, role, item.meeting.date)
    if named and item.meeting.body_id not in named:
        names = ", ".join(sorted(named.values(), key=danish_key))
        message = (
            _("The mandate gives %(bodies)s the recommendation of the plan: choose its decision.")
            if role == PlanRole.RECOMMENDS
            else _("The mandate gives %(bodies)s the approval of the plan: choose its decision.")
        )
        raise ValidationError({field_name: message % {"bodies": names}})
    return item


def named_bodies(municipality_id: int, role: str, on: datetime.date) -> dict[int, str]:
    """{body id: name} of the bodies whose mandate in force on `on` (the latest version
    approved by then) gives them `role` in the annual action plan. Empty when no mandate
    names one: then the decision of any body in approved minutes is accepted."""
    latest = mandates_in_force(OuterRef("body_id"), on).values("pk")[:1]
    return dict(
        Mandate.within(municipality_id)
        .filter(approved_on__lte=on, plan_role=role, pk=Subquery(latest))
        .values_list("body_id", "body__name")
    )


def _reason(text: str) -> str:
    return (text or "").strip()[:REASON_MAX]


# --- State changes -----------------------------------------------------------------------------


def _locked_plan(plan: AnnualPlan) -> AnnualPlan:
    return AnnualPlan.objects.select_for_update().get(pk=plan.pk)


@transaction.atomic
def recommend(plan: AnnualPlan, decision: AgendaItem | None, user=None) -> AnnualPlan:
    """Draft → recommended, pointing to the decision that recommends the plan."""
    plan = _locked_plan(plan)
    if plan.state != PlanState.DRAFT:
        raise ValidationError(
            _("Only a draft can be recommended. The plan is “%(state)s”.")
            % {"state": plan.get_state_display()}
        )
    item = _check_decision(
        plan,
        decision,
        "recommended_by",
        _("Choose the decision that recommends the plan (the programme group's)."),
        PlanRole.RECOMMENDS,
    )
    if not plan.entries.exists():
        raise ValidationError(_("The plan has no entries to recommend."))
    plan.state = PlanState.RECOMMENDED
    plan.recommended_by = item
    plan._change_reason = _reason(_("Recommended"))  # type: ignore[attr-defined]
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def approve(
    plan: AnnualPlan, decision: AgendaItem | None, reason: str = "", user=None
) -> AnnualPlan:
    """Recommended → approved, pointing to the decision that approves the plan. An
    allocation over the capacity (hours or kroner) needs a reason."""
    plan = _locked_plan(plan)
    if plan.state != PlanState.RECOMMENDED:
        raise ValidationError(
            _("Only a recommended plan can be approved. The plan is “%(state)s”.")
            % {"state": plan.get_state_display()}
        )
    item = _check_decision(
        plan,
        decision,
        "approved_by",
        _(
            "A plan is approved by a decision: choose the decision that approves it "
            "(the steering group's)."
        ),
        PlanRole.APPROVES,
    )
    reason = (reason or "").strip()
    used = capacity(plan)
    if used.over and not reason:
        raise ValidationError({"over_capacity_reason": over_capacity_message(used)})
    plan.state = PlanState.APPROVED
    plan.approved_by = item
    if reason:
        plan.over_capacity_reason = reason
    plan._change_reason = _reason(_("Approved"))  # type: ignore[attr-defined]
    plan.full_clean()
    plan.save()
    return plan


def over_capacity_message(used: Capacity) -> str:
    """Why an approval over capacity is refused, with how much is over."""
    values = {"hours": _number(used.hours_over), "amount": _number(used.amount_over)}
    if used.hours_over and used.amount_over:
        text = _(
            "The entries are allocated %(hours)s hours and %(amount)s kr. more than the "
            "capacity. Give the reason for approving the plan anyway."
        )
    elif used.hours_over:
        text = _(
            "The entries are allocated %(hours)s hours more than the capacity. Give the "
            "reason for approving the plan anyway."
        )
    else:
        text = _(
            "The entries are allocated %(amount)s kr. more than the capacity. Give the "
            "reason for approving the plan anyway."
        )
    return text % values


def _number(value) -> str:
    from core.charts import format_number

    return format_number(value)


@transaction.atomic
def reopen(plan: AnnualPlan, reason: str, user=None) -> AnnualPlan:
    """Back to draft, with the reason recorded in the plan's history. The links to the
    decisions are kept in the history and cleared on the plan."""
    plan = _locked_plan(plan)
    if plan.state == PlanState.DRAFT:
        raise ValidationError(_("The plan is already a draft."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for reopening the plan.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("Keep the reason to %(max)d characters.") % {"max": REASON_MAX}}
        )
    plan.state = PlanState.DRAFT
    plan.recommended_by = None
    plan.approved_by = None
    plan._change_reason = reason  # type: ignore[attr-defined]
    plan.save()
    return plan


# --- Creating a plan ---------------------------------------------------------------------------


def previous_plan(year: int) -> AnnualPlan | None:
    """The latest plan before `year` (of the active municipality)."""
    return AnnualPlan.objects.filter(year__lt=year).order_by("-year").first()


def default_title(year: int) -> str:
    """The title of a plan left without one: “Action plan 2026” (in the active language)."""
    return _("Action plan %(year)s") % {"year": year}


def plan_to_copy(year: int) -> AnnualPlan:
    """The plan a new plan for `year` starts from (its criteria and unfinished entries): the
    latest before it. Refused when there is none."""
    previous = previous_plan(year)
    if previous is None:
        raise ValidationError(
            {"copy_previous": _("There is no plan before %(year)s to copy from.") % {"year": year}}
        )
    return previous


@transaction.atomic
def create_plan(plan: AnnualPlan, copy_from: AnnualPlan | None = None) -> AnnualPlan:
    """Save a new plan with the six default criteria, or with the criteria of `copy_from`
    and its unfinished entries (with their scores, as a starting point)."""
    plan.state = PlanState.DRAFT
    if plan.municipality_id is None:
        plan.municipality_id = current_municipality_id()
    plan.full_clean()
    plan.save()
    if copy_from is None:
        # Stored in the site's language (Danish), whatever the language of the page.
        with translation.override(settings.LANGUAGE_CODE):
            for position, (name, weight, lower) in enumerate(DEFAULT_CRITERIA):
                Criterion.objects.create(
                    plan=plan,
                    name=str(name),
                    weight=weight,
                    lower_is_better=lower,
                    position=position,
                )
        return plan
    mapping = {}
    for criterion in copy_from.criteria.order_by("position", "pk"):
        mapping[criterion.pk] = Criterion.objects.create(
            plan=plan,
            name=criterion.name,
            description=criterion.description,
            weight=criterion.weight,
            lower_is_better=criterion.lower_is_better,
            position=criterion.position,
        )
    old_entries = (
        copy_from.entries.exclude(progress__in=FINISHED)
        .order_by("position", "pk")
        .prefetch_related("scores")
    )
    for position, old in enumerate(old_entries):
        entry = PlanEntry.objects.create(
            plan=plan,
            title=old.title,
            description=old.description,
            project_id=old.project_id,
            proposal_id=old.proposal_id,
            responsible_id=old.responsible_id,
            unit_id=old.unit_id,
            hours=old.hours,
            amount=old.amount,
            position=position,
        )
        for score in old.scores.all():
            Score.objects.create(
                entry=entry, criterion=mapping[score.criterion_id], value=score.value
            )
    return plan


@transaction.atomic
def save_plan(plan: AnnualPlan) -> AnnualPlan:
    """Save the changes to a plan's year, title, introduction and capacity: only a draft's."""
    require_draft(_locked_plan(plan))
    plan.full_clean()
    plan.save()
    return plan


# --- Criteria, entries, scores -----------------------------------------------------------------

ZERO_WEIGHTS = gettext_lazy(
    "The weights add up to zero: give at least one criterion a weight above zero. "
    "Nothing was saved."
)


def check_weights(plan: AnnualPlan) -> None:
    """The plan's criteria must carry some weight, or no score can be weighed."""
    total = Criterion.objects.filter(plan=plan).aggregate(total=Sum("weight"))["total"] or 0
    if total <= 0:
        raise ValidationError(ZERO_WEIGHTS, code="zero_weights")


@transaction.atomic
def save_criteria(
    plan: AnnualPlan, saved: Iterable[Criterion] = (), deleted: Iterable[Criterion] = ()
) -> None:
    """Change a draft plan's criteria: delete `deleted`, save `saved` (new or changed rows of
    the plan), then check that the weights still carry some (`check_weights`). Refused,
    nothing is written."""
    require_draft(_locked_plan(plan))
    for criterion in deleted:
        criterion.delete()
    for criterion in saved:
        criterion.full_clean()
        criterion.save()
    check_weights(plan)


def score_error(entry, criterion) -> str:
    return _(
        "The score of “%(entry)s” on “%(criterion)s” must be a whole number from %(min)d to "
        "%(max)d."
    ) % {"entry": entry, "criterion": criterion, "min": SCORE_MIN, "max": SCORE_MAX}


@transaction.atomic
def save_scores(plan: AnnualPlan, values: dict[tuple[int, int], int | None]) -> int:
    """Set the scores of the plan's grid in one go: {(entry id, criterion id): value or None
    for no score}. Every value is checked first; one bad value refuses them all. Returns
    the number of scores changed."""
    plan = _locked_plan(plan)
    require_draft(plan)
    entries = {e.pk: e for e in PlanEntry.objects.filter(plan=plan)}
    criteria = {c.pk: c for c in Criterion.objects.filter(plan=plan)}
    errors = []
    for (entry_id, criterion_id), value in values.items():
        if entry_id not in entries or criterion_id not in criteria:
            errors.append(_("The grid names an entry or a criterion that is not in the plan."))
        elif value is not None and (
            not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX
        ):
            errors.append(score_error(entries[entry_id], criteria[criterion_id]))
    if errors:
        raise ValidationError(errors)
    existing = {(s.entry_id, s.criterion_id): s for s in Score.objects.filter(entry__plan=plan)}
    changed = 0
    for key, value in values.items():
        score = existing.get(key)
        if value is None:
            if score is not None:
                score.delete()
                changed += 1
        elif score is None:
            Score.objects.create(entry=entries[key[0]], criterion=criteria[key[1]], value=value)
            changed += 1
        elif score.value != value:
            score.value = value
            score.save()
            changed += 1
    return changed


def check_rank(entry: PlanEntry, rank: int | None) -> None:
    """A rank set by hand is a place in the plan: from 1 to the number of entries (an entry
    not saved yet counted in)."""
    if rank is None:
        return
    count = PlanEntry.objects.filter(plan_id=entry.plan_id).count() + (entry.pk is None)
    if rank < 1 or rank > max(count, 1):
        raise ValidationError(
            {
                "rank_override": _(
                    "The plan has %(count)d entries: choose a rank from 1 to %(count)d."
                )
                % {"count": count}
            }
        )


def set_rank(entry: PlanEntry, rank: int | None, reason: str) -> PlanEntry:
    """Set (or, with None, remove) the entry's rank by hand; a rank needs a reason."""
    entry.rank_override = rank
    entry.rank_reason = (reason or "").strip() if rank is not None else ""
    return save_entry(entry, rank_set=True)


def next_position(plan: AnnualPlan) -> int:
    last = (
        PlanEntry.objects.filter(plan=plan)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    return 0 if last is None else last + 1


def entry_title(title: str, project=None, proposal=None) -> str:
    """An entry's title: as given, else its project's name or its proposal's title. Refused
    when there is none of them."""
    title = (title or "").strip()
    if not title:
        title = project.name if project else proposal.title if proposal else ""
    if not title:
        raise ValidationError(
            {"title": _("Give the effort a title, or choose a project or a proposal.")}
        )
    return title[:200]


@transaction.atomic
def save_entry(
    entry: PlanEntry, *, position: int | None = None, rank_set: bool = False
) -> PlanEntry:
    """Add an entry to its draft plan (at `position`, else after the last entry) or save the
    changes to one. `rank_set`: its rank set by hand was given, and must be a place in the
    plan (`check_rank`); a rank needs a reason (the model's rule)."""
    plan = _locked_plan(entry.plan)
    require_draft(plan)
    entry.municipality_id = plan.municipality_id
    if entry.pk is None:
        entry.position = next_position(plan) if position is None else position
    if rank_set:
        check_rank(entry, entry.rank_override)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def delete_entry(entry: PlanEntry) -> None:
    """Take an entry out of its draft plan, with its scores."""
    require_draft(_locked_plan(entry.plan))
    entry.delete()


@transaction.atomic
def update_progress(
    entry: PlanEntry, progress: str, note: str, on: datetime.date | None = None
) -> PlanEntry:
    """Record how the entry is getting on: in any state of the plan."""
    if progress not in Progress.values:
        raise ValidationError({"progress": _("Choose one of the progress states.")})
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise ValidationError({"progress_updated_on": _("The date cannot be in the future.")})
    entry.progress = progress
    entry.progress_note = (note or "").strip()
    entry.progress_updated_on = on
    entry.full_clean()
    entry.save()
    return entry


def progress_editable_ids(user, entries) -> set[int]:
    """Ids of the entries whose progress the user may record: `planning.follow` of each,
    answered at once (no query per entry)."""
    if has_perm(user, "planning.change"):
        return {e.pk for e in entries}
    pid = person_id(user)
    return {e.pk for e in entries if pid is not None and e.responsible_id == pid}


def plans_with_links():
    """Plans with the decisions they point to, for pages that show those links."""
    return AnnualPlan.objects.select_related(
        "recommended_by__meeting__body", "approved_by__meeting__body"
    )
