"""Views of the annual action plan (indsatsplan): the list, the plan page, editing a draft
(criteria, entries, the scoring grid, ranks set by hand), the state changes, progress during
the year, the documents and the history.

Everyone in the municipality reads every plan (`core.view`). `planning.change`
(administrators and secretaries) runs them; an entry's responsible person also records its
progress (`planning.follow`). Each view declares its permission (`permission_required`):
objects are looked up first (another municipality's plan is not found: 404), then the
permission is asked (403). Only a draft is edited: the editing pages of a plan that is
recommended or approved send the user back to the plan with a message. Rules are in
`planning.plans.services`.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import job_views, jobs
from core.forms import add_validation_errors
from core.history import history_entries, newest_first
from core.history import records as history_records
from core.permissions import has_perm, permission_required
from core.responses import form_status
from documents.http import XLSX, download
from meetings.models import AgendaItem
from organisation.models import OrgUnit, Person, PlanRole
from planning import exports
from planning.models import AnnualPlan, Criterion, PlanEntry, PlanState, Proposal, Score
from planning.plans import services
from planning.plans.forms import (
    EXTRA_CRITERIA,
    ApproveForm,
    DecisionForm,
    EntryForm,
    PlanForm,
    ProgressForm,
    RankForm,
    ReopenForm,
    ScoreGridForm,
    criterion_formset,
)
from portfolio.models import Project

PERM = "planning.change"
T = TypeVar("T")


# --- Helpers -----------------------------------------------------------------------------------


def _plan(pk: int) -> AnnualPlan:
    return get_object_or_404(AnnualPlan.objects.all(), pk=pk)


def _entry(pk: int) -> PlanEntry:
    return get_object_or_404(PlanEntry.objects.select_related("plan"), pk=pk)


def _followed_entry(pk: int) -> PlanEntry:
    return get_object_or_404(PlanEntry.objects.select_related("plan", "responsible"), pk=pk)


def _locked(request: HttpRequest, plan: AnnualPlan) -> HttpResponse | None:
    """Back to the plan when it is no longer a draft: the plan's page says it is locked (no
    message besides, or the page would say it twice)."""
    if plan.is_draft:
        return None
    return redirect("planning:plan_detail", pk=plan.pk)


# The rules name the plan's fields; the state forms call the decision "decision".
FIELD_NAMES = {"recommended_by": "decision", "approved_by": "decision"}


def _detail_url(plan, anchor: str = "") -> str:
    return reverse("planning:plan_detail", args=[plan.pk]) + anchor


def _data(request: HttpRequest):
    """The posted data, also when nothing was posted (an empty POST is a bound, empty
    form, not a fresh one)."""
    return request.POST if request.method == "POST" else None


def _submitted(request: HttpRequest, form, write: Callable[[dict], T]) -> T | None:
    """For a valid POST, what `write(cleaned data)` (a service) returns; None when nothing
    was posted, the form is invalid or the service refused (its reasons then on the form)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except ValidationError as error:
        add_validation_errors(form, error, FIELD_NAMES)
        return None


# --- The list ----------------------------------------------------------------------------------


@permission_required("core.view")
def plan_list(request: HttpRequest) -> HttpResponse:
    """Every plan, newest year first, with its state, entries, progress and capacity use."""
    return render(
        request,
        "planning/plans/list.html",
        {"rows": plan_rows(AnnualPlan.objects.all()), "can_change": has_perm(request.user, PERM)},
    )


def plan_rows(plans) -> list[dict]:
    """The plans newest year first, each with its summary and capacity (the list's rows)."""
    all_plans = list(plans.order_by("-year"))
    summaries = services.plan_summaries(all_plans)
    rows = []
    for plan in all_plans:
        summary = summaries.get(
            plan.pk, {"entries": 0, "hours": 0, "amount": Decimal(0), "done": 0}
        )
        rows.append(
            {
                "plan": plan,
                "summary": summary,
                "capacity": services.Capacity(
                    plan.capacity_hours, summary["hours"], plan.capacity_amount, summary["amount"]
                ),
            }
        )
    return rows


@permission_required("core.view")
def plan_list_xlsx(request: HttpRequest) -> HttpResponse:
    content = exports.PlanExport(plan_rows(AnnualPlan.objects.all())).to_bytes()
    return download(content, XLSX, f"indsatsplaner-{timezone.localdate():%Y-%m-%d}.xlsx")


@permission_required("core.view")
def plan_entries_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's entries in rank order with their scores, as the plan's page shows them."""
    plan = get_object_or_404(AnnualPlan, pk=pk)
    content = exports.PlanEntryExport([services.plan_view(plan)]).to_bytes()
    return download(content, XLSX, f"indsatsplan-{plan.year}.xlsx")


# --- Create and edit the plan ------------------------------------------------------------------


def _next_year() -> int:
    taken = set(AnnualPlan.objects.values_list("year", flat=True))
    year = timezone.localdate().year
    while year in taken:
        year += 1
    return year


@permission_required(PERM)
def plan_create(request: HttpRequest) -> HttpResponse:
    form = PlanForm(_data(request), creating=True, initial={"year": _next_year()})
    plan = _submitted(
        request,
        form,
        lambda data: services.create_plan(form.save(commit=False), copy_from=form.previous),
    )
    if plan is not None:
        messages.success(request, _("The plan was created with its criteria."))
        return redirect("planning:plan_detail", pk=plan.pk)
    return render(
        request,
        "planning/plans/form.html",
        {"form": form, "plan": None, "cancel_url": reverse("planning:plan_list")},
        status=form_status(request),
    )


@permission_required(PERM, lookup=_plan)
def plan_edit(request: HttpRequest, plan: AnnualPlan) -> HttpResponse:
    if (locked := _locked(request, plan)) is not None:
        return locked
    form = PlanForm(_data(request), instance=plan)
    if _submitted(request, form, lambda data: services.save_plan(form.save(commit=False))):
        messages.success(request, _("The plan was saved."))
        return redirect("planning:plan_detail", pk=plan.pk)
    return render(
        request,
        "planning/plans/form.html",
        {"form": form, "plan": plan, "cancel_url": _detail_url(plan)},
        status=form_status(request),
    )


# --- The plan page -----------------------------------------------------------------------------


@permission_required("core.view")
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The prioritised table, the capacity, the state with its decisions, and progress."""
    user = request.user
    plan = get_object_or_404(services.plans_with_links(), pk=pk)
    view = services.plan_view(plan)
    entries = [r.entry for r in view.ranked]
    return render(
        request,
        "planning/plans/detail.html",
        {
            "plan": plan,
            "view": view,
            "recommended": services.decision_link(user, plan.recommended_by),
            "approved": services.decision_link(user, plan.approved_by),
            "can_change": has_perm(user, PERM),
            "progress_ids": services.progress_editable_ids(user, entries),
        },
    )


# --- Criteria ----------------------------------------------------------------------------------


@permission_required(PERM, lookup=_plan)
def plan_criteria(request: HttpRequest, plan: AnnualPlan) -> HttpResponse:
    """The criteria and their weights, in one formset: all saved, or none."""
    if (locked := _locked(request, plan)) is not None:
        return locked
    FormSet = criterion_formset(EXTRA_CRITERIA)
    queryset = Criterion.objects.filter(plan=plan).order_by("position", "pk")
    formset = FormSet(_data(request), instance=plan, prefix="kriterier", queryset=queryset)
    if request.method == "POST" and formset.is_valid():
        try:
            services.save_criteria(plan, formset.save(commit=False), formset.deleted_objects)
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages, error_class="nonform")
        else:
            messages.success(request, _("The criteria were saved."))
            return redirect(_detail_url(plan, "#kriterier"))
    return render(
        request,
        "planning/plans/criteria.html",
        {"plan": plan, "formset": formset},
        status=form_status(request),
    )


# --- Entries -----------------------------------------------------------------------------------


def _prefill(request: HttpRequest) -> dict:
    """Initial values of a new entry taken from ?projekt= or ?forslag= (a link from the
    project or the proposal)."""
    initial = {}
    for param, model, name in (("projekt", Project, "project"), ("forslag", Proposal, "proposal")):
        value = request.GET.get(param, "")
        if value.isdigit():
            found = model.objects.filter(pk=int(value)).first()
            if found is not None:
                initial[name] = found.pk
    return initial


@permission_required(PERM, lookup=_plan)
def entry_create(request: HttpRequest, plan: AnnualPlan) -> HttpResponse:
    if (locked := _locked(request, plan)) is not None:
        return locked
    entry = PlanEntry(plan=plan, municipality_id=plan.municipality_id)
    form = EntryForm(_data(request), instance=entry, initial=_prefill(request))
    if _submitted(request, form, lambda data: services.save_entry(form.save(commit=False))):
        messages.success(
            request,
            _("“%(title)s” was added to the plan. Score it in the grid.") % {"title": entry.title},
        )
        return redirect(_detail_url(plan, "#rangfolge"))
    return render(
        request,
        "planning/plans/entry_form.html",
        {"plan": plan, "entry": None, "form": form},
        status=form_status(request),
    )


@permission_required(PERM, lookup=_entry)
def entry_edit(request: HttpRequest, entry: PlanEntry) -> HttpResponse:
    plan = entry.plan
    if (locked := _locked(request, plan)) is not None:
        return locked
    form = EntryForm(_data(request), instance=entry)
    if _submitted(request, form, lambda data: services.save_entry(form.save(commit=False))):
        messages.success(request, _("The entry was saved."))
        return redirect(_detail_url(plan, f"#indsats-{entry.pk}"))
    return render(
        request,
        "planning/plans/entry_form.html",
        {"plan": plan, "entry": entry, "form": form},
        status=form_status(request),
    )


@permission_required(PERM, lookup=_entry)
def entry_delete(request: HttpRequest, entry: PlanEntry) -> HttpResponse:
    plan = entry.plan
    if (locked := _locked(request, plan)) is not None:
        return locked
    if request.method == "POST":
        title = entry.title
        try:
            services.delete_entry(entry)
        except ValidationError as error:  # locked since the page was shown
            messages.error(request, " ".join(error.messages))
            return redirect(_detail_url(plan))
        messages.success(request, _("“%(title)s” was removed from the plan.") % {"title": title})
        return redirect(_detail_url(plan, "#rangfolge"))
    return render(request, "planning/plans/entry_delete.html", {"plan": plan, "entry": entry})


@permission_required(PERM, lookup=_entry)
def entry_rank(request: HttpRequest, entry: PlanEntry) -> HttpResponse:
    """Set the entry's rank by hand, with the reason; or give it back its computed rank."""
    plan = entry.plan
    if (locked := _locked(request, plan)) is not None:
        return locked
    view = services.plan_view(plan)
    ranked = next(r for r in view.ranked if r.entry.pk == entry.pk)
    form = RankForm(
        _data(request),
        initial={"rank_override": entry.rank_override, "rank_reason": entry.rank_reason},
    )
    if _submitted(
        request,
        form,
        lambda data: services.set_rank(entry, data["rank_override"], data["rank_reason"]),
    ):
        messages.success(request, _("The rank of “%(title)s” was saved.") % {"title": entry.title})
        return redirect(_detail_url(plan, f"#indsats-{entry.pk}"))
    return render(
        request,
        "planning/plans/entry_rank.html",
        {"plan": plan, "entry": entry, "ranked": ranked, "count": len(view.ranked), "form": form},
        status=form_status(request),
    )


@permission_required("planning.follow", lookup=_followed_entry)
def entry_progress(request: HttpRequest, entry: PlanEntry) -> HttpResponse:
    """Progress during the year: those who run the plan, and the entry's responsible."""
    plan = entry.plan
    form = ProgressForm(_data(request), entry=entry)
    if _submitted(
        request,
        form,
        lambda data: services.update_progress(
            entry, data["progress"], data["progress_note"], data["progress_updated_on"]
        ),
    ):
        messages.success(
            request, _("The progress of “%(title)s” was saved.") % {"title": entry.title}
        )
        return redirect(_detail_url(plan, f"#indsats-{entry.pk}"))
    return render(
        request,
        "planning/plans/entry_progress.html",
        {"plan": plan, "entry": entry, "form": form},
        status=form_status(request),
    )


# --- The scoring grid --------------------------------------------------------------------------


@permission_required(PERM, lookup=_plan)
def plan_scores(request: HttpRequest, plan: AnnualPlan) -> HttpResponse:
    """Every entry × every criterion in one form, saved in one transaction. With htmx the
    grid and the ranks are swapped in place after saving; without it the plan page follows."""
    if (locked := _locked(request, plan)) is not None:
        return locked
    view = services.plan_view(plan)
    form = ScoreGridForm(_data(request), view=view)
    saved = False
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.save_scores(plan, form.values())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The scores were saved (%(count)d changed). The ranks are computed again.")
                % {"count": changed},
            )
            if not request.htmx:
                return redirect(_detail_url(plan, "#rangfolge"))
            view = services.plan_view(plan)
            form = ScoreGridForm(view=view)
            saved = True
    context = {"plan": plan, "view": view, "form": form, "saved": saved}
    if request.htmx:
        return render(request, "planning/plans/_scores_region.html", context)
    return render(request, "planning/plans/scores.html", context, status=form_status(request))


# --- States ------------------------------------------------------------------------------------


def _state_page(
    request: HttpRequest,
    plan: AnnualPlan,
    *,
    step: str,
    form,
    action,
    success: str,
    allowed: bool,
    refusal: str,
) -> HttpResponse:
    if request.method == "POST" and not allowed:
        form.is_valid()
        form.add_error(None, refusal)
    elif _submitted(request, form, action):
        messages.success(request, success)
        return redirect(_detail_url(plan, "#tilstand"))
    return render(
        request,
        "planning/plans/state.html",
        {
            "plan": plan,
            "form": form,
            "step": step,
            "allowed": allowed,
            "refusal": refusal,
            "capacity": services.capacity(plan),
        },
        status=form_status(request),
    )


@permission_required(PERM, lookup=_plan)
def plan_recommend(request: HttpRequest, plan: AnnualPlan) -> HttpResponse:
    form = DecisionForm(
        _data(request),
        decisions=list(
            services.decisions(request.user, PlanRole.RECOMMENDS)[: services.DECISION_CHOICES]
        ),
        field_label=_("The decision that recommends the plan"),
    )
    return _state_page(
        request,
        plan,
        step="recommend",
        form=form,
        action=lambda data: services.recommend(plan, data["decision"], request.user),
        success=_("The plan is recommended by the programme group."),
        allowed=plan.state == PlanState.DRAFT,
        refusal=_("Only a draft can be recommended. The plan is “%(state)s”.")
        % {"state": plan.get_state_display()},
    )


@permission_required(PERM, lookup=_plan)
def plan_approve(request: HttpRequest, plan: AnnualPlan) -> HttpResponse:
    form = ApproveForm(
        _data(request),
        decisions=list(
            services.decisions(request.user, PlanRole.APPROVES)[: services.DECISION_CHOICES]
        ),
        field_label=_("The decision that approves the plan"),
        initial={"over_capacity_reason": plan.over_capacity_reason},
    )
    return _state_page(
        request,
        plan,
        step="approve",
        form=form,
        action=lambda data: services.approve(
            plan, data["decision"], data["over_capacity_reason"], request.user
        ),
        success=_("The plan is approved by the steering group."),
        allowed=plan.state == PlanState.RECOMMENDED,
        refusal=_("Only a recommended plan can be approved. The plan is “%(state)s”.")
        % {"state": plan.get_state_display()},
    )


@permission_required(PERM, lookup=_plan)
def plan_reopen(request: HttpRequest, plan: AnnualPlan) -> HttpResponse:
    form = ReopenForm(_data(request))
    return _state_page(
        request,
        plan,
        step="reopen",
        form=form,
        action=lambda data: services.reopen(plan, data["reason"], request.user),
        success=_("The plan is a draft again."),
        allowed=plan.state != PlanState.DRAFT,
        refusal=_("The plan is already a draft."),
    )


# --- Documents ---------------------------------------------------------------------------------


def _document(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    """The plan as PDF or Word, made by a background job (`planning.jobs.plan_document`)."""
    plan = get_object_or_404(services.plans_with_links(), pk=pk)
    job = jobs.start(
        "planning.plan_document",
        request.user,
        _("%(plan)s as %(format)s") % {"plan": plan.title, "format": extension.upper()},
        plan_id=plan.pk,
        extension=extension,
    )
    return job_views.respond(request, job)


@permission_required("core.view")
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _document(request, pk, "pdf")


@permission_required("core.view")
def plan_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _document(request, pk, "docx")


# --- History -----------------------------------------------------------------------------------

# Fields whose changes the history does not list: bookkeeping, not content.
HISTORY_EXCLUDED = ["municipality", "created_at", "plan", "entry", "criterion"]


def _history_names(user, records: dict) -> dict:
    """{(model, id): label} of the rows the records point to. A decision's title only for
    those who may read the item."""
    wanted: dict = {
        OrgUnit: set(),
        Person: set(),
        Project: set(),
        Proposal: set(),
        AgendaItem: set(),
    }
    fields = {
        "unit": OrgUnit,
        "responsible": Person,
        "project": Project,
        "proposal": Proposal,
        "recommended_by": AgendaItem,
        "approved_by": AgendaItem,
    }
    for rows in records.values():
        for record in rows:
            for name, model in fields.items():
                value = getattr(record, f"{name}_id", None)
                if value is not None:
                    wanted[model].add(value)
    names = {}
    for model, ids in wanted.items():
        ids = list(ids) or [0]  # a query per model whatever the records name: constant
        if model is AgendaItem:
            items = AgendaItem.objects.filter(pk__in=ids).select_related("meeting__body")
            for item in items:
                names[(model, item.pk)] = services.decision_link(user, item)["label"]
            continue
        label = "title" if model is Proposal else "name"
        for pk, text in model.within(user).filter(pk__in=ids).values_list("pk", label):
            names[(model, pk)] = text
    return names


def _history_entries(model, records, label, names: dict) -> list[dict]:
    return history_entries(
        model,
        records,
        label,
        names,
        excluded=HISTORY_EXCLUDED,
        extra=lambda record, _previous, _changes: {"reason": record.history_change_reason or ""},
    )


@permission_required("core.view")
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed what and when: the plan, its criteria, entries and scores."""
    plan = _plan(pk)
    records = {
        "plan": history_records(plan.history.all()),
        "criteria": history_records(Criterion.history.filter(plan_id=plan.pk)),
        "entries": history_records(PlanEntry.history.filter(plan_id=plan.pk)),
    }
    entry_titles = {}
    for record in reversed(records["entries"]):
        entry_titles[record.id] = record.title
    criterion_names = {}
    for record in reversed(records["criteria"]):
        criterion_names[record.id] = record.name
    records["scores"] = history_records(Score.history.filter(entry_id__in=list(entry_titles)))
    names = _history_names(request.user, records)
    entries = _history_entries(AnnualPlan, records["plan"], lambda r: _("The plan"), names)
    entries += _history_entries(
        Criterion,
        records["criteria"],
        lambda r: _("Criterion: %(name)s") % {"name": r.name},
        names,
    )
    entries += _history_entries(
        PlanEntry,
        records["entries"],
        lambda r: _("Entry: %(title)s") % {"title": r.title},
        names,
    )
    entries += _history_entries(
        Score,
        records["scores"],
        lambda r: (
            _("Score: %(entry)s, %(criterion)s")
            % {
                "entry": entry_titles.get(r.entry_id, "–"),
                "criterion": criterion_names.get(r.criterion_id, "–"),
            }
        ),
        names,
    )
    for entry in entries:
        record = entry["record"]
        if entry["record"].history_type == "+" and isinstance(record, Score.history.model):
            entry["changes"] = [{"field": _("score"), "old": "", "new": str(record.value)}]
    return render(
        request, "planning/plans/history.html", {"plan": plan, "entries": newest_first(entries)}
    )
