"""The register's kinds of the one history page (`core.history`): a usage with its project
links and assessments, and each supplier, catalogue system, project link, contract, data
processing agreement (with its supervisions), supervision, assessment, KLE number of a case
and the municipality's data protection setup by itself. Everyone in the municipality reads
the register, and so its history (`core.view`). The many-to-many fields (the systems of a
contract or an agreement, its sub-processors) are left out of the changes: diffing them
costs a query per record."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from core import history
from systems.models import (
    Assessment,
    CaseTask,
    Contract,
    DataProcessingAgreement,
    Privacy,
    Supervision,
    Supplier,
    System,
    SystemProject,
    SystemUsage,
)

LIST = "systems:usage_list"


def _detail(usage_id) -> str:
    return reverse("systems:usage_detail", args=[usage_id]) if usage_id else reverse(LIST)


def _first_usage_url(row) -> str:
    first = row.usages.order_by("pk").values_list("pk", flat=True).first()
    return _detail(first)


def _usage_parts(usage: SystemUsage) -> list[history.Part]:
    def link_label(record, names) -> str:
        from portfolio.models import Project

        return _("Project: %(project)s") % {"project": names.get((Project, record.project_id), "")}

    def assessment_label(record, names) -> str:
        kinds = dict(Assessment._meta.get_field("kind").flatchoices)
        return f"{kinds.get(record.kind, record.kind)} {record.done_on:%d-%m-%Y}"

    return [
        history.Part(
            SystemProject, SystemProject.history.filter(usage_id=usage.pk), link_label, ("usage",)
        ),
        history.Part(
            Assessment, Assessment.history.filter(usage_id=usage.pk), assessment_label, ("usage",)
        ),
    ]


def _supervisions(agreement: DataProcessingAgreement) -> list[history.Part]:
    def label(record, names) -> str:
        return _("Supervision %(date)s") % {"date": f"{record.done_on:%d-%m-%Y}"}

    return [
        history.Part(
            Supervision,
            Supervision.history.filter(agreement_id=agreement.pk),
            label,
            ("agreement",),
        )
    ]


KINDS = {
    "system": history.Kind(
        SystemUsage,
        lookup=lambda pk: get_object_or_404(SystemUsage.objects.select_related("system"), pk=pk),
        url=lambda usage: _detail(usage.pk),
        parts=_usage_parts,
    ),
    "leverandoer": history.Kind(
        Supplier,
        lookup=lambda pk: get_object_or_404(Supplier, pk=pk),
        url=lambda supplier: reverse(LIST),
    ),
    "itsystem": history.Kind(
        System,
        lookup=lambda pk: get_object_or_404(System, pk=pk),
        url=lambda system: _detail(
            system.usages.order_by("pk").values_list("pk", flat=True).first()
        ),
    ),
    "systemprojekt": history.Kind(
        SystemProject,
        lookup=lambda pk: get_object_or_404(SystemProject, pk=pk),
        url=lambda link: _detail(link.usage_id),
    ),
    "kontrakt": history.Kind(
        Contract,
        lookup=lambda pk: get_object_or_404(Contract, pk=pk),
        url=_first_usage_url,
        excluded=("usages",),
    ),
    "databehandleraftale": history.Kind(
        DataProcessingAgreement,
        lookup=lambda pk: get_object_or_404(DataProcessingAgreement, pk=pk),
        url=_first_usage_url,
        excluded=("usages", "sub_processors"),
        parts=_supervisions,
    ),
    "tilsyn": history.Kind(
        Supervision,
        lookup=lambda pk: get_object_or_404(Supervision, pk=pk),
        url=lambda supervision: _first_usage_url(supervision.agreement),
    ),
    "vurdering": history.Kind(
        Assessment,
        lookup=lambda pk: get_object_or_404(Assessment, pk=pk),
        url=lambda assessment: _detail(assessment.usage_id),
    ),
    "sagsopgave": history.Kind(
        CaseTask,
        lookup=lambda pk: get_object_or_404(CaseTask, pk=pk),
        url=lambda task: reverse("meetings:case_detail", args=[task.case_id]),
    ),
    "databeskyttelse": history.Kind(
        Privacy,
        lookup=lambda pk: get_object_or_404(Privacy, pk=pk),
        url=lambda privacy: reverse(LIST),
    ),
}


def register() -> None:
    for slug, kind in KINDS.items():
        history.register(slug, kind)
