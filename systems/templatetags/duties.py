"""The register's duty cells, as Python rather than an included template per cell (the list
shows up to four per row, 50 rows a page)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


def _badge_class(duty) -> str:
    return "badge-warning" if duty.state == "soon" else "badge-error"


def _date(value) -> str:
    return f"{value:%d-%m-%Y}" if value else ""


@register.filter
def duty_due(duty) -> SafeString | str:
    """A duty's date ('–' without one, and without a duty) with its state as a badge when it
    needs attention."""
    if not duty:
        return "–"
    due = _date(duty.due) or "–"
    if not duty.needs_attention:
        return due
    return format_html(
        '{} <span class="badge {}">{}</span>', due, _badge_class(duty), duty.state_label
    )


@register.filter
def duty_flag(duty) -> SafeString:
    """A duty needing attention as a badge: what, its state and its date."""
    due = _date(duty.due)
    return format_html(
        '<span class="badge {}">{}: {}{}</span>',
        _badge_class(duty),
        duty.label,
        duty.state_label,
        f" {due}" if due else "",
    )
