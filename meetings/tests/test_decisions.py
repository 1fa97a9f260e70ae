"""The decision log, its full-text search, its Excel export, and the follow-up lists."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from core.models import Role
from meetings import search
from meetings.models import AgendaItem, FollowUp, FollowUpStatus, MeetingState, Outcome
from tests import factories
from tests.world import CANARY_CLOSED, CANARY_OWN

LOG = "/beslutninger/"


def _get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def _items(queryset, q):
    with scopes_disabled():
        return list(search.matching_items(queryset, q))


# --- Search ------------------------------------------------------------------------------------


@pytest.fixture
def texts(t):
    """A held meeting with Danish texts in every searchable field."""
    with scopes_disabled():
        meeting = factories.meeting(t.board, datetime.date(2024, 3, 1), state=MeetingState.HELD)
        items = {
            "title": factories.item(meeting, "Økonomiudvalgets budgetopfølgning"),
            "case_text": factories.item(meeting, "Punkt A", case_text="Sagen om Aulaplatformen"),
            "recommendation": factories.item(
                meeting, "Punkt B", recommendation="Det indstilles, at styregruppen godkender"
            ),
            "decision": factories.item(
                meeting,
                "Punkt C",
                decision="Direktionen har besluttet at udskyde projektet",
                outcome=Outcome.TREATED,
            ),
        }
    return meeting, items


@pytest.mark.usefixtures("no_scopes")
def test_search_finds_a_danish_word_in_every_field(texts):
    meeting, items = texts
    all_items = AgendaItem.objects.filter(meeting=meeting)
    assert _items(all_items, "budgetopfølgning") == [items["title"]]
    assert _items(all_items, "Aulaplatformen") == [items["case_text"]]
    assert _items(all_items, "styregruppen") == [items["recommendation"]]
    assert _items(all_items, "udskyde") == [items["decision"]]


@pytest.mark.usefixtures("no_scopes")
def test_each_database_matches_word_forms_its_own_way(texts):
    meeting, items = texts
    all_items = AgendaItem.objects.filter(meeting=meeting)
    assert _items(all_items, "BESLUTTET") == [items["decision"]], "case does not matter"
    if connection.vendor == "sqlite":
        # FTS5: prefix matching, no stemming, no folding of æøå
        assert _items(all_items, "beslut") == [items["decision"]]
        assert _items(all_items, "økonomiudv") == [items["title"]], "æøå are letters"
        assert _items(all_items, "okonomiudvalgets") == [], "no diacritics folding: ø is not o"
    else:
        # PostgreSQL's danish configuration stems: another form of the word matches
        assert _items(all_items, "beslutter") == [items["decision"]]
        assert _items(all_items, "projekter") == [items["decision"]]
        assert _items(all_items, "økonomiudvalget") == [items["title"]]


@pytest.mark.usefixtures("no_scopes")
def test_all_words_must_match(texts):
    meeting, items = texts
    all_items = AgendaItem.objects.filter(meeting=meeting)
    assert _items(all_items, "Direktionen udskyde") == [items["decision"]]
    assert _items(all_items, "Direktionen Aulaplatformen") == []


@pytest.mark.usefixtures("no_scopes")
def test_search_stays_in_sync_with_every_write(texts):
    meeting, items = texts
    with scopes_disabled():
        all_items = AgendaItem.objects.filter(meeting=meeting)
        item = items["case_text"]
        item.case_text = "Nu handler sagen om Kommunikationsstrategien"
        item.save()
        assert _items(all_items, "Aulaplatformen") == []
        assert _items(all_items, "Kommunikationsstrategien") == [item]
        # A bulk update through the ORM (no save(), no signals) is indexed too.
        AgendaItem.objects.filter(meeting=meeting).update(recommendation="Fælles indstilling")
        found = _items(all_items, "Fælles")
        assert {i.pk for i in found} == {i.pk for i in items.values()}
        assert _items(all_items, "styregruppen") == []
        AgendaItem.objects.filter(pk=items["title"].pk).delete()
        assert _items(all_items, "budgetopfølgning") == []
        new = factories.item(meeting, "Bredbåndsudrulning i landdistrikterne")
        all_items = AgendaItem.objects.filter(meeting=meeting)
        assert _items(all_items, "Bredbåndsudrulning") == [new]


@pytest.mark.usefixtures("no_scopes")
def test_search_keeps_the_queryset_filter(texts, t):
    _, items = texts
    with scopes_disabled():
        only_board = AgendaItem.objects.filter(meeting__body=t.body)
        assert _items(only_board, "udskyde") == []
        assert _items(only_board, "Godkendt") == [t.open_item]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        '"unterminated',
        "NEAR(a b)",
        "a NEAR b",
        "*",
        "**",
        "beslut*",
        "(",
        ")",
        "((a) OR",
        "AND",
        "OR NOT",
        "title:foo",
        "^start",
        "-minus",
        "a + b",
        "{x}",
        "\\",
        "' OR 1=1 --",
        "x" * 5000,
        "ord " * 500,
        "\x00",
        "💡 emoji",
        "",
        "   ",
        "%",
        "_",
    ],
)
@pytest.mark.usefixtures("no_scopes")
def test_odd_queries_never_raise(texts, query):
    assert isinstance(_items(AgendaItem.objects.all(), query), list)


@pytest.mark.usefixtures("no_scopes")
def test_a_query_without_words_matches_nothing(texts):
    assert _items(AgendaItem.objects.all(), "*** ()") == []
    assert search.fts5_query('Beslutning "NEAR(x') == '"Beslutning"* AND "NEAR"* AND "x"*'


@pytest.mark.usefixtures("no_scopes")
def test_ranking_puts_better_matches_first(t):
    with scopes_disabled():
        meeting = factories.meeting(t.board, datetime.date(2024, 3, 1), state=MeetingState.HELD)
        weak = factories.item(meeting, "Punkt", case_text="Lang tekst " * 30 + "cykelsti")
        strong = factories.item(meeting, "Cykelsti", case_text="cykelsti cykelsti cykelsti")
    assert _items(AgendaItem.objects.filter(meeting=meeting), "cykelsti") == [strong, weak]


# --- The decision log -------------------------------------------------------------------------


def test_the_log_shows_decisions_newest_first_with_links(client, t):
    with scopes_disabled():
        later = factories.meeting(t.body, datetime.date(2024, 10, 1), state=MeetingState.HELD)
        newer = factories.item(
            later, "Nyere punkt", decision="Nyere beslutning", outcome=Outcome.TREATED
        )
        later.state = MeetingState.MINUTES_APPROVED
        later.save()
    response = _get(client, t.users[Role.READER], LOG)
    assert response.status_code == 200
    items = response.context["items"]
    assert items[0] == newer
    assert t.open_item in items
    html = response.content.decode()
    assert f"/moeder/{later.pk}/" in html and f"/moeder/{t.meeting.pk}/" in html
    assert "Godkendt " + CANARY_OWN in html


@pytest.mark.parametrize("role", [Role.READER, Role.PROJECT_LEADER])
def test_the_closed_decision_never_reaches_non_members(client, t, role):
    user = t.users[role]
    for params in (
        {},
        {"q": "Lukket"},
        {"q": "beslutning"},
        {"q": "KANARIE LUKKET PUNKT"},
        {"q": "Personalesag"},
    ):
        response = _get(client, user, LOG, **params)
        assert CANARY_CLOSED.encode() not in response.content, params
        assert t.closed_item not in response.context["items"]
    xlsx = _get(client, user, reverse("meetings:decision_xlsx"))
    assert _xlsx_text(xlsx).find(CANARY_CLOSED) == -1


@pytest.mark.parametrize("role", [Role.MEMBER, Role.SECRETARY, Role.ADMINISTRATOR])
def test_members_and_admins_see_the_closed_decision(client, t, role):
    response = _get(client, t.users[role], LOG, q="Lukket beslutning")
    assert CANARY_CLOSED.encode() in response.content
    assert list(response.context["items"]) == [t.closed_item]


def test_draft_decisions_are_for_members_only(client, t):
    with scopes_disabled():
        draft = factories.meeting(
            t.body, datetime.date(2024, 11, 1), state=MeetingState.MINUTES_DRAFT
        )
        item = factories.item(
            draft, "Udkastpunkt", decision="Foreløbig beslutning", outcome=Outcome.TREATED
        )
    assert item not in _get(client, t.users[Role.READER], LOG).context["items"]
    assert item in _get(client, t.users[Role.MEMBER], LOG).context["items"]


def test_filters(client, t):
    with scopes_disabled():
        other = factories.meeting(t.board, datetime.date(2023, 1, 10), state=MeetingState.HELD)
        info = factories.item(
            other,
            "Orientering",
            kind="information",
            decision="Taget til efterretning",
            outcome=Outcome.TREATED,
        )
        other.state = MeetingState.MINUTES_APPROVED
        other.save()
    reader = t.users[Role.READER]
    assert list(_get(client, reader, LOG, organ=t.board.pk).context["items"]) == [info]
    assert info not in _get(client, reader, LOG, fra="2024-01-01").context["items"]
    assert list(_get(client, reader, LOG, til="2023-12-31").context["items"]) == [info]
    assert list(_get(client, reader, LOG, type="information").context["items"]) == [info]
    assert list(_get(client, reader, LOG, q="efterretning").context["items"]) == [info]
    assert list(_get(client, reader, LOG, q="efterretning", organ=t.body.pk).context["items"]) == []


@pytest.mark.parametrize(
    "params",
    [
        {"fra": "2024-13-45"},
        {"til": "i går"},
        {"fra": "2024-06-01", "til": "2024-01-01"},
        {"organ": "abc"},
        {"type": "nonsense"},
    ],
)
def test_bad_filters_are_reported_and_ignored(client, t, params):
    response = _get(client, t.users[Role.READER], LOG, **params)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors
    assert b"alert-error" in response.content
    assert b"form-error-message" in response.content
    # The invalid filter is not applied: the log still shows the approved decision.
    assert t.open_item in response.context["items"]


def test_bad_date_error_is_danish(client, t):
    response = _get(client, t.users[Role.READER], LOG, fra="31-02-2024")
    assert "Indtast en gyldig dato" in response.content.decode()


def test_the_log_is_paginated(client, t):
    with scopes_disabled():
        meeting = factories.meeting(t.board, datetime.date(2024, 2, 1), state=MeetingState.HELD)
        for i in range(55):
            factories.item(
                meeting,
                f"Punkt {i}",
                decision=f"Beslutning {i}",
                duration=5,
                outcome=Outcome.TREATED,
            )
        meeting.state = MeetingState.MINUTES_APPROVED
        meeting.save()
    reader = t.users[Role.READER]
    first = _get(client, reader, LOG, type="discussion")
    assert len(first.context["items"]) == 50
    assert "side=2" in first.content.decode() and "type=discussion" in first.content.decode()
    second = _get(client, reader, LOG, type="discussion", side=2)
    assert len(second.context["items"]) == 5


def _xlsx_text(response) -> str:
    from openpyxl import load_workbook

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    return "\n".join(
        " ".join("" if v is None else str(v) for v in row)
        for row in sheet.iter_rows(values_only=True)
    )


def test_xlsx_export_follows_the_filters(client, t):
    text = _xlsx_text(
        _get(client, t.users[Role.MEMBER], reverse("meetings:decision_xlsx"), q="Godkendt")
    )
    assert "Godkendt " + CANARY_OWN in text
    assert CANARY_CLOSED not in text
    text = _xlsx_text(_get(client, t.users[Role.MEMBER], reverse("meetings:decision_xlsx")))
    assert CANARY_CLOSED in text


# --- Follow-ups -------------------------------------------------------------------------------

LIST = "/opfoelgninger/"
MINE = "/opfoelgninger/mine/"


@pytest.mark.parametrize("url", [LIST, MINE])
@pytest.mark.parametrize("role", [Role.READER, Role.PROJECT_LEADER])
def test_the_closed_follow_up_never_reaches_non_members(client, t, url, role):
    for status in ("open", "overdue", "done", "all"):
        response = _get(client, t.users[role], url, status=status)
        assert response.status_code == 200
        assert CANARY_CLOSED.encode() not in response.content


def test_members_see_the_closed_follow_up_and_overdue_is_flagged(client, t):
    response = _get(client, t.users[Role.SECRETARY], LIST)
    assert CANARY_CLOSED.encode() in response.content
    rows = response.context["follow_ups"]
    assert {f.pk for f in rows} == {t.follow_up.pk, t.closed_follow_up.pk}
    assert b"badge-error" in response.content  # due 2024-06-01: overdue


def test_follow_up_filters(client, t):
    with scopes_disabled():
        future = factories.follow_up(
            t.board,
            owner=t.person,
            description="Fremtidig",
            due_date=timezone.localdate() + datetime.timedelta(days=9),
        )
        done = factories.follow_up(
            t.body,
            owner=t.person,
            description="Færdig",
            status=FollowUpStatus.DONE,
            done_on=datetime.date(2024, 7, 1),
        )
    admin = t.users[Role.ADMINISTRATOR]

    def pks(**params):
        return {f.pk for f in _get(client, admin, LIST, **params).context["follow_ups"]}

    assert pks() == {t.follow_up.pk, t.closed_follow_up.pk, future.pk}
    assert pks(status="overdue") == {t.follow_up.pk, t.closed_follow_up.pk}
    assert pks(status="done") == {done.pk}
    assert pks(status="all") == {t.follow_up.pk, t.closed_follow_up.pk, future.pk, done.pk}
    assert pks(organ=t.board.pk) == {future.pk}
    response = _get(client, admin, LIST, organ="x", status="nonsense")
    assert response.status_code == 200 and response.context["form"].errors


def test_my_follow_ups(client, t):
    with scopes_disabled():
        unit_owned = factories.follow_up(
            t.body, owner=None, owner_unit=t.unit, description="Enheden følger op"
        )
    response = _get(client, t.users[Role.MEMBER], MINE)
    assert {f.pk for f in response.context["follow_ups"]} == {t.follow_up.pk, unit_owned.pk}
    response = _get(client, t.users[Role.SECRETARY], MINE, status="all")
    assert t.closed_follow_up.pk in {f.pk for f in response.context["follow_ups"]}


def test_my_follow_ups_without_a_person(client, t):
    response = _get(client, t.users[Role.READER], MINE)
    assert response.status_code == 200
    assert response.context["person"] is None
    assert "alert-info" in response.content.decode()


def _edit_url(follow_up):
    return reverse("meetings:followup_edit", kwargs={"pk": follow_up.pk})


def test_the_owner_closes_their_own_follow_up(client, t):
    member = t.users[Role.MEMBER]  # owns t.follow_up, has no meetings.change
    client.force_login(member)
    page = client.get(_edit_url(t.follow_up))
    assert page.status_code == 200
    assert set(page.context["form"].fields) == {"status", "note"}
    response = client.post(
        _edit_url(t.follow_up), {"status": "done", "note": "Klaret", "next": MINE}
    )
    assert response.status_code == 302 and response["Location"] == MINE
    with scopes_disabled():
        t.follow_up.refresh_from_db()
    assert t.follow_up.status == FollowUpStatus.DONE
    assert t.follow_up.done_on == timezone.localdate()
    assert t.follow_up.note == "Klaret"


def test_an_editor_changes_owner_and_due_date(client, t):
    client.force_login(t.users[Role.SECRETARY])
    response = client.post(
        _edit_url(t.follow_up),
        {
            "status": "open",
            "note": "",
            "due_date": "2025-01-31",
            "owner": t.secretary_person.pk,
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302 and response["Location"] == LIST
    with scopes_disabled():
        t.follow_up.refresh_from_db()
    assert t.follow_up.owner == t.secretary_person
    assert t.follow_up.due_date == datetime.date(2025, 1, 31)


@pytest.mark.parametrize(
    "data",
    [
        {"status": "open", "due_date": "", "owner": "", "owner_unit": ""},
        {"status": "open", "due_date": "2025-02-30", "owner": "1"},
        {"status": "maybe", "due_date": "2025-01-01"},
    ],
)
def test_bad_follow_up_edits_write_nothing(client, t, data):
    client.force_login(t.users[Role.SECRETARY])
    with scopes_disabled():
        before = FollowUp.objects.values_list("pk", "status", "due_date", "owner_id").get(
            pk=t.follow_up.pk
        )
    response = client.post(_edit_url(t.follow_up), data)
    assert response.status_code == 422
    assert b"alert-error" in response.content
    with scopes_disabled():
        after = FollowUp.objects.values_list("pk", "status", "due_date", "owner_id").get(
            pk=t.follow_up.pk
        )
    assert before == after


def test_the_owner_or_unit_and_due_date_are_required(client, t):
    client.force_login(t.users[Role.ADMINISTRATOR])
    response = client.post(
        _edit_url(t.follow_up), {"status": "open", "due_date": "", "owner": "", "owner_unit": ""}
    )
    errors = response.context["form"].errors
    assert "owner" in errors and "due_date" in errors


def test_follow_up_edit_rights(client, t):
    closed = _edit_url(t.closed_follow_up)
    for role, status in [
        (Role.READER, 404),
        (Role.PROJECT_LEADER, 404),
        (Role.MEMBER, 403),
        (Role.SECRETARY, 200),
        (Role.ADMINISTRATOR, 200),
    ]:
        client.force_login(t.users[role])
        assert client.get(closed).status_code == status, role
    client.force_login(t.users[Role.READER])
    assert client.get(_edit_url(t.follow_up)).status_code == 403
    assert client.post(_edit_url(t.follow_up), {"status": "done"}).status_code == 403
    with scopes_disabled():
        t.follow_up.refresh_from_db()
    assert t.follow_up.status == FollowUpStatus.OPEN


# --- Query counts -------------------------------------------------------------------------------


def _grow(t, n):
    with scopes_disabled():
        for i in range(n):
            meeting = factories.meeting(
                t.body,
                datetime.date(2023, 1, 1) + datetime.timedelta(days=i),
                state=MeetingState.HELD,
            )
            case = factories.case(t.municipality, f"Sag {i}", route=[t.body, t.board])
            item = factories.item(
                meeting, f"Punkt {i}", decision=f"Godkendt {i}", case=case, outcome=Outcome.TREATED
            )
            factories.item(
                meeting,
                f"Lukket {i}",
                decision="Hemmeligt",
                closed=True,
                closed_reason="Fortroligt",
                outcome=Outcome.TREATED,
            )
            factories.follow_up(t.body, owner=t.person, item=item, description=f"Opgave {i}")
            factories.follow_up(t.board, owner_unit=t.unit, description=f"Enhedsopgave {i}")
            meeting.state = MeetingState.MINUTES_APPROVED
            meeting.save()


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.READER, Role.MEMBER])
def test_query_counts_are_constant(client, t, role):
    client.force_login(t.users[role])
    with scope(municipality=t.municipality.pk):
        urls = [
            LOG,
            LOG + "?q=Godkendt",
            f"{LOG}?q=godkendt&organ={t.body.pk}&fra=2020-01-01",
            LIST,
            LIST + "?status=all",
            MINE,
            reverse("meetings:decision_xlsx"),
        ]
    small = [_count(client, url) for url in urls]
    _grow(t, 8)
    large = [_count(client, url) for url in urls]
    assert small == large, list(zip(urls, small, large, strict=True))


# --- The migration's set-up -------------------------------------------------------------------


@pytest.mark.usefixtures("no_scopes")
def test_the_postgresql_index_can_be_dropped_and_recreated(texts):
    """On PostgreSQL the GIN index is reversible; on SQLite there is no such index."""
    meeting, items = texts
    all_items = AgendaItem.objects.filter(meeting=meeting)

    def index_exists():
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                cursor.execute("SELECT name FROM sqlite_master WHERE name = %s", [search.PG_INDEX])
            else:
                cursor.execute(
                    "SELECT indexname FROM pg_indexes WHERE indexname = %s", [search.PG_INDEX]
                )
            return bool(cursor.fetchall())

    assert index_exists() is (connection.vendor == "postgresql")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # the test's transaction holds deferred foreign-key checks; DDL needs them done
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            search.drop_pg_index(cursor.execute)
        assert not index_exists()
        assert _items(all_items, "Aulaplatformen") == [items["case_text"]], "works without it"
        with connection.cursor() as cursor:
            search.create_pg_index(cursor.execute)
        assert index_exists()
    assert search.ensure_sqlite_fts() is False, "nothing to repair"


@pytest.mark.usefixtures("no_scopes")
def test_fts_can_be_dropped_recreated_and_repaired(texts):
    """Reversible (drop, create and rebuild), and a lost trigger is put back by the
    post_migrate check. SQLite DDL is transactional: the test's rollback undoes it all.
    On PostgreSQL there is no FTS table: the repair does nothing."""
    if connection.vendor != "sqlite":
        assert search.ensure_sqlite_fts() is False
        with connection.cursor() as cursor:
            assert search.FTS_TABLE not in connection.introspection.table_names(cursor)
        return
    meeting, items = texts
    all_items = AgendaItem.objects.filter(meeting=meeting)
    with connection.cursor() as cursor:
        search.drop_sqlite_fts(cursor.execute)
        cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'meetings_agendaitem_fts%'")
        assert cursor.fetchall() == []
        search.create_sqlite_fts(cursor.execute)
    assert _items(all_items, "Aulaplatformen") == [items["case_text"]], "rebuilt from the rows"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {search.FTS_TABLE}_au")
    assert search.ensure_sqlite_fts() is True
    assert search.ensure_sqlite_fts() is False
    item = items["case_text"]
    item.case_text = "Kommunikationsstrategien"
    item.save()
    assert _items(all_items, "Kommunikationsstrategien") == [item]
    assert _items(all_items, "Aulaplatformen") == []
