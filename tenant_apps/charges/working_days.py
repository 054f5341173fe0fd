"""Working days in England and Wales: weekends and bank holidays excluded, as charging policies count notice
("cancel fewer than 3 working days before"). Bank holidays follow the rules of the Banking and Financial Dealings
Act 1971 and the royal proclamations since, so no yearly list needs loading."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

# Holidays proclaimed once, and regular ones moved by proclamation (day moved from -> day kept).
ONE_OFF = {
    date(1999, 12, 31),  # millennium
    date(2002, 6, 3),  # Golden Jubilee
    date(2011, 4, 29),  # royal wedding
    date(2012, 6, 5),  # Diamond Jubilee
    date(2022, 6, 3),  # Platinum Jubilee
    date(2022, 9, 19),  # state funeral of Queen Elizabeth II
    date(2023, 5, 8),  # coronation of King Charles III
}
MOVED = {
    date(1995, 5, 1): date(1995, 5, 8),  # early May moved for VE day's 50th anniversary
    date(2020, 5, 4): date(2020, 5, 8),  # and for its 75th
    date(2002, 5, 27): date(2002, 6, 4),  # spring bank holiday moved for jubilees
    date(2012, 5, 28): date(2012, 6, 4),
    date(2022, 5, 30): date(2022, 6, 2),
}


def _easter(year: int) -> date:
    """Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


def _first_monday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    last = (date(year, month + 1, 1) if month < 12 else date(year + 1, 1, 1)) - timedelta(days=1)
    return last - timedelta(days=last.weekday())


def _next_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[date]:
    """The bank holidays of England and Wales in `year`."""
    easter = _easter(year)
    days = {
        _next_weekday(date(year, 1, 1)),
        easter - timedelta(days=2),
        easter + timedelta(days=1),
        _first_monday(year, 5),
        _last_monday(year, 5),
        _last_monday(year, 8),
    }
    # Christmas and Boxing Day: one falling at a weekend is made up on the next weekday not already a holiday.
    for holiday in (date(year, 12, 25), date(year, 12, 26)):
        substitute = _next_weekday(holiday)
        while substitute in days:
            substitute = _next_weekday(substitute + timedelta(days=1))
        days.add(substitute)
    days = {MOVED.get(day, day) for day in days}
    days |= {day for day in ONE_OFF if day.year == year}
    return frozenset(days)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def working_days_between(earlier: date, later: date) -> int:
    """Working days after `earlier` up to and including the day before `later`: the full working days of notice
    given by cancelling on `earlier` for a session on `later` (0 when cancelled on the day or the working day
    before)."""
    count, day = 0, earlier + timedelta(days=1)
    while day < later:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (due dates of invoices)."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        days -= is_working_day(day)
    return day
