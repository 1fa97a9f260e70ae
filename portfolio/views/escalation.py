"""The page that escalates to a body, shared by a risk and a status report's barriers.

GET shows the form that chooses the body; a valid POST calls the service that puts the risk
or the barriers on the body's backlog as a case (`portfolio.services.escalate_risk`,
`escalate_barrier`). A refusal of the service becomes an error of the form.
"""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.responses import invalid_status
from meetings.models import Case


def escalation_page(
    request: HttpRequest,
    form: forms.Form,
    escalate: Callable[..., Case],
    *,
    sent: str,
    done: str,
    template: str,
    context: dict,
) -> HttpResponse:
    """`escalate(body)` with the body the form chose; then the message `sent` (with
    %(body)s and %(number)s, the case's number) and back to `done`."""
    if request.method == "POST" and form.is_valid():
        body = form.cleaned_data["body"]
        try:
            case = escalate(body)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, sent % {"body": body.name, "number": case.number})
            return redirect(done)
    return render(
        request,
        template,
        {"form": form, **context},
        status=invalid_status(request) if request.method == "POST" else 200,
    )
