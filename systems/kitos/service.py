"""The KITOS import: read everything first (`mapper.read_all`), compare it with the
municipality's rows by KITOS uuid (`plan`), show that (the dry run) or write it (`apply`) in
one transaction.

- A row is new, changed (each field old → new), unchanged, or gone from KITOS. A row gone from
  KITOS is not deleted (projects, breaches and assessments may point at it); the report names
  it, and it keeps its data.
- Only the fields KITOS owns (`owned.OWNED_FIELDS`) are written; the rest stays digistyr's.
  Rows written get `kitos_synced_at`; their history records the change ("KITOS").
- Assessments read from KITOS (a risk assessment, a DPIA) are `from_kitos` rows of their
  usage, one per kind, updated in place; supervisions of an agreement are added by date,
  never removed.
- Any error while reading leaves everything as it was: nothing is compared before
  everything is read, and the write is one transaction.
"""

import uuid as uuidlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from systems.kitos.mapper import Read, read_all
from systems.kitos.owned import kitos_link
from systems.models import (
    Assessment,
    Contract,
    DataProcessingAgreement,
    Supervision,
    Supplier,
    System,
    SystemUsage,
)

REASON = "KITOS"
NEW, CHANGED, UNCHANGED, GONE = "new", "changed", "unchanged", "gone"
KIND_LABELS = {
    NEW: gettext_lazy("New"),
    CHANGED: gettext_lazy("Changed"),
    UNCHANGED: gettext_lazy("Unchanged"),
    GONE: gettext_lazy("Gone from KITOS"),
}

# The models in the order they are written, with where their rows are in `Read` and the
# fields compared (a relation by the KITOS uuid of the row it points at).
MODELS = [
    (Supplier, "suppliers", ("name", "cvr")),
    (System, "systems", ("name", "description", "supplier", "national")),
    (
        SystemUsage,
        "usages",
        ("system", "local_name", "purpose", "criticality", "personal_data", "hosting", "lifecycle"),
    ),
    (Contract, "contracts", ("name", "supplier", "start", "end", "notice_months", "usages")),
    (
        DataProcessingAgreement,
        "agreements",
        (
            "name",
            "processor",
            "sub_processors",
            "concluded_on",
            "third_countries",
            "transfer_basis",
            "supervision_months",
            "usages",
        ),
    ),
]
M2M = {"usages", "sub_processors"}
FK = {"supplier", "system", "processor"}


@dataclass
class Change:
    kind: str
    model: type
    uuid: uuidlib.UUID
    name: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (label, old, new)
    row: object = None

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def model_label(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def link(self) -> str | None:
        return kitos_link(self.row) if self.row is not None else None


@dataclass
class Plan:
    read: Read
    changes: list[Change] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    @property
    def counts(self) -> dict[str, int]:
        return {kind: self.count(kind) for kind in KIND_LABELS}

    @property
    def shown(self) -> list[Change]:
        """The changes worth reading: not the unchanged rows."""
        return [change for change in self.changes if change.kind != UNCHANGED]

    @property
    def warnings(self) -> list[str]:
        return self.read.warnings

    def summary(self) -> str:
        counts = self.counts
        return (
            _(
                "New: %(new)s. Changed: %(changed)s. Unchanged: %(unchanged)s. Gone from KITOS "
                "(kept): %(gone)s."
            )
            % counts
        )


def _show(model, name: str, value, read: Read) -> str:
    if value is None or value == "" or value == [] or value == set():
        return "—"
    if name in FK or name in M2M:
        values = value if isinstance(value, (set, list, tuple)) else [value]
        names = sorted(_name_of(name, model, v, read) for v in values)
        return ", ".join(names)
    model_field = model._meta.get_field(name)
    if getattr(model_field, "choices", None):
        labels = dict(model_field.choices)
        return str(labels.get(value, value))
    if name == "personal_data":
        from systems.models import PersonalData

        labels = dict(PersonalData.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if hasattr(value, "year"):
        return formats.date_format(value, "d-m-Y")
    text = str(value)
    return text if len(text) <= 120 else text[:119] + "…"


def _name_of(name: str, model, uuid, read: Read) -> str:
    source = {
        "supplier": read.suppliers,
        "processor": read.suppliers,
        "sub_processors": read.suppliers,
        "system": read.systems,
        "usages": read.usages,
    }[name]
    row = source.get(uuid)
    if row is None:
        return str(uuid)
    if name == "usages":
        system = read.systems.get(row["system"], {})
        return row["local_name"] or system.get("name", str(uuid))
    return row["name"]


def _current(row, name: str, uuids: dict):
    """The row's value of `name` as the import compares it: relations by KITOS uuid."""
    if name in M2M:
        return {related.kitos_uuid for related in uuids[(row.pk, name)]}
    if name in FK:
        related_id = getattr(row, f"{name}_id")
        return uuids["pk", name].get(related_id) if related_id else None
    return getattr(row, name)


def _existing(model, municipality):
    return {
        row.kitos_uuid: row
        for row in model.objects.filter(municipality=municipality, kitos_uuid__isnull=False)
    }


def plan(municipality, read: Read) -> Plan:
    """Compare what was read with the municipality's rows (matched by KITOS uuid)."""
    result = Plan(read=read)
    for model, attribute, names in MODELS:
        wanted = getattr(read, attribute)
        existing = _existing(model, municipality)
        uuids: dict = {}
        for name in names:
            if name in FK:
                related = model._meta.get_field(name).related_model
                uuids["pk", name] = dict(
                    related.objects.filter(municipality=municipality).values_list(
                        "pk", "kitos_uuid"
                    )
                )
            elif name in M2M:
                for row in existing.values():
                    uuids[(row.pk, name)] = list(getattr(row, name).all())
        for uuid, values in wanted.items():
            row = existing.get(uuid)
            changes = []
            for name in names:
                if name not in values:
                    continue  # not read this time (a value KITOS has that digistyr lacks)
                new = values[name]
                label = str(model._meta.get_field(name).verbose_name)
                if row is None:
                    if new not in (None, "", [], set()):
                        changes.append((label, "—", _show(model, name, new, read)))
                    continue
                old = _current(row, name, uuids)
                if (set(old) if name in M2M else old) != new:
                    changes.append(
                        (label, _show(model, name, old, read), _show(model, name, new, read))
                    )
            changes += _children(model, row, values, read)
            kind = NEW if row is None else CHANGED if changes else UNCHANGED
            result.changes.append(
                Change(kind, model, uuid, values["name"] if "name" in values else "", changes, row)
            )
        if model is not Supplier:
            for uuid, row in existing.items():
                if uuid not in wanted:
                    result.changes.append(Change(GONE, model, uuid, str(row), [], row))
    for change in result.changes:
        if not change.name:
            change.name = _name_of("usages", SystemUsage, change.uuid, read)
    return result


def _children(model, row, values, read: Read) -> list[tuple[str, str, str]]:
    """The assessments of a usage and the supervisions of an agreement, as changed fields."""
    changes = []
    if model is SystemUsage:
        current = {}
        if row is not None:
            for assessment in row.assessments.filter(from_kitos=True).order_by("-done_on"):
                current.setdefault(assessment.kind, assessment)
        for kind, wanted in values["assessments"].items():
            have = current.get(kind)
            old = (have.done_on, have.outcome, have.next_due) if have else None
            new = (wanted["done_on"], wanted["outcome"], wanted["next_due"])
            if old != new:
                label = str(dict(Assessment._meta.get_field("kind").choices)[kind])
                changes.append((label, _assessment(old), _assessment(new)))
    if model is DataProcessingAgreement:
        have = set(row.supervisions.values_list("done_on", flat=True)) if row else set()
        added = sorted({s["done_on"] for s in values["supervisions"]} - have)
        if added:
            changes.append(
                (
                    str(Supervision._meta.verbose_name_plural),
                    ", ".join(formats.date_format(d, "d-m-Y") for d in sorted(have)) or "—",
                    ", ".join(formats.date_format(d, "d-m-Y") for d in sorted(have | set(added))),
                )
            )
    return changes


def _assessment(value) -> str:
    if value is None:
        return "—"
    done_on, outcome, next_due = value
    from systems.models import Outcome

    text = f"{formats.date_format(done_on, 'd-m-Y')} ({Outcome(outcome).label})"
    if next_due:
        text += " " + _("next %(date)s") % {"date": formats.date_format(next_due, "d-m-Y")}
    return text


def apply(municipality, the_plan: Plan) -> Plan:
    """Write the plan in one transaction: create the new rows, change the changed ones, mark
    every row read with the time; nothing of a row gone from KITOS is touched."""
    read = the_plan.read
    now = timezone.now()
    with transaction.atomic():
        rows: dict[tuple[type, uuidlib.UUID], object] = {}
        for model, attribute, names in MODELS:
            existing = _existing(model, municipality)
            for uuid, values in getattr(read, attribute).items():
                row = existing.get(uuid) or model(municipality=municipality, kitos_uuid=uuid)
                dirty = row.pk is None
                for name in names:
                    if name not in values or name in M2M:
                        continue
                    new = values[name]
                    if name in FK:
                        related = model._meta.get_field(name).related_model
                        new = rows.get((related, new)) if new else None
                        if getattr(row, f"{name}_id") != (new.pk if new else None):
                            setattr(row, name, new)
                            dirty = True
                    elif getattr(row, name) != new:
                        setattr(row, name, new)
                        dirty = True
                if dirty:
                    row.kitos_synced_at = now
                    row._change_reason = REASON
                    row.save()
                rows[model, uuid] = row
                for name in names:
                    if name in M2M and name in values:
                        related = model._meta.get_field(name).related_model
                        targets = [rows[related, u] for u in values[name] if (related, u) in rows]
                        manager = getattr(row, name)
                        if {r.pk for r in manager.all()} != {t.pk for t in targets}:
                            manager.set(targets)
                if model is SystemUsage:
                    _write_assessments(row, values["assessments"])
                if model is DataProcessingAgreement:
                    _write_supervisions(row, values["supervisions"])
            model.objects.filter(
                municipality=municipality, kitos_uuid__in=list(getattr(read, attribute))
            ).update(kitos_synced_at=now)
    return the_plan


def _write_assessments(usage, wanted: dict) -> None:
    current = {}
    for assessment in usage.assessments.filter(from_kitos=True).order_by("-done_on"):
        current.setdefault(assessment.kind, assessment)
    for kind, values in wanted.items():
        row = current.get(kind) or Assessment(
            municipality=usage.municipality, usage=usage, kind=kind, from_kitos=True
        )
        if row.pk is None or any(
            getattr(row, k) != values[k] for k in ("done_on", "outcome", "next_due")
        ):
            for name, value in values.items():
                setattr(row, name, value)
            row._change_reason = REASON
            row.save()


def _write_supervisions(agreement, wanted: list[dict]) -> None:
    have = set(agreement.supervisions.values_list("done_on", flat=True))
    for values in wanted:
        if values["done_on"] in have:
            continue
        have.add(values["done_on"])
        supervision = Supervision(
            municipality=agreement.municipality,
            agreement=agreement,
            done_on=values["done_on"],
            outcome=Supervision._meta.get_field("outcome").choices[0][0],
            note=_("Read from KITOS. %(remark)s") % {"remark": values["note"]}
            if values["note"]
            else _("Read from KITOS."),
        )
        supervision._change_reason = REASON
        supervision.save()


def run(municipality, client, *, dry_run: bool) -> Plan:
    """Read KITOS with `client`, compare, and (unless a dry run) write."""
    the_plan = plan(municipality, read_all(client))
    if not dry_run:
        apply(municipality, the_plan)
    return the_plan
