"""The organisation: units, people, governance bodies, their mandates and memberships."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from core.collation import Danish
from core.fields import PlausibleDateField
from core.models import TenantModel


class OrgUnitKind(models.TextChoices):
    FORVALTNING = "forvaltning", _("Department")
    STAB = "stab", _("Staff")
    CHEFOMRAADE = "chefomraade", _("Chief area")
    FAGOMRAADE = "fagomraade", _("Professional area")
    AFDELING = "afdeling", _("Section")


class OrgUnit(TenantModel):
    """A unit of the municipality's organisation: forvaltning → chefområde/fagområde → afdeling."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgUnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")
        ordering = [Danish("name")]

    detail_url_name = "organisation:orgunit_detail"

    def __str__(self) -> str:
        return self.name

    def clean(self):
        # A unit may not sit below itself: walk up from the chosen parent.
        seen = set()
        node = self.parent
        while node is not None:
            if self.pk is not None and node.pk == self.pk:
                raise ValidationError({"parent": _("A unit cannot be placed below itself.")})
            if node.pk in seen:
                break
            seen.add(node.pk)
            node = node.parent
        if self.parent_id and self.parent.municipality_id != self.municipality_id:
            raise ValidationError({"parent": _("The unit belongs to another municipality.")})


class UnitTree:
    """The units of a municipality as a tree, built once from an already fetched list, that
    answers "this unit and every unit below it" for many roots (each answer kept)."""

    def __init__(self, units: Iterable["OrgUnit"]):
        self.children: dict[int | None, list[int]] = {}
        for unit in units:
            self.children.setdefault(unit.parent_id, []).append(unit.pk)
        self._subtrees: dict[int, frozenset[int]] = {}

    def subtree(self, root_id: int) -> frozenset[int]:
        found = self._subtrees.get(root_id)
        if found is None:
            seen, stack = set(), [root_id]
            while stack:
                current = stack.pop()
                if current in seen:
                    continue
                seen.add(current)
                stack.extend(self.children.get(current, []))
            found = self._subtrees[root_id] = frozenset(seen)
        return found


def subtree_ids(units: Iterable["OrgUnit"], root_id: int) -> frozenset[int]:
    """Ids of a unit and every unit below it, from an already fetched list of units."""
    return UnitTree(units).subtree(root_id)


class Person(TenantModel):
    """Somebody who sits in bodies: a chief, a leader, a member of staff."""

    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.OneToOneField(
        "core.User",
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = [Danish("name")]

    detail_url_name = "organisation:person_detail"

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.unit_id and self.unit.municipality_id != self.municipality_id:
            raise ValidationError({"unit": _("The unit belongs to another municipality.")})
        if self.user_id and self.user.municipality_id != self.municipality_id:
            raise ValidationError({"user": _("The login belongs to another municipality.")})


class BodyKind(models.TextChoices):
    EXECUTIVE_BOARD = "direktion", _("Executive board")
    MANAGEMENT_FORUM = "chefforum", _("Management forum")
    STEERING_GROUP = "styregruppe", _("Steering group")
    PROGRAMME_GROUP = "programgruppe", _("Programme group")
    PROJECT_BOARD = "project_board", _("Project Board")
    PROJECT_GROUP = "projektgruppe", _("Project group")
    INNOVATION_GROUP = "innovationsgruppe", _("Innovation group")
    SECURITY_GROUP = "sikkerhedsgruppe", _("Security group")
    COMMITTEE = "udvalg", _("Committee")
    COORDINATION_GROUP = "koordineringsgruppe", _("Coordination group")
    WORKING_GROUP = "arbejdsgruppe", _("Working group")
    AD_HOC = "ad_hoc", _("Ad hoc group")
    # Outside the administration (`Body.external`): the council a case ends with.
    COUNCIL = "kommunalbestyrelse", _("Municipal council")


class MinutesApprovalRule(models.TextChoices):
    """Who approves a body's minutes (`Body.minutes_approval`)."""

    CHAIR = "chair", _("The chair")
    PARTICIPANTS = "participants", _("Every participant present")


# How many days the participants have to approve the minutes, by default and at most.
MINUTES_APPROVAL_DAYS = 5
MAX_MINUTES_APPROVAL_DAYS = 60


# The refusals for a body outside the administration (`Body.external`).
EXTERNAL_NO_MEMBERS = _(
    "The body is outside the administration: its members are not kept in digistyr."
)
EXTERNAL_NO_MANDATE = _(
    "The body is outside the administration: its mandate is not kept in digistyr."
)
EXTERNAL_NO_MEETINGS = _(
    "The body is outside the administration: its meetings are not held in digistyr."
)


class BodyQuerySet(models.QuerySet):
    def internal(self):
        """The administration's bodies: those with members, mandates and meetings here."""
        return self.filter(external=False)

    def active_on(self, on: datetime.date):
        return self.filter(
            Q(established_on__isnull=True) | Q(established_on__lte=on),
            Q(closed_on__isnull=True) | Q(closed_on__gt=on),
        )


class Body(TenantModel):
    """A governance body with a mandate: Direktion, a steering group, a project group …"""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=BodyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    purpose = models.TextField(_("purpose"), blank=True)
    organisation = models.TextField(
        _("organisation"), blank=True, help_text=_("How the group works, one point per line.")
    )
    cadence = models.CharField(
        _("cadence"), max_length=200, blank=True, help_text=_("E.g. “4 times a year (quarterly)”.")
    )
    meetings_per_year = models.PositiveSmallIntegerField(
        _("meetings per year"), null=True, blank=True
    )
    cross_cutting = models.BooleanField(
        _("cross-cutting group"),
        default=False,
        help_text=_("Cross-cutting groups are described in the status memo."),
    )
    # A body outside the administration (a standing committee, Økonomiudvalget, the
    # municipal council, the main MED committee): a step on a case's route, the political
    # treatment after the administration's, with no members, mandate or meetings in digistyr.
    external = models.BooleanField(
        _("outside the administration"),
        default=False,
        help_text=_(
            "A political committee, the municipal council or the main joint committee: cases "
            "can be sent on to it, but its members, mandate and meetings are not kept in "
            "digistyr."
        ),
    )
    established_on = PlausibleDateField(_("established on"), null=True, blank=True)
    closed_on = PlausibleDateField(_("closed on"), null=True, blank=True)
    closing_summary = models.TextField(_("closing summary"), blank=True)
    # Who approves the minutes: the chair alone (as before), or every participant present,
    # each with one click, within `minutes_approval_days` of the minutes being sent for
    # approval; after that the chair may close the approval (meetings.approvals).
    minutes_approval = models.CharField(
        _("approval of the minutes"),
        max_length=20,
        choices=MinutesApprovalRule.choices,
        default=MinutesApprovalRule.CHAIR,
    )
    minutes_approval_days = models.PositiveSmallIntegerField(
        _("days to approve the minutes"),
        default=MINUTES_APPROVAL_DAYS,
        help_text=_(
            "When every participant approves: the days they have after the minutes are sent "
            "for approval. After that the chair may close the approval."
        ),
    )

    objects = ScopedManager(
        _manager_class=models.Manager.from_queryset(BodyQuerySet), municipality="municipality"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = [Danish("name")]

    detail_url_name = "organisation:body_detail"

    def __str__(self) -> str:
        return self.name

    def _kept_in_digistyr(self) -> bool:
        """Whether the body has what a body outside the administration has not."""
        return any(
            getattr(self, related).exists() for related in ("memberships", "mandates", "meetings")
        )

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None and self.closed_on <= timezone.localdate()

    def clean(self):
        errors = {}
        if self.closed_on and self.established_on and self.closed_on < self.established_on:
            errors["closed_on"] = _("A body cannot close before it was established.")
        if self.closed_on and not self.closing_summary.strip():
            errors["closing_summary"] = _("Write a closing summary when a body is closed.")
        if self.minutes_approval_days is not None and not (
            1 <= self.minutes_approval_days <= MAX_MINUTES_APPROVAL_DAYS
        ):
            errors["minutes_approval_days"] = _(
                "The participants have between 1 and %(max)d days to approve the minutes."
            ) % {"max": MAX_MINUTES_APPROVAL_DAYS}
        if self.external and self.pk is not None and self._kept_in_digistyr():
            errors["external"] = _(
                "The body has members, a mandate or meetings in digistyr, so it cannot be "
                "outside the administration."
            )
        if self.parent_id:
            if self.parent.municipality_id != self.municipality_id:
                errors["parent"] = _("The body belongs to another municipality.")
            node, seen = self.parent, set()
            while node is not None and node.pk not in seen:
                if self.pk is not None and node.pk == self.pk:
                    errors["parent"] = _("A body cannot report to itself.")
                    break
                seen.add(node.pk)
                node = node.parent
        if errors:
            raise ValidationError(errors)


class BodyStatus(TenantModel):
    """A dated status entry about a body: what it works on right now (“Aktuel status”)."""

    tenant_parent = "body"

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="statuses"
    )
    date = PlausibleDateField(_("date"))
    text = models.TextField(_("status"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("status entry")
        verbose_name_plural = _("status entries")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.body} {self.date:%d-%m-%Y}"

    def clean(self):
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("A status cannot be dated in the future.")})


class PlanRole(models.TextChoices):
    RECOMMENDS = "recommends", _("Recommends the plan")
    APPROVES = "approves", _("Approves the plan")


class Mandate(TenantModel):
    """A version of a body's mandate (kommissorium), approved by a body on a date."""

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="mandates"
    )
    version = models.PositiveIntegerField(_("version"), editable=False)
    title = models.CharField(_("title"), max_length=300)
    purpose = models.TextField(_("purpose"))
    duties = models.TextField(_("duties"), blank=True)
    composition = models.TextField(_("composition"), blank=True)
    cadence = models.CharField(_("cadence"), max_length=200, blank=True)
    meetings_per_year = models.PositiveSmallIntegerField(
        _("meetings per year"), null=True, blank=True
    )
    # The step of the annual action plan the mandate gives the body (seed 001: the programme
    # group recommends it, the steering group approves it); the plan then accepts only a
    # decision of that body for the step (`planning.plans.services`).
    plan_role = models.CharField(
        _("the annual action plan"),
        max_length=20,
        choices=PlanRole.choices,
        blank=True,
        help_text=_("The step of the annual action plan this mandate gives the body, if any."),
    )
    approved_by = models.ForeignKey(
        Body,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="approved_mandates",
    )
    approved_on = PlausibleDateField(_("approved on"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["body", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["body", "version"], name="mandate_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def clean(self):
        errors = {}
        if self.approved_on and self.approved_on > timezone.localdate():
            errors["approved_on"] = _("A mandate cannot be approved on a date in the future.")
        if self.body_id and self.body.municipality_id != self.municipality_id:
            errors["body"] = _("The body belongs to another municipality.")
        elif self.body_id and self.body.external:
            errors["body"] = EXTERNAL_NO_MANDATE
        if self.approved_by_id and self.approved_by.municipality_id != self.municipality_id:
            errors["approved_by"] = _("The body belongs to another municipality.")
        if self.pk and "body" not in errors:
            original = Mandate.within(self).filter(pk=self.pk).values_list("body_id", flat=True)
            if original and original[0] != self.body_id:
                errors["body"] = _("A mandate cannot be moved to another body.")
        if errors:
            raise ValidationError(errors)

    @transaction.atomic
    def save(self, *args, **kwargs):
        if self.version is None:
            # Lock the body so that two versions published at once get different numbers.
            Body.within(self.body).select_for_update().filter(pk=self.body_id).exists()
            latest = (
                Mandate.objects.filter(body_id=self.body_id).aggregate(models.Max("version"))[
                    "version__max"
                ]
                or 0
            )
            self.version = latest + 1
        super().save(*args, **kwargs)


class MembershipRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")


MAX_RULE_COUNT = 50


class CompositionRule(TenantModel):
    """A rule of a mandate about who sits in the body (“2 chiefs from the welfare area”).

    A membership matches when its role, the person's unit (or a unit below it) and the
    person's title match; `min_count` memberships must match, each counted for one rule only.
    """

    tenant_parent = "mandate"

    mandate = models.ForeignKey(
        Mandate, verbose_name=_("mandate"), on_delete=models.CASCADE, related_name="rules"
    )
    description = models.CharField(_("description"), max_length=300)
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=MembershipRole.choices,
        blank=True,
        help_text=_("Leave empty to accept any role."),
    )
    min_count = models.PositiveSmallIntegerField(_("number"), default=1)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("from unit"), on_delete=models.PROTECT, null=True, blank=True
    )
    title_contains = models.CharField(
        _("title contains"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “chef” to require a chief. Case is ignored."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("composition rule")
        verbose_name_plural = _("composition rules")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.description

    def clean(self):
        if self.min_count is not None and self.min_count < 1:
            raise ValidationError({"min_count": _("The number must be at least 1.")})
        if self.min_count is not None and self.min_count > MAX_RULE_COUNT:
            raise ValidationError(
                {"min_count": _("The number can be at most %(max)d.") % {"max": MAX_RULE_COUNT}}
            )


def held_on(on: datetime.date) -> Q:
    """The memberships held on `on`: begun by then and not ended before."""
    return Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gte=on))


class MembershipQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        return self.filter(held_on(on or timezone.localdate()))


class Membership(TenantModel):
    """A person's seat in a body, with a role and a period."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    start = PlausibleDateField(_("from"))
    end = PlausibleDateField(_("to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ScopedManager(
        _manager_class=models.Manager.from_queryset(MembershipQuerySet),
        municipality="municipality",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["body", "start"]
        indexes = [
            # the status memo and the body page ask for a body's memberships on a date
            models.Index(fields=["body", "start", "end"], name="membership_body_period"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.body}"

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.start <= on and (self.end is None or self.end >= on)

    def clean(self):
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("A membership cannot end before it starts.")
        if self.person_id and self.person.municipality_id != self.municipality_id:
            errors["person"] = _("The person belongs to another municipality.")
        if self.body_id:
            body = self.body
            if body.municipality_id != self.municipality_id:
                errors["body"] = _("The body belongs to another municipality.")
            elif body.closed_on and self.pk is None:
                errors["body"] = _("Members cannot be added to a closed body.")
            elif body.external:
                errors["body"] = EXTERNAL_NO_MEMBERS
        if not errors and self.person_id and self.body_id and self.start:
            overlapping = Membership.objects.filter(person_id=self.person_id, body_id=self.body_id)
            if self.pk:
                overlapping = overlapping.exclude(pk=self.pk)
            overlapping = overlapping.filter(Q(end__isnull=True) | Q(end__gte=self.start))
            if self.end:
                overlapping = overlapping.filter(start__lte=self.end)
            if overlapping.exists():
                errors["person"] = _("The person is already a member of the body in this period.")
        if errors:
            raise ValidationError(errors)
