"""Forms of the risk register: a risk, its escalation and the register's filters.

Rules live on `Risk.clean` and in `portfolio.services.escalate_risk`; these forms collect
input. Probability and impact are radio groups 1–5; a tampered value (0, 7, "x") gets the
model's own message instead of a generic choice error.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.forms import FilterFormMixin, IntFilterField, TenantModelForm, style_fields
from core.widgets import QuickSelect, named_choices
from organisation.models import Body, BodyKind
from portfolio.forms.projects import active_bodies, active_persons
from portfolio.models import Risk, RiskStatus

# The labels of the 1–5 scale, for probability and impact alike.
SCALE = [
    (1, _("Very low")),
    (2, _("Low")),
    (3, _("Moderate")),
    (4, _("High")),
    (5, _("Very high")),
]
SCALE_LABELS = dict(SCALE)

# The register's status filter: empty is the default, the risks still alive.
ACTIVE = ""
ALL = "all"
ACTIVE_STATUSES = [RiskStatus.OPEN, RiskStatus.MITIGATING]
PORTFOLIO_ONLY = "portefoelje"


def scale_choices():
    """(1, "1 Very low") …, translated when shown (not when the module is imported)."""
    return [(value, format_lazy("{} {}", value, label)) for value, label in SCALE]


class ScaleField(forms.Field):
    """A value from 1 to 5 chosen in a radio group. Anything else, whatever was posted,
    gets the model's message ("The probability must be from 1 to 5.")."""

    widget = forms.RadioSelect

    def __init__(self, *, noun, **kwargs):
        self.noun = noun
        kwargs.setdefault("error_messages", {"required": _("Choose the %(field)s.")})
        super().__init__(**kwargs)
        self.widget.choices = scale_choices()

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            number = None
        if number is None or not 1 <= number <= 5:
            raise ValidationError(
                _("The %(field)s must be from 1 to 5.") % {"field": self.noun}, code="range"
            )
        return number

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(
                self.error_messages["required"] % {"field": self.noun}, code="required"
            )


class RiskForm(TenantModelForm):
    """A risk of a project, or of the whole portfolio when `project` is None."""

    probability = ScaleField(label=_("Probability"), noun=_("probability"))
    impact = ScaleField(label=_("Impact"), noun=_("impact"))

    class Meta(TenantModelForm.Meta):
        model = Risk
        fields = [
            "title",
            "description",
            "probability",
            "impact",
            "owner",
            "mitigation",
            "status",
            "identified_on",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "mitigation": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "mitigation": _("What is done to make the risk less likely or less harmful."),
        }

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.project = project
            if project is not None:
                self.instance.municipality_id = project.municipality_id
        self.fields["owner"].queryset = active_persons(self.instance.owner_id)
        for name in ("probability", "impact"):
            self.fields[name].widget.attrs["class"] = "form-radio"
        self.fields["probability"].help_text = _(
            "How likely is it that the risk happens? 1 very low – 5 very high."
        )
        self.fields["impact"].help_text = _(
            "How much harm does it do if it happens? 1 very low – 5 very high."
        )


def default_body(risk: Risk, bodies) -> Body | None:
    """The project's governing body; for a portfolio risk the steering group, if any."""
    if risk.project_id and risk.project.body_id:
        return next((b for b in bodies if b.pk == risk.project.body_id), None)
    return next((b for b in bodies if b.kind == BodyKind.STEERING_GROUP), None)


class EscalateForm(forms.Form):
    """The body the risk goes to: a select of the active bodies."""

    body = forms.TypedChoiceField(
        label=_("Escalate to"),
        coerce=int,
        help_text=_("The risk becomes a case in the body's backlog for its next agenda."),
    )

    def __init__(self, *args, risk: Risk, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = list(active_bodies())
        self.bodies = {b.pk: b for b in bodies}
        field = self.fields["body"]
        field.choices = [("", _("– choose a body –"))] + [(str(b.pk), b.name) for b in bodies]
        if not self.is_bound:
            chosen = default_body(risk, bodies)
            field.initial = str(chosen.pk) if chosen else ""
        style_fields(self)

    def clean_body(self) -> Body:
        return self.bodies[self.cleaned_data["body"]]


# --- Filters ---------------------------------------------------------------------------------


class RiskFilterForm(FilterFormMixin, forms.Form):
    """The register's filters: the GET parameters projekt, status, ejer, eskaleret,
    min_score, sandsynlighed and konsekvens (the last two are a heat map cell)."""

    blank_as_none = True

    projekt = forms.ChoiceField(label=_("Project"), required=False, widget=QuickSelect)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        widget=QuickSelect,
        choices=[(ACTIVE, _("Open and being mitigated")), *RiskStatus.choices, (ALL, _("All"))],
    )
    ejer = IntFilterField(label=_("Owner"))
    eskaleret = forms.ChoiceField(
        label=_("Escalated"),
        required=False,
        widget=QuickSelect,
        choices=[("", _("Escalated or not")), ("ja", _("Escalated")), ("nej", _("Not escalated"))],
    )
    min_score = forms.IntegerField(
        label=_("Minimum score"),
        required=False,
        min_value=1,
        max_value=25,
        widget=forms.NumberInput(attrs={"min": 1, "max": 25}),
    )
    sandsynlighed = IntFilterField(
        label=_("Probability"),
        choices=[("", _("All"))] + scale_choices(),
    )
    konsekvens = IntFilterField(
        label=_("Impact"),
        choices=[("", _("All"))] + scale_choices(),
    )

    def __init__(self, *args, projects, owners, **kwargs):
        """`projects` and `owners`: (pk, name) pairs, e.g. `values_list("pk", "name")`."""
        super().__init__(*args, **kwargs)
        everything, *projects = named_choices(projects, _("All projects and the portfolio"))
        self.fields["projekt"].choices = [
            everything,
            (PORTFOLIO_ONLY, _("Portfolio risks only")),
            *projects,
        ]
        self.fields["ejer"].choices = named_choices(owners, _("All owners"))
        style_fields(self)

    def project_id(self) -> int | None:
        """The project chosen, if one is (not the portfolio's own risks)."""
        chosen = self.value("projekt")
        return int(chosen) if chosen and chosen != PORTFOLIO_ONLY else None

    def filter(self, risks, *, cell: bool = True):
        """The risks that match the filters; `cell=False` leaves out the heat map cell."""
        project = self.value("projekt")
        if project == PORTFOLIO_ONLY:
            risks = risks.filter(project__isnull=True)
        elif project:
            risks = risks.filter(project_id=int(project))
        status = self.value("status")
        if status in RiskStatus.values:
            risks = risks.filter(status=status)
        elif status != ALL:
            risks = risks.filter(status__in=ACTIVE_STATUSES)
        if (owner := self.value("ejer")) is not None:
            risks = risks.filter(owner_id=owner)
        escalated = self.value("eskaleret")
        if escalated == "ja":
            risks = risks.filter(escalated_to__isnull=False)
        elif escalated == "nej":
            risks = risks.filter(escalated_to__isnull=True)
        if (minimum := self.value("min_score")) is not None:
            risks = risks.filter(score_value__gte=minimum)
        if cell:
            if (probability := self.value("sandsynlighed")) is not None:
                risks = risks.filter(probability=probability)
            if (impact := self.value("konsekvens")) is not None:
                risks = risks.filter(impact=impact)
        return risks
