"""Forms of status reports and their escalation.

The rules live on `StatusReport.clean` (the overall colour, the period) and in
`portfolio.services` (needs a decision, escalation); these forms collect input.
"""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.collation import Danish
from core.forms import TenantModelForm, style_fields
from organisation.models import Body
from portfolio.models import COLOUR_FIELDS, Colour, Project, StatusReport, worst


def _radios():
    return forms.RadioSelect(attrs={"class": "form-radio"})


class StatusReportForm(TenantModelForm):
    """A new status report of `project`: period, five lights, the overall colour and texts."""

    class Meta(TenantModelForm.Meta):
        model = StatusReport
        fields = [
            "period_start",
            "period_end",
            *COLOUR_FIELDS,
            "overall",
            "override_reason",
            "progress",
            "next_steps",
            "barriers",
            "needs_decision",
            "decision_request",
        ]
        widgets = {
            **{name: _radios() for name in COLOUR_FIELDS},
            "overall": _radios(),
            "override_reason": forms.Textarea(attrs={"rows": 3}),
            "progress": forms.Textarea(attrs={"rows": 5}),
            "next_steps": forms.Textarea(attrs={"rows": 4}),
            "barriers": forms.Textarea(attrs={"rows": 4}),
            "decision_request": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"overall": _("Overall colour")}
        help_texts = {
            "overall": _("Choose another colour than the suggested one only with a reason."),
            "override_reason": _(
                "Required when the overall colour differs from the suggested one."
            ),
            "barriers": _("What stands in the project's way. They can be escalated to a body."),
        }

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.instance.municipality_id = project.municipality_id
        for name in COLOUR_FIELDS:
            self.fields[name].choices = list(Colour.choices)
        self.fields["overall"].choices = [
            ("", _("Suggested (the worst of the five)")),
            *Colour.choices,
        ]
        self.fields["overall"].required = False

    @property
    def colour_fields(self):
        return [self[name] for name in COLOUR_FIELDS]

    def suggested(self) -> str | None:
        """The worst of the five colours chosen so far (None while none is chosen)."""
        return suggested_colour(self.data if self.is_bound else {})


def suggested_colour(data) -> str | None:
    """The worst of the valid colours in `data` (a QueryDict or dict), None when none is given."""
    chosen = [data.get(name) for name in COLOUR_FIELDS]
    chosen = [c for c in chosen if c in Colour.values]
    return worst(*chosen) if chosen else None


def period_initial(
    project: Project, latest: StatusReport | None, today: datetime.date | None = None
) -> dict:
    """The next period: from the day after the latest report (else the project's start date,
    else today) for one report cycle."""
    if latest is not None:
        start = latest.period_end + datetime.timedelta(days=1)
    else:
        start = project.start_date or today or timezone.localdate()
    end = start + datetime.timedelta(days=project.report_cycle - 1)
    return {"period_start": start, "period_end": end}


class EscalateBarrierForm(forms.Form):
    """The body the report's barriers go to: one of the municipality's active bodies."""

    body = forms.ModelChoiceField(label=_("Body"), queryset=Body.objects.none())

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        field = self.fields["body"]
        field.queryset = Body.objects.active_on(today).order_by(Danish("name"))
        field.empty_label = _("– choose a body –")
        field.help_text = _("The barriers become a case in the body's backlog for its next agenda.")
        field.initial = default_body(project, today)
        style_fields(self)


def default_body(project: Project, today: datetime.date | None = None) -> int | None:
    """The governing body's parent if it is active, else the governing body itself."""
    today = today or timezone.localdate()
    body = project.body if project.body_id else None
    if body is None:
        return None
    parent = body.parent if body.parent_id else None
    if parent is not None and not _closed(parent, today):
        return parent.pk
    return None if _closed(body, today) else body.pk


def _closed(body: Body, today: datetime.date) -> bool:
    return body.closed_on is not None and body.closed_on <= today
