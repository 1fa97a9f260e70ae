"""Forms of proposals: the list's filters, a proposal, its status, and making it a project.

Rules live on the model (`Proposal.clean`) and in `planning.proposals.services`; these forms
collect input. Every choice of a related row comes from the active municipality only.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DanishDecimalField, FilterFormMixin, TenantModelForm, style_fields
from core.widgets import QuickSelect, named_choices
from organisation.models import OrgUnit
from planning.models import Proposal, ProposalSource, ProposalStatus
from planning.proposals.services import MANUAL_STATUSES, MAX_HOURS
from portfolio.forms.projects import active_bodies, active_persons
from portfolio.models import Category, Project


class ProposalFilterForm(FilterFormMixin, forms.Form):
    """The list's filters as GET parameters (status, kilde, enhed). An invalid value is
    ignored and shown as an error on its field."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        widget=QuickSelect,
        choices=[("", _("All statuses")), *ProposalStatus.choices],
    )
    kilde = forms.ChoiceField(
        label=_("Reported by"),
        required=False,
        widget=QuickSelect,
        choices=[("", _("All sources")), *ProposalSource.choices],
    )
    enhed = forms.TypedChoiceField(
        label=_("Unit"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enhed"].choices = named_choices(units, _("All units"))
        style_fields(self)

    def filter(self, proposals):
        if status := self.value("status"):
            proposals = proposals.filter(status=status)
        if source := self.value("kilde"):
            proposals = proposals.filter(source=source)
        if (unit_id := self.value("enhed")) is not None:
            proposals = proposals.filter(unit_id=unit_id)
        return proposals


class ProposalForm(TenantModelForm):
    """A need or an idea: what, from whom, and what it would bring."""

    estimated_amount = DanishDecimalField(
        label=_("Estimated cost (kr.)"),
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=0,
    )
    estimated_hours = forms.IntegerField(
        label=_("Estimated hours"),
        required=False,
        min_value=0,
        max_value=MAX_HOURS,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    class Meta(TenantModelForm.Meta):
        model = Proposal
        fields = [
            "title",
            "source",
            "body",
            "unit",
            "contact",
            "received_on",
            "description",
            "expected_benefit",
            "estimated_hours",
            "estimated_amount",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "expected_benefit": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        self.fields["body"].queryset = active_bodies(instance.body_id)
        self.fields["contact"].queryset = active_persons(instance.contact_id)
        self.fields["unit"].queryset = OrgUnit.objects.order_by("name")
        style_fields(self)


class ProposalStatusForm(TenantModelForm):
    """The assessment: the status and a note (the reason, when the proposal is rejected)."""

    class Meta(TenantModelForm.Meta):
        model = Proposal
        fields = ["status", "status_note"]
        widgets = {"status_note": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = MANUAL_STATUSES


class MakeProjectForm(forms.Form):
    """The project a proposal becomes: its name (the proposal's title unless changed) and its
    category. It starts in the phase Idea, owned by the proposal's unit."""

    name = forms.CharField(
        label=_("Project name"), max_length=Project._meta.get_field("name").max_length
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("Choose the category")), *Category.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
