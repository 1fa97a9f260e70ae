"""The Direktion's meeting of 15-05-2024 (seed 004): loaded idempotently, and its agenda and
minutes, generated as PDF and DOCX in both variants, say what the seed says."""

import datetime
import io
import re
import subprocess

import docx
import pytest
from django_scopes import scopes_disabled

from core.models import Municipality
from meetings import demo, documents, services
from meetings.models import (
    AgendaItem,
    Attachment,
    Case,
    CaseStep,
    FollowUp,
    Meeting,
    MeetingState,
    MinutesVersion,
    Outcome,
)
from organisation import demo as organisation_demo
from organisation.models import OrgUnit, Person
from tests.once import once_per_module

pytestmark = pytest.mark.django_db

MODELS = [OrgUnit, Person, Case, CaseStep, Meeting, AgendaItem, Attachment, FollowUp]

# seed 004, "Tid Punkt"
TIMED = [
    "9.00 Ankomst",
    "9.05 Punkt 1 – Beslutningsprotokoller og dagsordener (Borgmesteren deltager ikke)",
    "9.30 Dialogmøde med aftaleholdere",
    "10.00 Pause",
    "10.10 Databeskyttelsesrådgiverens årsrapport 2023",
    "10.30 Personalepolitisk status",
    "10.45 Ledelsesprojektet",
    "11.30 Ungegaranti",
    "12.00 Frokost",
    "12.30 Forenkling af politikker, strategier og planer",
    "13.00 Udviklingsforløb for chefforum",
    "13.50 Pause",
    "14.00 Fælles lederdag 12. juni",
    "14.45 Gennemgang af punkter til kommende direktionsmøde",
    "15.00 Mødet afsluttes",
]
# seed 004, "Bilag:" (the closed ones carry neither document nor journal number)
ATTACHMENTS = [
    "1 - 3608761 Åben Databeskyttelsesrådgiverens årsrapport 2023 (40064/24)",
    "2 - 3610268 Åben Personalepolitisk status 2023 (41270/24)",
    "3 - Lukket Direktionens grundfortælling vers. 12.5.24",
    "4 - Lukket Orienteringssag til ØK om Ledelsesprojektet",
    "5 - Lukket Kommissorie Ledelsesprojektet",
    "6 - Lukket Tids- og procesplan for Ledelsesprojektet",
    "7 - Lukket Program for chefforumseminar d. 29.-30. maj",
    "8 - 3610148 Åben Oversigt over udgifter til Ungegaranti (41188/24)",
    "9 - 3610150 Åben Forslag til indsatser i Ungegaranti (41190/24)",
    "10 - 3609934 Åben Forenkling af politikker i Norddjurs Kommune - Tidsplan af de tre spor "
    "(41021/24)",
    "11 - 3609936 Åben Forenkling af politikker i Norddjurs Kommune - Tidsplan for forenkling af "
    "politikker, planer og strategier (41023/24)",
    "12 - 3609942 Åben Kommissorium for forenkling af politikker strategier og planer i "
    "Norddjurs Kommune (41027/24)",
]
# Every guest the seed names for an item, with the title it gives them.
GUESTS = [
    "Udviklingskonsulent Vicki Nygaard Svendsen",
    "chefkonsulent Lene Helbo Bachmann",
    "arbejdsmarkedschef Erik Holck Hansen",
    "skole- og dagtilbudschef Thomas Olesen",
    "børne- og familiechef Mette Koudal",
    "sekretariatschef Rikke Thind",
    "sekretariatschef Lisette Bulig Thoustrup",
    "sekretariatschef Jeppe Thvilum",
    "konsulent Carina Tang Svendsen",
    "konsulent Malene Blæsbjerg",
    "Ulrik Toft",
    "Oplægsholder Anders Trillingsgaard",
    "HR- og arbejdsmiljøkonsulent Trine Kjær Poulsen",
]
GUEST_LINES = [
    "Chefkonsulent Lene Helbo Bachmann og udviklingskonsulent Vicki Nygaard Svendsen deltager "
    "under behandlingen.",
    "Arbejdsmarkedschef Erik Holck Hansen, børne- og familiechef Mette Koudal og skole- og "
    "dagtilbudschef Thomas Olesen deltager under behandlingen.",
    "14.45 Gennemgang af punkter til kommende direktionsmøde Udviklingskonsulent Vicki Nygaard "
    "Svendsen deltager under behandlingen.",
]
COMMON = [
    "Direktionen 15-05-2024",
    "Punkter til behandling",
    "Åben Sag",
    "Sagsgang DIR",
    "Sagsfremstilling Direktionen har følgende punkter til behandling: Tid Punkt",
    "Indstilling Det indstilles, at punkterne behandles.",
    "Bilag:",
]
FOLLOW_UPS = [
    "Ledelsessekretariatet følger op: Bemærkningerne til grundfortællingen indarbejdes. "
    "(frist 28-05-2024)",
    "Ledelsessekretariatet følger op: Direktionsseminar i august 2024 planlægges. "
    "(frist 28-06-2024)",
    "Arbejdsmarkedschef Erik Holck Hansen og skole- og dagtilbudschef Thomas Olesen følger op: "
    "Sagen skal behandles på møde i direktionen den 6. juni. (frist 06-06-2024)",
    "Arbejdsgruppen følger op: En justeret udgave af kommissoriet fremsendes til direktionen på "
    "mail. (frist 04-06-2024)",
]


# The footer "3 / 7" breaks into the text where a page ends.
PAGE_NUMBER = re.compile(r"^\s*\d+\s*/\s*\d+\s*$", re.MULTILINE)


def flat(text: str) -> str:
    """Without whitespace: PDF lines break anywhere, also after a hyphen."""
    return "".join(text.split())


def _counts():
    with scopes_disabled():
        counts = {model.__name__: model.objects.count() for model in MODELS}
        counts.update({f"{m.__name__}.history": m.history.count() for m in MODELS})
        counts["MinutesVersion"] = MinutesVersion.objects.count()
    return counts


@once_per_module(history=True)
def meeting():
    """The Direktion's meeting of seed 004, loaded once for the module."""
    organisation_demo.load()
    with scopes_disabled():
        norddjurs = Municipality.objects.get(slug="norddjurs")
    result = demo.load_executive_meeting(norddjurs)
    assert result.created
    return result.meeting


def test_loading_twice_changes_nothing(meeting):
    first = _counts()
    out = io.StringIO()
    with scopes_disabled():
        norddjurs = Municipality.objects.get(slug="norddjurs")
    organisation_demo.load()
    result = demo.load_executive_meeting(norddjurs, stdout=out)
    assert result.created == {} and result.meeting.pk == meeting.pk
    assert "intet ændret" in out.getvalue()
    assert _counts() == first


def test_the_meeting_as_entered(meeting):
    with scopes_disabled():
        meeting = Meeting.objects.select_related("body").get(pk=meeting.pk)
        items = services.agenda_items(meeting)
        assert meeting.heading == "Direktionen 15-05-2024"
        assert meeting.state == MeetingState.MINUTES_APPROVED
        assert meeting.minutes_approved_at.date() == datetime.date(2024, 5, 22)
        version = MinutesVersion.objects.get(meeting=meeting)
        assert version.number == 1 and len(version.snapshot) == 14
        timed = services.timed_items(meeting, items)
        assert [f"{services.format_time(x.start)} {x.item.title}" for x in timed] == TIMED[:-1]
        assert services.meeting_end(meeting, items) == datetime.time(15, 0)
        assert [x.item.is_break for x in timed].count(True) == 4
        case = items[1].case
        assert case.title == "Punkter til behandling"
        assert services.route_label(case) == "DIR"
        assert {i.case_id for i in items if not i.is_break} == {case.pk}
        untreated = [i.title for i in items if i.outcome == Outcome.NOT_TREATED]
        assert untreated == ["Dialogmøde med aftaleholdere"]
        # It waits in the Direktion's backlog.
        assert [i.title for i in services.backlog(meeting.body).not_treated] == untreated
        attachments = services.numbered_attachments(items)
        assert [a.item.title for _, a in attachments] == (
            ["Databeskyttelsesrådgiverens årsrapport 2023", "Personalepolitisk status"]
            + ["Ledelsesprojektet"] * 5
            + ["Ungegaranti"] * 2
            + ["Forenkling af politikker, strategier og planer"] * 3
        )
        for _number, attachment in attachments:
            with attachment.file.open("rb") as handle:
                assert handle.read(5) == b"%PDF-"
        owners = {
            (f.owner_unit.name if f.owner_unit_id else f.owner.name, f.due_date)
            for f in FollowUp.objects.filter(item__meeting=meeting)
        }
        assert owners == {
            ("Ledelsessekretariatet", datetime.date(2024, 5, 28)),
            ("Ledelsessekretariatet", datetime.date(2024, 6, 28)),
            ("Erik Holck Hansen", datetime.date(2024, 6, 6)),
            ("Thomas Olesen", datetime.date(2024, 6, 6)),
            ("Arbejdsgruppen", datetime.date(2024, 6, 4)),
        }
        invented = FollowUp.objects.filter(item__meeting=meeting).exclude(
            due_date=datetime.date(2024, 6, 6)
        )
        assert all("(demo)" in f.note for f in invented)
        # a municipality in use has followed up long since: done on the due date (demo)
        follow_ups = FollowUp.objects.filter(item__meeting=meeting)
        assert all(f.status == "done" and f.done_on == f.due_date for f in follow_ups)
        guest = Person.objects.get(name="Erik Holck Hansen")
        assert guest.title == "arbejdsmarkedschef" and guest.unit.name == "Arbejdsmarked"


def _read_back(meeting, kind, fmt, public, tmp_path) -> str:
    with scopes_disabled():
        content = getattr(documents, f"{kind}_{fmt}")(meeting, public=public)
    if fmt == "docx":
        return flat("\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs))
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return flat(PAGE_NUMBER.sub("", text))


@pytest.mark.documents
def test_agenda_and_minutes_say_what_the_seed_says(meeting, tmp_path):
    decided = [spec for spec in demo.ITEMS if spec.decision]
    assert len(decided) == 7
    for kind in ("agenda", "minutes"):
        for fmt in ("pdf", "docx"):
            for public in (False, True):
                text = _read_back(meeting, kind, fmt, public, tmp_path)
                where = f"{kind}.{fmt} {'public' if public else 'internal'}"
                for guest in GUESTS:  # first in a sentence or not
                    assert flat(guest).lower() in text.lower(), f"{where}: missing {guest}"
                expected = [*COMMON, *TIMED, *ATTACHMENTS, *GUEST_LINES]
                expected.append("Offentlig udgave" if public else "Intern udgave")
                for spec in demo.ITEMS:
                    expected += spec.text.split("\n\n") if spec.text else []
                if kind == "minutes":
                    expected += [
                        "Beslutning i Direktionen den 15-05-2024",
                        "Dialogmøde med aftaleholdere Punktet blev ikke behandlet.",
                    ]
                    expected += FOLLOW_UPS
                    for spec in decided:
                        expected.append(spec.title)
                        expected += spec.decision.split("\n")
                for line in expected:
                    assert flat(line) in text, f"{where}: missing “{line}”"
                if kind == "agenda":
                    assert flat("Beslutning i") not in text
                    assert flat("Punktet blev ikke behandlet") not in text
                    assert flat("Den personalepolitiske redegørelse blev godkendt.") not in text


@pytest.mark.documents
def test_public_variant_shows_closed_attachments_by_title_only(meeting, tmp_path):
    with scopes_disabled():
        # Give a closed attachment numbers, as a member's upload might: the public variant
        # still shows only "Lukket" and the title.
        Attachment.objects.filter(title="Kommissorie Ledelsesprojektet").update(
            document_number="3609999", journal_number="41999/24"
        )
    for fmt in ("pdf", "docx"):
        public = _read_back(meeting, "agenda", fmt, True, tmp_path)
        internal = _read_back(meeting, "agenda", fmt, False, tmp_path)
        assert flat("5 - Lukket Kommissorie Ledelsesprojektet") in public
        assert "3609999" not in public and "41999/24" not in public
        assert flat("5 - 3609999 Lukket Kommissorie Ledelsesprojektet (41999/24)") in internal


def test_the_reports_go_on_to_political_treatment(meeting):
    """Seed 004: the DPO's annual report goes on to "Økonomiudvalg og Kommunalbestyrelse",
    the personnel statement to "Hovedudvalget, Økonomiudvalget og Kommunalbestyrelsen"."""
    with scopes_disabled():
        routes = {
            case.title: (
                services.route_label(case),
                [(s.body.external, s.arrived_on) for s in case.steps.all()],
                case.origin_url,
            )
            for case in Case.objects.filter(
                number__in=[n for n, *_ in demo.POLITICAL_CASES]
            ).prefetch_related("steps__body")
        }
        backlog = services.backlog(meeting.body).cases
    meeting_url = f"/moeder/{meeting.pk}/"
    created, sent = demo.CASE_CREATED_ON, demo.MEETING_DATE
    assert routes == {
        "Databeskyttelsesrådgiverens årsrapport 2023": (
            "DIR → ØK → KB",
            [(False, created), (True, sent), (True, None)],
            meeting_url,
        ),
        "Personalepolitisk status 2023": (
            "DIR → HU → ØK → KB",
            [(False, created), (True, sent), (True, None), (True, None)],
            meeting_url,
        ),
    }
    assert backlog == []  # sent on: no longer waiting for the Direktion
