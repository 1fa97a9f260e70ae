"""The annual wheel as documents: iCalendar and PDF, both of the filters chosen on the page.

- `ical(year, municipality)`: one whole-day VEVENT per date of the year (a month-long
  activity is one event over the whole month), with a stable UID: the activity and the date,
  or the meeting's own UID (prefixed, so it never replaces the timed invitation of the
  meeting in a calendar). Each event names its body, kind and a link in the description.
- `pdf(year, municipality)`: the picture (inline SVG with its own <style>, as WeasyPrint
  styles inline SVG only from inside it; see `core.charts`) and the list by month.
"""

import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from documents.pdf import html_to_pdf
from planning.models import ActivityKind
from planning.wheel import services

PRODID = "-//digistyr//Årshjul//DA"


def ical(year: services.WheelYear, municipality) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = _("Annual wheel %(year)s") % {"year": year.label}
    calendar.add("x-wr-calname", f"{name} – {municipality.name}")
    stamp = timezone.now()
    for entry in year.entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.date)
        event.add("dtend", entry.last + datetime.timedelta(days=1))
        who = entry.body_name or _("The whole organisation")
        event.add("summary", f"{entry.title} ({who})")
        lines = [f"{entry.kind_label} – {who}"]
        if entry.planned is not None:
            lines.append(_("Planned as: %(title)s") % {"title": entry.planned.title})
        if entry.activity is not None and entry.activity.description:
            lines.append(entry.activity.description)
        event.add("description", "\n".join(lines))
        event.add("categories", [entry.kind_label])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def pdf(year: services.WheelYear, municipality) -> bytes:
    html = render_to_string(
        "planning/wheel/wheel_pdf.html",
        {
            "year": year,
            "picture": services.picture(year),
            "municipality": municipality,
            "generated_on": timezone.localdate(),
            "kinds": ActivityKind.choices,
        },
    )
    return html_to_pdf(html)


def filename(year: services.WheelYear, extension: str) -> str:
    """“aarshjul-2024-25.pdf”."""
    return f"aarshjul-{year.label.replace('/', '-')}.{extension}"
