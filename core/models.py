"""Tenancy, users and the base class every municipality-owned model builds on."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ImproperlyConfigured
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager, get_scope
from simple_history.models import HistoricalRecords


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
