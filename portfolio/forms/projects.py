"""Forms for projects: the list's filters, the project card, milestones, budget, the gate, and
the strategy goals, focus areas and SDGs the project serves.

Rules live on the models (`clean`) and in `portfolio.services`; these forms collect input.
Every choice of a related row comes from the active municipality only (scoped managers).
"""

from django import forms
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.collation import Danish
from core.forms import (
    DanishDecimalField,
    FilterFormMixin,
    IntFilterField,
    TenantModelForm,
    date_input,
    style_fields,
    tenant_formfield,
)
from core.widgets import QuickSelect, named_choices
from organisation.models import Body, OrgUnit, Person
from portfolio import services
from portfolio.models import (
    BudgetYear,
    Category,
    Milestone,
    Phase,
    Project,
    ReportCycle,
)
from strategy.models import SDG, FocusArea, Goal

# Empty rows offered under the milestones and budget years, and the most a page may ask for.
EXTRA_ROWS = 3
MAX_EXTRA_ROWS = 30
MAX_ROWS = 200


def active_bodies(current_id: int | None = None):
    """Bodies a row may name (a project's governing body, where a risk is escalated to): the
    open ones, and the one it already has."""
    today = timezone.localdate()
    return Body.objects.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=today) | Q(pk=current_id)
    ).order_by(Danish("name"))


def active_persons(*current_ids):
    """Active people, and those the row already names (so an edit does not lose them)."""
    wanted = [pk for pk in current_ids if pk]
    return Person.objects.filter(Q(active=True) | Q(pk__in=wanted)).order_by(Danish("name"))


# --- Filters -----------------------------------------------------------------------------------


class ProjectFilterForm(FilterFormMixin, forms.Form):
    """The project list's filters, as GET parameters (q, kategori, fase, enhed, organ, maal,
    fyrtaarn, kombit, status). An invalid value is ignored and shown as an error on its field."""

    STATUS_ACTIVE = "aktive"
    STATUS_CLOSED = "afsluttede"
    STATUS_ALL = "alle"
    STATUS_CHOICES = [
        (STATUS_ACTIVE, _("Active")),
        (STATUS_CLOSED, _("Closed")),
        (STATUS_ALL, _("All")),
    ]

    q = forms.CharField(label=_("Name or number"), required=False, max_length=200)
    kategori = forms.ChoiceField(
        label=_("Category"),
        required=False,
        widget=QuickSelect,
        choices=[("", _("All categories")), *Category.choices],
    )
    fase = forms.ChoiceField(
        label=_("Phase"),
        required=False,
        widget=QuickSelect,
        choices=[("", _("All phases")), *Phase.choices],
        help_text=_("A chosen phase overrides active / closed."),
    )
    enhed = IntFilterField(label=_("Owning unit"))
    organ = IntFilterField(label=_("Governing body"))
    maal = IntFilterField(label=_("Strategy goal"))
    status = forms.ChoiceField(
        label=_("Show"), required=False, choices=STATUS_CHOICES, widget=QuickSelect
    )
    fyrtaarn = forms.BooleanField(label=_("Only lighthouse projects"), required=False)
    kombit = forms.BooleanField(label=_("Only KOMBIT projects"), required=False)

    def __init__(self, *args, units, bodies, goals=(), **kwargs):
        """`units` and `bodies`: (pk, name) pairs, e.g. `values_list("pk", "name")`; `goals`:
        the strategy goals, (pk, label) pairs in their strategies' order."""
        super().__init__(*args, **kwargs)
        self.fields["enhed"].choices = named_choices(units, _("All units"))
        self.fields["organ"].choices = named_choices(bodies, _("All bodies"))
        self.fields["maal"].choices = [
            ("", _("All goals")),
            *((str(pk), label) for pk, label in goals),
        ]
        style_fields(self)

    def filter(self, projects):
        """The projects that match the filters; active ones when nothing else is asked."""
        if query := (self.value("q") or "").strip():
            projects = projects.filter(Q(name__icontains=query) | Q(code__icontains=query))
        if category := self.value("kategori"):
            projects = projects.filter(category=category)
        if phase := self.value("fase"):
            projects = projects.filter(phase=phase)
        else:
            status = self.value("status") or self.STATUS_ACTIVE
            if status == self.STATUS_ACTIVE:
                projects = projects.exclude(phase=Phase.CLOSED)
            elif status == self.STATUS_CLOSED:
                projects = projects.filter(phase=Phase.CLOSED)
        if (unit_id := self.value("enhed")) is not None:
            projects = projects.filter(owning_unit_id=unit_id)
        if (body_id := self.value("organ")) is not None:
            projects = projects.filter(body_id=body_id)
        if (goal_id := self.value("maal")) is not None:
            projects = projects.filter(goals=goal_id)
        if self.value("fyrtaarn"):
            projects = projects.filter(lighthouse=True)
        if self.value("kombit"):
            projects = projects.filter(kombit=True)
        return projects


# --- The project card --------------------------------------------------------------------------


class ProjectForm(TenantModelForm):
    """The card: facts and the start document. The phase changes only through the gate."""

    report_cycle = forms.TypedChoiceField(
        label=capfirst(Project._meta.get_field("report_cycle").verbose_name),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "Leave it at “By the governing body”: projects governed by a Project Board "
            "report every 14 days, others quarterly."
        ),
    )

    class Meta(TenantModelForm.Meta):
        model = Project
        fields = [
            "name",
            "code",
            "category",
            "kombit",
            "lighthouse",
            "owning_unit",
            "owner",
            "leader",
            "body",
            "start_date",
            "end_date",
            "report_cycle",
            "purpose",
            "scope",
            "deliverables",
            "success_criteria",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "scope": forms.Textarea(attrs={"rows": 4}),
            "deliverables": forms.Textarea(attrs={"rows": 4}),
            "success_criteria": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "kombit": _("Only for national / joint-municipal projects."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        self.fields["report_cycle"].choices = [
            ("", _("By the governing body")),
            *ReportCycle.choices,
        ]
        if instance.pk is None:
            self.initial.setdefault("report_cycle", "")
        self.fields["owning_unit"].queryset = OrgUnit.objects.order_by(Danish("name"))
        people = active_persons(instance.owner_id, instance.leader_id)
        self.fields["owner"].queryset = people
        self.fields["leader"].queryset = people
        self.fields["body"].queryset = active_bodies(instance.body_id)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("report_cycle") is None and "report_cycle" not in self.errors:
            cleaned["report_cycle"] = services.report_cycle_for(cleaned.get("body"))
            # A select left out of the POST keeps the model default otherwise.
            self.instance.report_cycle = cleaned["report_cycle"]
        return cleaned


# --- Milestones and budget ---------------------------------------------------------------------


class MilestoneForm(TenantModelForm):
    class Meta(TenantModelForm.Meta):
        model = Milestone
        fields = ["title", "due_date", "done_on"]


class BudgetYearForm(TenantModelForm):
    class Meta(TenantModelForm.Meta):
        model = BudgetYear
        fields = ["year", "planned", "spent"]
        # Amounts as Danes type them: "1.250.000"; shown back the same way.
        field_classes = {"planned": DanishDecimalField, "spent": DanishDecimalField}


class RowsFormSet(BaseInlineFormSet):
    """A project's rows; the delete box of each row looks like the design system's."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs.setdefault("class", "form-checkbox")


class BudgetFormSet(RowsFormSet):
    """Budget years of a project: one row per year."""

    def get_unique_error_message(self, unique_check):
        if "year" in unique_check:
            return _("A year can appear only once in the budget. Give each year one row.")
        return super().get_unique_error_message(unique_check)


def milestone_formset(extra: int = EXTRA_ROWS):
    return inlineformset_factory(
        Project,
        Milestone,
        form=MilestoneForm,
        formset=RowsFormSet,
        formfield_callback=tenant_formfield,
        extra=extra,
        can_delete=True,
        max_num=MAX_ROWS,
        validate_max=True,
    )


def budget_formset(extra: int = EXTRA_ROWS):
    return inlineformset_factory(
        Project,
        BudgetYear,
        form=BudgetYearForm,
        formset=BudgetFormSet,
        formfield_callback=tenant_formfield,
        extra=extra,
        can_delete=True,
        max_num=MAX_ROWS,
        validate_max=True,
    )


# --- The gate ----------------------------------------------------------------------------------


class PhaseChangeForm(forms.Form):
    """Move a project to another phase, perhaps pointing to the meeting decision behind it."""

    to_phase = forms.ChoiceField(label=_("New phase"), choices=Phase.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=date_input())
    decision = forms.TypedChoiceField(
        label=_("Meeting decision"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Decisions of approved minutes, newest first."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, project: Project, decisions, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("decided_on", timezone.localdate())
        kwargs["initial"].setdefault("to_phase", _next_phase(project.phase))
        super().__init__(*args, **kwargs)
        self.project = project
        self.decisions = {item.pk: item for item in decisions}
        self.fields["decision"].choices = [("", _("– no decision –"))] + [
            (str(item.pk), decision_label(item)) for item in decisions
        ]
        style_fields(self)

    def clean_decision(self):
        pk = self.cleaned_data.get("decision")
        return self.decisions.get(pk) if pk is not None else None


def decision_label(item) -> str:
    """“Styregruppen 15-05-2024: Office 365”."""
    meeting = item.meeting
    return f"{meeting.body.name} {meeting.date:%d-%m-%Y}: {item.title}"


def _next_phase(phase: str) -> str:
    order = list(Phase.values)
    index = order.index(phase) if phase in order else 0
    return order[min(index + 1, len(order) - 1)]


# --- What the project serves -------------------------------------------------------------------


class _Choices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class GoalChoices(_Choices):
    def label_from_instance(self, goal):
        return str(goal)


class CatalogueChoices(_Choices):
    def label_from_instance(self, row):
        return f"{row.number}. {row.label if isinstance(row, SDG) else row.name}"


class ProjectLinksForm(forms.Form):
    """The goals (of the municipality's strategies), focus areas and SDGs a project serves.
    Every goal offered comes from the active municipality only (the scoped manager), so a goal
    of another municipality sent by hand is "not one of the available choices"."""

    goals = GoalChoices(label=_("Strategy goals"), required=False, queryset=Goal.objects.none())
    focus_areas = CatalogueChoices(
        label=_("KL focus areas"), required=False, queryset=FocusArea.objects.none()
    )
    sdgs = CatalogueChoices(
        label=_("Sustainable Development Goals"), required=False, queryset=SDG.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = Goal.objects.select_related("strategy").order_by(
            "-strategy__start_year", "strategy__title", "strategy_id", "position", "pk"
        )
        self.fields["focus_areas"].queryset = FocusArea.objects.order_by("number")
        self.fields["sdgs"].queryset = SDG.objects.order_by("number")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-checkbox"

    def goal_groups(self) -> list[dict]:
        """The goal checkboxes grouped by their strategy, in the order of the choices."""
        groups: list[dict] = []
        for checkbox in self["goals"]:
            strategy = checkbox.data["value"].instance.strategy
            if not groups or groups[-1]["strategy"].pk != strategy.pk:
                groups.append({"strategy": strategy, "checkboxes": []})
            groups[-1]["checkboxes"].append(checkbox)
        return groups
