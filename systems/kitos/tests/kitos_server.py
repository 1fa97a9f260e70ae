"""A KITOS of our own for the tests: http.server on 127.0.0.1:0 in a thread, answering API v2
requests with JSON shaped like KITOS's response models (see systems/kitos/mapper.py for the
files they are written from). `FakeKitos.state` says what it answers; the tests change it."""

import copy
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ORG = "7b5d0b39-1d2c-4a0b-9a56-3e1a0a0c0001"
TOKEN = "kitos-test-token"
SUPPLIER = {"uuid": "5c1f0000-0000-4000-8000-000000000001", "name": "KMD A/S", "cvr": "26911745"}
SUB = {"uuid": "5c1f0000-0000-4000-8000-000000000002", "name": "Microsoft Ireland", "cvr": ""}
SYSTEM_UUID = "a1000000-0000-4000-8000-000000000001"
CONTRACT_UUID = "c0000000-0000-4000-8000-000000000001"
DPR_UUID = "d0000000-0000-4000-8000-000000000001"


def usage_uuid(n: int) -> str:
    return f"b0000000-0000-4000-8000-{n:012d}"


def ident(uuid, name):
    return {"uuid": uuid, "name": name}


def usage(n: int, *, lifecycle="Operational", hosted="OnPremise") -> dict:
    """An ItSystemUsageResponseDTO."""
    return {
        "uuid": usage_uuid(n),
        "createdBy": ident("e0000000-0000-4000-8000-000000000001", "Anne Admin"),
        "lastModified": "2024-05-01T10:00:00Z",
        "systemContext": ident(SYSTEM_UUID, "KMD Sag"),
        "organizationContext": {"uuid": ORG, "name": "Norddjurs Kommune", "cvr": "29189854"},
        "general": {
            "localSystemId": f"S-{n}",
            "localCallName": f"Sag {n}",
            "notes": "",
            "validity": {
                "valid": True,
                "validAccordingToValidityPeriod": True,
                "validAccordingToLifeCycle": True,
                "validAccordingToMainContract": True,
                "mainContractState": "Active",
                "lifeCycleStatus": lifecycle,
                "validFrom": "2020-01-01T00:00:00",
                "validTo": None,
            },
            "mainContract": ident(CONTRACT_UUID, "Driftsaftale KMD Sag"),
            "isBusinessCritical": "Yes" if n == 1 else "No",
        },
        "roles": [],
        "organizationUsage": {
            "usingOrganizationUnits": [],
            "responsibleOrganizationUnit": None,
        },
        "localKLEDeviations": {"addedKLE": [], "removedKLE": []},
        "externalReferences": [],
        "archiving": {},
        "gdpr": {
            "purpose": "Sagsbehandling",
            "businessCritical": "Yes",
            "hostedAt": hosted,
            "dataSensitivityLevels": ["PersonData", "SensitiveData"],
            "sensitivePersonData": [],
            "specificPersonalData": ["CprNumber"],
            "registeredDataCategories": [],
            "technicalPrecautionsApplied": [],
            "riskAssessmentConducted": "Yes" if n == 1 else "DontKnow",
            "riskAssessmentConductedDate": "2024-02-01T00:00:00" if n == 1 else None,
            "riskAssessmentResult": "Medium",
            "plannedRiskAssessmentDate": "2025-02-01T00:00:00",
            "dpiaConducted": "No",
            "dpiaDate": None,
        },
        "outgoingSystemRelations": [],
    }


def system() -> dict:
    """An ItSystemResponseDTO."""
    return {
        "uuid": SYSTEM_UUID,
        "name": "KMD Sag",
        "description": "ESDH",
        "externalReferences": [],
        "kle": [],
        "deactivated": False,
        "rightsHolder": SUPPLIER,
        "created": "2015-01-01T00:00:00",
        "createdBy": ident("e0000000-0000-4000-8000-000000000002", "KITOS"),
        "recommendedArchiveDuty": {"id": "B", "comment": ""},
        "mainContractSuppliers": [SUPPLIER],
        "usingOrganizations": [],
        "lastModified": "2024-01-01T00:00:00Z",
        "lastModifiedBy": ident("e0000000-0000-4000-8000-000000000002", "KITOS"),
        "scope": "Global",
        "organizationContext": SUPPLIER,
    }


def contract() -> dict:
    """An ItContractResponseDTO."""
    return {
        "uuid": CONTRACT_UUID,
        "name": "Driftsaftale KMD Sag",
        "organizationContext": {"uuid": ORG, "name": "Norddjurs Kommune", "cvr": "29189854"},
        "lastModified": "2024-03-01T00:00:00Z",
        "lastModifiedBy": ident("e0000000-0000-4000-8000-000000000001", "Anne Admin"),
        "createdBy": ident("e0000000-0000-4000-8000-000000000001", "Anne Admin"),
        "general": {
            "contractId": "K-1",
            "agreementElements": [],
            "validity": {
                "valid": True,
                "enforcedValid": False,
                "validFrom": "2021-01-01T00:00:00",
                "validTo": "2026-12-31T00:00:00",
                "requireValidParent": False,
            },
        },
        "procurement": {},
        "supplier": {"organization": SUPPLIER, "signed": True},
        "responsible": {},
        "systemUsages": [ident(usage_uuid(1), "KMD Sag"), ident(usage_uuid(2), "KMD Sag")],
        "dataProcessingRegistrations": [ident(DPR_UUID, "Databehandling KMD")],
        "paymentModel": {},
        "agreementPeriod": {"extensionOptionsUsed": 0, "isContinuous": False},
        "termination": {"terminatedAt": None, "terms": {"noticePeriodMonths": ident("f1", "6")}},
        "payments": {},
        "roles": [],
        "externalReferences": [],
    }


def registration() -> dict:
    """A DataProcessingRegistrationResponseDTO."""
    return {
        "name": "Databehandling KMD",
        "uuid": DPR_UUID,
        "lastModified": "2024-03-01T00:00:00Z",
        "organizationContext": {"uuid": ORG, "name": "Norddjurs Kommune", "cvr": "29189854"},
        "general": {
            "isAgreementConcluded": "Yes",
            "agreementConcludedAt": "2021-02-01T00:00:00",
            "basisForTransfer": ident("f2", "Standardkontrakt (SCC)"),
            "transferToInsecureThirdCountries": "Yes",
            "insecureCountriesSubjectToDataTransfer": [ident("f3", "USA")],
            "dataProcessors": [SUPPLIER],
            "hasSubDataProcessors": "Yes",
            "subDataProcessors": [{"dataProcessorOrganization": SUB}],
            "valid": True,
        },
        "systemUsages": [ident(usage_uuid(1), "KMD Sag")],
        "oversight": {
            "oversightOptions": [],
            "oversightInterval": "Yearly",
            "oversightDates": [
                {
                    "uuid": "f4000000-0000-4000-8000-000000000001",
                    "completedAt": "2023-06-01T00:00:00",
                    "remark": "ISAE 3402",
                }
            ],
        },
        "roles": [],
        "externalReferences": [],
    }


def default_state(usages: int = 3) -> dict:
    return {
        "usages": [usage(n) for n in range(1, usages + 1)],
        "systems": {SYSTEM_UUID: system()},
        "contracts": [contract()],
        "registrations": [registration()],
        "mode": "ok",  # ok | not_json | endless | sleep
        "sleep": 0,
        "requests": [],
    }


class FakeKitos:
    def __init__(self, page_size: int = 2):
        self.page_size = page_size
        self.state = default_state()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                fake.state["requests"].append(self.path)
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    return self._send(401, b'{"message": "Unauthorized"}')
                mode = fake.state["mode"]
                if mode == "sleep":
                    time.sleep(fake.state["sleep"])
                if mode == "not_json":
                    return self._send(
                        200, b"<html><body>Service Unavailable</body></html>", "text/html"
                    )
                url = urllib.parse.urlparse(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                page, size = int(query.get("page", 0)), int(query.get("pageSize", 100))
                path = url.path.removeprefix("/api/v2/")
                if path.startswith("it-systems/"):
                    found = fake.state["systems"].get(path.split("/", 1)[1])
                    return self._json(found) if found else self._send(404, b"{}")
                rows = {
                    "it-system-usages": fake.state["usages"],
                    "it-contracts": fake.state["contracts"],
                    "data-processing-registrations": fake.state["registrations"],
                }.get(path)
                if rows is None:
                    return self._send(404, b"{}")
                if query.get("organizationUuid") != ORG:
                    return self._json([])
                if mode == "endless":
                    return self._json([copy.deepcopy(rows[0])] * size)
                return self._json(rows[page * size : (page + 1) * size])

            def _json(self, data):
                self._send(200, json.dumps(data).encode())

            def _send(self, status, body, content_type="application/json"):
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
