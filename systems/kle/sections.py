"""What the KLE domain adds to lower apps' pages (core.sections) and to their history: the
case page's KLE numbers, and their changes on the case's history page."""

import dataclasses

from django.utils.translation import gettext as _

from core import history
from core.permissions import has_perm
from systems.models import CaseTask, KleCode


def case_kle(request, case) -> dict:
    """The case's KLE numbers, and whether the user may change them."""
    return {
        "case": case,
        "codes": list(KleCode.objects.filter(cases__case=case).order_by("number")),
        "can_change": has_perm(request.user, "meetings.change_cases"),
    }


def _case_tasks(case) -> history.Part:
    def label(record, names) -> str:
        return _("KLE number: %(code)s") % {"code": names.get((KleCode, record.code_id), "")}

    return history.Part(CaseTask, CaseTask.history.filter(case_id=case.pk), label, ("case",))


def extend_case_history() -> None:
    """The case's history page (the meetings app's kind "sag") also lists its KLE numbers
    added and removed."""
    kind = history.kind("sag")
    if kind is None or getattr(kind.parts, "with_kle", False):
        return
    base = kind.parts

    def parts(case) -> list[history.Part]:
        return [*(base(case) if base else []), _case_tasks(case)]

    parts.with_kle = True  # type: ignore[attr-defined]
    history.register("sag", dataclasses.replace(kind, parts=parts))


def ready() -> None:
    from core import sections

    sections.register("meetings.case", "systems/kle/_case_kle.html", case_kle)
    extend_case_history()
