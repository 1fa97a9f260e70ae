"""From KITOS's JSON to what digistyr keeps: plain values per KITOS uuid, checked.

The JSON is that of KITOS's API v2 as ASP.NET writes it: the C# properties in camelCase
(`GDPR` → `gdpr`, `DPIADate` → `dpiaDate`) and enums as their names ("Operational",
"OnPremise"; compared without regard to case). The response models read (Strongminds/kitos,
Presentation.Web/Models/API/V2/Response/):

- SystemUsage/ItSystemUsageResponseDTO.cs (uuid, systemContext, general, organizationUsage,
  gdpr), GeneralDataResponseDTO.cs (localCallName, notes, validity, isBusinessCritical),
  ItSystemUsageValidityResponseDTO.cs (valid, lifeCycleStatus: Types/SystemUsage/
  LifeCycleStatusChoice.cs), GDPRRegistrationsResponseDTO.cs (purpose, businessCritical,
  hostedAt: HostingChoice, dataSensitivityLevels: DataSensitivityLevelChoice,
  specificPersonalData, riskAssessmentConducted/-Date/-Result, plannedRiskAssessmentDate,
  dpiaConducted, dpiaDate), OrganizationUsageResponseDTO.cs;
- System/ItSystemResponseDTO.cs + BaseItSystemResponseDTO.cs (uuid, name, description,
  rightsHolder: Organization/ShallowOrganizationResponseDTO.cs with uuid, name, cvr; scope);
- Contract/ItContractResponseDTO.cs (uuid, name, general, supplier, systemUsages,
  termination), ContractGeneralDataResponseDTO.cs + ContractValidityResponseDTO.cs (validFrom,
  validTo), ContractSupplierDataResponseDTO.cs (organization),
  ContractAgreementPeriodDataResponseDTO.cs, ContractTerminationDataResponseDTO.cs +
  ContractTerminationTermsResponseDTO.cs (terms.noticePeriodMonths: a name such as "3");
- DataProcessing/DataProcessingRegistrationResponseDTO.cs (uuid, name, general, systemUsages,
  oversight), DataProcessingRegistrationGeneralDataResponseDTO.cs (agreementConcludedAt,
  basisForTransfer, transferToInsecureThirdCountries, insecureCountriesSubjectToDataTransfer,
  dataProcessors, subDataProcessors), DataProcessorRegistrationSubDataProcessorResponseDTO.cs
  (dataProcessorOrganization), DataProcessingRegistrationOversightResponseDTO.cs
  (oversightInterval: Types/Shared/OversightIntervalChoice.cs, oversightDates:
  Types/DataProcessing/OversightDateDTO.cs with completedAt and remark);
- Generic/Identity/IdentityNamePairResponseDTO.cs (uuid, name).

A field KITOS marks [Required] that is missing, or a uuid or date that is not one, is a
`KitosError` naming the record and the field: nothing is imported. A value digistyr cannot
use (an end before the start, a date in the future) is left out with a warning.
"""

import datetime
import re
import uuid as uuidlib
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.dates import add_months
from systems.kitos.client import KitosError
from systems.models import (
    AssessmentKind,
    Criticality,
    Hosting,
    Lifecycle,
    Outcome,
    PersonalData,
    TransferBasis,
)

_MISSING = object()

LIFECYCLE = {
    "phasingin": Lifecycle.PREPARATION,
    "pilot": Lifecycle.PREPARATION,
    "operational": Lifecycle.IN_USE,
    "phasingout": Lifecycle.PHASING_OUT,
    "notinuse": Lifecycle.ENDED,
}
HOSTING = {
    "onpremise": Hosting.ON_PREMISES,
    "external": Hosting.EXTERNAL,
    "hybrid": Hosting.EXTERNAL,
    "undecided": Hosting.UNKNOWN,
}
SENSITIVITY = {
    "persondata": PersonalData.ORDINARY,
    "sensitivedata": PersonalData.SENSITIVE,
    "legaldata": PersonalData.CRIMINAL,
}
CRITICAL = {"yes": Criticality.CRITICAL, "no": Criticality.LOW}
RISK = {"low": Outcome.SATISFACTORY, "medium": Outcome.REMARKS, "high": Outcome.UNSATISFACTORY}
OVERSIGHT_MONTHS = {"biyearly": 6, "yearly": 12, "everyotheryear": 24, "everythirdyear": 36}
# KITOS's bases for transfer are the organisation's own options (names); recognised by words.
TRANSFER_BASES = [
    (("standard", "scc"), TransferBasis.SCC),
    (("bcr", "bindende"), TransferBasis.BCR),
    (("tilstrækkelig", "adequacy", "art. 45"), TransferBasis.ADEQUACY),
    (("49", "undtagelse", "derogation"), TransferBasis.DEROGATION),
]


def _key(value) -> str:
    return str(value or "").replace("_", "").replace(" ", "").lower()


@dataclass
class Read:
    """Everything read from KITOS, keyed by KITOS uuid."""

    suppliers: dict[uuidlib.UUID, dict] = field(default_factory=dict)
    systems: dict[uuidlib.UUID, dict] = field(default_factory=dict)
    usages: dict[uuidlib.UUID, dict] = field(default_factory=dict)
    contracts: dict[uuidlib.UUID, dict] = field(default_factory=dict)
    agreements: dict[uuidlib.UUID, dict] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


class Record:
    """One JSON object of KITOS's answer, and how to name it in a message."""

    def __init__(self, data, what: str):
        self.what = what
        if not isinstance(data, dict):
            raise KitosError(_("%(record)s in KITOS's answer is not a record.") % {"record": what})
        self.data = data

    def _walk(self, path: str):
        value = self.data
        for part in path.split("."):
            if not isinstance(value, dict) or part not in value:
                return _MISSING
            value = value[part]
        return value

    def missing(self, path: str) -> KitosError:
        return KitosError(
            _(
                "KITOS's answer lacks the field “%(field)s” of %(record)s. Nothing has been imported."
            )
            % {"field": path, "record": self.what}
        )

    def wrong(self, path: str, value) -> KitosError:
        return KitosError(
            _(
                "The field “%(field)s” of %(record)s in KITOS's answer is not valid: "
                "%(value)s. Nothing has been imported."
            )
            % {"field": path, "record": self.what, "value": repr(value)[:60]}
        )

    def req(self, path: str, kind=None):
        value = self._walk(path)
        if value is _MISSING or value is None:
            raise self.missing(path)
        if kind is not None and not isinstance(value, kind):
            raise self.wrong(path, value)
        return value

    def opt(self, path: str, kind=None):
        value = self._walk(path)
        if value is _MISSING or value is None:
            return None
        if kind is not None and not isinstance(value, kind):
            raise self.wrong(path, value)
        return value

    def uuid(self, path: str, required: bool = True) -> uuidlib.UUID | None:
        value = self.req(path) if required else self.opt(path)
        if value is None:
            return None
        try:
            return uuidlib.UUID(str(value))
        except ValueError:
            raise self.wrong(path, value) from None

    def date(self, path: str) -> datetime.date | None:
        value = self.opt(path)
        if value is None:
            return None
        try:
            return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
        except ValueError:
            raise self.wrong(path, value) from None

    def text(self, path: str) -> str:
        return str(self.opt(path) or "").strip()

    def array(self, path: str, required: bool = True) -> list:
        value = self.req(path, list) if required else (self.opt(path, list) or [])
        return value

    def choice(self, path: str, table: dict):
        """The digistyr value of a KITOS enum; None when empty or unknown."""
        return table.get(_key(self.opt(path)))


def _label(kind: str, data, uuid_path: str = "uuid", name: str = "") -> str:
    uuid = data.get(uuid_path) if isinstance(data, dict) else None
    name = name or (data.get("name") if isinstance(data, dict) else "") or ""
    if name:
        return _("the %(kind)s “%(name)s” (%(uuid)s)") % {"kind": kind, "name": name, "uuid": uuid}
    return _("the %(kind)s %(uuid)s") % {"kind": kind, "uuid": uuid or "?"}


def _organisation(read: Read, record: Record, path: str) -> uuidlib.UUID | None:
    """A supplier (an organisation in KITOS: uuid, name, cvr) at `path` of the record,
    remembered by its uuid."""
    data = record.opt(path)
    if data is None:
        return None
    return _supplier(read, record, data, path)


def _supplier(read: Read, record: Record, data, path: str) -> uuidlib.UUID:
    org = Record(data, record.what)
    try:
        uuid = org.uuid("uuid")
        name = str(org.req("name")).strip()[:300]
    except KitosError:
        raise record.missing(f"{path}.uuid/name") from None
    cvr = re.sub(r"\D", "", str(org.opt("cvr") or ""))
    read.suppliers[uuid] = {"name": name, "cvr": cvr if len(cvr) == 8 else ""}
    return uuid


def _warn(read: Read, record: Record, message: str) -> None:
    read.warnings.append(f"{record.what}: {message}")


def read_system(read: Read, data) -> uuidlib.UUID:
    record = Record(data, _label(_("IT system"), data))
    uuid = record.uuid("uuid")
    read.systems[uuid] = {
        "name": str(record.req("name")).strip()[:300],
        "description": record.text("description"),
        "supplier": _organisation(read, record, "rightsHolder"),
        "national": _key(record.opt("scope")) == "global",
    }
    return uuid


def read_usage(read: Read, data) -> uuidlib.UUID:
    name = ""
    if isinstance(data, dict) and isinstance(data.get("systemContext"), dict):
        name = data["systemContext"].get("name") or ""
    record = Record(data, _label(_("system usage"), data, name=name))
    uuid = record.uuid("uuid")
    record.req("general", dict)
    record.req("general.validity", dict)
    record.req("gdpr", dict)
    levels = record.array("gdpr.dataSensitivityLevels")
    personal = []
    for level in levels:
        kind = SENSITIVITY.get(_key(level))
        if kind and kind not in personal:
            personal.append(kind)
    if any(_key(x) == "cprnumber" for x in record.array("gdpr.specificPersonalData", False)):
        personal.append(PersonalData.CPR)
    lifecycle = record.choice("general.validity.lifeCycleStatus", LIFECYCLE)
    if lifecycle is None:
        valid = record.opt("general.validity.valid")
        lifecycle = Lifecycle.ENDED if valid is False else Lifecycle.IN_USE
    critical = record.choice("general.isBusinessCritical", CRITICAL)
    if critical is None:
        critical = record.choice("gdpr.businessCritical", CRITICAL)
    usage = {
        "system": record.uuid("systemContext.uuid"),
        "local_name": record.text("general.localCallName")[:300],
        "purpose": record.text("gdpr.purpose"),
        "criticality": critical or "",
        "personal_data": [kind.value for kind in PersonalData if kind in personal],
        "hosting": record.choice("gdpr.hostedAt", HOSTING) or Hosting.UNKNOWN,
        "lifecycle": lifecycle,
        "assessments": {},
    }
    today = timezone.localdate()
    risk_on = record.date("gdpr.riskAssessmentConductedDate")
    if _key(record.opt("gdpr.riskAssessmentConducted")) == "yes" and risk_on:
        if risk_on > today:
            _warn(read, record, _("the risk assessment is dated in the future and is left out."))
        else:
            next_due = record.date("gdpr.plannedRiskAssessmentDate")
            usage["assessments"][AssessmentKind.RISK] = {
                "done_on": risk_on,
                "outcome": record.choice("gdpr.riskAssessmentResult", RISK) or Outcome.REMARKS,
                "next_due": next_due if next_due and next_due > risk_on else None,
                "summary": record.text("gdpr.riskAssessmentNotes"),
            }
    dpia_on = record.date("gdpr.dpiaDate")
    if _key(record.opt("gdpr.dpiaConducted")) == "yes" and dpia_on:
        if dpia_on > today:
            _warn(read, record, _("the DPIA is dated in the future and is left out."))
        else:
            usage["assessments"][AssessmentKind.DPIA] = {
                "done_on": dpia_on,
                "outcome": Outcome.SATISFACTORY,
                "next_due": None,
                "summary": _("KITOS records that the DPIA was done, not its result."),
            }
    read.usages[uuid] = usage
    return uuid


def _months(name) -> int | None:
    match = re.search(r"\d+", str(name or ""))
    return int(match.group()) if match else None


def read_contract(read: Read, data) -> uuidlib.UUID:
    record = Record(data, _label(_("contract"), data))
    uuid = record.uuid("uuid")
    start = record.date("general.validity.validFrom")
    end = record.date("general.validity.validTo")
    if record.opt("general") is None:
        raise record.missing("general")
    if start and end and end < start:
        _warn(read, record, _("it ends before it starts; the end is left out."))
        end = None
    notice = _months(record.opt("termination.terms.noticePeriodMonths.name"))
    if notice is not None and start and end:
        if add_months(end, -notice) < start:
            _warn(read, record, _("the notice period is longer than the contract; it is left out."))
            notice = None
    # A contract's list of usages may hold nulls (List<IdentityNamePairResponseDTO?>).
    usages = {
        Record(usage, record.what).uuid("uuid")
        for usage in record.array("systemUsages")
        if usage is not None
    }
    read.contracts[uuid] = {
        "name": str(record.req("name")).strip()[:300],
        "supplier": _organisation(read, record, "supplier.organization"),
        "start": start,
        "end": end,
        "notice_months": notice,
        "usages": usages,
    }
    return uuid


def read_registration(read: Read, data) -> uuidlib.UUID:
    record = Record(data, _label(_("data processing registration"), data))
    uuid = record.uuid("uuid")
    record.req("general", dict)
    processors = record.array("general.dataProcessors")
    found = [
        _supplier(read, record, data, f"general.dataProcessors[{index}]")
        for index, data in enumerate(processors)
    ]
    processor = found[0] if found else None
    subs = set()
    for index, sub in enumerate(record.array("general.subDataProcessors")):
        path = f"general.subDataProcessors[{index}].dataProcessorOrganization"
        organisation = Record(sub, record.what).opt("dataProcessorOrganization")
        if organisation is None:
            raise record.missing(path)
        subs.add(_supplier(read, record, organisation, path))
    countries = ""
    if _key(record.opt("general.transferToInsecureThirdCountries")) == "yes":
        names = [
            str(Record(c, record.what).req("name")).strip()
            for c in record.array("general.insecureCountriesSubjectToDataTransfer")
        ]
        countries = ", ".join(names)[:300]
    basis = None
    basis_name = _key(record.opt("general.basisForTransfer.name"))
    for words, choice in TRANSFER_BASES:
        if basis_name and any(_key(word) in basis_name for word in words):
            basis = choice
            break
    if countries and not basis:
        _warn(
            read, record, _("the basis of the transfer is not one digistyr knows: choose it here.")
        )
    record.req("oversight", dict)
    interval = record.opt("oversight.oversightInterval")
    supervisions = []
    today = timezone.localdate()
    for index, entry in enumerate(record.array("oversight.oversightDates")):
        entry_record = Record(entry, record.what)
        done_on = entry_record.date("completedAt")
        if done_on is None:
            raise record.missing(f"oversight.oversightDates[{index}].completedAt")
        if done_on > today:
            _warn(read, record, _("a supervision is dated in the future and is left out."))
            continue
        supervisions.append({"done_on": done_on, "note": entry_record.text("remark")})
    usages = set()
    for usage in record.array("systemUsages"):
        usages.add(Record(usage, record.what).uuid("uuid"))
    agreement = {
        "name": str(record.req("name")).strip()[:300],
        "processor": processor,
        "sub_processors": subs,
        "concluded_on": record.date("general.agreementConcludedAt"),
        "third_countries": countries,
        "usages": usages,
        "supervisions": supervisions,
    }
    if _key(interval) in OVERSIGHT_MONTHS:
        agreement["supervision_months"] = OVERSIGHT_MONTHS[_key(interval)]
    if basis:
        agreement["transfer_basis"] = basis
    read.agreements[uuid] = agreement
    return uuid


def read_all(client) -> Read:
    """Read the organisation's usages, their systems, contracts and registrations from KITOS,
    all before anything is compared or written."""
    read = Read()
    for data in client.usages():
        read_usage(read, data)
    for system_uuid in sorted({usage["system"] for usage in read.usages.values()}, key=str):
        read_system(read, client.system(str(system_uuid)))
    for data in client.contracts():
        read_contract(read, data)
    for data in client.registrations():
        read_registration(read, data)
    for rows in (read.contracts, read.agreements):
        for row in rows.values():
            unknown = row["usages"] - read.usages.keys()
            if unknown:
                read.warnings.append(
                    ngettext(
                        "“%(name)s” names %(count)d system usage that is not the "
                        "organisation's in KITOS; it is left out.",
                        "“%(name)s” names %(count)d system usages that are not the "
                        "organisation's in KITOS; they are left out.",
                        len(unknown),
                    )
                    % {"name": row["name"], "count": len(unknown)}
                )
                row["usages"] -= unknown
    return read
