"""Forms of the meetings pages. Rules live on the models and in `meetings.services`;
the forms only collect and present the input."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.collation import Danish
from core.forms import TenantModelForm, add_validation_errors, date_input, style_fields, time_input
from meetings import services
from meetings.models import (
    AgendaItem,
    AttendanceStatus,
    FollowUp,
    Meeting,
    Outcome,
)
from organisation.models import EXTERNAL_NO_MEETINGS, Body, OrgUnit, Person

# How many meetings the year plan offers at most in one go.
MAX_PLANNED = 12


class RevisionField(forms.IntegerField):
    """The revision the form was opened from, for optimistic locking (never shown)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=0, **kwargs)


class MeetingForm(TenantModelForm):
    """Plan a meeting (with a body to choose) or change its date, time and place."""

    class Meta(TenantModelForm.Meta):
        model = Meeting
        fields = ["body", "date", "start", "end", "place", "title"]
        widgets = {"start": time_input(), "end": time_input()}
        help_texts = {"title": _("Leave empty to use the name of the body.")}

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A meeting stays with its body.
            del self.fields["body"]
        else:
            self.fields["body"].queryset = bodies.order_by(Danish("name"))

    def clean(self):
        cleaned = super().clean()
        try:
            services.check_start(self.instance, cleaned.get("start"))
        except ValidationError as error:
            add_validation_errors(self, error)
        return cleaned


class PlanYearForm(forms.Form):
    """Several meetings of one body at once: all are created, or none."""

    start = forms.TimeField(label=_("Start"), initial=datetime.time(9, 0), widget=time_input())
    end = forms.TimeField(label=_("End"), required=False, widget=time_input())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args, body: Body, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body
        self.date_names = []
        for n in range(1, count + 1):
            name = f"date_{n}"
            self.fields[name] = forms.DateField(
                label=_("Date of meeting %(n)d") % {"n": n}, required=False, widget=date_input()
            )
            self.date_names.append(name)
        style_fields(self)

    def date_fields(self):
        return [self[name] for name in self.date_names]

    def other_fields(self):
        return [self[name] for name in ("start", "end", "place")]

    def clean(self):
        """Build (not save) one meeting per date; each is validated like a single one."""
        cleaned = super().clean()
        self.meetings = []
        if self.errors:
            return cleaned
        if self.body.external:
            raise ValidationError(EXTERNAL_NO_MEETINGS)
        dates = [(name, cleaned[name]) for name in self.date_names if cleaned.get(name)]
        if not dates:
            raise ValidationError(_("Give the date of at least one meeting."))
        existing = set(
            Meeting.objects.filter(
                body=self.body, date__in=[day for _name, day in dates]
            ).values_list("date", flat=True)
        )
        seen, shared_errors = set(), set()
        for name, day in dates:
            if day in seen:
                self.add_error(name, _("The date is given twice."))
                continue
            seen.add(day)
            if day in existing:
                self.add_error(name, _("The body already has a meeting on this date."))
                continue
            meeting = Meeting(
                municipality_id=self.body.municipality_id,
                body=self.body,
                date=day,
                start=cleaned["start"],
                end=cleaned.get("end"),
                place=cleaned.get("place", ""),
            )
            try:
                meeting.full_clean()
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    if field in {"start", "end", "place"}:
                        # The same for every date: say it once, at the field.
                        if field not in shared_errors:
                            shared_errors.add(field)
                            self.add_error(field, messages)
                    else:
                        self.add_error(name, messages)
                continue
            self.meetings.append(meeting)
        return cleaned


class AgendaItemForm(TenantModelForm):
    """An item of the agenda: what is treated, how long, by whom, open or closed."""

    revision = RevisionField()

    class Meta(TenantModelForm.Meta):
        model = AgendaItem
        fields = [
            "title",
            "kind",
            "duration",
            "case",
            "guests",
            "other_guests",
            "closed",
            "closed_reason",
            "case_text",
            "recommendation",
        ]
        widgets = {
            "case_text": forms.Textarea(attrs={"rows": 5}),
            "recommendation": forms.Textarea(attrs={"rows": 3}),
            "guests": forms.SelectMultiple(attrs={"size": 6}),
            "other_guests": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "guests": _("People who take part while this item is treated."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guests"].queryset = Person.objects.filter(active=True).order_by(Danish("name"))
        self.fields["case"].queryset = self.fields["case"].queryset.order_by("-created_on", "-pk")


class MinutesForm(TenantModelForm):
    """The minutes of one item: the decision and what became of the item."""

    revision = RevisionField()

    class Meta(TenantModelForm.Meta):
        model = AgendaItem
        fields = ["outcome", "decision"]
        widgets = {"decision": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(value, label) for value, label in Outcome.choices]
        if not self.instance.case_id:
            choices = [(v, label) for v, label in choices if v != Outcome.FORWARDED]
        self.fields["outcome"].choices = choices


class FollowUpForm(TenantModelForm):
    """“X følger op”: what, who (a person or a unit) and by when."""

    class Meta(TenantModelForm.Meta):
        model = FollowUp
        fields = ["description", "owner", "owner_unit", "due_date"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, item: AgendaItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.item = item
        self.instance.body_id = item.meeting.body_id
        self.fields["owner"].queryset = Person.objects.filter(active=True).order_by(Danish("name"))
        self.fields["owner_unit"].queryset = OrgUnit.objects.order_by(Danish("name"))
        self.fields["owner"].help_text = _("A person or a unit follows up.")


class AttendanceForm(forms.Form):
    """Who was there: one choice and a note per member and guest of the meeting."""

    def __init__(self, *args, people: list[Person], current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for person in people:
            status, note = current.get(person.pk, (AttendanceStatus.PRESENT, ""))
            status_name, note_name = f"status_{person.pk}", f"note_{person.pk}"
            self.fields[status_name] = forms.ChoiceField(
                label=_("Attendance of %(name)s") % {"name": person.name},
                choices=AttendanceStatus.choices,
                initial=status,
            )
            self.fields[note_name] = forms.CharField(
                label=_("Note on %(name)s") % {"name": person.name},
                max_length=200,
                required=False,
                initial=note,
            )
            self.rows.append((person, status_name, note_name))
        style_fields(self)

    def bound_rows(self):
        return [(person, self[s], self[n]) for person, s, n in self.rows]

    def entries(self):
        return [
            (person, self.cleaned_data[s], self.cleaned_data[n].strip())
            for person, s, n in self.rows
        ]


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown with the new version of the minutes."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
