"""Publication dates: ISO values from sources, and byline dates in text dumps."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from importlib import resources

from marsad.extract.fold import fold_text

__all__ = ["iso_date", "parse_date_text", "month_names", "weekday_names", "hijri_month_names"]

_ISO_RE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.,]+(?:Z|[+-]\d{2}(?::?\d{2})?)?)?\s*")
_MIN_YEAR, _MAX_YEAR = 1900, 2100


def iso_date(value: str) -> str | None:
    """``YYYY-MM-DD`` for an ISO 8601 date or date-time string, else None."""
    m = _ISO_RE.fullmatch(value)
    if not m:
        return None
    return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _valid(year: int, month: int, day: int) -> str | None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _calendar() -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {"month": {}, "weekday": {}, "hijri_month": {}}
    raw = resources.files("marsad").joinpath("data", "extract", "calendar.tsv").read_text("utf-8")
    for line in raw.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, number, name = line.split("\t")
        table[kind][fold_text(name).lower()] = int(number)
    return table


def month_names() -> dict[str, int]:
    """Folded, lower-cased month names → month number."""
    return _calendar()["month"]


def weekday_names() -> dict[str, int]:
    """Folded, lower-cased weekday names → ISO weekday number."""
    return _calendar()["weekday"]


def hijri_month_names() -> dict[str, int]:
    """Folded Hijri month names → month number (recognised, not converted)."""
    return _calendar()["hijri_month"]


def _alternation(names: dict[str, int]) -> str:
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(names, key=len, reverse=True))


@lru_cache(maxsize=1)
def _date_res() -> tuple[re.Pattern[str], ...]:
    month = _alternation(month_names())
    # an Arabic word boundary: not inside a longer word
    b_open, b_close = r"(?<![\w])", r"(?![\w])"
    return (
        re.compile(r"(?<!\d)(?P<y>\d{4})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})(?!\d)"),
        re.compile(r"(?<!\d)(?P<d>\d{1,2})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<y>\d{4})(?!\d)"),
        re.compile(
            rf"(?<!\d)(?P<d>\d{{1,2}})\s*(?:من\s+)?{b_open}(?P<mn>{month}){b_close}[\s,،/-]*(?:\(\s*\w+\s*\)\s*)?"
            rf"(?:سنه\s+|عام\s+)?(?P<y>\d{{4}})(?!\d)",
            re.IGNORECASE,
        ),
        re.compile(
            rf"{b_open}(?P<mn>{month}){b_close}\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s*[,،]?\s*(?P<y>\d{{4}})(?!\d)",
            re.IGNORECASE,
        ),
    )


def parse_date_text(text: str) -> str | None:
    """The first Gregorian day-precision date in ``text`` as ``YYYY-MM-DD``, else None.

    Reads numeric dates (``2016-10-17``, ``17/10/2016``) and written ones in
    Arabic or English (``17 أكتوبر 2016``, ``الإثنين 17 تشرين الأول 2016``,
    ``October 17, 2016``), with Western or Eastern digits.  Hijri dates fall
    outside the accepted years and are skipped.
    """
    folded = fold_text(text)
    best: tuple[int, str] | None = None
    for rx in _date_res():
        for m in rx.finditer(folded):
            groups = m.groupdict()
            year, day = int(groups["y"]), int(groups["d"])
            if groups.get("mn"):
                month = month_names().get(re.sub(r"\s+", " ", groups["mn"]).lower())
                value = _valid(year, month, day) if month else None
            else:
                month = int(groups["m"])
                # day-month order is the Arab norm; month-day only when that is impossible
                value = _valid(year, month, day) or _valid(year, day, month)
            if value and (best is None or m.start() < best[0]):
                best = (m.start(), value)
                break
    return best[1] if best else None
