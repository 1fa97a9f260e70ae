"""What KITOS owns: the fields of a row read from KITOS that digistyr shows but does not let
anyone change (the next import would overwrite them), and the link back to the row in KITOS.

The register's forms call `kitos_owned_fields(model)` and disable those fields when
`row.from_kitos`; the pages show `kitos_link(row)` next to them ("Ret i KITOS").

KITOS's web client (Strongminds/kitos, the Angular UI under /ui/) routes a row's page as
`it-systems/it-system-usages/<uuid>`, `it-systems/it-system-catalog/<uuid>`,
`it-contracts/<uuid>` and `data-processing/<uuid>` (AppPath in kitos-frontend's routing).
"""

from django.conf import settings

from systems.models import (
    Contract,
    DataProcessingAgreement,
    Supplier,
    System,
    SystemUsage,
)

# The fields the import writes, per model. Everything else (owner, body, KLE codes, the
# risk-assessment interval, notes, project links …) stays digistyr's to keep.
OWNED_FIELDS: dict[type, tuple[str, ...]] = {
    Supplier: ("name", "cvr"),
    System: ("name", "description", "supplier", "national"),
    SystemUsage: (
        "system",
        "local_name",
        "purpose",
        "criticality",
        "personal_data",
        "hosting",
        "lifecycle",
    ),
    Contract: ("name", "usages", "supplier", "start", "end", "notice_months"),
    DataProcessingAgreement: (
        "name",
        "usages",
        "processor",
        "sub_processors",
        "concluded_on",
        "third_countries",
        "supervision_months",
    ),
}

# The path of a row's page in KITOS's web client.
UI_PATHS: dict[type, str] = {
    System: "it-systems/it-system-catalog/{uuid}",
    SystemUsage: "it-systems/it-system-usages/{uuid}",
    Contract: "it-contracts/{uuid}",
    DataProcessingAgreement: "data-processing/{uuid}",
}


def kitos_owned_fields(model) -> tuple[str, ...]:
    """The names of the fields KITOS owns on `model` (a class or an instance); () for a model
    KITOS knows nothing about. Disable them in a form when the row is `from_kitos`."""
    cls = model if isinstance(model, type) else type(model)
    return OWNED_FIELDS.get(cls, ())


def kitos_base_url() -> str:
    return (getattr(settings, "KITOS_URL", "") or "").rstrip("/")


def kitos_link(row) -> str | None:
    """The address of `row`'s page in KITOS, or None when it is not from KITOS, its kind has
    no page there (a supplier is an organisation) or no KITOS address is configured."""
    uuid = getattr(row, "kitos_uuid", None)
    path = UI_PATHS.get(type(row))
    base = kitos_base_url()
    if uuid is None or path is None or not base:
        return None
    return f"{base}/ui/{path.format(uuid=uuid)}"


def is_owned(row, field: str) -> bool:
    """Whether `field` of `row` is KITOS's and so read-only in digistyr."""
    return bool(getattr(row, "kitos_uuid", None)) and field in kitos_owned_fields(row)
