"""Form base classes: every foreign key to a tenant model is scoped to the municipality."""

from django import forms
from django.contrib.auth.forms import BaseUserCreationForm
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField, SafeModelMultipleChoiceField

from core.models import Role, TenantModel, User, current_municipality_id


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
