"""Breaches in Excel: every breach of the municipality with its closed content, for the full
export (`documents.exports`, kind "brud"), which only an administrator makes — one of the
circle that reads breaches. Built with `closed=False`, the closed fields
(`Breach.CLOSED_FIELDS`) are left empty, for anyone outside the circle."""

from django.utils import timezone
from django.utils.translation import gettext_lazy

from documents.xlsx import XlsxExporter
from systems.breaches import services
from systems.models import Breach, PersonalData


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


class BreachExport(XlsxExporter):
    sheet_title = gettext_lazy("Breaches")
    columns = (
        gettext_lazy("Title"),
        gettext_lazy("Discovered"),
        gettext_lazy("Occurred"),
        gettext_lazy("System"),
        gettext_lazy("Severity"),
        gettext_lazy("State"),
        gettext_lazy("Notify by"),
        gettext_lazy("Notified to Datatilsynet"),
        gettext_lazy("Notified late"),
        gettext_lazy("Persons informed on"),
        gettext_lazy("Closed on"),
        gettext_lazy("What happened"),
        gettext_lazy("Persons affected"),
        gettext_lazy("Personal data"),
        gettext_lazy("Why not notified (in time)"),
        gettext_lazy("Datatilsynet's reference"),
        gettext_lazy("Measures"),
    )

    def __init__(self, breaches, closed: bool):
        self.breaches = breaches
        self.closed = closed

    def rows(self):
        labels = dict(PersonalData.choices)
        for breach in self.breaches.select_related("usage__system"):
            shown = breach if self.closed else services.withheld(breach)
            yield [
                breach.title,
                _local(breach.discovered_at),
                _local(breach.occurred_at),
                str(breach.usage) if breach.usage_id else None,
                breach.get_severity_display(),
                services.state_label(breach),
                _local(breach.notify_by),
                _local(breach.notified_at),
                str(gettext_lazy("Yes") if breach.notified_late else gettext_lazy("No")),
                breach.persons_informed_on,
                breach.closed_on,
                shown.description,
                shown.persons_affected,
                ", ".join(str(labels.get(k, k)) for k in shown.personal_data or []),
                shown.not_notified_reason,
                shown.authority_reference,
                shown.measures,
            ]


def all_breaches(municipality) -> BreachExport:
    """The full export's workbook (`documents.exports`): made for the municipality's
    administrator, who reads breaches."""
    return BreachExport(Breach.objects.filter(municipality=municipality).order_by("pk"), True)
