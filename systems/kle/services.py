"""The KLE catalogue: importing KLE-online's emneplan, and the KLE numbers of a system usage
and of a case.

An import compares the file with the catalogue: new numbers are created, a changed title or
validity is updated, and a number the file no longer has is ended (its `valid_to` set to the
day of the import) when a system usage or a case uses it, or when a number below it stays;
otherwise it is removed. The catalogue is written all together or not at all.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from systems.kle.parser import ParsedCode, ParsedPlan
from systems.models import CaseTask, KleCode, SystemUsage


@dataclass
class ImportPlan:
    """What an import does to the catalogue: numbers in each list."""

    new: list[ParsedCode] = field(default_factory=list)
    changed: list[tuple[KleCode, ParsedCode]] = field(default_factory=list)
    ended: list[KleCode] = field(default_factory=list)
    removed: list[KleCode] = field(default_factory=list)
    unchanged: int = 0

    @property
    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "changed": len(self.changed),
            "ended": len(self.ended),
            "removed": len(self.removed),
            "unchanged": self.unchanged,
        }

    def message(self) -> str:
        return (
            _(
                "The KLE catalogue is updated: %(new)d new, %(changed)d changed, %(ended)d ended, "
                "%(removed)d removed, %(unchanged)d unchanged."
            )
            % self.counts
        )


def _used_ids() -> set[int]:
    """The ids of the KLE numbers a system usage or a case of any municipality uses."""
    used = set(
        SystemUsage.kle_codes.through.objects.values_list("klecode_id", flat=True).distinct()
    )
    used |= set(CaseTask.objects.all().values_list("code_id", flat=True).distinct())
    return used


def plan(parsed: ParsedPlan, today: datetime.date | None = None) -> ImportPlan:
    """What importing `parsed` would do, without writing."""
    today = today or timezone.localdate()
    result = ImportPlan()
    existing = {code.number: code for code in KleCode.objects.all()}
    in_file = {code.number for code in parsed.codes}
    for code in parsed.codes:
        current = existing.get(code.number)
        if current is None:
            result.new.append(code)
        elif (
            current.title != code.title
            or current.level != code.level
            or current.valid_from != code.valid_from
            or current.valid_to != code.valid_to
        ):
            result.changed.append((current, code))
        else:
            result.unchanged += 1
    gone = {number: code for number, code in existing.items() if number not in in_file}
    if gone:
        from django_scopes import scopes_disabled

        with scopes_disabled():  # the catalogue is national: every municipality's use counts
            used = _used_ids()
        kept = {number for number, code in gone.items() if code.pk in used}
        # A gone number stays (ended) while a number below it stays.
        for number in list(kept):
            parts = number.split(".")
            for size in range(1, len(parts)):
                kept.add(".".join(parts[:size]))
        for number, code in sorted(gone.items()):
            if number in kept:
                if code.valid_to is None or code.valid_to > today:
                    result.ended.append(code)
                else:
                    result.unchanged += 1
            else:
                result.removed.append(code)
    return result


@transaction.atomic
def apply(parsed: ParsedPlan, today: datetime.date | None = None) -> ImportPlan:
    """Import `parsed` into the catalogue, all or nothing; returns what was done."""
    today = today or timezone.localdate()
    result = plan(parsed, today)
    by_number = {code.number: code for code in KleCode.objects.all()}
    for code in result.new:  # parents first: the parsed codes are ordered by level
        by_number[code.number] = KleCode.objects.create(
            number=code.number,
            title=code.title,
            level=code.level,
            parent=by_number.get(code.parent) if code.parent else None,
            valid_from=code.valid_from,
            valid_to=code.valid_to,
        )
    for current, code in result.changed:
        current.title = code.title
        current.level = code.level
        current.valid_from = code.valid_from
        current.valid_to = code.valid_to
        current.parent = by_number.get(code.parent) if code.parent else None
        current.save()
    for current in result.ended:
        current.valid_to = today
        current.save(update_fields=["valid_to"])
    # Children before parents, so that no cascade reaches a number that stays.
    for current in sorted(result.removed, key=lambda c: -c.level):
        current.delete()
    return result


# --- Search ---------------------------------------------------------------------------------

_NUMBER = r"^\d\d(\.(\d\d?)?)*$"


def search(codes, query: str):
    """`codes` narrowed by a query: a number's beginning (00.01) or words of the title."""
    import re

    query = " ".join(query.split())[:100]
    if not query:
        return codes
    if re.match(_NUMBER, query):
        return codes.filter(number__startswith=query)
    condition = Q()
    for word in query.split():
        condition &= Q(title__icontains=word) | Q(number__startswith=word)
    return codes.filter(condition)


def is_current(code: KleCode, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return code.valid_to is None or code.valid_to > today


# --- The KLE numbers of a usage and of a case -------------------------------------------------


def _refuse_ended(chosen, before_ids: set[int], field_name: str) -> None:
    today = timezone.localdate()
    ended = [c for c in chosen if c.pk not in before_ids and not is_current(c, today)]
    if ended:
        raise ValidationError(
            {
                field_name: _("%(numbers)s has ended and cannot be chosen.")
                % {"numbers": ", ".join(c.number for c in ended)}
            }
        )


@transaction.atomic
def set_usage_codes(usage: SystemUsage, codes) -> None:
    """The usage's KLE numbers become `codes`; a number that has ended may stay, not be added."""
    codes = list(codes)
    before = set(usage.kle_codes.values_list("pk", flat=True))
    _refuse_ended(codes, before, "codes")
    usage.kle_codes.set(codes)


@transaction.atomic
def set_case_codes(case, codes) -> None:
    """The case's KLE numbers become `codes`: one CaseTask per number, each added and removed
    one recorded in its history."""
    codes = list(codes)
    tasks = {task.code_id: task for task in CaseTask.objects.filter(case=case)}
    _refuse_ended(codes, set(tasks), "codes")
    wanted = {code.pk: code for code in codes}
    for code_id, task in tasks.items():
        if code_id not in wanted:
            task.delete()
    for code_id, code in wanted.items():
        if code_id not in tasks:
            CaseTask.objects.create(municipality_id=case.municipality_id, case=case, code=code)
