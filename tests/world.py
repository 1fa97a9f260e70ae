"""A small but complete world of two municipalities, for the permission and query tests.

A canary string is written into the text fields of each municipality's data: no response
to a user of one municipality may ever contain the other's.
"""

import datetime
from dataclasses import dataclass

from core.models import Municipality, Role, User
from organisation.models import Body, BodyKind, Mandate, Membership, OrgUnit, Person
from tests import factories

CANARY_OTHER = "KANARIE-ANDEN-KOMMUNE"
CANARY_OWN = "KANARIE-EGEN-KOMMUNE"


@dataclass
class Tenant:
    municipality: Municipality
    unit: OrgUnit
    person: Person
    body: Body
    closed_body: Body
    board: Body
    mandate: Mandate
    membership: Membership
    users: dict[str, User]


def build_tenant(name: str, canary: str = "", usernames_prefix: str = "") -> Tenant:
    municipality = factories.municipality(name)
    users = {
        role: factories.user(municipality, role, username=f"{usernames_prefix}{role}")
        for role in Role.values
    }
    unit = factories.unit(municipality, f"Digitalisering {canary}".strip())
    person = factories.person(
        municipality, f"Tonny Olsen {canary}".strip(), f"chef {canary}".strip(), unit=unit,
        user=users[Role.MEMBER],
    )
    board = factories.body(municipality, f"Direktion {canary}".strip(), kind=BodyKind.EXECUTIVE_BOARD)
    body = factories.body(
        municipality,
        f"Digitaliseringsstyregruppen {canary}".strip(),
        parent=board,
        purpose=f"Formål {canary}",
        cadence="4 gange årligt",
        meetings_per_year=4,
        cross_cutting=True,
        established_on=datetime.date(2017, 1, 11),
    )
    closed_body = factories.body(
        municipality,
        f"Gruppe for markedsføring {canary}".strip(),
        cross_cutting=True,
        closed_on=datetime.date(2019, 10, 1),
        closing_summary=f"Afsluttet {canary}",
    )
    mandate = factories.mandate(body, board, purpose=f"Kommissorium {canary}")
    factories.rule(mandate, f"Formand {canary}".strip(), role="chair", title_contains="chef",
                   unit=unit)
    membership = factories.membership(person, body, role="chair")
    factories.status(body, f"Status {canary}")
    return Tenant(municipality, unit, person, body, closed_body, board, mandate, membership, users)


def grow(tenant: Tenant, n: int) -> None:
    """Add n more of everything, to check that query counts do not grow with the rows."""
    for i in range(n):
        unit = factories.unit(tenant.municipality, f"Afdeling {i}", parent=tenant.unit)
        person = factories.person(tenant.municipality, f"Medlem {i}", "chef", unit=unit)
        factories.membership(person, tenant.body)
        factories.membership(person, tenant.board, start=datetime.date(2018, 1, 1),
                             end=datetime.date(2019, 1, 1))
        body = factories.body(tenant.municipality, f"Projektgruppe {i}", parent=tenant.body,
                              cross_cutting=True, kind=BodyKind.PROJECT_GROUP)
        factories.membership(person, body)
        factories.status(body, f"Status {i}")
        factories.rule(tenant.mandate, f"Regel {i}", unit=unit)
        factories.mandate(body, tenant.board)
