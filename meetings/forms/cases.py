"""Forms for cases and their routes, attachments, follow-ups and the decision log filters.

Rules live on the models (`clean`) and in `meetings.uploads`; these forms collect input.
"""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.collation import Danish
from core.forms import FilterFormMixin, TenantModelForm, date_input, style_fields
from documents import scan
from meetings import services, uploads
from meetings.models import (
    ALLOWED_ATTACHMENT_EXTENSIONS,
    Attachment,
    Case,
    FollowUp,
    ItemKind,
)
from organisation.models import Body, OrgUnit, Person

# Empty rows offered after the route's current steps.
ROUTE_EXTRA_ROWS = 3
# The longest route a case can have.
ROUTE_MAX_STEPS = 20


# --- Cases -------------------------------------------------------------------------------


class CaseForm(TenantModelForm):
    class Meta(TenantModelForm.Meta):
        model = Case
        fields = ["number", "title", "description", "status", "closed"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"number": _("E.g. “24/12345”, as in the case management system.")}


class RouteForm(forms.Form):
    """The route (sagsgang): one select per step, in order; empty rows are skipped.

    Selects are what a keyboard user handles best: Tab to a step, type the body's name.
    """

    def __init__(self, *args, bodies, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The administration's bodies, then those outside it (the political treatment).
        internal = [(str(b.pk), b.name) for b in bodies if not b.external]
        external = [(str(b.pk), b.name) for b in bodies if b.external]
        choices = [("", _("– no body –"))]
        if external:
            choices += [(_("The administration"), internal), (_("Political treatment"), external)]
        else:
            choices += internal
        self.bodies = {b.pk: b for b in bodies}
        self.kept = [step.body_id for step in steps]
        rows = min(len(steps) + ROUTE_EXTRA_ROWS, ROUTE_MAX_STEPS)
        if self.is_bound:
            # Keep as many rows as were posted (within limits), so nothing typed is lost.
            posted = sum(1 for key in self.data if key.startswith(self.add_prefix("step_")))
            rows = max(min(posted, ROUTE_MAX_STEPS), rows)
        for index in range(rows):
            initial = str(steps[index].body_id) if index < len(steps) else ""
            self.fields[f"step_{index}"] = forms.TypedChoiceField(
                label=_("Step %(number)d") % {"number": index + 1},
                choices=choices,
                coerce=int,
                required=False,
                empty_value=None,
                initial=initial,
            )
        style_fields(self)

    def clean(self):
        cleaned = super().clean()
        route = [cleaned.get(name) for name in self.fields]
        route = [body_id for body_id in route if body_id]
        if any(self.has_error(name) for name in self.fields):
            return cleaned  # a step names an unknown body: that error says it all
        bodies = [self.bodies[body_id] for body_id in route]
        services.check_route(bodies, self.kept)
        self.route = bodies
        return cleaned


def route_bodies(current_ids=()):
    """Bodies a route may name: the active ones, and those already on the route."""
    today = timezone.localdate()
    return list(
        Body.objects.filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=today) | Q(pk__in=list(current_ids))
        ).order_by(Danish("name"))
    )


# --- Attachments ------------------------------------------------------------------------


class AttachmentForm(TenantModelForm):
    """Title, numbers, open or closed, and a file (required for a new attachment; on an
    existing one a new file is a new version). The file is checked (`meetings.uploads`) and
    scanned for viruses (`documents.scan`); `user` is who uploads it, for the log."""

    upload = forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.FileInput(
            attrs={"accept": ",".join(f".{e}" for e in sorted(ALLOWED_ATTACHMENT_EXTENSIONS))}
        ),
    )

    class Meta(TenantModelForm.Meta):
        model = Attachment
        fields = ["title", "number", "document_number", "journal_number", "closed", "closed_reason"]

    def __init__(self, *args, item, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.instance.item = item
        self.instance.municipality_id = item.municipality_id
        upload = self.fields["upload"]
        if self.instance.pk:
            upload.label = _("New version of the file")
            upload.help_text = _(
                "Optional. The current file is kept in the history. Allowed: %(allowed)s, "
                "at most %(max)d MB."
            ) % {"allowed": uploads.allowed_list(), "max": _max_mb()}
        else:
            upload.required = True
            upload.help_text = _("Allowed: %(allowed)s, at most %(max)d MB.") % {
                "allowed": uploads.allowed_list(),
                "max": _max_mb(),
            }
        self.content_type = ""

    def error_lists(self) -> dict[str, list[str]]:
        """The errors by the names the API and the meeting import give the fields: the file
        is `file`; `__all__` is the attachment as a whole."""
        return {
            ("file" if name == "upload" else name): list(errors)
            for name, errors in self.errors.items()
        }

    @property
    def meeting_locked(self) -> bool:
        """The minutes of the item's meeting are approved: nothing more is attached."""
        return self.instance.item.meeting.minutes_locked

    def clean_upload(self):
        uploaded = self.cleaned_data.get("upload")
        if uploaded:
            self.content_type = uploads.check_upload(uploaded)
            scan.check_clean(uploaded, user=self.user, sender=type(self))
        return uploaded


def _max_mb() -> int:
    from django.conf import settings

    return settings.ATTACHMENT_MAX_MB


# --- Follow-ups -------------------------------------------------------------------------


class FollowUpEditForm(TenantModelForm):
    """Status, note, due date and owner. The owner alone (no editor) gets status and note."""

    class Meta(TenantModelForm.Meta):
        model = FollowUp
        fields = ["status", "note", "due_date", "owner", "owner_unit"]
        widgets = {"note": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, full: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not full:
            for name in ("due_date", "owner", "owner_unit"):
                del self.fields[name]
        else:
            self.fields["owner"].queryset = Person.objects.filter(
                Q(active=True) | Q(pk=self.instance.owner_id)
            ).order_by(Danish("name"))
            self.fields["owner_unit"].queryset = OrgUnit.objects.order_by(Danish("name"))


# --- Filters ----------------------------------------------------------------------------


class _FilterForm(FilterFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class DecisionFilterForm(_FilterForm):
    """The decision log's filters: the GET parameters organ, fra, til, type and q."""

    q = forms.CharField(label=_("Search the decisions"), required=False)
    organ = forms.TypedChoiceField(label=_("Body"), required=False, coerce=int, empty_value=None)
    fra = forms.DateField(label=_("From"), required=False, widget=date_input())
    til = forms.DateField(label=_("To"), required=False, widget=date_input())
    type = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds"))] + [c for c in ItemKind.choices if c[0] != ItemKind.BREAK],
    )

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].choices = [("", _("All bodies"))] + [
            (str(b.pk), b.name) for b in bodies
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("fra"), cleaned.get("til")
        if start and end and start > end:
            self.add_error("til", _("The end of the period is before its start."))
            del cleaned["fra"]  # an inconsistent period is not used at all
        return cleaned


class FollowUpFilterForm(_FilterForm):
    """Follow-up list filters: organ and status (open, overdue, done, all)."""

    STATUS_CHOICES = [
        ("open", _("Open")),
        ("overdue", _("Overdue")),
        ("done", _("Done")),
        ("all", _("All")),
    ]
    organ = forms.TypedChoiceField(label=_("Body"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].choices = [("", _("All bodies"))] + [
            (str(b.pk), b.name) for b in bodies
        ]


def parse_status(value: str | None) -> str:
    return value if value in {"open", "overdue", "done", "all"} else "open"
