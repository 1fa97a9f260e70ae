"""The DPO's annual report and a body's systems as PDF (WeasyPrint, `documents.pdf`: A4,
Danish, tagged PDF/UA) and DOCX (`documents.docx.DocxBuilder`), from the services' results."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from documents.docx import DocxBuilder, DocxTable
from documents.pdf import html_to_pdf
from systems.reports.services import AnnualReport, BodySystems, kinds_label


def _date(value) -> str:
    return f"{value:%d-%m-%Y}" if value else "–"


def annual_filename(report: AnnualReport, extension: str) -> str:
    return f"dpo-aarsrapport-{report.year}.{extension}"


def body_filename(found: BodySystems, extension: str) -> str:
    return f"organets-systemer-{found.body.pk}-{found.today:%Y-%m-%d}.{extension}"


def generated_line(day) -> str:
    return _("Generated %(date)s") % {"date": _date(day)}


# --- The annual report ------------------------------------------------------------------------


def annual_pdf(report: AnnualReport) -> bytes:
    return html_to_pdf(render_to_string("systems/reports/annual_pdf.html", {"report": report}))


def _duty_table(doc: DocxBuilder, lines, empty: str, note_header: str | None = None) -> None:
    if not lines:
        doc.paragraph(empty)
        return
    headers = [_("System"), _("State"), _("Due")] + ([note_header] if note_header else [])
    table = DocxTable(doc, headers)
    for line in lines:
        values = [line.subject, line.state_label, _date(line.due)]
        if note_header:
            values.append(line.note or "–")
        table.row(*values)


def annual_docx(report: AnnualReport) -> bytes:
    doc = DocxBuilder(report.title, report.municipality)
    doc.paragraph(_("Data protection"))
    doc.heading(report.title, level=1)
    doc.paragraph(generated_line(report.generated_on))
    doc.paragraph(_("The state of the register on %(date)s.") % {"date": _date(report.as_of)})
    doc.heading(_("Personal data breaches"), level=2)
    doc.paragraph(
        _(
            "%(total)d breaches discovered in %(year)d; %(late)d notified late, %(not)d not notified."
        )
        % {
            "total": report.breach_total,
            "year": report.year,
            "late": report.late_total,
            "not": report.not_notified_total,
        }
    )
    table = DocxTable(
        doc,
        [
            _("Severity"),
            _("Breaches"),
            _("Notified in time"),
            _("Notified late"),
            _("Not notified"),
        ],
    )
    for row in report.severities:
        table.row(row.label, str(row.total), str(row.in_time), str(row.late), str(row.not_notified))
    if report.breaches:
        table = DocxTable(
            doc, [_("Breach"), _("Discovered"), _("Severity"), _("Notification"), _("State")]
        )
        for line in report.breaches:
            breach = line.breach
            table.row(
                breach.title,
                f"{breach.discovered_at:%d-%m-%Y}",
                breach.get_severity_display(),
                line.notified,
                line.state_label,
            )
    doc.heading(_("Systems without a valid risk assessment"), level=2)
    _duty_table(
        doc, report.without_risk, _("Every system with personal data has a valid risk assessment.")
    )
    doc.heading(_("Systems without a data processing agreement"), level=2)
    _duty_table(
        doc,
        report.without_agreement,
        _("Every system with personal data run by an external processor has an agreement."),
    )
    doc.heading(_("Supervisions of data processors"), level=2)
    if report.supervisions:
        table = DocxTable(
            doc, [_("Agreement"), _("Processor"), _("Done on"), _("Method"), _("Outcome")]
        )
        for supervision in report.supervisions:
            agreement = supervision.agreement
            table.row(
                agreement.name,
                agreement.processor.name if agreement.processor_id else "–",
                _date(supervision.done_on),
                supervision.get_method_display(),
                supervision.get_outcome_display(),
            )
    else:
        doc.paragraph(_("No supervisions were done in the year."))
    doc.heading(_("Supervisions overdue"), level=3)
    _duty_table(doc, report.supervisions_overdue, _("No supervision is overdue."))
    doc.heading(_("Impact assessments (DPIA)"), level=2)
    if report.dpias:
        table = DocxTable(doc, [_("System"), _("Done on"), _("Result"), _("Next due")])
        for dpia in report.dpias:
            table.row(
                str(dpia.usage),
                _date(dpia.done_on),
                dpia.get_outcome_display(),
                _date(dpia.next_due),
            )
    else:
        doc.paragraph(_("No impact assessments were done in the year."))
    doc.heading(_("Impact assessments missing"), level=3)
    _duty_table(
        doc,
        report.dpias_missing,
        _(
            "Every system with sensitive data, criminal records or CPR numbers has an impact assessment."
        ),
        note_header=_("Personal data"),
    )
    return doc.to_bytes()


# --- A body's systems -------------------------------------------------------------------------


def body_pdf(found: BodySystems) -> bytes:
    return html_to_pdf(render_to_string("systems/reports/body_pdf.html", {"found": found}))


def body_docx(found: BodySystems) -> bytes:
    doc = DocxBuilder(found.title, found.body.municipality)
    doc.heading(found.title, level=1)
    doc.paragraph(generated_line(found.today))
    if not found.rows:
        doc.paragraph(_("The body governs no systems."))
        return doc.to_bytes()
    table = DocxTable(
        doc,
        [_("System"), _("Criticality"), _("Personal data"), _("Lifecycle"), _("Needs attention")],
    )
    for row in found.rows:
        usage = row.usage
        attention = "; ".join(
            f"{duty.label}: {duty.state_label}" + (f" ({_date(duty.due)})" if duty.due else "")
            for duty in row.attention
        )
        table.row(
            str(usage),
            usage.get_criticality_display() or "–",
            kinds_label(usage.personal_data),
            usage.get_lifecycle_display(),
            attention or _("Nothing"),
        )
    for row in found.rows:
        doc.heading(str(row.usage), level=2)
        for duty in row.duties:
            doc.bullet(
                f"{duty.label}: {duty.state_label}" + (f", {_date(duty.due)}" if duty.due else "")
            )
        for contract, duty in row.contracts:
            notice = _("last notice %(date)s") % {"date": _date(contract.last_notice_date)}
            state = f" ({duty.state_label})" if duty else ""
            ends = _("ends %(date)s") % {"date": _date(contract.end)}
            doc.bullet(f"{_('Contract')}: {contract.name}, {ends}, {notice}{state}")
        for agreement, duty in row.agreements:
            state = (
                f": {_('supervision')} {duty.state_label}"
                + (f", {_date(duty.due)}" if duty and duty.due else "")
                if duty
                else ""
            )
            doc.bullet(f"{_('Data processing agreement')}: {agreement.name}{state}")
        if not row.contracts:
            doc.bullet(_("No contract is registered."))
        if not row.agreements and row.usage.personal_data:
            doc.bullet(_("No data processing agreement is registered."))
    return doc.to_bytes()
