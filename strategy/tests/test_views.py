"""The strategy pages: strategies and goals, the document and the catalogues. The coverage and
a project's links are portfolio's pages (portfolio/tests/test_coverage.py,
portfolio/tests/test_project_links.py)."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled

from core.models import Role
from documents.tests import clamav
from portfolio.models import Phase, Project
from strategy.models import Goal, Strategy
from tests import factories
from tests.world import CANARY_OTHER, CANARY_OWN

pytestmark = pytest.mark.history

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _url(name, *args, **kwargs):
    return reverse(f"strategy:{name}", args=args, kwargs=kwargs or None)


def _strategy_data(**overrides) -> dict:
    data = {
        "title": "Digitaliseringsstrategi 2016–2020",
        "start_year": "2016",
        "end_year": "2020",
        "vision": "Borgere, der kan selv, skal selv.",
        "approved_by": "Kommunalbestyrelsen",
        "approved_on": "2016-01-21",
        "document_url": "",
    }
    data.update(overrides)
    return data


def _docx() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


# --- Strategies --------------------------------------------------------------------------------


def test_the_list_shows_the_strategy_in_force_first(t, login, english):
    with scopes_disabled():
        factories.strategy(t.municipality, "Strategi 2016–2020", 2016, 2020)
        factories.strategy(t.municipality, "Strategi 2040", 2040, 2045)
    response = login(t, Role.READER).get(_url("strategy_list"))
    assert response.status_code == 200
    titles = [s.title for s in response.context["strategies"]]
    # t.strategy runs 2021–2025; "today" may be later, then the newest comes first
    year = response.context["year"]
    if t.strategy.is_current(year):
        assert titles[0] == t.strategy.title
    else:
        assert titles == ["Strategi 2040", t.strategy.title, "Strategi 2016–2020"]
    assert "New strategy" not in response.content.decode()  # a reader does not create


def test_the_detail_shows_goals_and_the_projects_that_serve_them(t, login, english):
    with scopes_disabled():
        factories.goal(t.strategy, "Ingen projekter her", number="2", position=3)
    response = login(t, Role.READER).get(_url("strategy_detail", t.strategy.pk))
    html = response.content.decode()
    assert response.status_code == 200
    goals = response.context["goals"]
    assert [g.pk for g in goals][0] == t.goal.pk
    assert [p.pk for p in goals[0].serving] == [t.project.pk]
    assert t.project.name in html and "No project serves the goal" in html
    assert "Add a goal" not in html


def test_a_goal_lists_its_first_projects_by_name_and_links_to_all_of_them(
    t, login, english, monkeypatch
):
    """Counted in SQL (closed ones too), listed up to GOAL_PROJECTS by Danish name, the rest
    behind a link to the project list filtered by the goal."""
    from portfolio.models import Phase
    from strategy import views

    monkeypatch.setattr(views, "GOAL_PROJECTS", 2)
    with scopes_disabled():
        goal = factories.goal(t.strategy, "Mange projekter", number="9", position=9)
        for name, phase in (("Åben data", Phase.IDEA), ("Børneportal", Phase.CLOSED)):
            factories.project(t.municipality, name, phase=phase).goals.add(goal)
        factories.project(t.municipality, "Cykelsti").goals.add(goal)
    client = login(t, Role.READER)
    response = client.get(_url("strategy_detail", t.strategy.pk))
    shown = {g.pk: g for g in response.context["goals"]}[goal.pk]
    assert (shown.serving_count, shown.active_count) == (3, 2)
    assert [p.name for p in shown.serving] == ["Børneportal", "Cykelsti"]  # Å last, as in Danish
    html = response.content.decode()
    assert "3 projects serve the goal (2 active):" in html
    link = reverse("portfolio:project_list") + f"?maal={goal.pk}&amp;status=alle"
    assert f'<a href="{link}">All 3 projects serving “9 Mange projekter”</a>' in html
    listed = client.get(reverse("portfolio:project_list"), {"maal": goal.pk, "status": "alle"})
    assert sorted(p.name for p in listed.context["page"].object_list) == sorted(
        ["Åben data", "Børneportal", "Cykelsti"]
    )


def test_an_administrator_creates_a_strategy_with_a_pdf(t, login, english):
    client = login(t)
    upload = SimpleUploadedFile("Strategi 2016.pdf", PDF, content_type="application/pdf")
    response = client.post(_url("strategy_create"), {**_strategy_data(), "document": upload})
    assert response.status_code == 302
    with scopes_disabled():
        strategy = Strategy.objects.get(title="Digitaliseringsstrategi 2016–2020")
    assert strategy.municipality_id == t.municipality.pk
    assert strategy.document.name.startswith(f"strategier/{t.municipality.pk}/")
    assert strategy.history.first().history_user == t.users[Role.ADMINISTRATOR]
    download = client.get(_url("strategy_document", strategy.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]


def test_a_word_document_is_accepted_too(t, login):
    upload = SimpleUploadedFile("strategi.docx", _docx())
    response = login(t).post(
        _url("strategy_edit", t.strategy.pk), {**_strategy_data(), "document": upload}
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert Strategy.objects.get(pk=t.strategy.pk).document.name.endswith(".docx")


def test_a_document_with_a_virus_is_refused_and_nothing_is_saved(t, login, settings, virus_scan):
    client = login(t)
    upload = SimpleUploadedFile("strategi.docx", clamav.docx(infected=True))
    response = client.post(_url("strategy_create"), {**_strategy_data(), "document": upload})
    assert response.status_code == 422
    assert response.context["form"].errors["document"] == [
        clamav.virus_message("strategi.docx", "en")
    ]
    with scopes_disabled():
        assert not Strategy.objects.filter(title="Digitaliseringsstrategi 2016–2020").exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("strategi*.docx"))
    # A clean document passes the same scan.
    upload = SimpleUploadedFile("strategi.docx", clamav.docx(infected=False))
    response = client.post(_url("strategy_create"), {**_strategy_data(), "document": upload})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("strategi.txt", b"tekst", "Upload a PDF or Word document (.pdf, .docx)."),
        ("strategi.xlsx", _docx(), "Upload a PDF or Word document (.pdf, .docx)."),
        ("strategi.pdf", b"not a pdf at all", "The file's content does not match its name"),
        ("strategi.pdf", b"", "The submitted file is empty."),
    ],
)
def test_other_documents_are_refused_and_nothing_is_saved(
    t, login, english, name, content, message
):
    upload = SimpleUploadedFile(name, content)
    response = login(t).post(_url("strategy_create"), {**_strategy_data(), "document": upload})
    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors["document"])
    with scopes_disabled():
        assert not Strategy.objects.filter(title="Digitaliseringsstrategi 2016–2020").exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"start_year": "2021", "end_year": "2020"}, "end_year"),
        ({"start_year": "20x6"}, "start_year"),
        ({"end_year": "3001"}, "end_year"),
        ({"title": ""}, "title"),
        ({"approved_on": "21-13-2016"}, "approved_on"),
        ({"document_url": "ikke en adresse"}, "document_url"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(t, login, overrides, field):
    response = login(t).post(_url("strategy_create"), _strategy_data(**overrides))
    assert response.status_code == 422
    assert field in response.context["form"].errors
    with scopes_disabled():
        assert Strategy.objects.filter(municipality=t.municipality).count() == 1


def test_the_end_year_before_the_start_year_says_so(t, login, english):
    response = login(t).post(
        _url("strategy_edit", t.strategy.pk), _strategy_data(start_year="2021", end_year="2019")
    )
    assert response.context["form"].errors["end_year"] == [
        "The last year is before the first year."
    ]
    with scopes_disabled():
        assert Strategy.objects.get(pk=t.strategy.pk).end_year == 2025


def test_the_document_can_be_removed(t, login):
    client = login(t)
    upload = SimpleUploadedFile("s.pdf", PDF)
    client.post(_url("strategy_edit", t.strategy.pk), {**_strategy_data(), "document": upload})
    response = client.post(
        _url("strategy_edit", t.strategy.pk), {**_strategy_data(), "remove_document": "on"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert not Strategy.objects.get(pk=t.strategy.pk).document
    assert client.get(_url("strategy_document", t.strategy.pk)).status_code == 404


def test_another_municipality_cannot_download_the_document(t, other, login, client):
    login(t).post(
        _url("strategy_edit", t.strategy.pk),
        {**_strategy_data(), "document": SimpleUploadedFile("s.pdf", PDF)},
    )
    client.force_login(other.users[Role.ADMINISTRATOR])
    assert client.get(_url("strategy_document", t.strategy.pk)).status_code == 404
    assert client.get(_url("strategy_detail", t.strategy.pk)).status_code == 404


@pytest.mark.parametrize("role", [Role.MEMBER, Role.PROJECT_LEADER, Role.READER])
def test_only_those_with_strategy_change_write(t, login, role):
    client = login(t, role)
    assert client.post(_url("strategy_create"), _strategy_data()).status_code == 403
    assert client.post(_url("strategy_edit", t.strategy.pk), _strategy_data()).status_code == 403
    assert client.post(_url("goal_create", t.strategy.pk), {"title": "X"}).status_code == 403
    assert client.post(_url("goal_delete", t.goal.pk)).status_code == 403
    with scopes_disabled():
        assert Strategy.objects.filter(municipality=t.municipality).count() == 1
        assert Goal.objects.filter(pk=t.goal.pk).exists()


# --- Goals -------------------------------------------------------------------------------------


def test_goals_are_added_in_order_and_edited(t, login):
    client = login(t, Role.SECRETARY)
    response = client.get(_url("goal_create", t.strategy.pk))
    assert response.context["form"]["position"].value() == 1  # after the world's goal
    response = client.post(
        _url("goal_create", t.strategy.pk),
        {"number": "2", "title": "Adgang til egne data", "description": "", "position": "1"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        goal = Goal.objects.get(title="Adgang til egne data")
    assert (goal.strategy_id, goal.municipality_id) == (t.strategy.pk, t.municipality.pk)
    response = client.post(
        _url("goal_edit", goal.pk),
        {
            "number": "0",
            "title": "Adgang til egne data og sager",
            "description": "",
            "position": "0",
        },
    )
    assert response.status_code == 302
    client.post(
        _url("goal_edit", t.goal.pk), {"number": "1", "title": t.goal.title, "position": "5"}
    )
    detail = client.get(_url("strategy_detail", t.strategy.pk))
    assert [g.title for g in detail.context["goals"]] == [
        "Adgang til egne data og sager",
        t.goal.title,
    ]


@pytest.mark.parametrize(
    "data, field",
    [
        ({"title": ""}, "title"),
        ({"title": "X", "position": "-1"}, "position"),
        ({"title": "X", "position": "abc"}, "position"),
        ({"title": "X" * 301}, "title"),
    ],
)
def test_a_bad_goal_is_refused(t, login, data, field):
    response = login(t).post(_url("goal_create", t.strategy.pk), {"position": "0", **data})
    assert response.status_code == 422
    assert field in response.context["form"].errors
    with scopes_disabled():
        assert Goal.objects.filter(strategy=t.strategy).count() == 1


def test_deleting_a_goal_asks_first_and_records_the_projects_lost_link(t, login, english):
    client = login(t)
    response = client.get(_url("goal_delete", t.goal.pk))
    assert response.status_code == 200
    assert "1 project serves the goal" in response.content.decode()
    with scopes_disabled():
        assert Goal.objects.filter(pk=t.goal.pk).exists()  # a GET deletes nothing
    response = client.post(_url("goal_delete", t.goal.pk))
    assert response.status_code == 302
    with scopes_disabled():
        assert not Goal.objects.filter(pk=t.goal.pk).exists()
        assert not Project.objects.get(pk=t.project.pk).goals.exists()
    history = client.get(reverse("portfolio:project_history", args=[t.project.pk]))
    assert f"removed 1 Borgerne betjener sig selv {CANARY_OWN}" in history.content.decode()


def test_another_municipalitys_goal_is_not_found(t, other, login):
    client = login(t)
    assert client.get(_url("goal_edit", other.goal.pk)).status_code == 404
    assert client.post(_url("goal_delete", other.goal.pk)).status_code == 404
    assert client.post(_url("goal_create", other.strategy.pk), {"title": "X"}).status_code == 404
    with scopes_disabled():
        assert Goal.objects.filter(pk=other.goal.pk).exists()


# --- Catalogues --------------------------------------------------------------------------------


def test_the_catalogues_count_only_the_municipalitys_projects(t, other, login):
    with scopes_disabled():
        closed = factories.project(t.municipality, "Gammelt ESDH", phase=Phase.CLOSED)
        closed.focus_areas.add(factories.focus_area(2))
    client = login(t, Role.READER)
    rows = {row.number: row for row in client.get(_url("focus_area_list")).context["rows"]}
    assert len(rows) == 12
    # the world's project and the closed one; the other municipality's is not counted
    assert (rows[2].project_count, rows[2].active_count) == (2, 1)
    sdgs = {row.number: row for row in client.get(_url("sdg_list")).context["rows"]}
    assert len(sdgs) == 17 and sdgs[16].project_count == 1


def test_a_catalogue_page_lists_only_the_municipalitys_projects(t, other, login, english):
    client = login(t, Role.READER)
    response = client.get(_url("focus_area_detail", number=2))
    html = response.content.decode()
    assert [p.pk for p in response.context["projects"]] == [t.project.pk]
    assert t.project.name in html and CANARY_OTHER not in html
    response = client.get(_url("sdg_detail", number=16))
    assert "Peace, justice and strong institutions" in response.content.decode()
    assert [p.pk for p in response.context["projects"]] == [t.project.pk]
    assert client.get(_url("sdg_detail", number=18)).status_code == 404
    assert client.get(_url("focus_area_detail", number=10**30)).status_code == 404
