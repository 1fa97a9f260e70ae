"""Forms of the annual action plan: the plan, its criteria, entries, the scoring grid, a rank
set by hand, the state changes and progress.

Rules live in `planning.plans.services` and on the models; these forms collect input and
the views save it with those services. Every choice of a related row comes from the active
municipality only (scoped managers).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import DanishDecimalField, TenantModelForm, style_fields, tenant_formfield
from core.widgets import QuickSelect, escape, flat_attributes, named_choices
from organisation.models import OrgUnit
from planning.models import (
    SCORE_MAX,
    SCORE_MIN,
    AnnualPlan,
    Criterion,
    PlanEntry,
    Progress,
    Proposal,
    ProposalStatus,
)
from planning.plans import services
from portfolio.forms.projects import active_persons
from portfolio.models import Phase, Project

EXTRA_CRITERIA = 2
MAX_CRITERIA = 30


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# --- The plan ----------------------------------------------------------------------------------


class PlanForm(TenantModelForm):
    """The year, title, introduction and capacity of a plan. A new plan may start from the
    plan before it: its criteria and its unfinished entries."""

    copy_previous = forms.BooleanField(
        label=_("Copy the criteria and the unfinished entries of the plan before"),
        required=False,
        help_text=_(
            "Entries that are done or dropped are left out; scores are copied as a starting point."
        ),
    )

    class Meta(TenantModelForm.Meta):
        model = AnnualPlan
        fields = ["year", "title", "introduction", "capacity_hours", "capacity_amount"]
        field_classes = {"capacity_amount": DanishDecimalField}
        widgets = {"introduction": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "title": _("Leave it empty for “Action plan” and the year."),
            "capacity_hours": _("The hours the organisation can put into the plan's efforts."),
            "capacity_amount": _("The kroner available for the efforts, e.g. 1.500.000."),
        }

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        if not creating:
            del self.fields["copy_previous"]
        self.previous = None

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year")
        if year and not (cleaned.get("title") or "").strip():
            cleaned["title"] = services.default_title(year)
            self.instance.title = cleaned["title"]
        if cleaned.get("copy_previous") and year:
            try:
                self.previous = services.plan_to_copy(year)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def validate_unique(self):
        # The year is unique per municipality (a constraint the form cannot see, as the
        # municipality is not one of its fields).
        super().validate_unique()
        year = self.cleaned_data.get("year")
        if year and "year" not in self.errors:
            clash = AnnualPlan.objects.filter(year=year).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "year", _("The municipality already has a plan for %(year)s.") % {"year": year}
                )


# --- Criteria ----------------------------------------------------------------------------------


class CriterionForm(TenantModelForm):
    class Meta(TenantModelForm.Meta):
        model = Criterion
        fields = ["name", "description", "weight", "lower_is_better", "position"]
        labels = {"position": _("Order")}
        widgets = {
            "weight": forms.NumberInput(attrs={"min": 0, "max": 100, "inputmode": "numeric"}),
            "position": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        }


class CriterionFormSet(BaseInlineFormSet):
    """The plan's criteria. Their weights must not add up to zero."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs.setdefault("class", "form-checkbox")

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not (self.can_delete and self._should_delete_form(form))
        ]
        if not kept:
            raise ValidationError(_("A plan needs at least one criterion."), code="none")
        if sum(form.cleaned_data.get("weight") or 0 for form in kept) <= 0:
            raise ValidationError(services.ZERO_WEIGHTS, code="zero_weights")


def criterion_formset(extra: int = EXTRA_CRITERIA):
    return inlineformset_factory(
        AnnualPlan,
        Criterion,
        form=CriterionForm,
        formset=CriterionFormSet,
        formfield_callback=tenant_formfield,
        extra=extra,
        can_delete=True,
        max_num=MAX_CRITERIA,
        validate_max=True,
    )


# --- Entries -----------------------------------------------------------------------------------


class EntryForm(TenantModelForm):
    """An effort in the plan: from a project, from a proposal, or in free text."""

    class Meta(TenantModelForm.Meta):
        model = PlanEntry
        fields = [
            "project",
            "proposal",
            "title",
            "description",
            "responsible",
            "unit",
            "hours",
            "amount",
        ]
        field_classes = {"amount": DanishDecimalField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "project": QuickSelect,
            "proposal": QuickSelect,
            "responsible": QuickSelect,
            "unit": QuickSelect,
        }
        help_texts = {
            "project": _("An effort for a project of the portfolio."),
            "proposal": _("Or an effort for a reported need or idea."),
            "title": _("Leave it empty to use the name of the project or proposal."),
            "hours": _("Empty: the proposal's estimate, or 0."),
            "amount": _("In kroner, e.g. 250.000. Empty: the proposal's estimate, or 0."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        self.fields["title"].required = False
        self.fields["hours"].required = False
        self.fields["amount"].required = False
        projects = Project.objects.filter(
            ~Q(phase=Phase.CLOSED) | Q(pk=instance.project_id)
        ).order_by()
        proposals = Proposal.objects.filter(
            ~Q(status=ProposalStatus.REJECTED) | Q(pk=instance.proposal_id)
        ).order_by()
        people = active_persons(instance.responsible_id).order_by()
        units = OrgUnit.objects.order_by()
        self._set_choices("project", projects, "name", _("– no project –"))
        self._set_choices("proposal", proposals, "title", _("– no proposal –"))
        self._set_choices("responsible", people, "name", _("– nobody yet –"))
        self._set_choices("unit", units, "name", _("– no unit –"))

    def _set_choices(self, name, queryset, label_field, empty):
        field = self.fields[name]
        field.queryset = queryset
        field.widget.choices = named_choices(queryset.values_list("pk", label_field), empty)

    def clean(self):
        cleaned = super().clean()
        project, proposal = cleaned.get("project"), cleaned.get("proposal")
        try:
            title = services.entry_title(cleaned.get("title"), project, proposal)
        except ValidationError as error:
            title = ""
            if "title" not in self.errors:
                self.add_error(None, error)
        cleaned["title"] = self.instance.title = title
        if cleaned.get("hours") is None and "hours" not in self.errors:
            cleaned["hours"] = (proposal.estimated_hours if proposal else None) or 0
            self.instance.hours = cleaned["hours"]
        if cleaned.get("amount") is None and "amount" not in self.errors:
            cleaned["amount"] = (proposal.estimated_amount if proposal else None) or 0
            self.instance.amount = cleaned["amount"]
        return cleaned


class RankForm(forms.Form):
    """A rank set by hand, with the reason. An empty rank gives the entry back its computed
    rank."""

    rank_override = forms.IntegerField(
        label=_("Rank set by hand"),
        required=False,
        min_value=1,
        max_value=32767,
        help_text=_("Leave it empty to use the computed rank."),
    )
    rank_reason = forms.CharField(
        label=_("Reason for the rank set by hand"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("rank_override") is not None
            and not (cleaned.get("rank_reason") or "").strip()
        ):
            self.add_error("rank_reason", _("Give the reason for setting the rank by hand."))
        return cleaned


# --- The scoring grid --------------------------------------------------------------------------


def score_choices():
    return [("", "–")] + [(str(v), str(v)) for v in range(SCORE_MIN, SCORE_MAX + 1)]


def _score_options(selected: str) -> str:
    return "\n".join(
        f'<option value="{value}"{" selected" if value == selected else ""}>{label}</option>'
        for value, label in score_choices()
    )


# The options of a score cell for each value it can show: a draft plan of København has
# 1,800 cells, and the grid is the page's whole cost.
SCORE_OPTIONS = {value: _score_options(value) for value, _label in score_choices()}


class ScoreSelect(forms.Widget):
    """A score cell: a select of "–" and 1–5 made from `SCORE_OPTIONS` (the same markup as
    `forms.Select`); any other value shows as "–"."""

    def __init__(self, attrs=None):
        super().__init__({"class": "form-select plan-score", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value is None else str(value)
        attributes = flat_attributes(self.build_attrs(self.attrs, attrs))
        options = SCORE_OPTIONS.get(chosen, SCORE_OPTIONS[""])
        return mark_safe(f'<select name="{escape(name)}"{attributes}>\n{options}\n</select>')


class ScoreField(forms.Field):
    """A score from 1 to 5, or none. Anything else (a tampered POST) gets an error that names
    the entry and the criterion."""

    widget = ScoreSelect

    def __init__(self, *, entry, criterion, **kwargs):
        self.entry, self.criterion = entry, criterion
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            number = None
        if number is None or not SCORE_MIN <= number <= SCORE_MAX:
            raise ValidationError(services.score_error(self.entry, self.criterion), code="range")
        return number


def cell_name(entry_id: int, criterion_id: int) -> str:
    return f"score-{entry_id}-{criterion_id}"


class ScoreGridForm(forms.Form):
    """Every entry × every criterion of a plan in one form. Only the cells posted are
    changed; an empty cell removes the score."""

    def __init__(self, *args, view: "services.PlanView", **kwargs):
        super().__init__(*args, **kwargs)
        self.view = view
        self.rows = []
        for ranked in sorted(view.ranked, key=lambda r: (r.entry.position, r.entry.pk)):
            cells = []
            for criterion, value in zip(view.criteria, ranked.values, strict=True):
                name = cell_name(ranked.entry.pk, criterion.pk)
                self.fields[name] = ScoreField(
                    entry=ranked.entry, criterion=criterion, initial=value
                )
                cells.append(name)
            self.rows.append((ranked, cells))

    def grid(self):
        """[(ranked, [the cell's <td>])] for the template: each cell's label, error and select
        written here, as the template wrote them, once per cell and not through a template."""
        label = gettext("Score of “%(entry)s” on “%(criterion)s”")
        return [
            (
                ranked,
                [
                    self._cell(
                        self[name], label % {"entry": ranked.entry.title, "criterion": c.name}
                    )
                    for name, c in zip(cells, self.view.criteria, strict=True)
                ],
            )
            for ranked, cells in self.rows
        ]

    @staticmethod
    def _cell(field, label: str) -> str:
        error = ""
        if field.errors:
            error = (
                f'<span class="form-error-message" id="{field.auto_id}_error">'
                f"{''.join(escape(e) for e in field.errors)}</span>"
            )
        opening = '<td class="form-error">' if error else "<td>"
        return mark_safe(
            f"{opening}{error}"
            f'<label class="sr-only" for="{field.id_for_label}">{escape(label)}</label>'
            f"{field}</td>"
        )

    def values(self) -> dict[tuple[int, int], int | None]:
        """{(entry id, criterion id): value} of the cells posted."""
        result = {}
        for name, value in self.cleaned_data.items():
            if name not in self.data:
                continue
            _prefix, entry_id, criterion_id = name.split("-")
            result[(int(entry_id), int(criterion_id))] = value
        return result


# --- States ------------------------------------------------------------------------------------


class DecisionForm(forms.Form):
    """Point to the meeting decision behind a state change."""

    decision = forms.TypedChoiceField(
        label=_("Meeting decision"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Decisions in approved minutes that you may read, newest first."),
        widget=QuickSelect,
    )

    def __init__(self, *args, decisions, field_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.decisions = {item.pk: item for item in decisions}
        field = self.fields["decision"]
        if field_label:
            field.label = field_label
        field.choices = [("", _("– choose the decision –"))] + [
            (str(item.pk), services.decision_label(item)) for item in decisions
        ]
        style_fields(self)

    def clean_decision(self):
        pk = self.cleaned_data.get("decision")
        return self.decisions.get(pk) if pk is not None else None


class ApproveForm(DecisionForm):
    over_capacity_reason = forms.CharField(
        label=_("Reason for allocating more than the capacity"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Needed when the entries are allocated more hours or kroner than the plan has."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=services.REASON_MAX,
        help_text=_("Recorded in the plan's history. At most 100 characters."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


# --- Progress ----------------------------------------------------------------------------------


class ProgressForm(forms.Form):
    progress = forms.ChoiceField(label=_("Progress"), choices=Progress.choices)
    progress_note = forms.CharField(
        label=_("Note on the progress"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    progress_updated_on = forms.DateField(label=_("As of"), widget=_date_widget())

    def __init__(self, *args, entry: PlanEntry, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "progress": entry.progress,
                "progress_note": entry.progress_note,
                "progress_updated_on": timezone.localdate(),
            },
        )
        super().__init__(*args, **kwargs)
        style_fields(self)
