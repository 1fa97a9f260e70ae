"""What meetings add to the pages of the apps below (core.sections): the body page's meetings."""

from django.db.models import DateField, F, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.permissions import has_perm
from meetings.models import CaseStep, Meeting

# How many of the cases on their way to a body outside the administration its page lists.
EXTERNAL_CASES_SHOWN = 20


def body_meetings(request, body) -> dict:
    """The body's last meeting and its next ones, in one query, and whether one may plan.
    A body outside the administration holds no meetings here: the cases whose route
    continues to it instead, the latest first (one query)."""
    today = timezone.localdate()
    if body.external:
        steps = (
            CaseStep.objects.filter(body=body)
            .select_related("case")
            .order_by(F("arrived_on").desc(nulls_last=True), "-case__created_on", "-pk")
        )
        return {"external": True, "case_steps": list(steps[:EXTERNAL_CASES_SHOWN])}
    last_date = (
        Meeting.objects.filter(body=body, date__lt=today).order_by("-date").values("date")[:1]
    )
    meetings = list(
        Meeting.objects.select_related("body")
        .filter(
            body=body,
            date__gte=Coalesce(
                Subquery(last_date, output_field=DateField()),
                Value(today, output_field=DateField()),
            ),
        )
        .order_by("date", "start")[:4]
    )
    return {
        "last_meetings": [m for m in meetings if m.date < today],
        "next_meetings": [m for m in meetings if m.date >= today][:3],
        "can_plan": has_perm(request.user, "meetings.edit", body),
    }
