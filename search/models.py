"""The search index: one row per thing the search box finds (a body, a person, a meeting, an
agenda item, a decision, a case, a follow-up, a project, a risk, a benefit, a proposal, a plan
entry), written by `search.services` whenever the thing is saved.

A row carries what the access rules need, so that a search is one query whatever it finds:
`restricted` (a closed item, its decision and its follow-ups: only members of `body_id` and
administrators) and `gate` with `meeting` (an agenda item is read once its meeting's agenda is
sent, a decision once the minutes are approved, as `meetings.rules` says).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TenantModel


class Kind(models.TextChoices):
    BODY = "body", _("Bodies")
    PERSON = "person", _("People")
    MEETING = "meeting", _("Meetings")
    ITEM = "item", _("Agenda items")
    DECISION = "decision", _("Decisions")
    CASE = "case", _("Cases")
    FOLLOW_UP = "follow_up", _("Follow-ups")
    PROJECT = "project", _("Projects")
    RISK = "risk", _("Risks")
    BENEFIT = "benefit", _("Benefits")
    PROPOSAL = "proposal", _("Proposals")
    PLAN_ENTRY = "plan_entry", _("Plan entries")


class Gate(models.TextChoices):
    NONE = "", "-"
    AGENDA = "agenda", "agenda sent"
    DECISIONS = "decisions", "minutes approved"


class SearchEntry(TenantModel):
    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    snippet = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=300)
    # The words, lower case, as PostgreSQL's `danish` configuration reads them (GIN index),
    # and their Snowball stems without stop words, as SQLite's FTS5 table reads them.
    words = models.TextField(blank=True)
    stems = models.TextField(blank=True)
    body_id = models.PositiveBigIntegerField(null=True, blank=True)
    restricted = models.BooleanField(default=False)
    gate = models.CharField(max_length=10, choices=Gate.choices, blank=True, default="")
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind", "object_id"], name="search_entry_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"
