"""Form base classes: every foreign key to a tenant model is scoped to the municipality;
numbers are typed the Danish way ("1.250.000", "12,5")."""

import re
from decimal import Decimal

from django import forms
from django.contrib.auth.forms import BaseUserCreationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField, SafeModelMultipleChoiceField

from core.models import AuditKind, Role, TenantModel, TokenScope, User, current_municipality_id
from core.widgets import QuickSelect


def tenant_formfield(db_field: models.Field, **kwargs):
    """Model fields pointing to tenant models become choice fields filled at form creation."""
    remote = getattr(db_field, "related_model", None)
    if remote is not None and issubclass(remote, TenantModel):
        if isinstance(db_field, models.ManyToManyField):
            kwargs["form_class"] = SafeModelMultipleChoiceField
        else:
            kwargs["form_class"] = SafeModelChoiceField
    if isinstance(db_field, models.DateField):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    return db_field.formfield(**kwargs)


class TenantModelForm(forms.ModelForm):
    """A model form for a tenant model. Its choices come from the active municipality only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.municipality_id is None:
            self.instance.municipality_id = current_municipality_id()
        for name, field in self.fields.items():
            if isinstance(field, SafeModelChoiceField | SafeModelMultipleChoiceField):
                model_field = self._meta.model._meta.get_field(name)
                field.queryset = model_field.related_model.objects.all()
        style_fields(self)

    class Meta:
        formfield_callback = tenant_formfield

    def _update_errors(self, errors):
        """Model rules about fields the form does not show (the body a member is added to)
        become errors of the whole form instead of crashing it."""
        if hasattr(errors, "error_dict"):
            for name in list(errors.error_dict):
                if name != NON_FIELD_ERRORS and name not in self.fields:
                    errors.error_dict.setdefault(NON_FIELD_ERRORS, []).extend(
                        errors.error_dict.pop(name)
                    )
        super()._update_errors(errors)


class FilterFormMixin:
    """A GET filter form: `value(name)` is a field's cleaned value, or None when the form is
    unbound or the field is invalid. `blank_as_none` also turns "" into None;
    `falsy_as_none` turns every false value (0, "", [], False) into None."""

    blank_as_none = False
    falsy_as_none = False

    def value(self, name):
        """The cleaned value of a field, or None when it is empty or invalid."""
        if not self.is_bound:
            return None
        self.is_valid()
        value = self.cleaned_data.get(name) if name not in self.errors else None
        if self.falsy_as_none and not value:
            return None
        if self.blank_as_none and value == "":
            return None
        return value


class IntFilterField(forms.TypedChoiceField):
    """A filter's select of a whole number (a row's id, a step of a scale) as a GET parameter:
    optional, None when empty, a quick-select list. The form gives the choices (for rows
    `core.widgets.named_choices`)."""

    widget = QuickSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(coerce=int, empty_value=None, **kwargs)


def add_validation_errors(
    form: forms.BaseForm, error: ValidationError, field_names: dict[str, str] | None = None
) -> None:
    """A rule's ValidationError shown on the form: at its field, else for the whole form.
    `field_names` maps a model field's name to the form field that shows its errors."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            if field_names:
                field = field_names.get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def style_fields(form: forms.BaseForm) -> None:
    """Give every widget the design system's class (form-input, form-select, form-checkbox)."""
    for field in form.fields.values():
        field.widget.attrs.setdefault("class", _css_class(field))


def _css_class(field: forms.Field) -> str:
    widget = field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "form-checkbox"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-input"


class UserCreateForm(BaseUserCreationForm):
    """A new login in the administrator's own municipality, with a role."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role"]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality
        style_fields(self)


class UserEditForm(forms.ModelForm):
    """Role and status of a login. An administrator cannot take their own rights away."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "role", "is_active"]

    def __init__(self, *args, acting_user, **kwargs):
        super().__init__(*args, **kwargs)
        self.acting_user = acting_user
        style_fields(self)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk == self.acting_user.pk:
            if cleaned.get("role") != Role.ADMINISTRATOR:
                self.add_error("role", _("You cannot remove your own administrator role."))
            if not cleaned.get("is_active"):
                self.add_error("is_active", _("You cannot deactivate your own login."))
        return cleaned


# --- Danish numbers -----------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_DIGITS = re.compile(r"\d+")


def parse_danish_decimal(text: str) -> str | None:
    """The canonical form ("1250000.5") of a number typed the Danish way, or None when it is
    not a number.

    "1.250.000" → "1250000", "12,5" → "12.5", "1.250.000,50" → "1250000.50". A lone "."
    followed by other than three digits is a decimal point typed the English way ("12.5"),
    since no Dane groups thousands like that. Spaces between groups are allowed. Danish in
    either UI language, as every amount on the pages is shown the Danish way
    (`core.charts.format_number`): what a user reads is what they type.
    """
    text = _SPACES.sub("", str(text)).replace("\u2212", "-")
    sign = ""
    if text and text[0] in "+-":
        sign, text = ("-" if text[0] == "-" else ""), text[1:]
    whole, separator, fraction = text.partition(",")
    if "." in whole:
        groups = whole.split(".")
        if not separator and len(groups) == 2 and len(groups[1]) != 3:
            whole, separator, fraction = groups[0], ".", groups[1]
        elif 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
            whole = "".join(groups)
        else:
            return None
    if not _DIGITS.fullmatch(whole) or (separator and not _DIGITS.fullmatch(fraction)):
        return None
    return f"{sign}{whole}.{fraction}" if separator else f"{sign}{whole}"


def format_danish_decimal(value) -> str:
    """1250000 → "1.250.000", 12.50 → "12,5": the number the Danish way, exact (no rounding),
    so it can be typed back."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}".replace(",", ".")
    whole, fraction = f"{abs(value.normalize()):f}".split(".")
    sign = "-" if value < 0 else ""
    return f"{sign}{int(whole):,}".replace(",", ".") + "," + fraction


class DanishDecimalInput(forms.TextInput):
    """A text field (type=number refuses "1.250.000") that shows numbers the Danish way and
    brings up the numeric keyboard on phones."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal | int | float):
            return format_danish_decimal(value)
        return super().format_value(value)


class DanishDecimalField(forms.DecimalField):
    """A decimal field that takes numbers with thousands separators: "1.250.000" or "12,5"."""

    widget = DanishDecimalInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            canonical = parse_danish_decimal(value)
            if canonical is None:
                raise ValidationError(_("Enter a number, e.g. 1.250.000 or 12,5."), code="invalid")
            value = canonical
        return super().to_python(value)

    def widget_attrs(self, widget):
        # No min/max/step attributes: the input is text, not type=number.
        return {}


# --- Date and time inputs -----------------------------------------------------------------


def date_input() -> forms.DateInput:
    """The browser's date picker, with the value as it expects it (ISO)."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def time_input() -> forms.TimeInput:
    """The browser's time picker, hours and minutes."""
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


# --- API keys and the security log ------------------------------------------------------------

TOKEN_LIFETIMES = [(30, _("30 days")), (90, _("90 days")), (180, _("180 days")), (365, _("1 year"))]


class ApiTokenForm(forms.Form):
    """A new API key: what it is for, what it may do and how long it lives."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the key is for, e.g. the integration that uses it."),
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=TokenScope.choices, initial=TokenScope.READ)
    days = forms.TypedChoiceField(
        label=_("Valid for"), choices=TOKEN_LIFETIMES, coerce=int, initial=90
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(_("Give the key a name."), code="required")
        return name


class AuditFilterForm(FilterFormMixin, forms.Form):
    """The security log's filters: event, username and a period."""

    blank_as_none = True

    kind = forms.ChoiceField(
        label=_("Event"), required=False, choices=[("", _("All events")), *AuditKind.choices]
    )
    username = forms.CharField(label=_("Username"), required=False, max_length=150)
    start = forms.DateField(label=_("From"), required=False, widget=date_input())
    end = forms.DateField(label=_("To"), required=False, widget=date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def filter(self, events):
        if self.value("kind"):
            events = events.filter(kind=self.value("kind"))
        if self.value("username"):
            events = events.filter(username__icontains=self.value("username").strip())
        if self.value("start"):
            events = events.filter(at__date__gte=self.value("start"))
        if self.value("end"):
            events = events.filter(at__date__lte=self.value("end"))
        return events
