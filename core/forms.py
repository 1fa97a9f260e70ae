"""Form base classes: every foreign key to a tenant model is scoped to the municipality."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import models
from django_scopes.forms import SafeModelChoiceField, SafeModelMultipleChoiceField

from core.models import TenantModel, current_municipality_id


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
            field.widget.attrs.setdefault("class", _css_class(field))

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


def _css_class(field: forms.Field) -> str:
    widget = field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "form-checkbox"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-input"
