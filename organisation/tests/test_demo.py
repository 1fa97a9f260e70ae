"""The demo data loader: idempotent, faithful to the seeds, and two separate tenants."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from core.models import Municipality, Role, User
from organisation import demo, services
from organisation.models import (
    Body,
    BodyKind,
    BodyStatus,
    CompositionRule,
    Mandate,
    Membership,
    OrgUnit,
    Person,
)
from tests.once import once_per_module

MEMO_DATE = datetime.date(2021, 8, 15)
STEERING = "Den tværgående digitaliseringsstyregruppe"
MODELS = [
    Municipality,
    User,
    OrgUnit,
    Person,
    Body,
    BodyStatus,
    Mandate,
    CompositionRule,
    Membership,
]


def _counts():
    with scopes_disabled():
        counts = {model.__name__: model.objects.count() for model in MODELS}
        # history rows too: a second run must not even re-save unchanged rows
        counts.update({f"{model.__name__}.history": model.history.count() for model in MODELS})
    return counts


@once_per_module(history=True)
def loaded():
    """The organisation demo, loaded once for the module."""
    demo.load()
    return Municipality.objects.get(slug="norddjurs")


@pytest.fixture
def vest(loaded):
    return Municipality.objects.get(slug="demokommune-vest")


def _steering(municipality):
    return Body.objects.get(name=STEERING)


def test_municipality_and_memo_intro(loaded):
    assert loaded.name == "Norddjurs Kommune"
    assert loaded.code == "707"
    intro = loaded.memo_intro
    assert intro.startswith("Der er på nuværende tidspunkt etableret tre faste tværgående grupper")
    assert intro.endswith("strategisk ophæng i chefforum.")
    # de-hyphenated into clean prose: no line breaks, no broken words from the PDF
    assert "\n" not in intro
    for broken in ("ch-efforum", "direk-tions", "under-støtte"):
        assert broken not in intro
    assert "direktions- såvel som aftaleholderniveau" in intro


def test_unit_tree(loaded):
    with scope(municipality=loaded.pk):
        units = {u.name: u for u in OrgUnit.objects.select_related("parent")}
    assert units["Digitalisering"].parent.name == "Borgerservice, IT og Digitalisering"
    assert units["IT"].parent.name == "Borgerservice, IT og Digitalisering"
    assert units["Borgerservice, IT og Digitalisering"].parent.name == "Fællesforvaltningen"
    assert units["Sundhed og Omsorg"].parent.name == "Velfærdsforvaltningen"
    assert units["Staben"].parent.name == "Direktionen"
    assert units["Velfærdsforvaltningen"].kind == "forvaltning"
    assert units["Digitalisering"].kind == "afdeling"


def test_people_titles_and_no_vacant_seats(loaded):
    with scope(municipality=loaded.pk):
        people = {p.name: p for p in Person.objects.select_related("unit")}
    assert people["Søs Fuglsang"].title == "sundheds- og omsorgschef"
    assert people["Kim B. Nielsen"].title == "stabschef/konst. fællesforvaltningsdirektør"
    assert people["Kaare Christensen"].title == "teamleder og databeskyttelsesrådgiver"
    assert people["Tonny Olsen"].unit.name == "Borgerservice, IT og Digitalisering"
    assert people["Lene Mehlsen Thomsen"].unit.name == "Skole og Dagtilbud"
    # Kim Bruun and Lene Mehlsen are the same people, not duplicates
    assert "Kim Bruun" not in people and "Lene Mehlsen" not in people
    assert not [name for name in people if "vakant" in name.lower()]
    # invented people say so in visible text
    assert people["Demo Sekretær"].title.endswith("(demo)")
    assert people["Demo Sekretær"].unit.name == "Digitalisering"


def test_steering_group_has_the_six_members_of_2021(loaded):
    with scope(municipality=loaded.pk):
        steering = _steering(loaded)
        members = {
            m.person.name: (m.person.title, m.role)
            for m in Membership.objects.current(MEMO_DATE)
            .filter(body=steering)
            .select_related("person")
        }
        assert steering.kind == BodyKind.STEERING_GROUP
        assert steering.cross_cutting
        assert steering.parent.name == "Direktion"
        assert steering.meetings_per_year == 4
        assert steering.cadence == "4 gange årligt (i hvert kvartal)"
        assert steering.established_on == datetime.date(2017, 1, 11)
    assert members == {
        "Søs Fuglsang": ("sundheds- og omsorgschef", "member"),
        "Trine Grejsen": ("chef for kultur og udvikling", "member"),
        "Lene Mehlsen Thomsen": ("skole- og dagtilbudschef", "member"),
        "Kim B. Nielsen": ("stabschef/konst. fællesforvaltningsdirektør", "member"),
        "Kaare Christensen": ("teamleder og databeskyttelsesrådgiver", "member"),
        "Tonny Olsen": ("chef for Borgerservice, IT og Digitalisering", "chair"),
    }


def test_the_other_2021_groups(loaded):
    with scope(municipality=loaded.pk):

        def members(name):
            return {
                m.person.name: m.role
                for m in Membership.objects.current(MEMO_DATE)
                .filter(body__name=name)
                .select_related("person")
            }

        covid = members("Gruppe for opsamling og fremtidsperspektiver på baggrund af Covid-19")
        isu = members("Informationssikkerhedsudvalget")
        economy = members("Tværgående koordineringsgruppe for økonomi")
        covid_body = Body.objects.get(name__startswith="Gruppe for opsamling")
    assert covid["Christian Bertelsen"] == "chair"
    assert len(covid) == 11
    assert covid_body.kind == BodyKind.AD_HOC
    lines = covid_body.organisation.splitlines()
    assert any("4. maj" in line for line in lines)
    assert any("7. juni" in line for line in lines)
    assert any("9. september" in line for line in lines)
    assert len(isu) == 8  # nine seats, one vacant
    assert set(economy) == {"Bettina Andersen", "Marie-Louise Ifversen", "Kim B. Nielsen"}


def test_closed_groups(loaded):
    with scope(municipality=loaded.pk):
        sustainability = Body.objects.get(name="Gruppe for bæredygtighed")
        marketing = Body.objects.get(name="Gruppe for markedsføring")
        assert not sustainability.memberships.exists()
        assert not marketing.memberships.exists()
    assert sustainability.closed_on.year == 2021
    assert marketing.closed_on.year == 2019
    assert sustainability.closing_summary.startswith(
        "Gruppen afrapporterede sit arbejde primo 2021 i organisationens principper"
    )
    assert "letbane-indvielsen, byudvikling i Auning" in marketing.closing_summary
    assert sustainability.cross_cutting and marketing.cross_cutting


def test_status_entries(loaded):
    with scope(municipality=loaded.pk):
        status = BodyStatus.objects.get(body__name=STEERING, date=MEMO_DATE)
        assert BodyStatus.objects.filter(date=MEMO_DATE).count() == 4
    lines = status.text.splitlines()
    assert lines[0].startswith("I digitaliseringsstyregruppen drøftes primært")
    assert "• Webinarløsning. Zoom som supplement til Skype" in lines
    assert "• Schrems2. Overførsel af data til 3.-lande" in lines


def test_the_bodies_at_work_have_a_status_of_this_month(loaded):
    """The memo's entries keep the seed's date; each body at work has a newer one (demo)."""
    today = timezone.localdate()
    with scope(municipality=loaded.pk):
        for name, _days, _text in demo.NORDDJURS_RECENT_STATUSES:
            newest = BodyStatus.objects.filter(body__name=name).order_by("-date").first()
            assert today - datetime.timedelta(days=40) <= newest.date <= today, name
            assert "(demo)" in newest.text
        # loaded again on another day: found by their text, nothing added
        count = BodyStatus.objects.count()
    later = today + datetime.timedelta(days=45)
    with mock.patch.object(timezone, "localdate", return_value=later):
        demo.load()
    with scope(municipality=loaded.pk):
        assert BodyStatus.objects.count() == count


def test_seed_003_bodies(loaded):
    with scope(municipality=loaded.pk):
        bodies = {b.name: b for b in Body.objects.select_related("parent")}
    programme = bodies["Den tværgående digitaliseringsprogramgruppe"]
    assert programme.kind == BodyKind.PROGRAMME_GROUP
    assert programme.parent.name == STEERING
    assert programme.meetings_per_year == 4
    board = bodies["Project Board"]
    assert board.kind == BodyKind.PROJECT_BOARD
    assert (board.cadence, board.meetings_per_year) == ("ca. hver 14. dag", 26)
    project_groups = [b for b in bodies.values() if b.kind == BodyKind.PROJECT_GROUP]
    assert len(project_groups) == 3
    assert all(b.parent == programme for b in project_groups)
    assert bodies["IOD – Innovation og Digitalisering"].kind == BodyKind.INNOVATION_GROUP
    assert bodies["IT-sikkerhedsgruppen"].established_on.year == 2011
    assert bodies["Direktion"].kind == BodyKind.EXECUTIVE_BOARD
    assert bodies["Chefforum"].kind == BodyKind.MANAGEMENT_FORUM


def test_status_memo_of_august_2021_matches_seed_000(loaded):
    with scope(municipality=loaded.pk):
        memo = services.status_memo(loaded, MEMO_DATE)
    assert [g.body.name for g in memo.groups] == [
        "Den tværgående digitaliseringsstyregruppe",
        "Gruppe for opsamling og fremtidsperspektiver på baggrund af Covid-19",
        "Informationssikkerhedsudvalget",
        "Tværgående koordineringsgruppe for økonomi",
    ]
    assert [(c.body.name, c.year) for c in memo.closed] == [
        ("Gruppe for bæredygtighed", 2021),
        ("Gruppe for markedsføring", 2019),
    ]
    assert memo.groups[0].members[0].name == "Tonny Olsen"
    assert len(memo.groups[0].organisation) == 2
    assert all(g.status is not None for g in memo.groups)


def test_steering_group_mandate(loaded):
    with scope(municipality=loaded.pk):
        steering = _steering(loaded)
        mandate = services.current_mandate(steering, MEMO_DATE)
        rules = list(mandate.rules.select_related("unit"))
    assert mandate.title == "Kommissorium for den tværgående digitaliseringsorganisation"
    assert mandate.version == 1
    assert mandate.approved_by.name == "Direktion"
    assert (mandate.cadence, mandate.meetings_per_year) == ("Der afholdes fire årlige møder.", 4)
    assert "Styregruppen understøtter, at" in mandate.duties
    assert [
        (r.role, r.min_count, r.unit.name if r.unit else None, r.title_contains) for r in rules
    ] == [
        ("chair", 1, None, "chef for Borgerservice"),
        ("", 1, None, "stabschef"),
        ("", 2, "Velfærdsforvaltningen", "chef"),
        ("", 1, "Fællesforvaltningen", "chef"),
        ("", 1, None, "leder af digitalisering"),
        ("secretary", 1, "Digitalisering", ""),
    ]


def _check(body_name, on):
    body = Body.objects.get(name=body_name)
    return services.check_composition(
        body,
        on,
        list(Membership.objects.filter(body=body).select_related("person")),
        services.current_mandate(body, on),
    )


@translation.override("en")
def test_composition_check_of_the_steering_group(loaded):
    with scope(municipality=loaded.pk), translation.override("en"):
        in_2021 = _check(STEERING, MEMO_DATE)
        today = _check(STEERING, timezone.localdate())
    results = {r.rule.description: r for r in in_2021.results}
    assert not in_2021.satisfied
    met = {d for d, r in results.items() if r.satisfied}
    assert met == {
        "Formand: chef for Borgerservice, IT og Digitalisering",
        "Stabschefen",
        "2 chefer fra velfærdsområdet",
        "1 chef fra fællesforvaltningsområdet",
    }
    assert {m.person.name for m in results["2 chefer fra velfærdsområdet"].matched} == {
        "Søs Fuglsang",
        "Lene Mehlsen Thomsen",
    }
    assert [m.person.name for m in results["1 chef fra fællesforvaltningsområdet"].matched] == [
        "Trine Grejsen"
    ]
    unmet = results["Leder af Digitalisering"]
    assert unmet.reason == "Requires 1, found 0: 1 is missing."
    assert "missing" in results["Sekretær: en medarbejder fra Digitalisering"].reason

    # after the memo the demo secretary fills the secretary seat; the leader is still missing
    today_results = {r.rule.description: r for r in today.results}
    assert today_results["Sekretær: en medarbejder fra Digitalisering"].satisfied
    assert not today_results["Leder af Digitalisering"].satisfied


def test_programme_group_mandate(loaded):
    with scope(municipality=loaded.pk):
        check = _check("Den tværgående digitaliseringsprogramgruppe", timezone.localdate())
    descriptions = [r.rule.description for r in check.results]
    assert descriptions == [
        "Formand: Leder af Digitalisering",
        "1 repræsentant fra Staben",
        "Sekretær: en medarbejder fra Digitalisering",
    ]
    assert [r.satisfied for r in check.results] == [False, False, True]


def test_users(loaded):
    users = {u.username: u for u in User.objects.select_related("municipality")}
    expected = {
        "admin": Role.ADMINISTRATOR,
        "sekretaer": Role.SECRETARY,
        "tonny": Role.MEMBER,
        "projektleder": Role.PROJECT_LEADER,
        "laeser": Role.READER,
        "vest-admin": Role.ADMINISTRATOR,
    }
    for username, role in expected.items():
        assert users[username].role == role
        assert users[username].check_password("digistyr-demo")
    assert users["vest-admin"].municipality.slug == "demokommune-vest"
    assert users["admin"].municipality == loaded
    with scopes_disabled():
        assert users["tonny"].person.name == "Tonny Olsen"
        assert users["sekretaer"].person.name == "Demo Sekretær"
        assert users["projektleder"].person.title.endswith("(demo)")
        secretary_seat = Membership.objects.get(
            person__user=users["sekretaer"], body__name=STEERING
        )
    assert secretary_seat.role == "secretary"
    assert (users["tonny"].first_name, users["tonny"].last_name) == ("Tonny", "Olsen")


def test_second_municipality_is_separate(loaded, vest):
    with scope(municipality=vest.pk):
        assert Person.objects.count() == 4
        assert set(Body.objects.values_list("name", flat=True)) == {
            "Direktionen",
            "Digitaliseringsstyregruppen",
        }
        assert OrgUnit.objects.count() == 3
        assert not Person.objects.filter(name="Tonny Olsen").exists()
        memo = services.status_memo(vest, MEMO_DATE)
        assert [g.body.name for g in memo.groups] == ["Digitaliseringsstyregruppen"]
        assert all(m.municipality_id == vest.pk for m in Membership.objects.all())
    with scope(municipality=loaded.pk):
        assert not Body.objects.filter(name="Digitaliseringsstyregruppen").exists()
        assert not Person.objects.filter(name__startswith="V").exists()
    with scopes_disabled():
        # no row of one municipality points at another's
        for membership in Membership.objects.select_related("person", "body"):
            assert membership.person.municipality_id == membership.municipality_id
            assert membership.body.municipality_id == membership.municipality_id
