"""The search box: Danish words found alike on SQLite and PostgreSQL (the same Snowball
stemmer), grouped by kind, only what the user may read, and any input answered."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from core.models import Role
from meetings.models import MeetingState
from search import fulltext, services
from search.models import Kind, SearchEntry
from tests import factories
from tests.once import once_per_module
from tests.world import CANARY_CLOSED, CANARY_OTHER, CANARY_OWN, build_tenant

URL = reverse("search:results")


@once_per_module
def d():
    """A municipality with Danish texts to find, and a second one with the same texts."""
    t = build_tenant("Syddjurs Kommune", usernames_prefix="sd-")
    with scopes_disabled():
        m = t.municipality
        factories.body(
            m, "Innovationsgruppen", purpose="Gruppen tager orienteringen til efterretning."
        )
        project = factories.project(
            m,
            "Digitaliseringsstrategien 2026",
            purpose="Beslutningen om en ny strategi for digitalisering.",
        )
        factories.risk(
            project,
            title="Forsinket leverance",
            description="Flere risici ved borgerbetjeningen i overgangen.",
        )
        factories.proposal(
            m,
            "Bedre borgerbetjening på rådhuset",
            description="Grønne løsninger på skoleområdet og i ældreplejen.",
        )
        factories.person(m, "Søren Ærø Østergård", "Økonomichef")
        other = build_tenant("Favrskov Kommune", usernames_prefix="fa-")
        factories.proposal(
            other.municipality,
            "Bedre borgerbetjening på rådhuset",
            description="Beslutninger om efterretningen og risici.",
        )
    return t


# Query -> the (kind, title) found; the same on both databases.
DANISH = {
    "efterretningen": {(Kind.BODY, "Innovationsgruppen")},
    "beslutninger": {(Kind.PROJECT, "Digitaliseringsstrategien 2026")},
    "digitaliseringsstrategien": {(Kind.PROJECT, "Digitaliseringsstrategien 2026")},
    "borgerbetjening": {
        (Kind.RISK, "Forsinket leverance"),
        (Kind.PROPOSAL, "Bedre borgerbetjening på rådhuset"),
    },
    "risici": {(Kind.RISK, "Forsinket leverance")},
    "grøn løsninger": {(Kind.PROPOSAL, "Bedre borgerbetjening på rådhuset")},
    "ældreplejens skoleområde": {(Kind.PROPOSAL, "Bedre borgerbetjening på rådhuset")},
    "ØSTERGÅRD ærø": {(Kind.PERSON, "Søren Ærø Østergård")},
    "økonomichefen": {(Kind.PERSON, "Søren Ærø Østergård")},
    "strategien": {(Kind.PROJECT, "Digitaliseringsstrategien 2026")},
    "borgerbetjening skoleområdet": {(Kind.PROPOSAL, "Bedre borgerbetjening på rådhuset")},
    "borgerbetjening xylofon": set(),
    "xylofonorkestret": set(),
    "og i på": set(),
}


def _found(user, q) -> set:
    with scope(municipality=user.municipality_id):
        return {(hit.kind, hit.title) for hit in services.matching(user, q)}


@pytest.mark.parametrize("q", sorted(DANISH))
def test_danish_words_find_the_same_on_both_databases(d, q):
    assert _found(d.users[Role.READER], q) == DANISH[q]


def test_the_stems_are_snowballs_danish():
    assert fulltext.stems_text("efterretningen beslutninger og risici") == (
        "efterretning beslutning risici"
    )
    assert fulltext.query_words('"Grøn*" (NEAR og -løsning') == ["grøn", "near", "løsning"]


def _login(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    return client


def test_results_are_grouped_by_kind_with_counts(client, d):
    response = _login(client, d.users[Role.READER]).get(URL, {"q": "borgerbetjening"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Risici") < html.index("Forslag (1)")
    assert "Forsinket leverance" in html and "Bedre borgerbetjening på rådhuset" in html
    assert "Flere risici ved borgerbetjeningen" in html  # the snippet
    assert "Digitaliseringsstrategien 2026" not in html


def test_at_most_ten_per_kind_and_a_link_to_all(client, d):
    with scopes_disabled():
        for number in range(12):
            factories.proposal(d.municipality, f"Solcelle {number:02d}")
    client = _login(client, d.users[Role.READER])
    html = client.get(URL, {"q": "solceller"}).content.decode()
    assert "Solcelle 09" in html and "Solcelle 10" not in html
    assert "type=proposal" in html and "(12)" in html
    html = client.get(URL, {"q": "solceller", "type": "proposal"}).content.decode()
    assert "Solcelle 11" in html


@pytest.mark.parametrize(
    "q",
    ["", "   ", "x" * 1000, "ord " * 300, "!!! ... ???", '"', "*", "(", ")", "NEAR", "-",
     'NEAR("a" b', "a OR b", "a AND NOT b", "'; DROP TABLE x; --", "^", ":", "a:*", "\x00",
     "borger-betjening", "\\", "%", "_"],
)  # fmt: skip
def test_any_input_is_answered(client, d, q):
    response = _login(client, d.users[Role.READER]).get(URL, {"q": q, "type": "proposal"})
    assert response.status_code == 200
    response = client.get(URL, {"q": q})
    assert response.status_code == 200


def test_an_empty_query_asks_for_words(client, d):
    html = _login(client, d.users[Role.READER]).get(URL, {"q": "og"}).content.decode()
    assert "Skriv et eller flere ord" in html
    assert (
        "Intet fundet"
        in _login(client, d.users[Role.READER]).get(URL, {"q": "xylofon"}).content.decode()
    )


# --- Access: the world of tests/world.py --------------------------------------------------------


def _hits(client, user, q) -> str:
    return _login(client, user).get(URL, {"q": q}).content.decode()


def _kinds(user, q) -> dict:
    """{kind: titles} the user finds, without the world's canary."""
    with scope(municipality=user.municipality_id):
        groups = services.search(user, q)
    return {g.kind: {h.title.replace(f" {CANARY_OWN}", "") for h in g.hits} for g in groups}


@pytest.mark.parametrize("role", [Role.READER, Role.PROJECT_LEADER])
def test_closed_items_are_found_only_by_members_and_administrators(client, t, role):
    closed = "KANARIE LUKKET PUNKT"  # not the canary itself, which the page repeats
    assert CANARY_CLOSED not in _hits(client, t.users[role], closed)
    assert _kinds(t.users[role], closed) == {}
    assert _kinds(t.users[role], "Personalesag") == {}
    for seer in (Role.ADMINISTRATOR, Role.MEMBER, Role.SECRETARY):
        assert CANARY_CLOSED in _hits(client, t.users[seer], closed), seer
        assert _kinds(t.users[seer], closed) == {
            Kind.ITEM: {"Personalesag"},
            Kind.DECISION: {"Personalesag"},
            Kind.FOLLOW_UP: {f"Lukket opfølgning {CANARY_CLOSED}"},
        }, seer


def test_a_draft_agenda_is_found_only_by_members(t):
    assert Kind.ITEM not in _kinds(t.users[Role.READER], "Aula")
    assert Kind.ITEM in _kinds(t.users[Role.MEMBER], "Aula")
    assert Kind.ITEM in _kinds(t.users[Role.ADMINISTRATOR], "Aula")


def test_decisions_wait_for_the_approved_minutes(t):
    assert _kinds(t.users[Role.READER], "Godkendt") == {Kind.DECISION: {"Office 365"}}
    assert _kinds(t.users[Role.READER], "Indstilling") == {Kind.ITEM: {"Office 365"}}
    with scopes_disabled():
        t.meeting.state = MeetingState.HELD
        t.meeting.save()
    assert _kinds(t.users[Role.READER], "Godkendt") == {}
    assert _kinds(t.users[Role.READER], "Indstilling") == {Kind.ITEM: {"Office 365"}}
    assert Kind.DECISION in _kinds(t.users[Role.MEMBER], "Godkendt")
    assert Kind.FOLLOW_UP not in _kinds(t.users[Role.READER], "Opfølgning")
    assert Kind.FOLLOW_UP in _kinds(t.users[Role.MEMBER], "Opfølgning")


def test_a_closed_case_is_described_only_on_its_page(t):
    assert Kind.CASE in _kinds(t.users[Role.READER], "Sag")
    with scopes_disabled():
        t.case.closed = True
        t.case.save()
    assert Kind.CASE not in _kinds(t.users[Role.READER], "Sag")
    assert Kind.CASE in _kinds(t.users[Role.READER], "Borgerblikket")


def test_another_municipality_is_never_found(client, t, other):
    for role in Role.values:
        html = _hits(client, t.users[role], "kanarie kommune")
        assert CANARY_OTHER not in html and CANARY_OWN in html, role
        html = _hits(client, other.users[role], "kanarie kommune")
        assert CANARY_OWN not in html and CANARY_OTHER in html, role


def test_every_kind_of_the_world_is_found(t):
    found = _kinds(t.users[Role.ADMINISTRATOR], "KANARIE EGEN KOMMUNE")
    # A meeting's heading is its body's name and date; the canary is in its place.
    assert set(found) == set(Kind.values), set(Kind.values) - set(found)


# --- The index kept current ---------------------------------------------------------------------


def test_saves_and_deletes_keep_the_index_current(t):
    with scopes_disabled():
        project = factories.project(t.municipality, "Støvsugere")
        project.name = "Robotstøvsugere"
        project.save()
        assert _found(t.users[Role.READER], "robotstøvsuger") == {(Kind.PROJECT, "Robotstøvsugere")}
        project.delete()
        assert _found(t.users[Role.READER], "robotstøvsuger") == set()


def test_rebuild_writes_the_same_entries(t):
    def rows():
        with scopes_disabled():
            return sorted(
                SearchEntry.objects.filter(municipality=t.municipality).values_list(
                    "kind", "object_id", "title", "stems", "restricted", "gate", "body_id"
                )
            )

    before = rows()
    with scopes_disabled():
        SearchEntry.objects.filter(municipality=t.municipality).delete()
    call_command("rebuild_search_index", "--municipality", t.municipality.slug, stdout=None)
    assert rows() == before


def test_the_search_costs_the_same_queries_for_one_hit_or_many(client, d):
    client = _login(client, d.users[Role.READER])

    def count(q):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"q": q}).status_code == 200
        return len(captured)

    one = count("efterretningen")
    with scopes_disabled():
        for number in range(5):
            factories.body(d.municipality, f"Efterretningsgruppe {number}")
            factories.risk(municipality=d.municipality, title=f"Efterretning {number}")
    assert count("efterretningen") == one
