"""The annual action plan as PDF (WeasyPrint, `documents.pdf`) and DOCX (`DocxBuilder`).

Both are written from one `PlanDocument`: the title, year, state and the decisions behind it
(a closed item the reader may not read shows as “a closed item”), the introduction, the
criteria and their weights, the ranked table with every score, the capacity with what is
over, and the progress. Texts follow the active language.
"""

import datetime
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.section import WD_ORIENT

from core.charts import format_number
from documents.docx import DocxBuilder, DocxTable
from documents.pdf import html_to_pdf
from planning.models import AnnualPlan
from planning.plans import services


@dataclass
class PlanDocument:
    plan: AnnualPlan
    view: services.PlanView
    recommended: dict | None
    approved: dict | None
    generated_on: datetime.date


def build(user, plan: AnnualPlan) -> PlanDocument:
    """`plan` with its decisions selected (`services.plans_with_links`)."""
    return PlanDocument(
        plan=plan,
        view=services.plan_view(plan),
        recommended=services.decision_link(user, plan.recommended_by),
        approved=services.decision_link(user, plan.approved_by),
        generated_on=timezone.localdate(),
    )


def filename(plan: AnnualPlan, extension: str) -> str:
    """“indsatsplan-2025.pdf”."""
    return f"indsatsplan-{plan.year}.{extension}"


# --- PDF ----------------------------------------------------------------------------------------


def plan_pdf(document: PlanDocument) -> bytes:
    html = render_to_string("planning/plans/plan_pdf.html", {"doc": document})
    return html_to_pdf(html)


# --- DOCX ---------------------------------------------------------------------------------------


def _kr(value) -> str:
    return f"{format_number(value)} kr."


class _Table(DocxTable):
    """The plan's tables, in a smaller font than the shared default."""

    font_size = 8.5


def _decision_text(link: dict | None) -> str:
    if link is None:
        return _("No decision is linked.")
    text = link["label"]
    if link["decision"]:
        text += f" – {link['decision']}"
    return text


def _state(doc: DocxBuilder, document: PlanDocument) -> None:
    plan = document.plan
    doc.heading(_("State and decisions"), level=2)
    doc.paragraph(f"{_('State')}: {plan.get_state_display()}")
    if document.recommended or not plan.is_draft:
        doc.paragraph(f"{_('Recommended by')}: {_decision_text(document.recommended)}")
    if document.approved or plan.is_approved:
        doc.paragraph(f"{_('Approved by')}: {_decision_text(document.approved)}")
    if plan.over_capacity_reason:
        doc.paragraph(
            f"{_('Reason for allocating more than the capacity')}: {plan.over_capacity_reason}"
        )


def _criteria(doc: DocxBuilder, view: services.PlanView) -> None:
    doc.heading(_("Criteria and weights"), level=2)
    if not view.criteria:
        doc.paragraph(_("The plan has no criteria."))
        return
    table = _Table(doc, [_("Criterion"), _("Weight"), _("Share of the weights"), _("Scale")])
    total = view.total_weight or 1
    for criterion in view.criteria:
        table.row(
            criterion.name,
            str(criterion.weight),
            f"{round(100 * criterion.weight / total)} %",
            _("1 is best") if criterion.lower_is_better else _("5 is best"),
        )


def _ranking(doc: DocxBuilder, view: services.PlanView) -> None:
    doc.heading(_("Prioritised entries"), level=2)
    if not view.ranked:
        doc.paragraph(_("The plan has no entries yet."))
        return
    doc.paragraph(
        _(
            "Weighted score: the sum of weight × score divided by the sum of the "
            "weights; for a criterion where a low score is best, 6 − score counts."
        )
    )
    table = _Table(
        doc,
        [
            _("Rank"),
            _("Effort"),
            _("Responsible"),
            _("Hours"),
            _("Kroner"),
            _("Weighted score"),
            *[c.name for c in view.criteria],
            _("Progress"),
        ],
        size=7.5,
    )
    for row in view.ranked:
        entry = row.entry
        rank = str(row.rank)
        if row.overridden:
            rank += f" ({_('set by hand')}: {entry.rank_reason})"
        score = row.score_text
        if not row.complete:
            score += f" ({_('not fully scored')})"
        table.row(
            rank,
            entry.title,
            entry.responsible.name if entry.responsible_id else "–",
            format_number(entry.hours),
            _kr(entry.amount),
            score,
            *["–" if v is None else str(v) for v in row.values],
            entry.get_progress_display(),
        )


def _capacity(doc: DocxBuilder, view: services.PlanView) -> None:
    used = view.capacity
    doc.heading(_("Capacity"), level=2)
    table = _Table(doc, [_("Capacity"), _("Available"), _("Allocated"), _("Over")])
    table.row(
        _("Hours"),
        format_number(used.hours_available),
        format_number(used.hours_allocated),
        format_number(used.hours_over) if used.hours_over else "–",
    )
    table.row(
        _("Kroner"),
        _kr(used.amount_available),
        _kr(used.amount_allocated),
        _kr(used.amount_over) if used.amount_over else "–",
    )
    if used.over:
        doc.paragraph(_("The entries are allocated more than the capacity."))


def _progress(doc: DocxBuilder, view: services.PlanView) -> None:
    doc.heading(_("Progress"), level=2)
    doc.paragraph(", ".join(f"{p['label']}: {p['count']}" for p in view.progress))
    for row in view.ranked:
        entry = row.entry
        if entry.progress_note or entry.progress_updated_on:
            when = f" ({entry.progress_updated_on:%d-%m-%Y})" if entry.progress_updated_on else ""
            doc.bullet(
                f"{entry.title}: {entry.get_progress_display()}{when}. "
                f"{entry.progress_note}".strip()
            )


def plan_docx(document: PlanDocument) -> bytes:
    plan = document.plan
    doc = DocxBuilder(plan.title, plan.municipality)
    section = doc.document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    doc.paragraph(_("Annual action plan %(year)s") % {"year": plan.year})
    doc.heading(plan.title, level=1)
    doc.paragraph(_("Generated %(date)s") % {"date": f"{document.generated_on:%d-%m-%Y}"})
    if plan.introduction:
        doc.paragraph(plan.introduction)
    _state(doc, document)
    _criteria(doc, document.view)
    _ranking(doc, document.view)
    _capacity(doc, document.view)
    _progress(doc, document.view)
    return doc.to_bytes()
