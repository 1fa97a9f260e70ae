"""The demo clock moves the written 2024 to the year before today, by whole weeks."""

import datetime
import itertools

import pytest
from django.utils import timezone

from core.demo_clock import Clock

D = datetime.date


@pytest.mark.parametrize(
    ("today", "years"),
    [(D(2025, 6, 1), 0), (D(2026, 12, 7), 1), (D(2027, 1, 1), 2), (D(2040, 12, 31), 15)],
)
def test_the_written_year_becomes_the_year_before_today(today, years):
    clock = Clock(today)
    assert clock.years == years and clock.year(2024) == today.year - 1
    assert clock.shift.days % 7 == 0
    for written in (D(2024, 1, 8), D(2024, 3, 5), D(2024, 6, 30), D(2024, 12, 3), D(2025, 5, 5)):
        moved = clock.date(written)
        assert moved.weekday() == written.weekday()
        # within three days of the same day in the moved year
        same_day = written.replace(year=written.year + years)
        assert abs((moved - same_day).days) <= 3


def test_order_and_distances_are_kept():
    clock = Clock(D(2029, 4, 4))
    written = [D(2023, 12, 5), D(2024, 2, 26), D(2024, 2, 27), D(2024, 3, 1), D(2025, 1, 20)]
    moved = [clock.date(d) for d in written]
    assert [b - a for a, b in itertools.pairwise(moved)] == [
        b - a for a, b in itertools.pairwise(written)
    ]
    assert clock.date(None) is None
    moment = timezone.make_aware(datetime.datetime(2024, 3, 5, 13, 0))
    assert clock.datetime(moment) - moment == clock.shift


def test_texts_name_moved_years_and_dates():
    clock = Clock(D(2026, 12, 7))
    assert clock.text("Styregruppemøde 1/{Y} (demo)") == "Styregruppemøde 1/2025 (demo)"
    assert clock.text("Indsatsplan {Y+1}, ikke {Y-1}") == "Indsatsplan 2026, ikke 2024"
    assert clock.text("mødet den {20-02-2024}") == "mødet den 18-02-2025"
    assert clock.date(D(2024, 2, 20)) == D(2025, 2, 18)
    # what is no marker stays: the seeds' years, braces of other kinds
    text = "Digitaliseringsprogram 2021–2025 {x} {Y+} 20-02-2024"
    assert clock.text(text) == text


def test_the_same_year_moves_the_same_way(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: D(2027, 1, 2))
    january = Clock()
    assert january.today == D(2027, 1, 2)
    december = Clock(D(2027, 12, 31))
    assert january.shift == december.shift and january.years == december.years == 2
    assert Clock(D(2028, 1, 1)).shift > december.shift


def test_what_has_happened_stops_at_today():
    clock = Clock(D(2027, 2, 1))  # the written 2025 is this year
    assert clock.date(D(2025, 9, 15)) > clock.today
    assert clock.past(D(2025, 9, 15)) == clock.today
    assert clock.past(D(2025, 1, 20)) == clock.date(D(2025, 1, 20)) < clock.today
