"""The duties that come with the register, and their state on a day.

A duty is something a person or a body must do by a date, or has not done at all:

- a **risk assessment** of a system that is critical (high or critical) or holds personal
  data, every `risk_assessment_months` after the last (missing when there is none);
- an **impact assessment (DPIA)** of a system holding sensitive data, criminal records or CPR
  numbers (missing when there is none; due again on its `next_due` when one is set);
- the **yearly review** of a system by its governing body (the IT security group's review of
  the risk assessments, seed 003), a year after the last;
- a **data processing agreement** for a system that holds personal data and runs outside
  (missing when it has none);
- the **supervision** of a processor, every `supervision_months` after the last (or after
  the agreement was concluded);
- the **notice** of a contract: its last notice date, while the contract runs.

`usage_duties`, `contract_duties` and `agreement_duties` take a queryset and answer the
duties of each row in a constant number of queries; `open_duties` answers every duty that
needs attention (overdue, due soon or missing) of the municipality in scope, for the health
page, the front page, the reminders and the register's red flags.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.dates import add_months
from systems.models import (
    Assessment,
    AssessmentKind,
    Contract,
    Criticality,
    DataProcessingAgreement,
    Hosting,
    Lifecycle,
    PersonalData,
    Supervision,
    SystemUsage,
)

# How far ahead a duty counts as due soon.
SOON = datetime.timedelta(days=60)

SENSITIVE = {PersonalData.SENSITIVE, PersonalData.CRIMINAL, PersonalData.CPR}
CRITICAL = {Criticality.HIGH, Criticality.CRITICAL}


class State:
    OVERDUE = "overdue"
    SOON = "soon"
    MISSING = "missing"
    OK = "ok"


STATE_LABELS = {
    State.OVERDUE: _("Overdue"),
    State.SOON: _("Due soon"),
    State.MISSING: _("Missing"),
    State.OK: _("In order"),
}


class Kind:
    RISK = "risk_assessment"
    DPIA = "dpia"
    REVIEW = "review"
    AGREEMENT = "agreement"
    SUPERVISION = "supervision"
    NOTICE = "notice"


KIND_LABELS = {
    Kind.RISK: _("Risk assessment"),
    Kind.DPIA: _("Impact assessment (DPIA)"),
    Kind.REVIEW: _("Yearly review"),
    Kind.AGREEMENT: _("Data processing agreement"),
    Kind.SUPERVISION: _("Supervision of the processor"),
    Kind.NOTICE: _("Notice of the contract"),
}


@dataclass
class Duty:
    kind: str
    state: str
    due: datetime.date | None
    subject: str  # what it is about: the system's, agreement's or contract's name
    owner_id: int | None = None  # the person responsible (the system owner)
    owner_name: str = ""
    body_id: int | None = None  # the body that governs it
    body_name: str = ""
    usage_ids: list[int] = field(default_factory=list)

    @property
    def url(self) -> str:
        """The page of the (first) system it is about; the register for an agreement or a
        contract of no system."""
        if self.usage_ids:
            return reverse("systems:usage_detail", args=[self.usage_ids[0]])
        return reverse("systems:usage_list")

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def needs_attention(self) -> bool:
        return self.state != State.OK


def state_of(due: datetime.date | None, today: datetime.date) -> str:
    if due is None:
        return State.MISSING
    if due < today:
        return State.OVERDUE
    if due <= today + SOON:
        return State.SOON
    return State.OK


def _latest(kind: str, column: str) -> Subquery:
    return Subquery(
        Assessment.objects.filter(usage_id=OuterRef("pk"), kind=kind)
        .order_by("-done_on", "-pk")
        .values(column)[:1]
    )


def annotated_usages(usages: QuerySet) -> QuerySet:
    """The usages with what their duties need, in the one query of the list."""
    return usages.annotate(
        last_risk_on=_latest(AssessmentKind.RISK, "done_on"),
        last_risk_next=_latest(AssessmentKind.RISK, "next_due"),
        last_dpia_on=_latest(AssessmentKind.DPIA, "done_on"),
        last_dpia_next=_latest(AssessmentKind.DPIA, "next_due"),
        last_review_on=_latest(AssessmentKind.REVIEW, "done_on"),
        last_review_next=_latest(AssessmentKind.REVIEW, "next_due"),
        has_agreement=Exists(
            DataProcessingAgreement.usages.through.objects.filter(systemusage_id=OuterRef("pk"))
        ),
        owner_name=F("owner__name"),
        body_name=F("body__name"),
    ).select_related("system")


def duties_of_usage(usage, today: datetime.date) -> list[Duty]:
    """The duties of one usage of `annotated_usages` (none for an ended one)."""
    if usage.lifecycle == Lifecycle.ENDED:
        return []
    kinds = set(usage.personal_data or [])
    common = {
        "subject": str(usage),
        "owner_id": usage.owner_id,
        "owner_name": getattr(usage, "owner_name", "") or "",
        "body_id": usage.body_id,
        "body_name": getattr(usage, "body_name", "") or "",
        "usage_ids": [usage.pk],
    }
    duties = []
    if kinds or usage.criticality in CRITICAL:
        due = usage.last_risk_next or (
            add_months(usage.last_risk_on, usage.risk_assessment_months)
            if usage.last_risk_on
            else None
        )
        duties.append(Duty(Kind.RISK, state_of(due, today), due, **common))
    if kinds & SENSITIVE:
        if usage.last_dpia_on is None:
            duties.append(Duty(Kind.DPIA, State.MISSING, None, **common))
        elif usage.last_dpia_next:
            due = usage.last_dpia_next
            duties.append(Duty(Kind.DPIA, state_of(due, today), due, **common))
    if usage.body_id and (kinds or usage.criticality in CRITICAL):
        due = usage.last_review_next or (
            add_months(usage.last_review_on, 12) if usage.last_review_on else None
        )
        duties.append(Duty(Kind.REVIEW, state_of(due, today), due, **common))
    if kinds and usage.hosting == Hosting.EXTERNAL and not usage.has_agreement:
        duties.append(Duty(Kind.AGREEMENT, State.MISSING, None, **common))
    return duties


def usage_duties(usages: QuerySet, today: datetime.date) -> dict[int, list[Duty]]:
    """{usage id: its duties} of `usages`, in one query."""
    return {usage.pk: duties_of_usage(usage, today) for usage in annotated_usages(usages)}


def annotated_agreements(agreements: QuerySet) -> QuerySet:
    return agreements.annotate(
        last_supervision_on=Subquery(
            Supervision.objects.filter(agreement_id=OuterRef("pk"))
            .order_by("-done_on", "-pk")
            .values("done_on")[:1]
        )
    )


def duties_of_agreement(agreement, today: datetime.date, usages: Iterable = ()) -> list[Duty]:
    if not agreement.supervision_months:
        return []
    start = agreement.last_supervision_on or agreement.concluded_on
    due = add_months(start, agreement.supervision_months) if start else None
    usages = list(usages)
    return [
        Duty(
            Kind.SUPERVISION,
            state_of(due, today),
            due,
            subject=str(agreement),
            owner_id=usages[0].owner_id if usages else None,
            owner_name=(getattr(usages[0], "owner_name", "") or "") if usages else "",
            body_id=usages[0].body_id if usages else None,
            body_name=(getattr(usages[0], "body_name", "") or "") if usages else "",
            usage_ids=[usage.pk for usage in usages],
        )
    ]


def agreement_duties(agreements: QuerySet, today: datetime.date) -> dict[int, list[Duty]]:
    """{agreement id: its duties}, in two queries (the agreements, their systems)."""
    rows = list(annotated_agreements(agreements).prefetch_related("usages"))
    return {row.pk: duties_of_agreement(row, today, row.usages.all()) for row in rows}


def duties_of_contract(contract, today: datetime.date, usages: Iterable = ()) -> list[Duty]:
    notice = contract.last_notice_date
    if notice is None or (contract.end and contract.end < today):
        return []
    usages = list(usages)
    state = state_of(notice, today)
    return [
        Duty(
            Kind.NOTICE,
            state,
            notice,
            subject=str(contract),
            owner_id=usages[0].owner_id if usages else None,
            owner_name=(getattr(usages[0], "owner_name", "") or "") if usages else "",
            body_id=usages[0].body_id if usages else None,
            body_name=(getattr(usages[0], "body_name", "") or "") if usages else "",
            usage_ids=[usage.pk for usage in usages],
        )
    ]


def contract_duties(contracts: QuerySet, today: datetime.date) -> dict[int, list[Duty]]:
    """{contract id: its duties}, in two queries."""
    rows = list(contracts.prefetch_related("usages"))
    return {row.pk: duties_of_contract(row, today, row.usages.all()) for row in rows}


@dataclass(slots=True)
class _Usage:
    """What the duties need of a usage, read as values rather than a model instance (the
    register of København holds 1,000): the attributes `duties_of_usage` reads of an
    `annotated_usages` row."""

    pk: int
    name: str
    lifecycle: str
    personal_data: list
    criticality: str
    hosting: str
    risk_assessment_months: int
    owner_id: int | None
    owner_name: str
    body_id: int | None
    body_name: str
    has_agreement: bool = False
    last_risk_on: datetime.date | None = None
    last_risk_next: datetime.date | None = None
    last_dpia_on: datetime.date | None = None
    last_dpia_next: datetime.date | None = None
    last_review_on: datetime.date | None = None
    last_review_next: datetime.date | None = None

    def __str__(self) -> str:
        return self.name


@dataclass(slots=True)
class _Agreement:
    """What the supervision duty needs of an agreement (`duties_of_agreement`), as values."""

    pk: int
    name: str
    supervision_months: int | None
    concluded_on: datetime.date | None
    last_supervision_on: datetime.date | None

    def __str__(self) -> str:
        return self.name


@dataclass(slots=True)
class _Contract:
    """What the notice duty needs of a contract (`duties_of_contract`), as values."""

    pk: int
    name: str
    end: datetime.date | None
    notice_months: int | None

    last_notice_date = Contract.last_notice_date

    def __str__(self) -> str:
        return self.name


# The latest assessment of each kind, into the attributes of `_Usage`.
_LATEST = {
    AssessmentKind.RISK: ("last_risk_on", "last_risk_next"),
    AssessmentKind.DPIA: ("last_dpia_on", "last_dpia_next"),
    AssessmentKind.REVIEW: ("last_review_on", "last_review_next"),
}


def _latest_assessments(ids: QuerySet | list[int]):
    """(usage id, kind, done on, next due) of the latest assessment of each kind of the
    usages `ids`, the latest first within each pair: one query (DISTINCT ON where the
    database has it, so PostgreSQL sends only the latest)."""
    rows = (
        Assessment.objects.filter(usage_id__in=ids)
        .order_by("usage_id", "kind", "-done_on", "-pk")
        .values_list("usage_id", "kind", "done_on", "next_due")
    )
    if connection.features.can_distinct_on_fields:
        rows = rows.distinct("usage_id", "kind")
    return rows


def _set_latest_assessments(by_pk: dict, ids: QuerySet | list[int]) -> None:
    """Set the latest assessment of each kind (`_LATEST`'s attributes) on the rows of `by_pk`
    (usage id -> row) from `_latest_assessments(ids)`; rows of other usages are passed by."""
    seen: set[tuple[int, str]] = set()
    for usage_id, kind, done_on, next_due in _latest_assessments(ids):
        if (usage_id, kind) in seen or usage_id not in by_pk or kind not in _LATEST:
            continue
        seen.add((usage_id, kind))
        on, nxt = _LATEST[kind]
        setattr(by_pk[usage_id], on, done_on)
        setattr(by_pk[usage_id], nxt, next_due)


def with_latest_assessments(usages: list) -> list:
    """`usages` (model instances) with the latest assessment of each kind as the attributes
    `annotated_usages` gives (`last_risk_on`, `last_risk_next`, …), in one query of their ids:
    for a page of a list, where the correlated subqueries of `annotated_usages` would run
    for every row of the sorted register before the page is cut."""
    by_pk = {usage.pk: usage for usage in usages}
    for usage in usages:
        for on, nxt in _LATEST.values():
            setattr(usage, on, None)
            setattr(usage, nxt, None)
    _set_latest_assessments(by_pk, list(by_pk))
    return usages


def duties_in(today: datetime.date, scope: QuerySet) -> list[Duty]:
    """Every duty (in order or not) of the usages of `scope` that are not ended, and of their
    agreements and contracts, in four queries read as values: the usages, the latest
    assessment of each kind, then the agreement and the contract links of those usages with
    their agreement or contract (an agreement or a contract of several systems is one duty
    naming the systems of `scope`; its owner and body are those of the first)."""
    scope = scope.exclude(lifecycle=Lifecycle.ENDED)
    usages = {
        row[0]: _Usage(
            pk=row[0],
            name=row[1] or row[2],
            lifecycle=row[3],
            personal_data=row[4] or [],
            criticality=row[5],
            hosting=row[6],
            risk_assessment_months=row[7],
            owner_id=row[8],
            owner_name=row[9] or "",
            body_id=row[10],
            body_name=row[11] or "",
        )
        for row in scope.values_list(
            "pk",
            "local_name",
            "system__name",
            "lifecycle",
            "personal_data",
            "criticality",
            "hosting",
            "risk_assessment_months",
            "owner_id",
            "owner__name",
            "body_id",
            "body__name",
        )
    }
    order = {pk: index for index, pk in enumerate(usages)}
    # The scope as a subquery, not a list: the same queries however many usages (none
    # included) and no list of ids in the SQL.
    ids = scope.values("pk")
    _set_latest_assessments(usages, ids)
    agreement_links = (
        DataProcessingAgreement.usages.through.objects.filter(systemusage_id__in=ids)
        .annotate(
            last_supervision_on=Subquery(
                Supervision.objects.filter(agreement_id=OuterRef("dataprocessingagreement_id"))
                .order_by("-done_on", "-pk")
                .values("done_on")[:1]
            )
        )
        .order_by("dataprocessingagreement_id", "pk")
        .values_list(
            "systemusage_id",
            "dataprocessingagreement_id",
            "dataprocessingagreement__name",
            "dataprocessingagreement__supervision_months",
            "dataprocessingagreement__concluded_on",
            "last_supervision_on",
        )
    )
    agreements: dict[int, tuple] = {}
    for usage_id, pk, name, months, concluded_on, last_supervision_on in agreement_links:
        usage = usages[usage_id]
        usage.has_agreement = True
        if pk not in agreements:
            agreements[pk] = (_Agreement(pk, name, months, concluded_on, last_supervision_on), [])
        agreements[pk][1].append(usage)
    found: list[Duty] = []
    for usage in usages.values():
        found += duties_of_usage(usage, today)
    for agreement, linked in agreements.values():
        linked.sort(key=lambda usage: order[usage.pk])
        found += duties_of_agreement(agreement, today, linked)
    contract_links = (
        Contract.usages.through.objects.filter(systemusage_id__in=ids)
        .order_by("contract_id", "pk")
        .values_list(
            "systemusage_id",
            "contract_id",
            "contract__name",
            "contract__end",
            "contract__notice_months",
        )
    )
    contracts: dict[int, tuple] = {}
    for usage_id, pk, name, end, notice_months in contract_links:
        if pk not in contracts:
            contracts[pk] = (_Contract(pk, name, end, notice_months), [])
        contracts[pk][1].append(usages[usage_id])
    for contract, linked in contracts.values():
        linked.sort(key=lambda usage: order[usage.pk])
        found += duties_of_contract(contract, today, linked)
    return found


def open_duties(
    today: datetime.date,
    *,
    owner_id: int | None = None,
    body_id: int | None = None,
    usages: QuerySet | None = None,
) -> list[Duty]:
    """Every duty of the municipality in scope that needs attention (overdue, due soon or
    missing), soonest first; only those of the systems `owner_id` owns or `body_id` governs
    when given. Four queries (`duties_in`)."""
    scope = usages if usages is not None else SystemUsage.objects.all()
    if owner_id is not None:
        scope = scope.filter(owner_id=owner_id)
    if body_id is not None:
        scope = scope.filter(body_id=body_id)
    attention = [duty for duty in duties_in(today, scope) if duty.needs_attention]
    order = {State.OVERDUE: 0, State.MISSING: 1, State.SOON: 2}
    attention.sort(key=lambda d: (order[d.state], d.due or today, d.subject))
    return attention
