"""The front page: what the person logged in has to do next, across the apps.

It sits in the top layer because it reads every app below it (meetings, follow-ups,
projects, governance health)."""

import datetime

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.expressions import Window
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from core.collation import danish_key
from core.links import url_maker
from core.permissions import permission_required
from core.widgets import choice_labels
from organisation.models import BodyKind, Membership

HOME_MEETINGS = 5
HOME_FOLLOW_UPS = 8
HOME_PROJECTS = 8
HOME_DUTIES = 8
# Up to this many active bodies the front page lists them; more are counted by kind, each
# kind linking to the body list of that kind (København has 200).
HOME_BODIES = 24


@permission_required("core.logged_in")
def home(request: HttpRequest) -> HttpResponse:
    """The front page of the person logged in: my next meetings, my open follow-ups, my
    projects' next status reports, my systems' duties, the governance health warnings I can
    act on, my bodies
    and the municipality's bodies. A user without a person (a reader, say) gets the
    municipality's next meetings and its health instead. A constant number of queries."""
    today = timezone.localdate()
    if request.municipality is None:
        return render(request, "home/home.html", {"today": today, "bodies": []})
    from planning.health import services as health

    user = request.user
    actor = health.Actor.of(user, today)
    my_memberships = sorted(
        Membership.objects.current(today).filter(person__user=user).select_related("body"),
        key=lambda m: (danish_key(m.body.name), m.pk),
    )
    report = health.governance_health(
        user, today.year, mine=True, limit=0, today=today, actor=actor
    )
    bodies = report.active_bodies
    return render(
        request,
        "home/home.html",
        {
            **_home_bodies(bodies),
            "body_count": len(bodies),
            "my_memberships": my_memberships,
            "today": today,
            "actor": actor,
            **_home_meetings(user, {m.body_id for m in my_memberships}, today),
            **_home_follow_ups(user, actor, today),
            **_home_projects(actor, today),
            "health": report,
            "health_groups": [g for g in report.groups.values() if g.mine_count],
            **_home_duties(report.my_duties),
        },
    )


def _home_duties(duties: list) -> dict:
    """The open duties of the systems the user owns or the user's bodies govern, overdue and
    missing first (computed by the governance health: no query of their own), each with the
    system's page ("" while the register has no page for it)."""
    from django.urls import NoReverseMatch

    rows = []
    for duty in duties[:HOME_DUTIES]:
        try:
            url = duty.url
        except NoReverseMatch:
            url = ""
        rows.append({"duty": duty, "url": url})
    return {"my_duties": rows, "more_duties": max(len(duties) - HOME_DUTIES, 0)}


def _home_bodies(bodies: list) -> dict:
    """The municipality's active bodies as rows (link, name, kind), or, beyond HOME_BODIES,
    the number of each kind with a link to the body list of that kind."""
    kinds = choice_labels(BodyKind)
    if len(bodies) <= HOME_BODIES:
        body_url = url_maker("organisation:body_detail")
        rows = [
            {"url": body_url(b.pk), "name": b.name, "kind": kinds[b.kind], "cadence": b.cadence}
            for b in bodies
        ]
        return {"bodies": rows, "body_kinds": []}
    counts: dict[str, int] = {}
    for body in bodies:
        counts[body.kind] = counts.get(body.kind, 0) + 1
    list_url = reverse("organisation:body_list")
    return {
        "bodies": [],
        "body_kinds": [
            {"url": f"{list_url}?type={kind}", "label": kinds[kind], "count": counts[kind]}
            for kind in BodyKind.values
            if kind in counts
        ],
        "body_list_url": list_url,
    }


def _home_meetings(user, member_body_ids: set[int], today) -> dict:
    """The next meetings of the user's bodies, else of every body; only those whose agenda
    the user may see (`meetings.rules`)."""
    from meetings.models import Meeting
    from meetings.rules import published_agendas

    meetings = (
        Meeting.objects.filter(date__gte=today)
        .filter(published_agendas(user))
        .select_related("body")
        .order_by("date", "start", "pk")
    )
    if member_body_ids:
        meetings = meetings.filter(body_id__in=member_body_ids)
    return {"next_meetings": list(meetings[:HOME_MEETINGS]), "meetings_mine": bool(member_body_ids)}


def _home_follow_ups(user, actor, today) -> dict:
    """The user's open follow-ups (their own and their unit's), overdue first; only those the
    user may read (`meetings.rules.follow_ups_for`)."""
    if actor.person_id is None:
        return {"follow_ups": [], "follow_up_counts": None}
    from meetings.rules import follow_ups_for

    owned = Q(owner_id=actor.person_id)
    if actor.unit_id:
        owned |= Q(owner_unit_id=actor.unit_id)
    overdue = Case(
        When(due_date__lt=today, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    follow_ups = list(
        follow_ups_for(user)
        .open()
        .filter(owned)
        .annotate(home_total=Window(Count("pk")), home_overdue=Window(Sum(overdue)))
        .order_by(F("due_date").asc(nulls_last=True), "pk")[:HOME_FOLLOW_UPS]
    )
    counts = {"total": 0, "overdue": 0}
    if follow_ups:  # every row carries the numbers of all of them
        counts = {"total": follow_ups[0].home_total, "overdue": follow_ups[0].home_overdue}
    return {"follow_ups": follow_ups, "follow_up_counts": counts}


def _home_projects(actor, today) -> dict:
    """The active projects the user leads or owns, with their next status report's due date,
    late ones first."""
    if actor.person_id is None:
        return {"my_projects": [], "more_projects": False}
    from planning.health.services import with_report_due
    from portfolio.models import ACTIVE_PHASES, Project

    projects = with_report_due(
        Project.objects.filter(phase__in=ACTIVE_PHASES).filter(
            Q(leader_id=actor.person_id) | Q(owner_id=actor.person_id)
        ),
        today,
    )
    rows = list(
        projects.order_by(F("report_due").asc(nulls_last=True), "pk").values(
            "pk", "name", "report_due", "report_late", "leader_id"
        )[: HOME_PROJECTS + 1]
    )
    for row in rows:
        if isinstance(row["report_due"], str):  # SQLite's date() answers text
            row["report_due"] = datetime.date.fromisoformat(row["report_due"])
    return {"my_projects": rows[:HOME_PROJECTS], "more_projects": len(rows) > HOME_PROJECTS}
