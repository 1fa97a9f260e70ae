"""Tenancy, users and the base class every municipality-owned model builds on."""

import uuid

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ImproperlyConfigured
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager, get_scope
from simple_history.models import HistoricalRecords


def logo_path(municipality: "Municipality", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"logos/{municipality.slug}.{extension}"


class Municipality(models.Model):
    """A Danish municipality: the tenant. Every governed row belongs to exactly one."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    code = models.CharField(_("municipality code"), max_length=3, blank=True)
    memo_intro = models.TextField(
        _("introduction to the status memo"),
        blank=True,
        help_text=_("The opening paragraph of the memo on cross-cutting groups."),
    )
    wheel_first_month = models.PositiveSmallIntegerField(
        _("first month of the annual wheel"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("The month the annual wheel starts at the top, e.g. 8 for a budget year."),
    )
    # The letterhead of its documents (PDF and DOCX): a PNG or JPEG of at most 1 MB, uploaded
    # by an administrator (`documents.forms.MunicipalityForm`), read from disk, never by HTTP.
    logo = models.FileField(_("logo"), upload_to=logo_path, blank=True, max_length=200)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")
    PROJECT_LEADER = "project_leader", _("Project leader")
    READER = "reader", _("Reader")


class User(AbstractUser):
    """A login. It belongs to one municipality and has one role there."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.READER)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class TenantModel(models.Model):
    """Base for every row owned by a municipality.

    The default manager is scoped by django-scopes: inside a request the tenant middleware
    activates the user's municipality, and every query through `objects` is filtered by it.
    Outside any scope a query raises instead of leaking across municipalities.
    """

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.CASCADE, editable=False
    )

    objects = ScopedManager(municipality="municipality")

    # A row that belongs to a parent row (a status report to its project) names the parent's
    # field here and always takes the parent's municipality, whatever scope is active.
    tenant_parent: str | None = None

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.tenant_parent:
            self.municipality_id = getattr(self, self.tenant_parent).municipality_id
        elif self.municipality_id is None:
            self.municipality_id = current_municipality_id()
        super().save(*args, **kwargs)

    @classmethod
    def within(cls, tenant) -> models.QuerySet:
        """The rows of `tenant`'s municipality (a row, a municipality id or an `OuterRef`),
        whatever scope is active or none: for services, validation and subqueries that were
        handed a row and work below it, also outside a request (a command, the demo).

        The one sanctioned way around the scoped manager: it names the municipality in the
        query itself, so it cannot reach another municipality's rows.
        """
        municipality = getattr(tenant, "municipality_id", tenant)
        return cls._base_manager.filter(municipality_id=municipality)


def current_municipality_id() -> int:
    """The municipality of the active scope; the single place a new row gets its tenant from."""
    value = get_scope().get("municipality")
    if value is None:
        raise ImproperlyConfigured("No municipality scope is active.")
    return value.pk if isinstance(value, Municipality) else int(value)


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiToken(models.Model):
    """A key an integration uses for the API, named for it, with a scope and an expiry.

    Only a SHA-256 hash of the key is stored: the key is shown once, when it is made or
    renewed, and a database dump holds nothing that opens the API. The key is 32 random
    bytes, so a plain hash is enough (no salt or slow hash is needed against guessing).
    `core.tokens` makes, renews, revokes and checks them.
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the key is for, e.g. the integration.")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the key, so its owner can tell the keys apart.
    prefix = models.CharField(_("key begins with"), max_length=8, editable=False)
    scope = models.CharField(
        _("scope"), max_length=10, choices=TokenScope.choices, default=TokenScope.READ
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE

    def is_valid(self, now) -> bool:
        return self.revoked_at is None and self.expires_at > now


class AuditKind(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGOUT = "logout", _("Logged out")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOCKED_OUT = "locked_out", _("Locked out")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    TOKEN_CREATED = "token_created", _("API key created")
    TOKEN_RENEWED = "token_renewed", _("API key renewed")
    TOKEN_REVOKED = "token_revoked", _("API key revoked")
    TOKEN_USED = "token_used", _("API key used")
    EXPORT = "export", _("Data exported")
    ROLE_CHANGED = "role_changed", _("Role changed")
    USER_CREATED = "user_created", _("Login created")
    USER_ACTIVATED = "user_activated", _("Login activated")
    USER_DEACTIVATED = "user_deactivated", _("Login deactivated")
    UPLOAD_REFUSED = "upload_refused", _("Upload refused by the virus scan")


class AuditEvent(models.Model):
    """One security-relevant event: a login, a failure, a lockout, an API key's life, an
    export, a change of role. Written by `core.audit`, read by administrators of the
    municipality, kept for `DIGISTYR_AUDIT_RETENTION_DAYS`.

    Not a tenant model: a failed login for an unknown username belongs to no municipality.
    The audit page filters on the administrator's municipality itself.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("event"), max_length=20, choices=AuditKind.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # Who did it (or whose login was tried); the name is kept when the login is deleted.
    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["municipality", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """Work done in the background for a user (`core.jobs`): a document built, an agenda sent,
    an import committed. The page of the job shows its progress and takes the user to the
    result; administrators see the failed ones.

    A job is a row first and a message on the queue second: when the queue cannot be reached
    the row waits (`on_queue` false) and the scheduler puts it on the queue later, so nothing
    asked for is lost. Not a tenant model (the scheduler reads all of them); the views
    filter on the user.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=60)
    label = models.CharField(_("what"), max_length=300)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="jobs"
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # The language of the user who asked: the documents and messages the job makes use it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    on_queue = models.BooleanField(_("on the queue"), default=False)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    progress_text = models.CharField(_("progress"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    # Where the user goes when it is done: a page, or the file the job made.
    result_url = models.CharField(_("result"), max_length=500, blank=True)
    result_file = models.FileField(_("file"), upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "on_queue"]),
            models.Index(fields=["municipality", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class MailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingMail(models.Model):
    """One e-mail to one recipient (`core.mail`). Its key says what it is about (a reminder of
    a follow-up due on a day, a digest of a week), and a key is sent once: asking again for
    the same key finds the row, so a scheduler that restarts sends nothing twice. Tried
    `MAIL_MAX_ATTEMPTS` times, then failed; administrators see both."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=40)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.ForeignKey(
        User,
        verbose_name=_("recipient"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MailStatus.choices, default=MailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["municipality", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
