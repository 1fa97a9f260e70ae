"""The DPO's annual report and a body's systems: their content on built data (the page, the
DOCX read back with python-docx, the PDF's text with pdftotext), attaching the report to an
open agenda, and bad input."""

import datetime
import io
import shutil
import subprocess

import docx
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from core.models import Role
from meetings.models import Attachment, MeetingState
from systems.reports import documents, services
from tests import factories
from tests.once import once_per_module
from tests.world import CANARY_OWN, build_tenant

YEAR = timezone.localdate().year - 1


def _at(month, day, hour=10):
    return timezone.make_aware(datetime.datetime(YEAR, month, day, hour))


@once_per_module
def w():
    t = build_tenant("Norddjurs Kommune", canary=CANARY_OWN)
    m = t.municipality
    aula = factories.system_usage(
        m, "Aula", personal_data=["ordinary", "cpr"], hosting="external", body=t.body
    )
    fasit = factories.system_usage(m, "Fasit", personal_data=["sensitive"], body=t.body)
    factories.assessment(fasit, kind="risk", done_on=datetime.date(YEAR, 2, 1))
    factories.assessment(fasit, kind="dpia", done_on=datetime.date(YEAR, 3, 1))
    agreement = factories.agreement(m, "DBA Fasit", usages=[fasit], supervision_months=12)
    factories.supervision(agreement, done_on=datetime.date(YEAR, 4, 1), outcome="remarks")
    factories.contract(
        m,
        "Aula-kontrakt",
        usages=[aula],
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2030, 1, 1),
        notice_months=6,
    )
    factories.breach(
        m,
        "Brud i tide",
        discovered_at=_at(5, 1),
        severity="high",
        notified_at=_at(5, 2),
        description="LUKKET-INDHOLD",
    )
    factories.breach(
        m,
        "Brud for sent",
        discovered_at=_at(6, 1),
        severity="high",
        notified_at=_at(6, 10),
        not_notified_reason="Overset",
    )
    factories.breach(m, "Brud ikke anmeldt", discovered_at=_at(7, 1), severity="low")
    return t


def test_the_annual_report_counts_and_lists(w):
    with scope(municipality=w.municipality.pk):
        report = services.annual_report(w.municipality, YEAR)
    high = next(row for row in report.severities if row.severity == "high")
    low = next(row for row in report.severities if row.severity == "low")
    assert (high.total, high.in_time, high.late) == (2, 1, 1)
    assert (low.total, low.not_notified) == (1, 1)
    # (the world's own system is there too)
    without_risk = {line.subject for line in report.without_risk}
    assert "Aula" in without_risk and "Fasit" not in without_risk
    assert "Aula" in {line.subject for line in report.without_agreement}
    dpias_missing = {line.subject for line in report.dpias_missing}
    assert "Aula" in dpias_missing and "Fasit" not in dpias_missing
    assert len(report.supervisions) == 1 and len(report.dpias) == 1
    assert all(line.breach.description == "" for line in report.breaches)


def test_the_annual_report_page_and_docx(w):
    client = Client()
    client.force_login(w.users[Role.READER])
    html = client.get(reverse("systems:annual_report", args=[YEAR])).content.decode()
    assert "Brud for sent" in html and "Aula" in html and "LUKKET-INDHOLD" not in html
    with scope(municipality=w.municipality.pk):
        data = documents.annual_docx(services.annual_report(w.municipality, YEAR))
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert str(YEAR) in text
    assert "Brud for sent" in cells and "Aula" in cells and "DBA Fasit" in cells
    assert "LUKKET-INDHOLD" not in text + "".join(cells)


@pytest.mark.documents
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")
def test_the_annual_report_pdf_text(w, tmp_path):
    with scope(municipality=w.municipality.pk):
        data = documents.annual_pdf(services.annual_report(w.municipality, YEAR))
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Brud ikke anmeldt" in text and "Aula" in text and "Fasit" in text
    assert "LUKKET-INDHOLD" not in text


def test_the_pdf_download_goes_through_a_job(w):
    client = Client()
    client.force_login(w.users[Role.READER])
    response = client.get(reverse("systems:annual_report_docx", args=[YEAR]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'dpo-aarsrapport-{YEAR}.docx"')


def test_a_year_out_of_bounds_is_404(w):
    client = Client()
    client.force_login(w.users[Role.READER])
    for year in (1999, timezone.localdate().year + 2):
        assert client.get(reverse("systems:annual_report", args=[year])).status_code == 404
    response = client.get(reverse("systems:annual_report", args=[YEAR]) + "?aar=2020")
    assert response.status_code == 302


def test_attach_the_report_to_an_open_agenda(w):
    admin = w.users[Role.ADMINISTRATOR]
    with scopes_disabled():
        meeting = factories.meeting(
            w.board, timezone.localdate() + datetime.timedelta(days=7), state=MeetingState.PLANNED
        )
        sent = factories.meeting(
            w.board,
            timezone.localdate() + datetime.timedelta(days=8),
            state=MeetingState.AGENDA_SENT,
        )
    client = Client()
    client.force_login(admin)
    url = reverse("systems:annual_report_attach", args=[YEAR])
    page = client.get(url).content.decode()
    assert f'value="{meeting.pk}"' in page and f'value="{sent.pk}"' not in page
    bad = client.post(url, {"meeting": meeting.pk, "item": "7"})
    assert bad.status_code == 422
    assert client.post(url, {"meeting": sent.pk}).status_code == 422
    response = client.post(url, {"meeting": meeting.pk})
    assert response.status_code == 302
    with scopes_disabled():
        attachment = Attachment.objects.get(item__meeting=meeting)
        assert attachment.content_type == "application/pdf" and str(YEAR) in attachment.title
    client.post(url, {"meeting": meeting.pk, "item": "1"})
    with scopes_disabled():
        assert Attachment.objects.get(item__meeting=meeting).version == 2


def test_a_reader_may_not_attach(w):
    client = Client()
    client.force_login(w.users[Role.READER])
    assert client.get(reverse("systems:annual_report_attach", args=[YEAR])).status_code == 403


def test_the_body_s_systems(w):
    client = Client()
    client.force_login(w.users[Role.READER])
    html = client.get(reverse("systems:body_systems", args=[w.body.pk])).content.decode()
    assert "Aula" in html and "Fasit" in html and "Aula-kontrakt" in html and "DBA Fasit" in html
    body_page = client.get(reverse("organisation:body_detail", args=[w.body.pk])).content.decode()
    assert reverse("systems:body_systems", args=[w.body.pk]) in body_page
    with scope(municipality=w.municipality.pk):
        data = documents.body_docx(services.body_systems(w.body))
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert "Aula" in cells and "Fasit" in cells
    other = factories.municipality("Anden")
    outsider = factories.user(other, Role.ADMINISTRATOR)
    client.force_login(outsider)
    assert client.get(reverse("systems:body_systems", args=[w.body.pk])).status_code == 404
