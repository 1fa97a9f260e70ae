"""The members export, read back with openpyxl."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from documents.xlsx import XlsxExporter
from tests import factories

pytestmark = pytest.mark.django_db


def test_members_export_read_back(reader_client, municipality, other_municipality):
    steering = factories.body(municipality, "Digitaliseringsstyregruppen")
    closed = factories.body(
        municipality,
        "Gruppe for markedsføring",
        closed_on=datetime.date(2019, 11, 30),
        closing_summary="Slut",
    )
    unit = factories.unit(municipality, "Digitalisering")
    tonny = factories.person(
        municipality, "Tonny Olsen", "chef for Borgerservice, IT og Digitalisering", unit
    )
    aase = factories.person(municipality, "Åse Ørum", "konsulent")
    factories.membership(tonny, steering, role="chair", start=datetime.date(2021, 1, 1))
    factories.membership(
        aase, steering, start=datetime.date(2021, 1, 1), end=datetime.date(2021, 6, 30)
    )
    factories.membership(
        factories.person(municipality, "Gammel Markedsfører"),
        closed,
        start=datetime.date(2018, 1, 1),
        end=datetime.date(2019, 11, 30),
    )
    factories.membership(
        factories.person(other_municipality, "Fremmed Person"),
        factories.body(other_municipality, "Fremmed gruppe"),
    )

    response = reader_client.get(reverse("organisation:members_xlsx") + "?dato=2021-03-01")
    assert response.status_code == 200
    assert "medlemmer-2021-03-01.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Organ", "Type", "Navn", "Titel", "Enhed", "Rolle", "Fra", "Til")
    assert rows[1][:6] == (
        "Digitaliseringsstyregruppen",
        "Styregruppe",
        "Tonny Olsen",
        "chef for Borgerservice, IT og Digitalisering",
        "Digitalisering",
        "Formand",
    )
    assert rows[1][6] == datetime.datetime(2021, 1, 1)
    assert rows[2][2] == "Åse Ørum" and rows[2][7] == datetime.datetime(2021, 6, 30)
    assert len(rows) == 3  # no ended seats, no closed body, nothing from another municipality


class _Export(XlsxExporter):
    sheet_title = "Risici & tiltag"
    columns = ("Navn", "Dato")

    def rows(self):
        return [("Borgerblikket", datetime.date(2024, 5, 15))] * 3


def test_every_export_prints_on_a4_landscape_with_its_header_on_each_page():
    sheet = load_workbook(io.BytesIO(_Export().to_bytes())).active
    setup = sheet.page_setup
    assert setup.orientation == "landscape"
    assert int(setup.paperSize) == 9  # A4
    assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.oddHeader.center.text == "Risici && tiltag"
    assert sheet.oddFooter.right.text == "Side &P af &N"


def test_every_export_has_a_bold_frozen_filtered_header_and_danish_dates():
    """Written in openpyxl's write-only mode (streamed): the header, widths, the filter and the
    date formats must survive it."""
    sheet = load_workbook(io.BytesIO(_Export().to_bytes())).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:B4"
    assert [c.font.bold for c in sheet[1]] == [True, True]
    assert sheet["B2"].value == datetime.datetime(2024, 5, 15)
    assert sheet["B2"].number_format == "DD-MM-YYYY"
    assert sheet["A2"].font.bold is False
    assert sheet.column_dimensions["A"].width == len("Borgerblikket") + 2
