"""The body's publication settings."""

from core.forms import TenantModelForm
from publication.models import BodyPublication


class BodyPublicationForm(TenantModelForm):
    class Meta(TenantModelForm.Meta):
        model = BodyPublication
        fields = ["publishes", "days_before", "show_closed_reason"]
