"""The project board: late reports, the order, the filters, the trend, the summary, the charts
and the Excel export."""

import datetime
import io

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from core.models import Role
from portfolio.models import Category, Colour, Phase, ReportCycle
from portfolio.services import Trend
from tests import factories

pytestmark = pytest.mark.django_db

BOARD = "/projekttavle/"
TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


@pytest.fixture
def portfolio(municipality):
    """Five active projects and a closed one:

    - fresh: biweekly, green report that ended 3 days ago, yellow before it (better);
    - late: biweekly, yellow report that ended 20 days ago (the cycle is 14 days): late;
    - red: quarterly, red report that ended 30 days ago, green before it (worse);
    - quiet: quarterly, no report, started 10 days ago: not late yet;
    - never: biweekly, no report, started 60 days ago: late;
    - closed: a closed project, never on the board.
    """
    m = municipality
    with scopes_disabled():
        digi = factories.unit(m, "Digitalisering")
        velfaerd = factories.unit(m, "Velfærd")
        steering = factories.body(m, "Styregruppen")
        board = factories.body(m, "Projektboardet")
        leader = factories.person(m, "Lene Leder")

        def project(name, **kwargs):
            kwargs.setdefault("owning_unit", digi)
            kwargs.setdefault("body", steering)
            return factories.project(m, name, leader=leader, **kwargs)

        p = {
            "fresh": project(
                "Aula",
                report_cycle=ReportCycle.BIWEEKLY,
                body=board,
                category=Category.NATIONAL,
                start_date=days(100),
            ),
            "late": project(
                "Borgerblikket", report_cycle=ReportCycle.BIWEEKLY, body=board, start_date=days(100)
            ),
            "red": project(
                "Cura",
                report_cycle=ReportCycle.QUARTERLY,
                owning_unit=velfaerd,
                phase=Phase.ANALYSIS,
                start_date=days(300),
            ),
            "quiet": project(
                "Digital post",
                start_date=days(10),
                report_cycle=ReportCycle.QUARTERLY,
                category=Category.LOCAL,
            ),
            "never": project(
                "E-boks",
                start_date=days(60),
                report_cycle=ReportCycle.BIWEEKLY,
                category=Category.LOCAL,
            ),
            "closed": project("Faxen", phase=Phase.CLOSED, start_date=days(900)),
        }
    factories.status_report(p["fresh"], days(30), days(17), colour="yellow")
    factories.status_report(p["fresh"], days(16), days(3), colour="green")
    factories.status_report(p["late"], days(33), days(20), colour="yellow")
    factories.status_report(p["red"], days(200), days(120), colour="green")
    factories.status_report(p["red"], days(119), days(30), colour="green", schedule="red")
    factories.status_report(p["closed"], days(400), days(300), colour="red")
    return p


def _board(client, user, **params):
    """The board in English (the language cookie): the tests read its source text."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        return client.get(BOARD, params)


def _names(response) -> list[str]:
    return [row.project.name for row in response.context["rows"]]


def test_the_board_flags_late_reports_and_not_fresh_ones(client, users, portfolio):
    response = _board(client, users[Role.READER])
    assert response.status_code == 200
    late = {row.project.name: row.status.late for row in response.context["rows"]}
    assert late == {
        "Aula": False,
        "Borgerblikket": True,
        "Cura": False,
        "Digital post": False,
        "E-boks": True,
    }
    html = response.content.decode()
    assert html.count('class="tag-late">Late<') == 2


def test_late_first_then_red_yellow_green_then_no_report(client, users, portfolio):
    response = _board(client, users[Role.READER])
    assert _names(response) == ["Borgerblikket", "E-boks", "Cura", "Aula", "Digital post"]


def test_closed_projects_are_not_on_the_board(client, users, portfolio):
    assert "Faxen" not in _names(_board(client, users[Role.READER]))


def test_the_trend_compares_with_the_report_before(client, users, portfolio):
    rows = {r.project.name: r for r in _board(client, users[Role.READER]).context["rows"]}
    assert rows["Aula"].trend == Trend.BETTER
    assert rows["Cura"].trend == Trend.WORSE
    assert rows["Borgerblikket"].trend == Trend.NEW
    assert rows["E-boks"].trend == Trend.NEW
    factories.status_report(portfolio["late"], days(19), days(6), colour="yellow")
    rows = {r.project.name: r for r in _board(client, users[Role.READER]).context["rows"]}
    assert rows["Borgerblikket"].trend == Trend.SAME
    assert rows["Borgerblikket"].trend_text == "The same as the report before"


def test_the_summary_counts_the_colours_and_the_late(client, users, portfolio):
    response = _board(client, users[Role.READER])
    assert response.context["summary"] == {
        "total": 5,
        "green": 1,
        "yellow": 1,
        "red": 1,
        "none": 2,
        "late": 2,
    }
    text = " ".join(response.content.decode().split())
    assert "5 projects:</strong> 1 green, 1 yellow, 1 red, 2 without a report;" in text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kategori": Category.LOCAL}, ["E-boks", "Digital post"]),
        ({"fase": Phase.ANALYSIS}, ["Cura"]),
        ({"sen": "on"}, ["Borgerblikket", "E-boks"]),
        ({"sen": "on", "kategori": Category.NATIONAL}, []),
        ({"fase": Phase.CLOSED}, ["Borgerblikket", "E-boks", "Cura", "Aula", "Digital post"]),
        ({"enhed": "nonsense"}, ["Borgerblikket", "E-boks", "Cura", "Aula", "Digital post"]),
    ],
)
def test_filters(client, users, portfolio, params, expected):
    assert _names(_board(client, users[Role.READER], **params)) == expected


def test_filter_by_unit_and_body(client, users, portfolio):
    with scopes_disabled():
        velfaerd = portfolio["red"].owning_unit
        board = portfolio["fresh"].body
    assert _names(_board(client, users[Role.READER], enhed=velfaerd.pk)) == ["Cura"]
    assert _names(_board(client, users[Role.READER], organ=board.pk)) == [
        "Borgerblikket",
        "Aula",
    ]


def test_the_status_chart_stacks_the_colours_per_category(client, users, portfolio):
    chart = _board(client, users[Role.READER]).context["status_chart"]
    assert [s.css for s in chart.series] == ["green", "yellow", "red", "none"]
    by_css = {s.css: s.values for s in chart.series}
    categories = list(Category.values)
    local = categories.index(Category.LOCAL)
    national = categories.index(Category.NATIONAL)
    assert by_css["none"][local] == 2
    assert by_css["green"][national] == 1


def test_the_status_chart_counts_in_whole_projects(client, users, portfolio):
    chart = _board(client, users[Role.READER]).context["status_chart"]
    assert [tick.label for tick in chart.ticks] == ["0", "1", "2"]
    # A long category is wrapped, not cut, and keeps its full name as a title.
    labels = {label.full: label for label in chart.labels}
    assert all(len(label.lines) <= 2 for label in chart.labels)
    for full, label in labels.items():
        assert "".join(label.lines).replace("/", "/ ").split() == full.replace("/", "/ ").split()


def test_the_board_is_figures_first_then_one_row_per_project(client, users, portfolio):
    import re

    html = _board(client, users[Role.READER]).content.decode()
    assert html.index('id="board-figures"') < html.index("board-table")
    # The five lights of a report in one cell, as one list, each with its words.
    rows = re.findall(r'<tr class="board-row.*?</tr>', html, re.S)
    assert len(rows) == 5
    with_report = [row for row in rows if '<ul class="board-lights">' in row]
    assert with_report
    for row in with_report:
        assert row.count('<td class="board-lights-cell">') == 1
        assert row.count('<ul class="board-lights">') == 1
        assert row.count('<span class="sr-only">') >= 5
    assert re.search(r'<span class="sr-only">Schedule: (Green|Yellow|Red)</span>', html)


def test_the_money_chart_sums_budget_and_economic_benefits(client, users, portfolio):
    factories.budget_year(portfolio["fresh"], 2024, planned=1_000_000)
    factories.budget_year(portfolio["fresh"], 2025, planned=500_000)
    factories.budget_year(portfolio["closed"], 2024, planned=9_000_000)  # not on the board
    economic = factories.benefit(portfolio["fresh"], "Sparede timer", type="budget")
    factories.plan(economic, 2025, 300_000)
    factories.plan(economic, 2026, 200_000)
    qualitative = factories.benefit(
        portfolio["fresh"], "Tilfredshed", type="qualitative", unit="%", accumulates=False
    )
    factories.plan(qualitative, 2025, 80)
    # benefits adds the chart to the board (core.sections)
    sections = _board(client, users[Role.READER]).context["sections"]
    (chart,) = [s.chart for s in sections if s.template == "benefits/_board_money.html"]
    national = list(Category.values).index(Category.NATIONAL)
    budget, benefits = chart.series
    assert budget.values[national] == 1_500_000
    assert benefits.values[national] == 500_000


def test_the_board_costs_the_same_queries_for_more_projects(client, users, portfolio):
    client.force_login(users[Role.READER])
    with CaptureQueriesContext(connection) as few:
        client.get(BOARD)
    with scopes_disabled():
        for i in range(8):
            project = factories.project(
                portfolio["fresh"].municipality,
                f"Ekstra {i}",
                owning_unit=factories.unit(portfolio["fresh"].municipality, f"Enhed {i}"),
                body=factories.body(portfolio["fresh"].municipality, f"Gruppe {i}"),
                leader=factories.person(portfolio["fresh"].municipality, f"Leder {i}"),
            )
            factories.status_report(project, days(40), days(30), colour="red")
            factories.status_report(project, days(29), days(2), colour="green")
            factories.budget_year(project, 2024)
    with CaptureQueriesContext(connection) as many:
        response = client.get(BOARD)
    assert len(response.context["rows"]) == 13
    assert len(few) == len(many)


def _sheet(response):
    from openpyxl import load_workbook

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_xlsx_holds_the_filtered_rows_with_colours_as_words(client, users, portfolio):
    client.force_login(users[Role.READER])
    rows = _sheet(client.get(reverse("portfolio:board_xlsx")))
    header, *body = rows
    assert [row[0] for row in body] == ["Borgerblikket", "E-boks", "Cura", "Aula", "Digital post"]
    with translation.override("da"):
        green, yellow, red = (str(Colour(c).label) for c in ("green", "yellow", "red"))
    cura = body[2]
    assert cura[header.index(str(_label("Overall status")))] == red
    assert green in cura  # the other lights
    assert body[0][header.index(str(_label("Overall status")))] == yellow
    late = [row[-1] for row in body]
    assert len(set(late)) == 2 and late[0] == late[1] != late[2]  # yes, yes, no …
    assert isinstance(body[0][-2], datetime.datetime)  # the next due date is a date

    only_late = _sheet(client.get(reverse("portfolio:board_xlsx"), {"sen": "on"}))
    assert [row[0] for row in only_late[1:]] == ["Borgerblikket", "E-boks"]


def _label(text):
    with translation.override("da"):
        return translation.gettext(text)


def test_the_board_pages_its_rows_and_counts_every_project(client, users, portfolio, monkeypatch):
    monkeypatch.setattr("portfolio.views.board.PAGE_SIZE", 2)
    order = ["Borgerblikket", "E-boks", "Cura", "Aula", "Digital post"]
    pages = [_board(client, users[Role.READER], side=n) for n in (1, 2, 3)]
    assert [_names(page) for page in pages] == [order[:2], order[2:4], order[4:]]
    for response in pages:
        assert response.context["summary"] == {
            "total": 5,
            "green": 1,
            "yellow": 1,
            "red": 1,
            "none": 2,
            "late": 2,
        }
        chart = {s.css: sum(s.values) for s in response.context["status_chart"].series}
        assert chart == {"green": 1, "yellow": 1, "red": 1, "none": 2}
    second = pages[1].context["page"]
    assert (second.start_index(), second.end_index(), second.paginator.num_pages) == (3, 4, 3)
    html = pages[1].content.decode()
    assert 'href="?side=1"' in html and 'href="?side=3"' in html
    # a filter is kept in the page links and the export leaves the page out
    late = _board(client, users[Role.READER], sen="on", side=1)
    assert _names(late) == ["Borgerblikket", "E-boks"]
    assert late.context["summary"]["total"] == 2
    assert not late.context["page"].has_other_pages()
    with scopes_disabled():
        digi = portfolio["fresh"].owning_unit_id
    html = _board(client, users[Role.READER], enhed=digi, side=2).content.decode()
    assert f"?enhed={digi}&amp;side=1" in html
    assert f'{reverse("portfolio:board_xlsx")}?enhed={digi}"' in html


def test_a_page_out_of_range_shows_the_last(client, users, portfolio, monkeypatch):
    monkeypatch.setattr("portfolio.views.board.PAGE_SIZE", 2)
    assert _names(_board(client, users[Role.READER], side=99)) == ["Digital post"]
    assert _names(_board(client, users[Role.READER], side="x")) == ["Borgerblikket", "E-boks"]


def test_an_overridden_overall_colour_counts_and_sorts_as_chosen(client, users, portfolio):
    # the latest report's lights are all red but the leader says yellow (with a reason)
    factories.status_report(
        portfolio["fresh"],
        days(2),
        days(1),
        colour="red",
        overall="yellow",
        override_reason="Styr på det",
    )
    response = _board(client, users[Role.READER])
    assert _names(response) == ["Borgerblikket", "E-boks", "Cura", "Aula", "Digital post"]
    assert response.context["summary"]["yellow"] == 2
    assert response.context["summary"]["green"] == 0
