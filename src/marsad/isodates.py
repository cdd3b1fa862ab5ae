"""The days an ISO 8601 date value covers (a day, month, year, ISO week, EDTF
season or an interval of these): for filters, exports and for telling
whether one event date lies within another.  Standard library only, so
that the analysis path can use it without loading the store."""

from __future__ import annotations

import calendar
import datetime as dt
import re

__all__ = ["date_range", "within"]

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(?:-(\d))?$")
# EDTF seasons (21 spring, 22 summer, 23 autumn, 24 winter), northern hemisphere
_SEASON = re.compile(r"^(\d{4})-(2[1-4])$")
_SEASON_MONTHS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 14)}


def _bounds(value: str) -> tuple[dt.date, dt.date] | None:
    if m := _DAY.match(value):
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        return day, day
    if m := _SEASON.match(value):
        y = int(m[1])
        first, last = _SEASON_MONTHS[int(m[2])]
        end_y, end_m = y + (last - 1) // 12, (last - 1) % 12 + 1
        return dt.date(y, first, 1), dt.date(end_y, end_m, calendar.monthrange(end_y, end_m)[1])
    if m := _MONTH.match(value):
        y, mo = int(m[1]), int(m[2])
        return dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1])
    if m := _YEAR.match(value):
        y = int(m[1])
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if m := _WEEK.match(value):
        y, w = int(m[1]), int(m[2])
        if m[3]:
            day = dt.date.fromisocalendar(y, w, int(m[3]))
            return day, day
        return dt.date.fromisocalendar(y, w, 1), dt.date.fromisocalendar(y, w, 7)
    return None


def date_range(value: str | None) -> tuple[str, str] | None:
    """The first and last ISO day an ISO 8601 value covers, or None.

    ``2016-10-17`` → (2016-10-17, 2016-10-17); ``2016-10`` → the month;
    ``2016`` → the year; ``2016-W42`` → the ISO week; ``2016-22`` → summer
    (EDTF season); ``2005/2006`` → 2005-01-01 … 2006-12-31.  A value that is
    none of these gives None.
    """
    if not isinstance(value, str):
        return None
    value = value.strip()
    try:
        if "/" in value:
            left, _, right = value.partition("/")
            lo, hi = _bounds(left.strip()), _bounds(right.strip())
            if lo is None or hi is None or hi[1] < lo[0]:
                return None
            return lo[0].isoformat(), hi[1].isoformat()
        found = _bounds(value)
    except ValueError:  # month 13, day 31 of February, week 54
        return None
    if found is None:
        return None
    return found[0].isoformat(), found[1].isoformat()


def within(inner: str | None, outer: str | None) -> bool:
    """Every day of ``inner`` lies in ``outer`` (``2016-10-20`` in
    ``2016-04-20/2016-10-20``, ``2016-07`` in ``2016-22``); False when
    either is not an ISO date value."""
    i, o = date_range(inner), date_range(outer)
    return i is not None and o is not None and o[0] <= i[0] and i[1] <= o[1]
