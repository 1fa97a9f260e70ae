"""Every list's Excel export read back with openpyxl: Danish headers, a row's values, the
page's filter, nothing closed for those who may not see it, nothing of another municipality;
and the full export of a municipality (`documents.exports`): a zip of every registered kind and
the attachment files."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from core.models import Role
from documents import exports
from tests.once import once_per_module
from tests.world import CANARY_CLOSED, CANARY_OTHER, CANARY_OWN, build_tenant


@once_per_module
def world():
    own = build_tenant("Norddjurs Kommune", canary=CANARY_OWN)
    other = build_tenant("Anden Kommune", canary=CANARY_OTHER, usernames_prefix="other-")
    return own, other


def _rows(client, user, name, kwargs=None, **params):
    client.force_login(user)
    response = client.get(reverse(name, kwargs=kwargs), params)
    assert response.status_code == 200, name
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [tuple("" if v is None else v for v in row) for row in sheet.iter_rows(values_only=True)]


def _text(rows) -> str:
    return "\n".join(" ".join(str(v) for v in row) for row in rows)


# (url name, params, Danish headers that must be there, a text of a row of the own world)
EXPORTS = [
    (
        "organisation:orgunit_list_xlsx",
        {},
        ["Enhed", "Type", "Del af", "Personer"],
        "Digitalisering",
    ),
    ("organisation:person_list_xlsx", {}, ["Navn", "Titel", "Enhed", "E-mail"], "Tonny Olsen"),
    (
        "organisation:body_list_xlsx",
        {},
        ["Organ", "Type", "Formand", "Medlemmer"],
        "Digitaliseringsstyregruppen",
    ),
    ("meetings:meeting_list_xlsx", {}, ["Dato", "Start", "Organ", "Status"], "Mødelokale"),
    ("meetings:case_list_xlsx", {}, ["Sagsnummer", "Titel", "Status", "Sagsgang"], "Borgerblikket"),
    (
        "meetings:followup_list_xlsx",
        {"status": "all"},
        ["Hvad", "Organ", "Ansvarlig", "Frist"],
        "Opfølgning",
    ),
    (
        "planning:proposal_list_xlsx",
        {},
        ["Forslag", "Modtaget", "Status"],
        "Digital post til foreninger",
    ),
    ("planning:plan_list_xlsx", {}, ["År", "Plan", "Status", "Indsatser"], "Indsatsplan 2025"),
    (
        "planning:activity_list_xlsx",
        {},
        ["Aktivitet", "Organ", "Gentages", "Næste dato"],
        "Budgetproces",
    ),
    (
        "strategy:strategy_list_xlsx",
        {},
        ["Strategi", "Periode", "Mål"],
        "Borgerne betjener sig selv",
    ),
]


@pytest.mark.parametrize(("name", "params", "headers", "text"), EXPORTS)
def test_each_list_exports_its_rows_with_danish_headers(client, world, name, params, headers, text):
    own, _other = world
    rows = _rows(client, own.users[Role.READER], name, **params)
    for header in headers:
        assert header in rows[0], (name, header, rows[0])
    body = _text(rows[1:])
    assert f"{text} {CANARY_OWN}" in body or (text in body and CANARY_OWN in body), body
    assert CANARY_OTHER not in body
    assert CANARY_CLOSED not in body


def test_the_values_are_labels_names_and_dates(client, world):
    own, _ = world
    rows = _rows(client, own.users[Role.READER], "meetings:meeting_list_xlsx")
    held = next(row for row in rows[1:] if row[0] == datetime.datetime(2024, 5, 15))
    assert held[1] == "09.00"
    assert held[3] == own.body.name
    assert held[6] == "Referat godkendt"
    rows = _rows(client, own.users[Role.READER], "meetings:case_list_xlsx")
    case = next(row for row in rows[1:] if row[0] == own.case.number)
    assert case[2] == "Åben"
    assert case[6] == f"{own.body.name} → {own.board.name}"


def test_plan_entries_with_a_column_per_criterion(client, world):
    own, _ = world
    rows = _rows(client, own.users[Role.READER], "planning:plan_entries_xlsx", {"pk": own.plan.pk})
    with scopes_disabled():
        criteria = [c.name for c in own.plan.criteria.order_by("position")]
    assert rows[0][:5] == ("År", "Plan", "Placering", "Placering sat manuelt", "Indsats")
    assert list(rows[0][11:17]) == criteria
    assert rows[1][4] == own.entry.title
    assert rows[1][5] == own.project.name
    assert list(rows[1][11:17]) == [5, 4, 2, 3, 1, 4]


def test_the_filters_of_the_page_apply(client, world):
    own, _ = world
    reader = own.users[Role.READER]
    assert len(_rows(client, reader, "organisation:person_list_xlsx", q="Sekretær")) == 2
    bodies = _rows(client, reader, "organisation:body_list_xlsx", status="afsluttede")
    assert [row[0] for row in bodies[1:]] == [own.closed_body.name]
    assert len(_rows(client, reader, "meetings:case_list_xlsx", status="closed")) == 1
    assert len(_rows(client, reader, "meetings:meeting_list_xlsx", aar="2023")) == 1
    assert len(_rows(client, reader, "planning:proposal_list_xlsx", status="rejected")) == 1


def test_closed_follow_ups_only_for_those_who_may_see_them(client, world):
    own, _ = world
    for role, sees in [(Role.READER, False), (Role.MEMBER, True), (Role.ADMINISTRATOR, True)]:
        body = _text(_rows(client, own.users[role], "meetings:followup_list_xlsx", status="all"))
        assert (CANARY_CLOSED in body) is sees, role


def test_my_follow_ups(client, world):
    own, _ = world
    body = _text(_rows(client, own.users[Role.MEMBER], "meetings:my_followups_xlsx", status="all"))
    assert f"Opfølgning {CANARY_OWN}" in body
    assert "Sekretæren" not in body and CANARY_CLOSED not in body


def test_users_for_administrators(client, world):
    own, _ = world
    rows = _rows(client, own.users[Role.ADMINISTRATOR], "user_list_xlsx")
    assert rows[0][:4] == ("Brugernavn", "Navn", "E-mail", "Rolle")
    assert {row[0] for row in rows[1:]} == set(Role.values)
    reader_row = next(row for row in rows[1:] if row[0] == Role.READER)
    assert reader_row[3] == "Læser"


def test_the_risk_register_has_every_field(client, world):
    own, _ = world
    rows = _rows(client, own.users[Role.READER], "portfolio:risk_list_xlsx")
    assert "Beskrivelse" in rows[0] and "Eskaleret til" in rows[0]


# --- The full export -----------------------------------------------------------------------------


def _zip(client, world):
    own, _ = world
    client.force_login(own.users[Role.ADMINISTRATOR])
    assert client.get(reverse("full_export")).status_code == 200
    response = client.post(reverse("full_export"))
    assert response.status_code == 200, response
    data = b"".join(response) if response.streaming else response.content
    return zipfile.ZipFile(io.BytesIO(data))


def test_the_full_export_holds_every_kind_and_the_attachments(client, world):
    own, _ = world
    archive = _zip(client, world)
    names = archive.namelist()
    for kind in exports.kinds():
        assert f"{kind.name}.xlsx" in names
        workbook = load_workbook(io.BytesIO(archive.read(f"{kind.name}.xlsx")))
        assert workbook.active.max_row >= 1
    readme = archive.read("README.txt").decode()
    for name in names:
        if name != "README.txt":
            assert name in readme
    with scopes_disabled():
        closed = own.closed_attachment
        expected = closed.file.open("rb").read()
        closed.file.close()
    attachment_names = [n for n in names if n.startswith("bilag/")]
    assert any("Lukket bilag" in n for n in attachment_names), attachment_names
    assert expected in [archive.read(n) for n in attachment_names]
    folder = f"bilag/2024-05-15 {own.body.name}/"
    assert any(n.startswith(folder) for n in attachment_names), attachment_names


def test_the_full_export_has_everything_of_the_municipality_and_nothing_else(client, world):
    archive = _zip(client, world)
    everything = ""
    for name in archive.namelist():
        if name.endswith(".xlsx"):
            sheet = load_workbook(io.BytesIO(archive.read(name))).active
            everything += _text(list(sheet.iter_rows(values_only=True))) + "\n"
        else:
            everything += archive.read(name).decode("utf-8", "replace") + "\n"
    assert CANARY_OTHER not in everything
    # closed items are the municipality's own data: the administrator exports them
    assert CANARY_CLOSED in everything
    for text in ("Leverandør forsinket", "Færre henvendelser", "Indsats", "Budgetproces"):
        assert f"{text} {CANARY_OWN}" in everything, text


def test_only_administrators_start_the_full_export(client, world):
    own, _ = world
    client.force_login(own.users[Role.SECRETARY])
    assert client.post(reverse("full_export")).status_code == 403
