"""The demo's invented dates follow today.

The invented part of the demo (every text marked "(demo)") is written as if the last full year
were 2024 (`WRITTEN_FOR`): a year of meetings in 2024, projects reporting from 2024, follow-ups
due in 2024, an action plan for 2025. Loaded as written it would age: in 2026 an agenda of
2024 would still be a draft and its follow-ups 900 days overdue. So the loaders move every
invented date through a `Clock` made on the day the demo is loaded:

- a date moves by whole weeks (weekdays are kept: a Tuesday meeting stays on a Tuesday), by as
  many weeks as lie between 1 January 2024 and 1 January of the year before today, so that the
  written 2024 becomes the last full year and the written 2025 this year;
- a date of something that has happened moves the same way but stops at today (`past`):
  the written 2025 becomes this year, and early in the year some of its days lie ahead;
- a year (a budget year, a plan's year) moves by the same number of years;
- a text names invented years and dates by markers, which the clock fills in: ``{Y}`` is the
  written 2024 moved (the last full year), ``{Y+1}`` and ``{Y-1}`` the years beside it, and
  ``{20-02-2024}`` a written date moved and printed the Danish way.

The seeds' own dates (the Direktion meeting of 15-05-2024, the memo of August 2021, the
strategies and mandates) are facts and never go through the clock.

The move depends only on the year of today, so loading the demo twice in one year gives the
same dates (the loaders find their rows by them and stay idempotent).
"""

import datetime
import re

from django.utils import timezone

WRITTEN_FOR = 2024

_YEAR = re.compile(r"\{Y(?:([+-])(\d))?\}")
_DATE = re.compile(r"\{(\d\d)-(\d\d)-(\d{4})\}")


class Clock:
    """Moves the demo's written dates, years and texts to the year before `today`."""

    def __init__(self, today: datetime.date | None = None):
        self.today = today or timezone.localdate()
        self.years = self.today.year - 1 - WRITTEN_FOR
        days = (
            datetime.date(WRITTEN_FOR + self.years, 1, 1) - datetime.date(WRITTEN_FOR, 1, 1)
        ).days
        self.shift = datetime.timedelta(weeks=round(days / 7))

    def __repr__(self) -> str:
        return f"Clock(today={self.today.isoformat()}, years={self.years:+d})"

    def date(self, day: datetime.date | None) -> datetime.date | None:
        """The written `day` moved; None stays None."""
        return None if day is None else day + self.shift

    def past(self, day: datetime.date) -> datetime.date:
        """The written `day` moved, but no later than today: for what has already happened
        (a proposal received, a milestone reached). The written 2025 becomes this year, and
        early in the year some of its days still lie ahead."""
        return min(day + self.shift, self.today)

    def datetime(self, moment: datetime.datetime) -> datetime.datetime:
        return moment + self.shift

    def year(self, year: int) -> int:
        return year + self.years

    def text(self, text: str) -> str:
        """`text` with its year and date markers filled in."""

        def year(match: re.Match) -> str:
            sign, n = match.groups()
            offset = 0 if sign is None else int(n) * (1 if sign == "+" else -1)
            return str(self.year(WRITTEN_FOR + offset))

        def date(match: re.Match) -> str:
            day, month, year_ = (int(part) for part in match.groups())
            return (datetime.date(year_, month, day) + self.shift).strftime("%d-%m-%Y")

        return _DATE.sub(date, _YEAR.sub(year, text))
