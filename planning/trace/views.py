"""Views of the forward trace: what became of a decision, and of a body's decisions.

Everyone in the municipality may ask (`core.view`); a decision the user may not read in the
decision log (minutes not approved, a closed item of a body they are not a member of) is not
found here either (404), as is one of another municipality. Rules are in
`planning.trace.services`.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.permissions import permission_required
from core.widgets import choice_labels
from documents.http import XLSX, download
from documents.xlsx import XlsxExporter
from meetings.models import Outcome
from organisation.models import Body
from planning.trace import services


def _body(pk: int) -> Body:
    return get_object_or_404(Body.objects.all(), pk=pk)


@permission_required("core.view")
def decision_trace(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision, and what it started or changed, with today's status."""
    item = get_object_or_404(services.decision_queryset(request.user), pk=pk)
    (decision,) = services.trace([item], request.user)
    services.case_treatments(decision, request.user)
    return render(
        request,
        "planning/trace/decision.html",
        {"decision": decision, "item": item, "meeting": item.meeting},
    )


def _body_traces(request: HttpRequest, body: Body):
    today = timezone.localdate()
    items = services.body_decisions(request.user, body, today)
    return services.trace(items, request.user, today), services.two_years_before(today), today


@permission_required("core.view", lookup=_body)
def body_decisions(request: HttpRequest, body: Body) -> HttpResponse:
    """The body's decisions of the last two years and what became of them."""
    decisions, since, today = _body_traces(request, body)
    return render(
        request,
        "planning/trace/body.html",
        {"body": body, "decisions": decisions, "since": since, "today": today},
    )


def _names(projects) -> str:
    return "\n".join(
        f"{p.project.name}: {p.project.get_phase_display()}"
        + (f" ({p.colour_label.lower()})" if p.colour_label else "")
        for p in projects
    )


class BodyDecisionExport(XlsxExporter):
    sheet_title = gettext_lazy("Our decisions")
    columns = (
        gettext_lazy("Date"),
        gettext_lazy("Item"),
        gettext_lazy("Case number"),
        gettext_lazy("Outcome"),
        gettext_lazy("Decision"),
        gettext_lazy("Projects started"),
        gettext_lazy("Projects changed"),
        gettext_lazy("Action plans"),
        gettext_lazy("Open follow-ups"),
        gettext_lazy("Follow-ups done"),
        gettext_lazy("Benefits: realised since the decision"),
    )

    def __init__(self, decisions):
        self.decisions = decisions

    def rows(self):
        outcomes = choice_labels(Outcome)
        for decision in self.decisions:
            item = decision.item
            yield (
                item.meeting.date,
                item.title,
                item.case.number if item.case else "",
                outcomes.get(item.outcome, item.outcome) if item.outcome else "",
                item.decision,
                _names(decision.started),
                _names(decision.changed),
                "\n".join(f"{p.plan}: {p.plan.get_state_display()}" for p in decision.plans),
                len(decision.open_follow_ups),
                len(decision.done_follow_ups),
                "\n".join(
                    f"{b.benefit.title}: "
                    f"{'–' if b.realised is None else b.realised} {b.benefit.unit}"
                    for b in decision.benefits
                ),
            )


@permission_required("core.view", lookup=_body)
def body_decisions_xlsx(request: HttpRequest, body: Body) -> HttpResponse:
    """The body's decisions of the last two years and what became of them, as Excel."""
    decisions, _since, today = _body_traces(request, body)
    content = BodyDecisionExport(decisions).to_bytes()
    return download(content, XLSX, f"beslutninger-{body.pk}-{today:%Y-%m-%d}.xlsx")
