"""Shared pieces of the REST API: tenant scoping, the role permission and model validation."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django_scopes import scope
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError


class TenantViewSetMixin:
    """Activates the municipality scope once DRF has authenticated the request.

    Session users already have a scope from the middleware; token users are only known
    here. Every queryset below goes through the scoped default manager.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        user = request.user
        if user and user.is_authenticated and user.municipality_id:
            request.municipality = user.municipality
            self._tenant_scope = scope(municipality=user.municipality_id)
            self._tenant_scope.__enter__()

    def finalize_response(self, request, response, *args, **kwargs):
        tenant_scope = getattr(self, "_tenant_scope", None)
        if tenant_scope is not None:
            self._tenant_scope = None
            tenant_scope.__exit__(None, None, None)
        return super().finalize_response(request, response, *args, **kwargs)


class TenantModelViewSet(TenantViewSetMixin, viewsets.ModelViewSet):
    """A model viewset over a tenant model; `change_permission` guards writes."""

    change_permission = "organisation.change"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]


class ModelCleanSerializer(serializers.ModelSerializer):
    """Runs the model's own `full_clean()` so the API enforces the same rules as the forms."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = self.instance if self.instance is not None else model()
        for name, value in attrs.items():
            field = model._meta.get_field(name)
            if field.many_to_many:
                continue
            setattr(instance, name, value)
        request = self.context.get("request")
        if instance.municipality_id is None and request is not None:
            instance.municipality_id = request.user.municipality_id
        try:
            instance.full_clean(exclude=self.clean_exclude())
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
        return attrs

    def clean_exclude(self) -> list[str]:
        return []
