"""What the pages answer, shared by the apps."""

from django.http import HttpRequest


def form_status(request: HttpRequest) -> int:
    """The status of a page that shows its form: 422 when a POST comes back to it (the posted
    form had errors), 200 for a GET."""
    return 422 if request.method == "POST" else 200


def invalid_status(request: HttpRequest) -> int:
    """422 for a plain post with errors; htmx only swaps 2xx, so it gets 200."""
    return 200 if getattr(request, "htmx", False) else 422


def render_form(request: HttpRequest, template_name: str, context: dict):
    """The page of a form (`context["form"]`): 422 when the form has errors (a POST that
    comes back to its page), else 200."""
    from django.shortcuts import render

    return render(request, template_name, context, status=422 if context["form"].errors else 200)
