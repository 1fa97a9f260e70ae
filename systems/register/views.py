"""The register's pages: the list of every system in use (filtered, paged, with red flags for
the duties that need attention, and as Excel), a system's page with everything the register
holds about it, the forms that keep it, and sending a flagged duty to a body's list.

Everyone in the municipality reads the register (`core.view`); those who keep it
(`systems.change`) add and change rows. The duties and their state are `systems.duties`'.
"""

import datetime
import os

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import add_validation_errors
from core.links import url_maker
from core.permissions import has_perm, permission_required
from core.responses import invalid_status
from core.widgets import choice_labels
from documents.http import XLSX, download
from documents.xlsx import XlsxExporter
from meetings.models import ALLOWED_ATTACHMENT_EXTENSIONS
from meetings.uploads import extension
from organisation.models import Body, OrgUnit, Person
from systems import duties as duty_rules
from systems.kitos.owned import kitos_link
from systems.models import (
    Assessment,
    AssessmentKind,
    Breach,
    Contract,
    Criticality,
    DataProcessingAgreement,
    Hosting,
    Lifecycle,
    PersonalData,
    Supervision,
    SystemProject,
    SystemUsage,
    TransferBasis,
)
from systems.register import services
from systems.register.forms import (
    AgreementForm,
    AssessmentForm,
    ContractForm,
    DutyEscalateForm,
    ProjectLinkForm,
    SupervisionForm,
    UsageFilterForm,
    UsageForm,
    default_body,
    open_bodies,
)
from systems.rules import privacy_of

PAGE_SIZE = 50
XLSX_MAX_ROWS = 10_000


def _date(value: datetime.date | None) -> str:
    return f"{value:%d-%m-%Y}" if value else ""


# --- The list -------------------------------------------------------------------------------------


def _filtered(request: HttpRequest, today: datetime.date):
    """The filter form and the usages it chooses (only those with a flagged duty for flag)."""
    bodies = (
        Body.objects.filter(governed_systems__isnull=False).distinct().values_list("pk", "name")
    )
    units = OrgUnit.objects.filter(systems__isnull=False).distinct().values_list("pk", "name")
    owners = Person.objects.filter(owned_systems__isnull=False).distinct().values_list("pk", "name")
    form = UsageFilterForm(request.GET or None, bodies=bodies, units=units, owners=owners)
    rows = form.filter(services.usages())
    if form.flagged_only():
        flagged = {
            pk for duty in duty_rules.open_duties(today, usages=rows) for pk in duty.usage_ids
        }
        rows = rows.filter(pk__in=flagged)
    return form, rows


def _rows(usages: list[SystemUsage], today: datetime.date, scope) -> list[SystemUsage]:
    """The rows of `usages` (with the latest assessments: `annotated_usages` or
    `with_latest_assessments`), each with `duties` (its own, and those of its contracts and
    agreements), `flags` (those needing attention), `contracts` and `agreements`, in two
    more queries: the contracts and the agreements of `scope` (the rows' ids or a queryset of
    them), which tell whether a row has an agreement."""
    by_pk = {usage.pk: usage for usage in usages}
    kinds, none = choice_labels(PersonalData), _("None")
    contract_duties: dict[int, list] = {usage.pk: [] for usage in usages}
    agreement_duties: dict[int, list] = {usage.pk: [] for usage in usages}
    for usage in usages:
        usage.personal_data_text = (
            ", ".join(kinds.get(k, k) for k in usage.personal_data or []) or none
        )
        usage.contracts_shown, usage.agreements_shown = [], []
    contracts = (
        Contract.objects.filter(usages__in=scope)
        .annotate(row_usage=F("usages"))
        .select_related("supplier")
        .order_by("end", "name", "pk")
    )
    for contract in contracts:
        usage = by_pk.get(contract.row_usage)
        if usage is None:
            continue
        usage.contracts_shown.append(contract)
        for duty in duty_rules.duties_of_contract(contract, today, [usage]):
            duty.ref = contract.pk
            contract_duties[usage.pk].append(duty)
    agreements = (
        duty_rules.annotated_agreements(DataProcessingAgreement.objects.filter(usages__in=scope))
        .annotate(row_usage=F("usages"))
        .select_related("processor")
        .order_by("name", "pk")
    )
    for agreement in agreements:
        usage = by_pk.get(agreement.row_usage)
        if usage is None:
            continue
        agreement.duty = None
        for duty in duty_rules.duties_of_agreement(agreement, today, [usage]):
            duty.ref = agreement.pk
            agreement.duty = duty
            agreement_duties[usage.pk].append(duty)
        usage.agreements_shown.append(agreement)
    for usage in usages:
        usage.has_agreement = bool(usage.agreements_shown)
        usage.duties = []
        for duty in duty_rules.duties_of_usage(usage, today):
            duty.ref = usage.pk
            usage.duties.append(duty)
        usage.duties += contract_duties[usage.pk] + agreement_duties[usage.pk]
        usage.flags = [duty for duty in usage.duties if duty.needs_attention]
        usage.by_kind = {duty.kind: duty for duty in usage.duties}
    return usages


@permission_required("core.view")
def usage_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form, rows = _filtered(request, today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("side"))
    usages = duty_rules.with_latest_assessments(list(page.object_list))
    _rows(usages, today, [usage.pk for usage in usages])
    return render(
        request,
        "systems/register/list.html",
        {
            "form": form,
            "page": page,
            "usages": usages,
            "can_change": has_perm(request.user, "systems.change"),
            "today": today,
        },
    )


class UsageExport(XlsxExporter):
    sheet_title = gettext_lazy("IT systems")
    columns = (
        gettext_lazy("System"),
        gettext_lazy("Catalogue name"),
        gettext_lazy("Supplier"),
        gettext_lazy("System owner"),
        gettext_lazy("Responsible unit"),
        gettext_lazy("Governing body"),
        gettext_lazy("Business criticality"),
        gettext_lazy("Personal data"),
        gettext_lazy("Where it runs"),
        gettext_lazy("Lifecycle"),
        gettext_lazy("Annual cost (kr.)"),
        gettext_lazy("Contracts"),
        gettext_lazy("Contract ends"),
        gettext_lazy("Last notice date"),
        gettext_lazy("Data processors"),
        gettext_lazy("Sub-processors"),
        gettext_lazy("Third countries"),
        gettext_lazy("Basis of the transfer"),
        gettext_lazy("Last risk assessment"),
        gettext_lazy("Next risk assessment"),
        gettext_lazy("Last DPIA"),
        gettext_lazy("Next DPIA"),
        gettext_lazy("Last supervision"),
        gettext_lazy("Next supervision"),
        gettext_lazy("Needs attention"),
    )

    def __init__(self, usages: list[SystemUsage], sub_processors: dict[int, list[str]]):
        self.usages = usages
        self.sub_processors = sub_processors

    def rows(self):
        criticality, hosting = choice_labels(Criticality), choice_labels(Hosting)
        lifecycle, bases = choice_labels(Lifecycle), choice_labels(TransferBasis)
        for usage in self.usages:
            contracts, agreements = usage.contracts_shown, usage.agreements_shown
            ends = [c.end for c in contracts if c.end]
            notices = [c.last_notice_date for c in contracts if c.last_notice_date]
            supervised = [a.last_supervision_on for a in agreements if a.last_supervision_on]
            next_supervision = [a.duty.due for a in agreements if a.duty and a.duty.due]
            risk = usage.by_kind.get(duty_rules.Kind.RISK)
            dpia = usage.by_kind.get(duty_rules.Kind.DPIA)
            yield (
                str(usage),
                usage.system.name,
                usage.system.supplier.name if usage.system.supplier_id else "",
                usage.owner.name if usage.owner_id else "",
                usage.responsible_unit.name if usage.responsible_unit_id else "",
                usage.body.name if usage.body_id else "",
                criticality.get(usage.criticality, ""),
                usage.personal_data_text,
                hosting.get(usage.hosting, usage.hosting),
                lifecycle.get(usage.lifecycle, usage.lifecycle),
                usage.annual_cost,
                ", ".join(c.name for c in contracts),
                min(ends) if ends else None,
                min(notices) if notices else None,
                ", ".join(a.processor.name for a in agreements if a.processor_id),
                ", ".join(
                    sorted({n for a in agreements for n in self.sub_processors.get(a.pk, [])})
                ),
                ", ".join(a.third_countries for a in agreements if a.third_countries.strip()),
                ", ".join(bases[a.transfer_basis] for a in agreements if a.transfer_basis),
                usage.last_risk_on,
                risk.due if risk else usage.last_risk_next,
                usage.last_dpia_on,
                dpia.due if dpia else usage.last_dpia_next,
                max(supervised) if supervised else None,
                min(next_supervision) if next_supervision else None,
                "; ".join(
                    f"{d.label}: {d.state_label} {_date(d.due)}".strip() for d in usage.flags
                ),
            )


def export_of(rows, today: datetime.date) -> UsageExport:
    """The Excel sheet of the usages `rows` (a queryset), up to the cap."""
    usages = list(duty_rules.annotated_usages(rows)[:XLSX_MAX_ROWS])
    _rows(usages, today, rows.values("pk"))
    through = DataProcessingAgreement.sub_processors.through.objects.filter(
        dataprocessingagreement__usages__in=rows.values("pk")
    ).values_list("dataprocessingagreement_id", "supplier__name")
    sub_processors: dict[int, list[str]] = {}
    for agreement_id, name in through.distinct():
        sub_processors.setdefault(agreement_id, []).append(name)
    return UsageExport(usages, sub_processors)


@permission_required("core.view")
def usage_list_xlsx(request: HttpRequest) -> HttpResponse:
    """The filtered register as an Excel sheet: every row, up to the cap."""
    today = timezone.localdate()
    _form, rows = _filtered(request, today)
    content = export_of(rows, today).to_bytes()
    return download(content, XLSX, f"systemer-{today:%Y-%m-%d}.xlsx")


# --- A system's page ------------------------------------------------------------------------------


def _usage(pk: int) -> SystemUsage:
    return get_object_or_404(services.usages(), pk=pk)


def _kle_url(usage: SystemUsage) -> str:
    return url_maker("systems:usage_kle")(usage.pk)


@permission_required("core.view", lookup=_usage)
def usage_detail(request: HttpRequest, usage: SystemUsage) -> HttpResponse:
    today = timezone.localdate()
    user = request.user
    can_change = has_perm(user, "systems.change")
    duties = services.duties_of(usage, today)
    cases = services.open_cases_by_anchor(usage.pk)
    for duty in duties:
        duty.key = services.duty_key(duty)
        duty.case = cases.get(duty.key)
    by_ref = {(duty.kind, duty.ref): duty for duty in duties}
    contracts = list(usage.contracts.select_related("supplier").order_by("end", "name", "pk"))
    for contract in contracts:
        contract.duty = by_ref.get((duty_rules.Kind.NOTICE, contract.pk))
        contract.kitos_url = kitos_link(contract)
    agreements = list(
        usage.agreements.select_related("processor")
        .prefetch_related(
            "sub_processors",
            Prefetch("supervisions", queryset=Supervision.objects.order_by("-done_on", "-pk")),
        )
        .order_by("name", "pk")
    )
    for agreement in agreements:
        agreement.duty = by_ref.get((duty_rules.Kind.SUPERVISION, agreement.pk))
        agreement.kitos_url = kitos_link(agreement)
    assessments = list(usage.assessments.order_by("kind", "-done_on", "-pk"))
    kinds = [
        {
            "kind": kind,
            "label": label,
            "rows": [a for a in assessments if a.kind == kind],
            "duty": by_ref.get(
                (
                    {
                        AssessmentKind.RISK: duty_rules.Kind.RISK,
                        AssessmentKind.DPIA: duty_rules.Kind.DPIA,
                        AssessmentKind.REVIEW: duty_rules.Kind.REVIEW,
                    }[kind],
                    usage.pk,
                )
            ),
        }
        for kind, label in AssessmentKind.choices
    ]
    flags = [duty for duty in duties if duty.needs_attention]
    bodies, chosen = [], None
    if can_change and any(duty.case is None for duty in flags):
        bodies = list(open_bodies())
        chosen = default_body(usage, bodies, privacy_of(user))
    return render(
        request,
        "systems/register/detail.html",
        {
            "usage": usage,
            "flags": flags,
            "contracts": contracts,
            "agreements": agreements,
            "kinds": kinds,
            "links": list(
                usage.project_links.select_related("project").order_by("project__name", "pk")
            ),
            "kle_codes": list(usage.kle_codes.all()),
            "kle_url": _kle_url(usage),
            "breaches": list(
                Breach.objects.filter(usage=usage)
                .order_by("-discovered_at")
                .values_list("pk", "title")
            ),
            "personal_data_text": ", ".join(
                choice_labels(PersonalData).get(k, k) for k in usage.personal_data or []
            )
            or _("None"),
            "kitos_url": kitos_link(usage),
            "system_kitos_url": kitos_link(usage.system),
            "can_change": can_change,
            "bodies": bodies,
            "chosen_body": chosen,
            "today": today,
        },
    )


# --- Forms -------------------------------------------------------------------------------------


def _form_page(
    request: HttpRequest,
    form,
    save,
    *,
    done,
    message: str,
    template: str = "systems/register/form.html",
    context: dict,
) -> HttpResponse:
    """A form's page: a valid POST calls `save(form)` (a service); its refusal is shown on
    the form; then the message and `done(saved)`."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, message)
            return redirect(done(saved))
    return render(
        request,
        template,
        {"form": form, **context},
        status=invalid_status(request) if request.method == "POST" else 200,
    )


def _detail(usage_id: int, anchor: str = "") -> str:
    return reverse("systems:usage_detail", args=[usage_id]) + (f"#{anchor}" if anchor else "")


def _save_usage(form: UsageForm) -> SystemUsage:
    data = form.cleaned_data
    return services.save_usage(
        form.save(commit=False),
        new_system=data.get("new_system", ""),
        new_system_supplier=data.get("new_system_supplier"),
        new_supplier=data.get("new_supplier", ""),
    )


@permission_required("systems.change")
def usage_create(request: HttpRequest) -> HttpResponse:
    form = UsageForm(request.POST or None)
    return _form_page(
        request,
        form,
        _save_usage,
        done=lambda usage: _detail(usage.pk),
        message=_("The system was added to the register."),
        template="systems/register/usage_form.html",
        context={"usage": None, "cancel_url": reverse("systems:usage_list")},
    )


@permission_required("systems.change", lookup=_usage)
def usage_edit(request: HttpRequest, usage: SystemUsage) -> HttpResponse:
    form = UsageForm(request.POST or None, instance=usage)
    return _form_page(
        request,
        form,
        _save_usage,
        done=lambda saved: _detail(saved.pk),
        message=_("The system was saved."),
        template="systems/register/usage_form.html",
        context={
            "usage": usage,
            "kitos_url": kitos_link(usage),
            "cancel_url": _detail(usage.pk),
        },
    )


def _contract_page(request, contract: Contract, usage: SystemUsage | None) -> HttpResponse:
    form = ContractForm(request.POST or None, instance=contract, usage=usage)
    back = usage.pk if usage is not None else None

    def save(form):
        saved = form.save(commit=False)
        chosen = form.cleaned_data.get("usages")
        if form.fields["usages"].disabled:
            chosen = None
        return services.save_contract(saved, chosen)

    def done(saved):
        target = back or next(iter(saved.usages.values_list("pk", flat=True)), None)
        return _detail(target, "kontrakter") if target else reverse("systems:usage_list")

    return _form_page(
        request,
        form,
        save,
        done=done,
        message=_("The contract was saved."),
        context={
            "title": _("Edit contract") if contract.pk else _("New contract"),
            "object": contract if contract.pk else None,
            "usage": usage,
            "kitos_url": kitos_link(contract) if contract.pk else None,
            "history_kind": "kontrakt",
            "cancel_url": _detail(back) if back else reverse("systems:usage_list"),
        },
    )


@permission_required("systems.change", lookup=_usage)
def contract_create(request: HttpRequest, usage: SystemUsage) -> HttpResponse:
    return _contract_page(request, Contract(municipality_id=usage.municipality_id), usage)


def _contract(pk: int) -> Contract:
    return get_object_or_404(Contract, pk=pk)


def _first_usage(row) -> SystemUsage | None:
    return row.usages.select_related("system").order_by("pk").first()


@permission_required("systems.change", lookup=_contract)
def contract_edit(request: HttpRequest, contract: Contract) -> HttpResponse:
    return _contract_page(request, contract, _first_usage(contract))


def _agreement_page(
    request, agreement: DataProcessingAgreement, usage: SystemUsage | None
) -> HttpResponse:
    form = AgreementForm(request.POST or None, instance=agreement, usage=usage)
    back = usage.pk if usage is not None else None

    def save(form):
        saved = form.save(commit=False)
        data = form.cleaned_data
        chosen = None if form.fields["usages"].disabled else data.get("usages")
        subs = None if form.fields["sub_processors"].disabled else data.get("sub_processors")
        return services.save_agreement(saved, chosen, subs)

    def done(saved):
        target = back or next(iter(saved.usages.values_list("pk", flat=True)), None)
        return _detail(target, "databehandling") if target else reverse("systems:usage_list")

    return _form_page(
        request,
        form,
        save,
        done=done,
        message=_("The data processing agreement was saved."),
        context={
            "title": (
                _("Edit data processing agreement")
                if agreement.pk
                else _("New data processing agreement")
            ),
            "object": agreement if agreement.pk else None,
            "usage": usage,
            "kitos_url": kitos_link(agreement) if agreement.pk else None,
            "history_kind": "databehandleraftale",
            "cancel_url": _detail(back) if back else reverse("systems:usage_list"),
        },
    )


@permission_required("systems.change", lookup=_usage)
def agreement_create(request: HttpRequest, usage: SystemUsage) -> HttpResponse:
    return _agreement_page(
        request, DataProcessingAgreement(municipality_id=usage.municipality_id), usage
    )


def _agreement(pk: int) -> DataProcessingAgreement:
    return get_object_or_404(DataProcessingAgreement, pk=pk)


@permission_required("systems.change", lookup=_agreement)
def agreement_edit(request: HttpRequest, agreement: DataProcessingAgreement) -> HttpResponse:
    return _agreement_page(request, agreement, _first_usage(agreement))


@permission_required("systems.change", lookup=_agreement)
def supervision_create(request: HttpRequest, agreement: DataProcessingAgreement) -> HttpResponse:
    usage = _first_usage(agreement)
    form = SupervisionForm(request.POST or None, agreement=agreement)
    return _form_page(
        request,
        form,
        lambda form: services.record_supervision(form.save(commit=False), request.user),
        done=lambda saved: (
            _detail(usage.pk, "databehandling") if usage else reverse("systems:usage_list")
        ),
        message=_("The supervision was recorded."),
        context={
            "title": _("Record supervision"),
            "intro": _("A supervision of the processor under %(agreement)s.")
            % {"agreement": agreement.name},
            "usage": usage,
            "cancel_url": _detail(usage.pk) if usage else reverse("systems:usage_list"),
        },
    )


def _assessment_page(request, assessment: Assessment, usage: SystemUsage) -> HttpResponse:
    form = AssessmentForm(
        request.POST or None,
        request.FILES or None,
        instance=assessment,
        usage=usage,
        user=request.user,
    )
    return _form_page(
        request,
        form,
        lambda form: services.record_assessment(form.save(commit=False), request.user),
        done=lambda saved: _detail(usage.pk, "vurderinger"),
        message=_("The assessment was saved."),
        context={
            "title": _("Edit assessment") if assessment.pk else _("New assessment"),
            "object": assessment if assessment.pk else None,
            "usage": usage,
            "history_kind": "vurdering",
            "multipart": True,
            "cancel_url": _detail(usage.pk),
        },
    )


@permission_required("systems.change", lookup=_usage)
def assessment_create(request: HttpRequest, usage: SystemUsage) -> HttpResponse:
    kind = request.GET.get("art")
    assessment = Assessment(municipality_id=usage.municipality_id, usage=usage)
    if kind in AssessmentKind.values:
        assessment.kind = kind
    return _assessment_page(request, assessment, usage)


def _assessment(pk: int) -> Assessment:
    return get_object_or_404(Assessment.objects.select_related("usage__system"), pk=pk)


@permission_required("systems.change", lookup=_assessment)
def assessment_edit(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    return _assessment_page(request, assessment, assessment.usage)


@permission_required("systems.change", lookup=_assessment)
def assessment_document(request: HttpRequest, assessment: Assessment) -> FileResponse:
    """The assessment's document, as a download, for those who keep the register (it may
    describe the system's weaknesses); 404 when it has none."""
    if not assessment.document:
        raise Http404
    try:
        handle = assessment.document.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    name = os.path.basename(assessment.document.name)
    content_type = ALLOWED_ATTACHMENT_EXTENSIONS.get(extension(name), "application/octet-stream")
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _link_page(request, link: SystemProject, usage: SystemUsage) -> HttpResponse:
    if request.method == "POST" and link.pk and request.POST.get("remove"):
        services.unlink_project(link)
        messages.success(request, _("The project is no longer linked to the system."))
        return redirect(_detail(usage.pk, "projekter"))
    form = ProjectLinkForm(request.POST or None, instance=link, usage=usage)
    return _form_page(
        request,
        form,
        lambda form: services.link_project(form.save(commit=False)),
        done=lambda saved: _detail(usage.pk, "projekter"),
        message=_("The project link was saved."),
        context={
            "title": _("Edit project link") if link.pk else _("Link a project"),
            "intro": _("A project that changes %(system)s.") % {"system": usage},
            "object": link if link.pk else None,
            "usage": usage,
            "history_kind": "systemprojekt",
            "removable": bool(link.pk),
            "cancel_url": _detail(usage.pk),
        },
    )


@permission_required("systems.change", lookup=_usage)
def project_link_create(request: HttpRequest, usage: SystemUsage) -> HttpResponse:
    return _link_page(request, SystemProject(municipality_id=usage.municipality_id), usage)


def _link(pk: int) -> SystemProject:
    return get_object_or_404(
        SystemProject.objects.select_related("usage__system", "project"), pk=pk
    )


@permission_required("systems.change", lookup=_link)
def project_link_edit(request: HttpRequest, link: SystemProject) -> HttpResponse:
    return _link_page(request, link, link.usage)


# --- Sending a duty to a body's list -------------------------------------------------------------


@permission_required("systems.change", lookup=_usage)
def duty_escalate(request: HttpRequest, usage: SystemUsage) -> HttpResponse:
    """Send one of the system's flagged duties to a body's list: a case in its backlog for its
    next agenda, with a link back. Once per open duty."""
    today = timezone.localdate()
    cases = services.open_cases_by_anchor(usage.pk)
    flagged = [d for d in services.duties_of(usage, today) if d.needs_attention]
    choices = []
    for duty in flagged:
        key = services.duty_key(duty)
        text = f"{duty.label} ({duty.subject}): {duty.state_label}"
        if duty.due:
            text += f" {duty.due:%d-%m-%Y}"
        if key in cases:
            text += " – " + _("on the list (case %(number)s)") % {"number": cases[key].number}
        choices.append((key, text))
    bodies = list(open_bodies())
    form = DutyEscalateForm(
        request.POST or None,
        duties=choices,
        bodies=bodies,
        default_body=default_body(usage, bodies, privacy_of(request.user)),
    )
    if request.method == "POST" and form.is_valid():
        body = form.cleaned_data["body"]
        try:
            case = services.escalate_duty(usage, form.cleaned_data["duty"], body, request.user)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request,
                _("The duty was sent to %(body)s's list as case %(number)s.")
                % {"body": body.name, "number": case.number},
            )
            return redirect(_detail(usage.pk, "flag"))
    return render(
        request,
        "systems/register/escalate.html",
        {"form": form, "usage": usage, "flagged": flagged},
        status=invalid_status(request) if request.method == "POST" else 200,
    )
