"""The meetings app's kinds of the one history page (`core.history`): cases with their
route, agenda items and follow-ups, read by the rules of `meetings.rules` (the same as the
meeting's page and its documents).

A closed item's changes are shown only to those who see closed items of the body
(`meetings.see_closed`): to anyone else an entry of the item while it is or was closed, and
every entry of an item closed now, says who and when, never what. Draft decisions are left
out until the minutes may be read (`meetings.see_decisions`); a closed case's description
until `meetings.see_case_description`.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from core import history
from core.permissions import has_perm
from meetings.models import AgendaItem, Case, CaseStep, FollowUp
from organisation.models import Body

# The item's guests are many-to-many: diffing them costs a query per record.
ITEM_EXCLUDED = ("guests", "revision", "meeting")


def closed_record(record, previous, closed_now: bool) -> bool:
    """A record of an item that tells of closed content: the item is closed now, or was
    closed in this record or the one before it."""
    return closed_now or record.closed or (previous is not None and previous.closed)


# --- Cases -----------------------------------------------------------------------------------


def _case(pk: int) -> Case:
    steps = CaseStep.objects.select_related("body").order_by("position")
    return get_object_or_404(Case.objects.prefetch_related(Prefetch("steps", steps)), pk=pk)


def _case_reading(user, case: Case) -> history.Reading:
    if has_perm(user, "meetings.see_case_description", case):
        return history.Reading()
    return history.Reading(excluded=("description",))


def _route(case: Case) -> list[history.Part]:
    def label(record, names) -> str:
        return _("Route, step %(number)s: %(body)s") % {
            "number": record.position + 1,
            "body": names.get((Body, record.body_id), ""),
        }

    return [history.Part(CaseStep, CaseStep.history.filter(case_id=case.pk), label, ("case",))]


history.register(
    "sag",
    history.Kind(
        Case,
        lookup=_case,
        url=lambda case: reverse("meetings:case_detail", args=[case.pk]),
        excluded=("origin_url",),
        reading=_case_reading,
        parts=_route,
    ),
)


# --- Agenda items ----------------------------------------------------------------------------


def _item(pk: int) -> AgendaItem:
    return get_object_or_404(AgendaItem.objects.select_related("meeting__body"), pk=pk)


def _item_reading(user, item: AgendaItem) -> history.Reading:
    meeting = item.meeting
    excluded = () if has_perm(user, "meetings.see_decisions", meeting) else ("decision", "outcome")
    if has_perm(user, "meetings.see_closed", meeting):
        return history.Reading(excluded=excluded)
    return history.Reading(
        excluded=excluded,
        hidden=lambda record, previous: closed_record(record, previous, item.closed),
        note=_("Only members of the body see the changes of a closed item."),
    )


history.register(
    "punkt",
    history.Kind(
        AgendaItem,
        lookup=_item,
        # An item is known once its agenda may be read (the meeting's page says so).
        permission="meetings.see_agenda",
        about=lambda item: item.meeting,
        url=lambda item: (
            reverse("meetings:meeting_detail", args=[item.meeting_id]) + f"#item-{item.pk}"
        ),
        excluded=ITEM_EXCLUDED,
        reading=_item_reading,
    ),
)


# --- Follow-ups ------------------------------------------------------------------------------


def _follow_up(pk: int) -> FollowUp:
    return get_object_or_404(
        FollowUp.objects.select_related("body", "owner", "owner_unit", "item__meeting"), pk=pk
    )


history.register(
    "opfoelgning",
    history.Kind(
        FollowUp,
        lookup=_follow_up,
        # A closed item's follow-up, or one of a decision not yet published: 404 to those who
        # may not read it, as its own page.
        permission="meetings.see_follow_up",
        url=lambda follow_up: reverse("meetings:followup_list"),
    ),
)
