from django import forms
from django.db.models import Q
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import TenantModelForm, tenant_formfield
from core.models import User
from organisation.models import (
    Body,
    BodyStatus,
    CompositionRule,
    Mandate,
    Membership,
    OrgUnit,
    Person,
)


class OrgUnitForm(TenantModelForm):
    class Meta(TenantModelForm.Meta):
        model = OrgUnit
        fields = ["name", "kind", "parent"]


class PersonForm(TenantModelForm):
    class Meta(TenantModelForm.Meta):
        model = Person
        fields = ["name", "title", "unit", "email", "user", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Logins are not a scoped model: offer only this municipality's, not yet linked.
        self.fields["user"].queryset = User.objects.filter(
            Q(person__isnull=True) | Q(pk=self.instance.user_id),
            municipality_id=self.instance.municipality_id,
        ).order_by("username")


# What describes a body, as the page and the API write it (closing it is a step of its own).
BODY_FIELDS = [
    "name",
    "short_name",
    "kind",
    "parent",
    "purpose",
    "organisation",
    "cadence",
    "meetings_per_year",
    "cross_cutting",
    "external",
    "established_on",
    "minutes_approval",
    "minutes_approval_days",
]


class BodyForm(TenantModelForm):
    class Meta(TenantModelForm.Meta):
        model = Body
        fields = BODY_FIELDS
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 5}),
            "organisation": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["parent"].queryset = Body.objects.exclude(pk=self.instance.pk)


class CloseBodyForm(forms.Form):
    closed_on = forms.DateField(
        label=_("Closed on"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-input"}, format="%Y-%m-%d"),
    )
    closing_summary = forms.CharField(
        label=_("Closing summary"),
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-input"}),
        help_text=_("What the group achieved and where its work continues."),
    )

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body

    def clean_closed_on(self):
        closed_on = self.cleaned_data["closed_on"]
        if closed_on > timezone.localdate():
            raise forms.ValidationError(_("A body cannot be closed on a date in the future."))
        if self.body.established_on and closed_on < self.body.established_on:
            raise forms.ValidationError(_("A body cannot close before it was established."))
        return closed_on


class MembershipForm(TenantModelForm):
    class Meta(TenantModelForm.Meta):
        model = Membership
        fields = ["person", "role", "start", "end", "note"]

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.body = body
        self.fields["person"].queryset = Person.objects.filter(active=True)
        if not self.instance.pk:
            self.initial.setdefault("start", timezone.localdate())


class MembershipEditForm(TenantModelForm):
    class Meta(TenantModelForm.Meta):
        model = Membership
        fields = ["role", "start", "end", "note"]


class BodyStatusForm(TenantModelForm):
    class Meta(TenantModelForm.Meta):
        model = BodyStatus
        fields = ["date", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.body = body
        self.initial.setdefault("date", timezone.localdate())


class MandateForm(TenantModelForm):
    class Meta(TenantModelForm.Meta):
        model = Mandate
        fields = [
            "title",
            "purpose",
            "duties",
            "composition",
            "cadence",
            "meetings_per_year",
            "plan_role",
            "approved_by",
            "approved_on",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 5}),
            "duties": forms.Textarea(attrs={"rows": 6}),
            "composition": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.body = body


class CompositionRuleForm(TenantModelForm):
    class Meta(TenantModelForm.Meta):
        model = CompositionRule
        fields = ["description", "role", "min_count", "unit", "title_contains"]


def composition_rule_formset(extra: int):
    """The formset of a new mandate's composition rules, with `extra` rows to fill in."""
    return inlineformset_factory(
        Mandate,
        CompositionRule,
        form=CompositionRuleForm,
        formfield_callback=tenant_formfield,
        extra=extra,
        can_delete=False,
    )
