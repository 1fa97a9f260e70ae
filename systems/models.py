"""IT systems and data protection: the register a governing body needs, and the duties that
come with it.

- `System`: an IT system as the catalogue knows it (KITOS's national catalogue, or a local
  entry), kept per municipality. `Supplier`: who makes or runs it.
- `SystemUsage`: the municipality's use of a system, the heart of the register: system owner
  and responsible unit, the body that governs it, business criticality, the personal data it
  holds, where it runs, its lifecycle, its KLE task codes; linked to the projects that change
  it (`SystemProject`).
- `Contract` (start, end, notice, value) and `DataProcessingAgreement` (processors,
  sub-processors, third countries and the basis of the transfer, how often the processor is
  supervised) with their `Supervision`s; `Assessment`s of a usage (risk assessment, DPIA,
  the yearly review) with their result and next due date.
- `Breach`: a personal-data breach with the 72-hour clock. Its description, the persons and
  the data are closed content: only the data protection officer, the IT security body's
  members and administrators read them (`systems.see_breach`).
- `Privacy`: per municipality, who the data protection officer is and which body is the IT
  security group.
- `KleCode`: the national KLE task codes (a shared catalogue); on usages and on cases
  (`CaseTask`).

Fields that KITOS owns carry the KITOS uuid of their row (`kitos_uuid`); a row imported from
KITOS is read-only there (`from_kitos`).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import add_months
from core.fields import PlausibleDateField
from core.models import TenantModel
from meetings.models import Case
from organisation.models import Body, OrgUnit, Person
from portfolio.models import Project

# The deadline for notifying Datatilsynet of a breach (GDPR art. 33).
NOTIFY_WITHIN = datetime.timedelta(hours=72)
# The longest interval or notice period, in months: ten years.
MAX_MONTHS = 120


class KitosRow(TenantModel):
    """A row that may come from KITOS: its uuid there, and when it was last read."""

    kitos_uuid = models.UUIDField(_("KITOS uuid"), null=True, blank=True, editable=False)
    kitos_synced_at = models.DateTimeField(
        _("last read from KITOS"), null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True

    @property
    def from_kitos(self) -> bool:
        return self.kitos_uuid is not None


def _kitos_unique(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["municipality", "kitos_uuid"],
        condition=models.Q(kitos_uuid__isnull=False),
        name=f"{name}_kitos_uuid_unique",
    )


# --- The catalogue --------------------------------------------------------------------------


class KleCode(models.Model):
    """A KLE number (Kommunernes Landsforening's Emnesystematik): a main group (00), a group
    (00.01) or a task (00.01.00). A shared catalogue, read from KLE-online's XML."""

    class Level(models.IntegerChoices):
        MAIN_GROUP = 1, _("Main group")
        GROUP = 2, _("Group")
        TASK = 3, _("Task")

    number = models.CharField(
        _("KLE number"),
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^\d\d(\.\d\d){0,2}$", _("Write a KLE number as 00.01.00."))],
    )
    title = models.CharField(_("title"), max_length=300)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("KLE number")
        verbose_name_plural = _("KLE numbers")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Supplier(KitosRow):
    name = models.CharField(_("name"), max_length=300)
    cvr = models.CharField(
        _("CVR number"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^\d{8}$", _("A CVR number has 8 digits."))],
    )
    country = models.CharField(_("country"), max_length=100, blank=True, default="Danmark")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name", "pk"]
        constraints = [_kitos_unique("supplier")]

    def __str__(self) -> str:
        return self.name


class System(KitosRow):
    """An IT system: an entry of the national catalogue (KITOS) or a local one."""

    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    supplier = models.ForeignKey(
        Supplier,
        verbose_name=_("supplier"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="systems",
    )
    national = models.BooleanField(
        _("in the national catalogue"),
        default=False,
        help_text=_("A system many municipalities use, such as those of KOMBIT."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("IT system")
        verbose_name_plural = _("IT systems")
        ordering = ["name", "pk"]
        constraints = [_kitos_unique("system")]

    def __str__(self) -> str:
        return self.name


# --- The municipality's use of a system -------------------------------------------------------


class Criticality(models.TextChoices):
    """Business criticality: how badly the municipality is hit when the system is down."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class Hosting(models.TextChoices):
    ON_PREMISES = "on_premises", _("On premises")
    EXTERNAL = "external", _("At the supplier / in the cloud")
    UNKNOWN = "unknown", _("Not decided")


class Lifecycle(models.TextChoices):
    PREPARATION = "preparation", _("In preparation")
    IN_USE = "in_use", _("In use")
    PHASING_OUT = "phasing_out", _("Being phased out")
    ENDED = "ended", _("Ended")


class PersonalData(models.TextChoices):
    """The kinds of personal data a system holds (GDPR art. 6, 9 and 10, and CPR numbers)."""

    ORDINARY = "ordinary", _("Ordinary")
    SENSITIVE = "sensitive", _("Sensitive")
    CRIMINAL = "criminal", _("Criminal records")
    CPR = "cpr", _("CPR numbers")


class SystemUsage(KitosRow):
    """A system as the municipality uses it: one row of the register."""

    system = models.ForeignKey(
        System, verbose_name=_("IT system"), on_delete=models.PROTECT, related_name="usages"
    )
    local_name = models.CharField(
        _("local name"), max_length=300, blank=True, help_text=_("When it differs.")
    )
    purpose = models.TextField(_("what it is used for"), blank=True)
    owner = models.ForeignKey(
        Person,
        verbose_name=_("system owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_systems",
    )
    responsible_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("responsible unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="systems",
    )
    body = models.ForeignKey(
        Body,
        verbose_name=_("governing body"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="governed_systems",
        help_text=_("The body that follows the system's duties, e.g. the IT security group."),
    )
    criticality = models.CharField(
        _("business criticality"),
        max_length=20,
        choices=Criticality.choices,
        blank=True,
    )
    personal_data = models.JSONField(
        _("personal data"),
        default=list,
        blank=True,
        help_text=_("The kinds of personal data it holds; none when empty."),
    )
    hosting = models.CharField(
        _("where it runs"), max_length=20, choices=Hosting.choices, default=Hosting.UNKNOWN
    )
    lifecycle = models.CharField(
        _("lifecycle"), max_length=20, choices=Lifecycle.choices, default=Lifecycle.IN_USE
    )
    annual_cost = models.DecimalField(
        _("annual cost (kr.)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    risk_assessment_months = models.PositiveSmallIntegerField(
        _("risk assessment every (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MONTHS)],
    )
    kle_codes = models.ManyToManyField(
        KleCode, verbose_name=_("KLE task codes"), blank=True, related_name="usages"
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("system usage")
        verbose_name_plural = _("system usages")
        ordering = ["system__name", "pk"]
        constraints = [_kitos_unique("systemusage")]

    detail_url_name = "systems:usage_detail"

    def __str__(self) -> str:
        return self.local_name or self.system.name

    @property
    def name(self) -> str:
        return str(self)

    @property
    def holds_personal_data(self) -> bool:
        return bool(self.personal_data)

    def clean(self):
        errors = {}
        unknown = [kind for kind in self.personal_data or [] if kind not in PersonalData.values]
        if unknown:
            errors["personal_data"] = _("Unknown kinds of personal data: %(kinds)s.") % {
                "kinds": ", ".join(map(str, unknown))
            }
        for field in ("owner", "responsible_unit", "body"):
            related = getattr(self, field) if getattr(self, f"{field}_id") else None
            if (
                related is not None
                and self.municipality_id
                and (related.municipality_id != self.municipality_id)
            ):
                errors[field] = _("It belongs to another municipality.")
        if errors:
            raise ValidationError(errors)


class ProjectEffect(models.TextChoices):
    INTRODUCES = "introduces", _("Introduces it")
    CHANGES = "changes", _("Changes it")
    INTEGRATES = "integrates", _("Integrates with it")
    REPLACES = "replaces", _("Replaces it")
    PHASES_OUT = "phases_out", _("Phases it out")


class SystemProject(TenantModel):
    """A project that changes a system, and what it does to it."""

    tenant_parent = "usage"

    usage = models.ForeignKey(
        SystemUsage,
        verbose_name=_("system"),
        on_delete=models.CASCADE,
        related_name="project_links",
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="system_links"
    )
    effect = models.CharField(
        _("what the project does to it"),
        max_length=20,
        choices=ProjectEffect.choices,
        default=ProjectEffect.CHANGES,
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project of a system")
        verbose_name_plural = _("projects of systems")
        ordering = ["usage", "project__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["usage", "project"], name="systemproject_unique")
        ]

    def __str__(self) -> str:
        return f"{self.project} → {self.usage}"

    def clean(self):
        if (
            self.usage_id
            and self.project_id
            and (self.usage.municipality_id != self.project.municipality_id)
        ):
            raise ValidationError({"project": _("It belongs to another municipality.")})


class CaseTask(TenantModel):
    """A KLE task code of a case."""

    tenant_parent = "case"

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="kle_tasks"
    )
    code = models.ForeignKey(
        KleCode, verbose_name=_("KLE number"), on_delete=models.PROTECT, related_name="cases"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("KLE number of a case")
        verbose_name_plural = _("KLE numbers of cases")
        ordering = ["case", "code__number"]
        constraints = [models.UniqueConstraint(fields=["case", "code"], name="casetask_unique")]

    def __str__(self) -> str:
        return f"{self.case.number}: {self.code.number}"


# --- Contracts and data processing ------------------------------------------------------------


class Contract(KitosRow):
    name = models.CharField(_("name"), max_length=300)
    usages = models.ManyToManyField(
        SystemUsage, verbose_name=_("systems"), blank=True, related_name="contracts"
    )
    supplier = models.ForeignKey(
        Supplier,
        verbose_name=_("supplier"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contracts",
    )
    start = PlausibleDateField(_("start"), null=True, blank=True)
    end = PlausibleDateField(_("end"), null=True, blank=True)
    notice_months = models.PositiveSmallIntegerField(
        _("notice period (months)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_MONTHS)],
    )
    value = models.DecimalField(
        _("value (kr.)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(m2m_fields=[usages])

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["end", "name", "pk"]
        constraints = [_kitos_unique("contract")]

    def __str__(self) -> str:
        return self.name

    @property
    def last_notice_date(self) -> datetime.date | None:
        """The last day notice can be given for the contract to end on its end date."""
        if self.end is None or self.notice_months is None:
            return None
        return add_months(self.end, -self.notice_months)

    def clean(self):
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The contract ends before it starts.")
        elif self.start and self.end and self.notice_months is not None:
            # A notice beyond MAX_MONTHS is refused by its field's validator.
            if self.notice_months <= MAX_MONTHS and self.last_notice_date < self.start:
                errors["notice_months"] = _("The notice period is longer than the contract.")
        if (
            self.supplier_id
            and self.municipality_id
            and (self.supplier.municipality_id != self.municipality_id)
        ):
            errors["supplier"] = _("It belongs to another municipality.")
        if errors:
            raise ValidationError(errors)


class TransferBasis(models.TextChoices):
    """The legal basis of a transfer of personal data to a third country (GDPR chapter V)."""

    ADEQUACY = "adequacy", _("Adequacy decision (art. 45)")
    SCC = "scc", _("Standard contractual clauses (art. 46)")
    BCR = "bcr", _("Binding corporate rules (art. 47)")
    DEROGATION = "derogation", _("Derogation for a specific situation (art. 49)")


class DataProcessingAgreement(KitosRow):
    """A data-processing agreement (databehandleraftale) with a processor."""

    name = models.CharField(_("name"), max_length=300)
    usages = models.ManyToManyField(
        SystemUsage, verbose_name=_("systems"), blank=True, related_name="agreements"
    )
    processor = models.ForeignKey(
        Supplier,
        verbose_name=_("data processor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
    )
    sub_processors = models.ManyToManyField(
        Supplier, verbose_name=_("sub-processors"), blank=True, related_name="sub_agreements"
    )
    concluded_on = PlausibleDateField(_("concluded on"), null=True, blank=True)
    third_countries = models.CharField(
        _("third countries"),
        max_length=300,
        blank=True,
        help_text=_("The countries outside the EU/EEA the data goes to, separated by commas."),
    )
    transfer_basis = models.CharField(
        _("basis of the transfer"), max_length=20, choices=TransferBasis.choices, blank=True
    )
    supervision_months = models.PositiveSmallIntegerField(
        _("supervision every (months)"),
        null=True,
        blank=True,
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MONTHS)],
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(m2m_fields=[usages, sub_processors])

    class Meta:
        verbose_name = _("data processing agreement")
        verbose_name_plural = _("data processing agreements")
        ordering = ["name", "pk"]
        constraints = [_kitos_unique("dataprocessingagreement")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        if self.third_countries.strip() and not self.transfer_basis:
            errors["transfer_basis"] = _(
                "A transfer to a third country needs a legal basis: choose one."
            )
        if (
            self.processor_id
            and self.municipality_id
            and (self.processor.municipality_id != self.municipality_id)
        ):
            errors["processor"] = _("It belongs to another municipality.")
        if errors:
            raise ValidationError(errors)


class Outcome(models.TextChoices):
    SATISFACTORY = "satisfactory", _("Satisfactory")
    REMARKS = "remarks", _("With remarks")
    UNSATISFACTORY = "unsatisfactory", _("Not satisfactory")


class Supervision(TenantModel):
    """A supervision (tilsyn) of a data processor under an agreement."""

    tenant_parent = "agreement"

    class Method(models.TextChoices):
        WRITTEN = "written", _("Written (questionnaire)")
        REPORT = "report", _("Auditor's statement (ISAE 3000/3402)")
        PHYSICAL = "physical", _("Physical inspection")

    agreement = models.ForeignKey(
        DataProcessingAgreement,
        verbose_name=_("data processing agreement"),
        on_delete=models.CASCADE,
        related_name="supervisions",
    )
    done_on = PlausibleDateField(_("done on"))
    method = models.CharField(
        _("method"), max_length=20, choices=Method.choices, default=Method.WRITTEN
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")
        ordering = ["agreement", "-done_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.done_on:%d-%m-%Y}"

    def clean(self):
        if self.done_on and self.done_on > timezone.localdate():
            raise ValidationError({"done_on": _("A supervision cannot be dated in the future.")})


class AssessmentKind(models.TextChoices):
    RISK = "risk", _("Risk assessment")
    DPIA = "dpia", _("Impact assessment (DPIA)")
    REVIEW = "review", _("Yearly review")


class Assessment(TenantModel):
    """A risk assessment, an impact assessment (DPIA) or the yearly review of a system."""

    tenant_parent = "usage"

    usage = models.ForeignKey(
        SystemUsage, verbose_name=_("system"), on_delete=models.CASCADE, related_name="assessments"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AssessmentKind.choices)
    done_on = PlausibleDateField(_("done on"))
    outcome = models.CharField(_("result"), max_length=20, choices=Outcome.choices)
    next_due = PlausibleDateField(
        _("next due"),
        null=True,
        blank=True,
        help_text=_("Empty: after the system's interval (a risk assessment) or not again."),
    )
    summary = models.TextField(_("summary"), blank=True)
    document = models.FileField(
        _("document"), upload_to="systems/assessments/%Y/", max_length=300, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    from_kitos = models.BooleanField(_("read from KITOS"), default=False, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["usage", "kind", "-done_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.done_on:%d-%m-%Y}"

    @property
    def due(self) -> datetime.date | None:
        """When the next one of its kind is due."""
        if self.next_due is not None:
            return self.next_due
        if self.kind == AssessmentKind.RISK and self.done_on:
            return add_months(self.done_on, self.usage.risk_assessment_months)
        return None

    def clean(self):
        errors = {}
        if self.done_on and self.done_on > timezone.localdate():
            errors["done_on"] = _("An assessment cannot be dated in the future.")
        if self.done_on and self.next_due and self.next_due <= self.done_on:
            errors["next_due"] = _("The next one is due after this one.")
        if errors:
            raise ValidationError(errors)


# --- Breaches ---------------------------------------------------------------------------------


class Severity(models.TextChoices):
    LOW = "low", _("Low risk to the persons")
    RISK = "risk", _("Risk to the persons")
    HIGH = "high", _("High risk to the persons")


class Breach(TenantModel):
    """A personal-data breach (brud på persondatasikkerheden). Notified to Datatilsynet
    within 72 hours of its discovery unless it is unlikely to put the persons at risk; the
    persons themselves told when the risk is high. The title is open; the rest is closed."""

    title = models.CharField(
        _("title"),
        max_length=300,
        help_text=_("Shown to everyone who sees the register: no personal data here."),
    )
    discovered_at = models.DateTimeField(_("discovered"))
    occurred_at = models.DateTimeField(_("occurred"), null=True, blank=True)
    usage = models.ForeignKey(
        SystemUsage,
        verbose_name=_("system"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="breaches",
    )
    description = models.TextField(_("what happened"), blank=True)
    persons_affected = models.PositiveIntegerField(_("persons affected"), null=True, blank=True)
    personal_data = models.JSONField(_("personal data"), default=list, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    notified_at = models.DateTimeField(_("notified to Datatilsynet"), null=True, blank=True)
    not_notified_reason = models.TextField(
        _("why not notified (in time)"),
        blank=True,
        help_text=_("Required when it is not notified, or notified after 72 hours."),
    )
    authority_reference = models.CharField(
        _("Datatilsynet's reference"), max_length=100, blank=True
    )
    persons_informed_on = PlausibleDateField(_("persons informed on"), null=True, blank=True)
    measures = models.TextField(_("measures"), blank=True)
    closed_on = PlausibleDateField(_("closed on"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()

    # What only the circle reads: blanked for everyone else, in pages, API and exports.
    CLOSED_FIELDS = (
        "description",
        "persons_affected",
        "personal_data",
        "not_notified_reason",
        "authority_reference",
        "measures",
    )

    class Meta:
        verbose_name = _("personal data breach")
        verbose_name_plural = _("personal data breaches")
        ordering = ["-discovered_at", "-pk"]

    detail_url_name = "systems:breach_detail"

    def __str__(self) -> str:
        return self.title

    @property
    def notify_by(self) -> datetime.datetime:
        return self.discovered_at + NOTIFY_WITHIN

    @property
    def notified_late(self) -> bool:
        return self.notified_at is not None and self.notified_at > self.notify_by

    def clean(self):
        errors = {}
        now = timezone.now()
        if self.discovered_at and self.discovered_at > now:
            errors["discovered_at"] = _("A breach cannot be discovered in the future.")
        if self.occurred_at and self.discovered_at and self.occurred_at > self.discovered_at:
            errors["occurred_at"] = _("It cannot have occurred after it was discovered.")
        if self.notified_at and self.discovered_at and self.notified_at < self.discovered_at:
            errors["notified_at"] = _("It cannot be notified before it was discovered.")
        if self.notified_at and self.notified_at > now:
            errors["notified_at"] = _("It cannot be notified in the future.")
        late = self.notified_at is not None and self.discovered_at and self.notified_late
        closed_unnotified = self.closed_on is not None and self.notified_at is None
        if (late or closed_unnotified) and not self.not_notified_reason.strip():
            errors["not_notified_reason"] = _(
                "Say why it was not notified to Datatilsynet within 72 hours."
            )
        unknown = [kind for kind in self.personal_data or [] if kind not in PersonalData.values]
        if unknown:
            errors["personal_data"] = _("Unknown kinds of personal data: %(kinds)s.") % {
                "kinds": ", ".join(map(str, unknown))
            }
        if errors:
            raise ValidationError(errors)


# --- Who is who -------------------------------------------------------------------------------


class Privacy(TenantModel):
    """The municipality's data protection officer and IT security group: the circle that
    reads breaches and keeps the register."""

    officer = models.ForeignKey(
        Person,
        verbose_name=_("data protection officer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    security_body = models.ForeignKey(
        Body,
        verbose_name=_("IT security group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("data protection setup")
        verbose_name_plural = _("data protection setups")
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="privacy_one_per_municipality")
        ]

    def __str__(self) -> str:
        return str(_("Data protection"))
