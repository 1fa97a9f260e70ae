"""The register's writes and what its pages read: a usage with its system and supplier, the
contracts, agreements, supervisions, assessments and project links of a usage, and sending a
duty that needs attention to a body's list (a case in its backlog, as an escalated risk).

Every write is one transaction with its history (django-simple-history records who changed
what); a refusal is a `ValidationError` in Danish naming the field, and nothing is written.
The duties and their state come from `systems.duties`, never computed here.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.collation import Danish
from meetings.models import Case, CaseStatus, CaseStep
from organisation.models import Body
from systems import duties as duty_rules
from systems.duties import Duty
from systems.models import (
    Assessment,
    AssessmentKind,
    Contract,
    DataProcessingAgreement,
    Supervision,
    Supplier,
    System,
    SystemProject,
    SystemUsage,
)

# The prefix of the case numbers the register opens (SYS-2026-0003).
CASE_PREFIX = "SYS"
NONE = "ingen"  # the personal-data filter's value for "holds none"


def personal_data_filter(kind: str) -> Q:
    """Usages whose personal data holds `kind` (the code quoted in the JSON list: a JSON
    `contains` is not on every database); `NONE`: those that hold none."""
    if kind == NONE:
        return Q(personal_data=[]) | Q(personal_data__isnull=True)
    return Q(personal_data__icontains=f'"{kind}"')


def usages() -> QuerySet:
    """The register's rows with what its table shows, sorted by name (the local name when it
    has one) in Danish order."""
    return (
        SystemUsage.objects.select_related("system__supplier", "owner", "responsible_unit", "body")
        .annotate(sort_name=Coalesce(NullIf(F("local_name"), Value("")), F("system__name")))
        .order_by(Danish("sort_name"), "pk")
    )


# --- A duty's identity ------------------------------------------------------------------------


def duty_key(duty: Duty) -> str:
    """What a duty is about, as `<kind>-<id>`: the usage for its own duties, the agreement for
    a supervision, the contract for a notice."""
    return f"{duty.kind}-{duty.ref}"


def duty_anchor(usage_id: int, key: str) -> str:
    """The duty's place on the usage's page: the link back from the case it opens."""
    return reverse("systems:usage_detail", args=[usage_id]) + f"#pligt-{key}"


def duties_of(usage: SystemUsage, today: datetime.date) -> list[Duty]:
    """Every duty of a usage: its own (`usage_duties`), its agreements' supervisions and its
    contracts' notices (`agreement_duties`, `contract_duties`); five queries."""
    found: list[Duty] = []
    for duty in duty_rules.usage_duties(SystemUsage.objects.filter(pk=usage.pk), today).get(
        usage.pk, []
    ):
        duty.ref = usage.pk
        found.append(duty)
    agreements = DataProcessingAgreement.objects.filter(usages=usage.pk)
    for pk, duties in duty_rules.agreement_duties(agreements, today).items():
        for duty in duties:
            duty.ref = pk
            found.append(duty)
    contracts = Contract.objects.filter(usages=usage.pk)
    for pk, duties in duty_rules.contract_duties(contracts, today).items():
        for duty in duties:
            duty.ref = pk
            found.append(duty)
    return found


# --- Writes -------------------------------------------------------------------------------------


@transaction.atomic
def save_usage(
    usage: SystemUsage,
    *,
    new_system: str = "",
    new_system_supplier: Supplier | None = None,
    new_supplier: str = "",
) -> SystemUsage:
    """Save a validated usage; with `new_system`, a new system of the municipality's catalogue
    made for it (of `new_system_supplier`, or of a new supplier named `new_supplier`)."""
    if new_system:
        supplier = new_system_supplier
        if new_supplier:
            supplier = Supplier(municipality_id=usage.municipality_id, name=new_supplier)
            supplier.full_clean()
            supplier.save()
        system = System(municipality_id=usage.municipality_id, name=new_system, supplier=supplier)
        system.full_clean()
        system.save()
        usage.system = system
    if usage.system_id is None:
        raise ValidationError({"system": _("Choose the system, or name a new one.")})
    usage.full_clean()
    usage.save()
    return usage


@transaction.atomic
def save_contract(contract: Contract, usages=None) -> Contract:
    """Save a contract and, when given, the systems it covers (one history record each)."""
    contract.full_clean()
    contract.save()
    if usages is not None:
        contract.usages.set(usages)
    return contract


@transaction.atomic
def save_agreement(
    agreement: DataProcessingAgreement, usages=None, sub_processors=None
) -> DataProcessingAgreement:
    agreement.full_clean()
    agreement.save()
    if usages is not None:
        agreement.usages.set(usages)
    if sub_processors is not None:
        if any(s.municipality_id != agreement.municipality_id for s in sub_processors):
            raise ValidationError({"sub_processors": _("It belongs to another municipality.")})
        agreement.sub_processors.set(sub_processors)
    return agreement


@transaction.atomic
def record_supervision(supervision: Supervision, user=None) -> Supervision:
    if supervision.pk is None and user is not None and user.is_authenticated:
        supervision.recorded_by = user
    supervision.full_clean()
    supervision.save()
    return supervision


@transaction.atomic
def record_assessment(assessment: Assessment, user=None) -> Assessment:
    if assessment.pk is None and user is not None and user.is_authenticated:
        assessment.recorded_by = user
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def link_project(link: SystemProject) -> SystemProject:
    clash = SystemProject.objects.filter(usage_id=link.usage_id, project_id=link.project_id)
    if clash.exclude(pk=link.pk).exists():
        raise ValidationError({"project": _("The project is already linked to the system.")})
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def unlink_project(link: SystemProject) -> None:
    link.delete()


# --- Sending a duty to a body's list -----------------------------------------------------------


def next_case_number(year: int) -> str:
    """SYS-2026-0007: the next number of the cases the register opens in a year."""
    prefix = f"{CASE_PREFIX}-{year}-"
    numbers = Case.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    highest = max((int(n[len(prefix) :]) for n in numbers if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{highest + 1:04d}"


def open_cases_by_anchor(usage_id: int) -> dict[str, Case]:
    """{duty key: the open case it is on} of a usage's duties, in one query."""
    prefix = reverse("systems:usage_detail", args=[usage_id]) + "#pligt-"
    found = {}
    cases = Case.objects.filter(origin_url__startswith=prefix, status=CaseStatus.OPEN).annotate(
        body_name=Subquery(
            CaseStep.objects.filter(case_id=OuterRef("pk"))
            .order_by("position")
            .values("body__name")[:1]
        )
    )
    for case in cases.order_by("-pk"):
        found.setdefault(case.origin_url[len(prefix) :], case)
    return found


@transaction.atomic
def escalate_duty(usage: SystemUsage, key: str, body: Body, user=None) -> Case:
    """Put the duty `key` (`duty_key`) of `usage` on `body`'s list: a case in its backlog for
    its next agenda, with a link back to the duty. Refused for a duty in order, one that is no
    longer the usage's, or one already on a list (an open case)."""
    usage = SystemUsage.objects.select_for_update().select_related("system").get(pk=usage.pk)
    if body is None:
        raise ValidationError({"body": _("Choose the body whose list it goes to.")})
    if body.municipality_id != usage.municipality_id:
        raise ValidationError({"body": _("The body belongs to another municipality.")})
    if body.is_closed:
        raise ValidationError({"body": _("The body %(body)s is closed.") % {"body": body}})
    today = timezone.localdate()
    duty = next((d for d in duties_of(usage, today) if duty_key(d) == key), None)
    if duty is None:
        raise ValidationError({"duty": _("The system has no such duty.")})
    if not duty.needs_attention:
        raise ValidationError({"duty": _("The duty is in order: nothing to send.")})
    anchor = duty_anchor(usage.pk, key)
    existing = Case.objects.filter(origin_url=anchor, status=CaseStatus.OPEN).first()
    if existing is not None:
        raise ValidationError(
            {
                "duty": _("The duty is already on a list: case %(number)s.")
                % {"number": existing.number}
            }
        )
    if duty.due is None:
        when = _("Missing.")
    elif duty.due < today:
        when = _("Overdue since %(date)s.") % {"date": f"{duty.due:%d-%m-%Y}"}
    else:
        when = _("Due on %(date)s.") % {"date": f"{duty.due:%d-%m-%Y}"}
    case = Case(
        number=next_case_number(today.year),
        title=(_("%(duty)s: %(subject)s") % {"duty": duty.label, "subject": duty.subject})[:300],
        description=_("%(duty)s of %(system)s (%(subject)s). %(when)s")
        % {"duty": duty.label, "system": usage, "subject": duty.subject, "when": when},
        municipality_id=usage.municipality_id,
        origin_label=(_("Duty of the system %(system)s") % {"system": usage})[:300],
        origin_url=anchor,
    )
    case.full_clean()
    case.save()
    CaseStep.objects.create(case=case, body=body, position=1, arrived_on=today)
    return case


@transaction.atomic
def record_review(
    usage: SystemUsage, done_on: datetime.date, outcome: str, summary: str = "", user=None
) -> Assessment:
    """Record the outcome of the governing body's yearly review of a system (the annual
    wheel's review, `planning.wheel`): an assessment of kind "review" with its history; the
    next is due a year later (`systems.duties`). Refused in Danish, naming the field."""
    return record_assessment(
        Assessment(
            usage=usage,
            municipality_id=usage.municipality_id,
            kind=AssessmentKind.REVIEW,
            done_on=done_on,
            outcome=outcome,
            summary=summary.strip(),
        ),
        user,
    )
