"""The steering-group pack as PDF (WeasyPrint, `documents.pdf`) and DOCX (`DocxBuilder`).

Both are written from one `pack.services.Pack`. The PDF shows the traffic lights as coloured
dots with the colour's word and draws the benefits chart as inline SVG; the DOCX shades the
table cells in the colour and writes the word in them. Texts follow the active language; the
copy attached to an agenda is rendered in the site's language (`pack.views`).
"""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor

from core.charts import format_number
from documents.docx import DocxBuilder, DocxTable
from documents.pdf import html_to_pdf
from pack.services import Light, Pack
from portfolio.models import Colour

# Cell fill and text colour per traffic light (the colours of static/css/portfolio.css).
SHADES = {
    Colour.GREEN: ("358000", RGBColor(0xFF, 0xFF, 0xFF)),
    Colour.YELLOW: ("FFBF00", RGBColor(0x1A, 0x1A, 0x1A)),
    Colour.RED: ("B0151A", RGBColor(0xFF, 0xFF, 0xFF)),
}


def filename(pack: Pack, extension: str) -> str:
    """“portefoeljestatus-2024-09-18.pdf”."""
    return f"portefoeljestatus-{pack.meeting.date:%Y-%m-%d}.{extension}"


def generated_line(pack: Pack) -> str:
    return _("Generated %(date)s") % {"date": f"{pack.generated_on:%d-%m-%Y}"}


def kind_line(pack: Pack) -> str:
    return f"{_('Steering-group pack')} – {pack.scope_label}"


# --- PDF ----------------------------------------------------------------------------------------


def chart_for_pdf(pack: Pack) -> str:
    """The benefits chart as HTML with inline SVG (it carries its own colours)."""
    return render_to_string("core/charts/bar_chart.html", {"chart": pack.chart})


def pack_pdf(pack: Pack) -> bytes:
    html = render_to_string(
        "pack/pack_pdf.html",
        {"pack": pack, "chart_html": mark_safe(chart_for_pdf(pack))},  # noqa: S308 - our template
    )
    return html_to_pdf(html)


# --- DOCX ---------------------------------------------------------------------------------------


def _kr(value) -> str:
    return "–" if value is None else f"{format_number(value)} kr."


def _share(value) -> str:
    return "–" if value is None else f"{value} %"


def _shade(cell, light: Light) -> None:
    """Fill the cell in the light's colour and write its word in a readable colour."""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(light.label)
    if light.colour not in SHADES:
        return
    fill, text_colour = SHADES[light.colour]
    run.font.color.rgb = text_colour
    run.bold = True
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


class _Table(DocxTable):
    """The shared table; a traffic light is shown as a shaded cell."""

    def write_value(self, cell, value) -> None:
        if isinstance(value, Light):
            _shade(cell, value)
            for run in cell.paragraphs[0].runs:
                run.font.size = self.size
        else:
            super().write_value(cell, value)


def _status(doc: DocxBuilder, pack: Pack) -> None:
    doc.heading(_("Portfolio status"), level=2)
    doc.paragraph(
        _("%(count)d active projects, %(late)d with a late status report.")
        % {"count": len(pack.rows), "late": pack.late_count}
    )
    if not pack.rows:
        doc.paragraph(_("The portfolio has no active projects."))
        return
    names = [light.name[:1].upper() + light.name[1:] for light in pack.rows[0].dimensions]
    table = _Table(
        doc,
        [
            _("Project"),
            _("Category"),
            _("Phase"),
            _("Project leader"),
            _("Overall"),
            *names,
            _("Latest report"),
            _("Late"),
        ],
        size=8,
    )
    for row in pack.rows:
        table.row(
            row.project.name,
            row.project.get_category_display(),
            row.project.get_phase_display(),
            row.leader,
            *row.lights,
            f"{row.reported_on:%d-%m-%Y}" if row.reported_on else "–",
            _("Late") if row.late else "–",
        )


def _changes(doc: DocxBuilder, pack: Pack) -> None:
    doc.heading(_("What has changed"), level=2)
    doc.paragraph(f"{pack.since_label}.")
    if not pack.has_changes:
        doc.paragraph(_("Nothing has changed in the portfolio since then."))
    if pack.colour_changes:
        doc.heading(_("Overall colour changed"), level=3)
        table = _Table(doc, [_("Project"), _("From"), _("To")])
        for change in pack.colour_changes:
            before = Light("", change.before) if change.before else change.before_label
            table.row(change.project.name, before, Light("", change.after))
    if pack.phase_changes:
        doc.heading(_("Phase changes"), level=3)
        table = _Table(
            doc, [_("Project"), _("From phase"), _("To phase"), _("Decided on"), _("Decision")]
        )
        for change in pack.phase_changes:
            decision = (
                f"{change.decision.meeting.heading}: {change.decision.title}"
                if change.decision_id
                else "–"
            )
            table.row(
                change.project.name,
                change.get_from_phase_display(),
                change.get_to_phase_display(),
                f"{change.decided_on:%d-%m-%Y}",
                decision,
            )
    if pack.new_projects:
        doc.heading(_("New projects"), level=3)
        for project in pack.new_projects:
            details = [project.get_category_display(), project.get_phase_display().lower()]
            if project.leader_id:
                details.append(project.leader.name)
            doc.bullet(f"{project.name} ({', '.join(details)})")
    if pack.new_risks:
        doc.heading(_("New risks"), level=3)
        for risk in pack.new_risks:
            where = risk.project.name if risk.project_id else _("the whole portfolio")
            score = _("score %(score)s") % {"score": risk.score}
            doc.bullet(f"{risk.title} – {where} ({score})")


def _risks(doc: DocxBuilder, pack: Pack) -> None:
    doc.heading(_("Top risks"), level=2)
    if not pack.top_risks:
        doc.paragraph(_("There are no open risks."))
        return
    table = _Table(
        doc, [_("Risk"), _("Project"), _("Score"), _("Status"), _("Risk owner"), _("Mitigation")]
    )
    for risk in pack.top_risks:
        table.row(
            risk.title,
            risk.project.name if risk.project_id else _("The whole portfolio"),
            f"{risk.score} ({risk.probability} × {risk.impact})",
            risk.get_status_display(),
            risk.owner.name if risk.owner_id else "–",
            risk.mitigation.strip() or "–",
        )


def _benefits(doc: DocxBuilder, pack: Pack) -> None:
    doc.heading(_("Benefits realised against planned"), level=2)
    if not pack.benefit_years:
        doc.paragraph(_("No economic benefits are planned or measured."))
        return
    doc.paragraph(f"{pack.chart.title} (kr.)")
    table = _Table(doc, [_("Year"), _("Planned"), _("Realised"), _("Realised of planned")])
    for row in pack.benefit_years:
        table.row(str(row.year), _kr(row.planned), _kr(row.realised), _share(row.share))
    if pack.benefit_projects:
        doc.heading(_("Projects with the largest planned benefits"), level=3)
        table = _Table(doc, [_("Project"), _("Planned"), _("Realised"), _("Realised of planned")])
        for entry in pack.benefit_projects:
            table.row(
                entry.project.name, _kr(entry.planned), _kr(entry.realised), _share(entry.share)
            )


def _decisions(doc: DocxBuilder, pack: Pack) -> None:
    doc.heading(_("Decisions asked for"), level=2)
    if not pack.decisions:
        doc.paragraph(_("No decisions are asked for from the portfolio."))
        return
    table = _Table(doc, [_("Matter"), _("Project"), _("The decision asked for"), _("Date")])
    for decision in pack.decisions:
        title = f"{decision.case_number} {decision.title}".strip()
        table.row(
            title,
            decision.project or "–",
            decision.question or "–",
            f"{decision.date:%d-%m-%Y}" if decision.date else "–",
        )


def pack_docx(pack: Pack) -> bytes:
    doc = DocxBuilder(pack.title, pack.meeting.municipality)
    section = doc.document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    doc.paragraph(kind_line(pack))
    doc.heading(pack.title, level=1)
    doc.paragraph(generated_line(pack))
    _status(doc, pack)
    _changes(doc, pack)
    _risks(doc, pack)
    _benefits(doc, pack)
    _decisions(doc, pack)
    return doc.to_bytes()
