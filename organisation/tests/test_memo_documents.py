"""The status memo as page, PDF and DOCX, read back: every active group's members and status."""

import datetime
import io
import subprocess

import docx
import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from core.models import Job, JobStatus
from tests import factories

pytestmark = pytest.mark.django_db

MEMO_DATE = datetime.date(2021, 8, 15)


@pytest.fixture
def groups(municipality):
    municipality.memo_intro = (
        "Der er på nuværende tidspunkt etableret tre faste tværgående grupper."
    )
    municipality.save()
    board = factories.body(municipality, "Direktion")
    steering = factories.body(
        municipality,
        "Den tværgående digitaliseringsstyregruppe",
        parent=board,
        cross_cutting=True,
        purpose="Digitalisering skal styrkes som en integreret del af driften.",
        organisation="Gruppen mødes 4 gange årligt (i hvert kvartal)\nTo årlige dialogmøder med hvert chefområde",
    )
    security = factories.body(
        municipality,
        "Informationssikkerhedsudvalget",
        cross_cutting=True,
        purpose="Styrende organ for informationssikkerhed.",
    )
    factories.body(
        municipality,
        "Gruppe for markedsføring",
        cross_cutting=True,
        closed_on=datetime.date(2019, 11, 30),
        closing_summary="Gruppen afsluttede sit arbejde i efteråret 2019.",
    )
    factories.body(
        municipality,
        "Gruppe i fremtiden",
        cross_cutting=True,
        established_on=datetime.date(2022, 1, 1),
    )
    tonny = factories.person(
        municipality, "Tonny Olsen", "chef for Borgerservice, IT og Digitalisering"
    )
    soes = factories.person(municipality, "Søs Fuglsang", "sundheds- og omsorgschef")
    former = factories.person(municipality, "Tidligere Medlem", "chef")
    later = factories.person(municipality, "Senere Medlem", "chef")
    kaare = factories.person(
        municipality, "Kaare Christensen", "teamleder og databeskyttelsesrådgiver"
    )
    factories.membership(tonny, steering, role="chair")
    factories.membership(soes, steering)
    factories.membership(former, steering, end=datetime.date(2021, 6, 30))
    factories.membership(later, steering, start=datetime.date(2021, 9, 1))
    factories.membership(kaare, security)
    factories.status(
        steering, "Ny digitaliseringsstrategi til politisk behandling.", datetime.date(2021, 8, 1)
    )
    factories.status(steering, "En ældre status.", datetime.date(2020, 8, 1))
    factories.status(steering, "En senere status.", datetime.date(2021, 10, 1))
    factories.status(security, "Risikostyring er sat i system.", datetime.date(2021, 8, 1))
    return steering


EXPECTED = [
    "Den tværgående digitaliseringsstyregruppe",
    "Tonny Olsen, chef for Borgerservice, IT og Digitalisering",
    "Søs Fuglsang, sundheds- og omsorgschef",
    "Ny digitaliseringsstrategi til politisk behandling.",
    "Gruppen mødes 4 gange årligt (i hvert kvartal)",
    "Informationssikkerhedsudvalget",
    "Kaare Christensen, teamleder og databeskyttelsesrådgiver",
    "Risikostyring er sat i system.",
    "Gruppe for markedsføring",
    "2019",
    "Gruppen afsluttede sit arbejde i efteråret 2019.",
    "Der er på nuværende tidspunkt etableret tre faste tværgående grupper.",
]
ABSENT = [
    "Tidligere Medlem",
    "Senere Medlem",
    "En ældre status.",
    "En senere status.",
    "Gruppe i fremtiden",
    "Direktion\n",
]


def _normalise(text: str) -> str:
    return " ".join(text.split())


def check_text(text: str) -> None:
    flat = _normalise(text)
    for expected in EXPECTED:
        assert _normalise(expected) in flat, f"missing: {expected}"
    for absent in ABSENT:
        assert _normalise(absent) not in flat or absent.endswith("\n"), (
            f"should not be there: {absent}"
        )


def test_memo_page(reader_client, groups):
    response = reader_client.get(reverse("organisation:memo") + "?dato=2021-08-15")
    assert response.status_code == 200
    check_text(response.content.decode().replace("<li>", "\n").replace("</li>", ""))


@pytest.mark.documents
def test_memo_pdf_read_back(reader_client, groups, tmp_path):
    response = reader_client.get(reverse("organisation:memo_pdf") + "?dato=2021-08-15")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "statusnotat-2021-08-15.pdf" in response["Content-Disposition"]
    pdf = tmp_path / "memo.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    check_text(text)
    assert "Tidligere Medlem" not in text and "Senere Medlem" not in text
    # Made by a background job (run at once without Redis), labelled for the job's page.
    with scopes_disabled():
        job = Job.objects.get(kind="organisation.memo")
    assert job.status == JobStatus.DONE and job.params == {"on": "2021-08-15", "extension": "pdf"}
    assert job.label == "Statusnotatet pr. 15-08-2021 som PDF"


@pytest.mark.documents
def test_memo_docx_read_back(reader_client, groups):
    response = reader_client.get(reverse("organisation:memo_docx") + "?dato=2021-08-15")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    check_text(text)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Den tværgående digitaliseringsstyregruppe" in headings
    assert any("Gruppe for markedsføring" in h and "2019" in h for h in headings)


def test_memo_on_another_date_follows_the_data(reader_client, groups):
    html = reader_client.get(reverse("organisation:memo") + "?dato=2021-10-15").content.decode()
    assert "Senere Medlem" in html and "En senere status." in html
    assert "Tidligere Medlem" not in html


def test_memo_with_a_bad_date_falls_back_to_today(reader_client, groups):
    response = reader_client.get(reverse("organisation:memo") + "?dato=2021-02-30")
    assert response.status_code == 200
    assert response.context["on"] == datetime.date.today()
