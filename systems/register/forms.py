"""Forms of the register: the list's filters, a usage (with its system: an existing one of
the catalogue or a new one, and its supplier), a contract, a data processing agreement, a
supervision, an assessment (with its document, checked and scanned as every upload), a
project link, and sending a duty to a body's list.

The rules are the models' `clean()` and the services'; these forms collect input. A row
read from KITOS shows the fields KITOS owns disabled (`systems.kitos.owned`): they are
changed in KITOS, and a posted value for one is ignored.
"""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.collation import Danish
from core.forms import (
    DanishDecimalField,
    FilterFormMixin,
    IntFilterField,
    TenantModelForm,
    style_fields,
)
from core.widgets import QuickSelect, named_choices
from documents import scan
from meetings.uploads import check_upload
from organisation.models import Body, BodyKind, OrgUnit, Person
from portfolio.models import Project
from systems.kitos.owned import kitos_owned_fields
from systems.models import (
    Assessment,
    Contract,
    Criticality,
    DataProcessingAgreement,
    Hosting,
    Lifecycle,
    PersonalData,
    Supervision,
    Supplier,
    System,
    SystemProject,
    SystemUsage,
)
from systems.register.services import NONE, personal_data_filter


def _active_people(*current_ids):
    wanted = [pk for pk in current_ids if pk]
    return Person.objects.filter(Q(active=True) | Q(pk__in=wanted)).order_by(Danish("name"))


def _open_bodies(*current_ids):
    today = timezone.localdate()
    wanted = [pk for pk in current_ids if pk]
    return Body.objects.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=today) | Q(pk__in=wanted)
    ).order_by(Danish("name"))


class KitosFormMixin:
    """Disable the fields KITOS owns when the row comes from KITOS; `kitos_fields` names
    them for the page."""

    def disable_kitos_fields(self):
        self.kitos_fields = []
        if not getattr(self.instance, "kitos_uuid", None):
            return
        for name in kitos_owned_fields(self.instance):
            if name in self.fields:
                self.fields[name].disabled = True
                self.fields[name].required = False
                self.kitos_fields.append(name)


# --- Filters -------------------------------------------------------------------------------------

FLAGGED = "ja"


class UsageFilterForm(FilterFormMixin, forms.Form):
    """The register's filters as GET parameters: q, kritikalitet, livscyklus, persondata,
    organ, enhed, ejer, drift, flag. An invalid value is ignored and shown at its field."""

    blank_as_none = True

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kritikalitet = forms.ChoiceField(label=_("Business criticality"), required=False)
    livscyklus = forms.ChoiceField(label=_("Lifecycle"), required=False)
    persondata = forms.ChoiceField(label=_("Personal data"), required=False)
    drift = forms.ChoiceField(label=_("Where it runs"), required=False)
    organ = IntFilterField(label=_("Governing body"))
    enhed = IntFilterField(label=_("Responsible unit"))
    ejer = IntFilterField(label=_("System owner"))
    flag = forms.ChoiceField(
        label=_("Attention"),
        required=False,
        choices=[("", _("All systems")), (FLAGGED, _("Only those needing attention"))],
    )

    def __init__(self, *args, bodies, units, owners, **kwargs):
        """`bodies`, `units`, `owners`: (pk, name) pairs."""
        super().__init__(*args, **kwargs)
        self.fields["kritikalitet"].choices = [("", _("All")), *Criticality.choices]
        self.fields["livscyklus"].choices = [("", _("All")), *Lifecycle.choices]
        self.fields["persondata"].choices = [
            ("", _("All")),
            (NONE, _("None")),
            *PersonalData.choices,
        ]
        self.fields["drift"].choices = [("", _("All")), *Hosting.choices]
        self.fields["organ"].choices = named_choices(bodies, _("All bodies"))
        self.fields["enhed"].choices = named_choices(units, _("All units"))
        self.fields["ejer"].choices = named_choices(owners, _("All owners"))
        for name in ("kritikalitet", "livscyklus", "persondata", "drift", "flag"):
            self.fields[name].widget = QuickSelect(choices=self.fields[name].choices)
        style_fields(self)

    def flagged_only(self) -> bool:
        return self.value("flag") == FLAGGED

    def filter(self, rows):
        text = (self.value("q") or "").strip()
        if text:
            rows = rows.filter(Q(local_name__icontains=text) | Q(system__name__icontains=text))
        if criticality := self.value("kritikalitet"):
            rows = rows.filter(criticality=criticality)
        if lifecycle := self.value("livscyklus"):
            rows = rows.filter(lifecycle=lifecycle)
        if kind := self.value("persondata"):
            rows = rows.filter(personal_data_filter(kind))
        if hosting := self.value("drift"):
            rows = rows.filter(hosting=hosting)
        if (body := self.value("organ")) is not None:
            rows = rows.filter(body_id=body)
        if (unit := self.value("enhed")) is not None:
            rows = rows.filter(responsible_unit_id=unit)
        if (owner := self.value("ejer")) is not None:
            rows = rows.filter(owner_id=owner)
        return rows


# --- A usage ---------------------------------------------------------------------------------------


class UsageForm(KitosFormMixin, TenantModelForm):
    """A row of the register. Its system is chosen from the catalogue, or a new one is named
    (with a supplier of the list, or a new supplier)."""

    personal_data = forms.MultipleChoiceField(
        label=_("Personal data"),
        choices=PersonalData.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The kinds of personal data it holds; none when none is chosen."),
    )
    new_system = forms.CharField(
        label=_("Or a new system"),
        required=False,
        max_length=300,
        help_text=_("The name of a system not yet in the list: it is added to it."),
    )
    new_system_supplier = forms.ModelChoiceField(
        label=_("Supplier of the new system"),
        queryset=Supplier.objects.none(),
        required=False,
    )
    new_supplier = forms.CharField(
        label=_("Or a new supplier"),
        required=False,
        max_length=300,
        help_text=_("The name of a supplier not yet in the list: it is added to it."),
    )
    annual_cost = DanishDecimalField(
        label=_("Annual cost (kr.)"), required=False, max_digits=14, decimal_places=2, min_value=0
    )

    class Meta(TenantModelForm.Meta):
        model = SystemUsage
        fields = [
            "system",
            "local_name",
            "purpose",
            "owner",
            "responsible_unit",
            "body",
            "criticality",
            "personal_data",
            "hosting",
            "lifecycle",
            "annual_cost",
            "risk_assessment_months",
            "note",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    field_order = [
        "system",
        "new_system",
        "new_system_supplier",
        "new_supplier",
        "local_name",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        usage = self.instance
        self.fields["system"].required = False
        self.fields["system"].queryset = System.objects.select_related("supplier").order_by(
            Danish("name"), "pk"
        )
        self.fields["system"].label_from_instance = lambda s: (
            f"{s.name} ({s.supplier.name})" if s.supplier_id else s.name
        )
        self.fields["new_system_supplier"].queryset = Supplier.objects.order_by(
            Danish("name"), "pk"
        )
        self.fields["owner"].queryset = _active_people(usage.owner_id)
        self.fields["body"].queryset = _open_bodies(usage.body_id)
        self.fields["responsible_unit"].queryset = OrgUnit.objects.order_by(Danish("name"))
        self.initial.setdefault("personal_data", list(usage.personal_data or []))
        style_fields(self)
        self.fields["personal_data"].widget.attrs.pop("class", None)
        self.disable_kitos_fields()
        if self.kitos_fields:
            for name in ("new_system", "new_system_supplier", "new_supplier"):
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        new_system = (cleaned.get("new_system") or "").strip()
        cleaned["new_system"] = new_system
        cleaned["new_supplier"] = (cleaned.get("new_supplier") or "").strip()
        if "system" in self.fields and not self.fields["system"].disabled:
            if cleaned.get("system") and new_system:
                self.add_error(
                    "new_system", _("Choose a system of the list or name a new one, not both.")
                )
            elif not cleaned.get("system") and not new_system and "system" not in self.errors:
                self.add_error("system", _("Choose the system, or name a new one."))
        if cleaned.get("new_system_supplier") and cleaned["new_supplier"]:
            self.add_error(
                "new_supplier", _("Choose a supplier of the list or name a new one, not both.")
            )
        if (cleaned.get("new_system_supplier") or cleaned["new_supplier"]) and not new_system:
            self.add_error(
                "new_system", _("A supplier is given for a new system: name the new system.")
            )
        return cleaned

    def _get_validation_exclusions(self):
        # A new system is made by the service: the model's check of `system` waits for it.
        excluded = super()._get_validation_exclusions()
        if self.cleaned_data.get("new_system"):
            excluded.add("system")
        return excluded


# --- Contracts and agreements --------------------------------------------------------------------


def _usage_choices():
    return SystemUsage.objects.select_related("system").order_by(Danish("system__name"), "pk")


class ContractForm(KitosFormMixin, TenantModelForm):
    value = DanishDecimalField(
        label=_("Value (kr.)"), required=False, max_digits=14, decimal_places=2, min_value=0
    )

    class Meta(TenantModelForm.Meta):
        model = Contract
        fields = ["name", "usages", "supplier", "start", "end", "notice_months", "value", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "notice_months": _("How many months before its end notice must be given."),
            "usages": _("The systems the contract covers."),
        }

    def __init__(self, *args, usage: SystemUsage | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["usages"].queryset = _usage_choices()
        self.fields["usages"].widget.attrs["size"] = 8
        self.fields["supplier"].queryset = Supplier.objects.order_by(Danish("name"), "pk")
        if usage is not None and self.instance.pk is None and not self.is_bound:
            self.initial["usages"] = [usage.pk]
            if usage.system.supplier_id:
                self.initial["supplier"] = usage.system.supplier_id
        self.disable_kitos_fields()


class AgreementForm(KitosFormMixin, TenantModelForm):
    class Meta(TenantModelForm.Meta):
        model = DataProcessingAgreement
        fields = [
            "name",
            "usages",
            "processor",
            "sub_processors",
            "concluded_on",
            "third_countries",
            "transfer_basis",
            "supervision_months",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"usages": _("The systems whose personal data the processor handles.")}

    def __init__(self, *args, usage: SystemUsage | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        suppliers = Supplier.objects.order_by(Danish("name"), "pk")
        self.fields["usages"].queryset = _usage_choices()
        self.fields["processor"].queryset = suppliers
        self.fields["sub_processors"].queryset = suppliers
        for name in ("usages", "sub_processors"):
            self.fields[name].widget.attrs["size"] = 8
        if usage is not None and self.instance.pk is None and not self.is_bound:
            self.initial["usages"] = [usage.pk]
            if usage.system.supplier_id:
                self.initial["processor"] = usage.system.supplier_id
        self.disable_kitos_fields()

    def clean(self):
        cleaned = super().clean()
        processor = cleaned.get("processor")
        if processor is not None and processor in (cleaned.get("sub_processors") or []):
            self.add_error("sub_processors", _("The processor is not its own sub-processor."))
        return cleaned


class SupervisionForm(TenantModelForm):
    class Meta(TenantModelForm.Meta):
        model = Supervision
        fields = ["done_on", "method", "outcome", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, agreement: DataProcessingAgreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.agreement = agreement
        self.instance.municipality_id = agreement.municipality_id


# The documents an assessment may carry.
DOCUMENT_EXTENSIONS = ("pdf", "docx", "xlsx", "odt")


class AssessmentForm(TenantModelForm):
    """A risk assessment, DPIA or yearly review of a system, with its document (checked for
    type, size and content, and scanned for viruses). `user` is who uploads it."""

    upload = forms.FileField(
        label=_("Document"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ",".join(f".{e}" for e in DOCUMENT_EXTENSIONS)}),
    )

    class Meta(TenantModelForm.Meta):
        model = Assessment
        fields = ["kind", "done_on", "outcome", "next_due", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, usage: SystemUsage, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.instance.usage = usage
        self.instance.municipality_id = usage.municipality_id
        self.fields["upload"].help_text = _(
            "Optional. %(allowed)s; a new file replaces the one it has."
        ) % {"allowed": ", ".join(f".{e}" for e in DOCUMENT_EXTENSIONS)}
        style_fields(self)

    def clean_upload(self):
        uploaded = self.cleaned_data.get("upload")
        if not isinstance(uploaded, UploadedFile):
            return None
        if uploaded.name.rsplit(".", 1)[-1].lower() not in DOCUMENT_EXTENSIONS:
            raise forms.ValidationError(
                _("Upload a document of one of these types: %(allowed)s.")
                % {"allowed": ", ".join(f".{e}" for e in DOCUMENT_EXTENSIONS)},
                code="extension",
            )
        check_upload(uploaded)  # size and content: a .pdf must be a PDF
        scan.check_clean(uploaded, user=self.user, sender=type(self))
        return uploaded

    def save(self, commit=True):
        assessment = super().save(commit=False)
        if self.cleaned_data.get("upload"):
            assessment.document = self.cleaned_data["upload"]
        if commit:
            assessment.save()
        return assessment


class ProjectLinkForm(TenantModelForm):
    class Meta(TenantModelForm.Meta):
        model = SystemProject
        fields = ["project", "effect", "note"]

    def __init__(self, *args, usage: SystemUsage, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.usage = usage
        self.instance.municipality_id = usage.municipality_id
        self.fields["project"].queryset = Project.objects.order_by(Danish("name"), "pk")

    def clean_project(self):
        project = self.cleaned_data.get("project")
        usage = self.instance.usage
        if (
            project is not None
            and SystemProject.objects.filter(usage=usage, project=project)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise forms.ValidationError(_("The project is already linked to the system."))
        return project


# --- Sending a duty to a body's list ----------------------------------------------------------------


class DutyEscalateForm(forms.Form):
    """Which of the usage's flagged duties, and the body whose next agenda it goes to."""

    duty = forms.ChoiceField(label=_("Duty"))
    body = forms.TypedChoiceField(
        label=_("Send to"),
        coerce=int,
        help_text=_("The duty becomes a case in the body's list for its next agenda."),
    )

    def __init__(self, *args, duties, bodies, default_body=None, **kwargs):
        """`duties`: (key, label) pairs; `bodies`: the open bodies."""
        super().__init__(*args, **kwargs)
        self.bodies = {b.pk: b for b in bodies}
        self.fields["duty"].choices = [("", _("– choose a duty –")), *duties]
        self.fields["body"].choices = [("", _("– choose a body –"))] + [
            (str(b.pk), b.name) for b in bodies
        ]
        if default_body is not None and not self.is_bound:
            self.fields["body"].initial = str(default_body.pk)
        style_fields(self)

    def clean_body(self) -> Body:
        return self.bodies[self.cleaned_data["body"]]


def default_body(usage: SystemUsage, bodies, privacy=None) -> Body | None:
    """The system's governing body; else the IT security group; else the steering group."""
    by_pk = {b.pk: b for b in bodies}
    for pk in (usage.body_id, getattr(privacy, "security_body_id", None)):
        if pk in by_pk:
            return by_pk[pk]
    return next((b for b in bodies if b.kind == BodyKind.STEERING_GROUP), None)


def open_bodies():
    return _open_bodies()
