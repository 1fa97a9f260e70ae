"""Planning's Excel exports: proposals, the action plans and a plan's entries with their
scores, and the activities of the annual wheel; and planning's kinds of the full export of a
municipality (`documents.exports`). Nothing in planning is closed: everyone in the
municipality reads all of it."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.collation import Danish
from core.widgets import choice_labels
from documents import exports
from documents.xlsx import XlsxExporter
from planning.models import (
    ActivityKind,
    AnnualPlan,
    PlanState,
    Progress,
    Proposal,
    ProposalSource,
    ProposalStatus,
    WheelActivity,
)

MAX_ROWS = 10_000


class ProposalExport(XlsxExporter):
    sheet_title = gettext_lazy("Proposals")
    columns = (
        gettext_lazy("Proposal"),
        gettext_lazy("Received"),
        gettext_lazy("Source"),
        gettext_lazy("Reported by"),
        gettext_lazy("Unit"),
        gettext_lazy("Contact"),
        gettext_lazy("Status"),
        gettext_lazy("Project"),
        gettext_lazy("Estimated hours"),
        gettext_lazy("Estimated amount"),
        gettext_lazy("Description"),
        gettext_lazy("Expected benefit"),
    )

    def __init__(self, proposals):
        self.proposals = proposals

    def rows(self):
        sources, statuses = choice_labels(ProposalSource), choice_labels(ProposalStatus)
        for row in self.proposals.values_list(
            "title",
            "received_on",
            "source",
            "body__name",
            "unit__name",
            "contact__name",
            "status",
            "project__name",
            "estimated_hours",
            "estimated_amount",
            "description",
            "expected_benefit",
        ):
            title, received, source, body, unit, contact, status, project, *rest = row
            yield (
                title,
                received,
                sources.get(source, source),
                body or "",
                unit or "",
                contact or "",
                statuses.get(status, status),
                project or "",
                *rest,
            )


class PlanExport(XlsxExporter):
    """The action plans as their list shows them: `rows` of the list (plan, summary,
    capacity)."""

    sheet_title = gettext_lazy("Action plans")
    columns = (
        gettext_lazy("Year"),
        gettext_lazy("Plan"),
        gettext_lazy("State"),
        gettext_lazy("Entries"),
        gettext_lazy("Done"),
        gettext_lazy("Hours allocated"),
        gettext_lazy("Hours available"),
        gettext_lazy("Kroner allocated"),
        gettext_lazy("Kroner available"),
    )

    def __init__(self, plan_rows: list[dict]):
        self.plan_rows = plan_rows

    def rows(self):
        states = choice_labels(PlanState)
        for row in self.plan_rows:
            plan, summary, capacity = row["plan"], row["summary"], row["capacity"]
            yield (
                plan.year,
                plan.title,
                states.get(plan.state, plan.state),
                summary["entries"],
                summary["done"],
                capacity.hours_allocated,
                capacity.hours_available,
                capacity.amount_allocated,
                capacity.amount_available,
            )


class PlanEntryExport(XlsxExporter):
    """The entries of plans in rank order with their scores (`planning.plans.services
    .plan_view`). One plan: a column per criterion; several: the scores as one text."""

    sheet_title = gettext_lazy("Entries")

    def __init__(self, views: list):
        self.views = views
        self.single = len(views) == 1
        if self.single:
            self.sheet_title = views[0].plan.title
            scores = [c.name for c in views[0].criteria]
        else:
            scores = [gettext_lazy("Scores")]
        self.columns = [
            gettext_lazy("Year"),
            gettext_lazy("Plan"),
            gettext_lazy("Rank"),
            gettext_lazy("Rank set by hand"),
            gettext_lazy("Effort"),
            gettext_lazy("Project"),
            gettext_lazy("Proposal"),
            gettext_lazy("Responsible"),
            gettext_lazy("Unit"),
            gettext_lazy("Hours allocated"),
            gettext_lazy("Kroner allocated"),
            *scores,
            gettext_lazy("Weighted score"),
            gettext_lazy("Progress"),
            gettext_lazy("Description"),
        ]

    def rows(self):
        progress = choice_labels(Progress)
        yes, no = _("Yes"), _("No")
        for view in self.views:
            plan = view.plan
            for row in view.ranked:
                entry = row.entry
                if self.single:
                    scores = list(row.values)
                else:
                    scores = [
                        "; ".join(
                            f"{c.name} {v}"
                            for c, v in zip(view.criteria, row.values, strict=False)
                            if v is not None
                        )
                    ]
                yield (
                    plan.year,
                    plan.title,
                    row.rank,
                    yes if row.overridden else no,
                    entry.title,
                    entry.project.name if entry.project_id else "",
                    entry.proposal.title if entry.proposal_id else "",
                    entry.responsible.name if entry.responsible_id else "",
                    entry.unit.name if entry.unit_id else "",
                    entry.hours,
                    entry.amount,
                    *scores,
                    row.score,
                    progress.get(entry.progress, entry.progress),
                    entry.description,
                )


class ActivityExport(XlsxExporter):
    """The annual wheel's activities as their list shows them: how each repeats and its next
    date (`planning.wheel.services`)."""

    sheet_title = gettext_lazy("Activities")
    columns = (
        gettext_lazy("Activity"),
        gettext_lazy("Body"),
        gettext_lazy("Kind"),
        gettext_lazy("Repeats"),
        gettext_lazy("Next date"),
        gettext_lazy("Responsible"),
        gettext_lazy("Active"),
        gettext_lazy("Description"),
    )

    def __init__(self, activities):
        self.activities = activities

    def rows(self):
        from planning.wheel import services

        kinds = choice_labels(ActivityKind)
        whole = _("The whole organisation")
        yes, no = _("Yes"), _("No")
        today = timezone.localdate()
        for activity in self.activities:
            upcoming = services.next_dates(activity, today, count=1) if activity.active else []
            yield (
                activity.title,
                activity.body.name if activity.body_id else whole,
                kinds.get(activity.kind, activity.kind),
                services.describe(activity),
                upcoming[0] if upcoming else None,
                activity.responsible.name if activity.responsible_id else "",
                yes if activity.active else no,
                activity.description,
            )


def activities():
    """The activities in the list's order: by body, then title."""
    return WheelActivity.objects.select_related("body", "responsible").order_by(
        Danish("body__name"), Danish("title"), "pk"
    )


# --- The full export (documents.exports) -------------------------------------------------------


@exports.register("forslag", position=40)
def _all_proposals(municipality):
    proposals = Proposal.objects.filter(municipality=municipality).order_by("received_on", "pk")
    return ProposalExport(proposals)


@exports.register("indsatsplaner", position=41)
def _all_plans(municipality):
    from planning.plans.views import plan_rows

    return PlanExport(plan_rows(AnnualPlan.objects.filter(municipality=municipality)))


@exports.register("indsatser", position=42)
def _all_entries(municipality):
    from planning.plans import services

    plans = AnnualPlan.objects.filter(municipality=municipality).order_by("year", "pk")
    return PlanEntryExport([services.plan_view(plan) for plan in plans])


@exports.register("aarshjul", position=43)
def _all_activities(municipality):
    return ActivityExport(activities().filter(municipality=municipality))
