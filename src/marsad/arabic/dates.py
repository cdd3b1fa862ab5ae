"""Dates in Arabic news text, resolved against the publication date.

:func:`find_dates` returns every date expression of a text as a
:class:`~marsad.documents.DateMention` whose offsets point into the text and
whose ``value`` is ISO 8601: a day ``2016-10-17``, a month ``2016-10``, a year
``2016``, or an interval ``2005/2006``, ``2016-06/2016-08`` or
``2016-04-20/2016-10-20``.  ``precision`` says what the value stands for:
``day``, ``week``, ``month``, ``season``, ``year`` or ``range``.

What is read (word lists in ``data/arabic/months.tsv`` and ``data/dates/``):

* Gregorian months in every system - Levantine/Iraqi (``تشرين الأول``),
  Egyptian/Gulf (``أكتوبر``), Maghrebi (``جانفي``, ``غشت``) - and the combined
  forms ``أكتوبر/تشرين الأول`` and ``تشرين الأول (أكتوبر)``; a day may be a
  number, ``الـ20`` or an ordinal (``الخامس عشر من آذار``).  Names that are
  also common words (``مارس`` "he practised", ``آب``/``أب`` "father", ``ماي``,
  ``جوان``) count only in a date context.
* Hijri dates (``15 رمضان 1437 هـ``), converted with hijridate (Umm al-Qura
  tables, 1343-1500 AH); older Hijri dates keep their span with value null.
* Years (``عام 2005``, ``في 2005``, ``1629 م``, ``سنة 250 ق.م`` → ``-0249``),
  ranges (``عام 2005-2006``, ``بين عامي 1975 و1990`` → ``1975/1990``), numeric
  dates (``20/10/2016`` read day first, ``2016-10-20``), decades
  (``التسعينيات`` → ``1990/1999``).
* Relative expressions, resolved against ``published``: ``أمس``, ``أول أمس``,
  ``اليوم``, ``غداً``; weekdays (``يوم الثلاثاء`` is the Tuesday on or before
  publication, ``الثلاثاء الماضي`` the one before it, ``الثلاثاء المقبل`` the
  one after); ``الأسبوع الماضي`` (the ISO week, Monday to Sunday, before the
  week of publication, as an interval of days, precision ``week``);
  ``الشهر الماضي``, ``العام المقبل``; seasons (``الصيف الماضي`` → the last
  meteorological summer that ended before publication, ``2016-06/2016-08``,
  precision ``season``; winter is December to February); parts of a period
  (``مطلع``/``منتصف``/``أواخر`` a month → days 1-10/11-20/21-end, of a year →
  months 1-4/5-8/9-12, precision ``range``); durations ago (``منذ عامين`` →
  the year two years before publication, ``قبل ثلاثة أيام`` → that day,
  ``قبل أسبوعين`` → that ISO week); the last or next N units
  (``خلال الأشهر الستة الماضية`` → ``2016-04-20/2016-10-20``, precision
  ``range``).
* A month or day named without a year (``في 12 سبتمبر``) takes the year that
  brings it nearest to publication, unless a modifier says otherwise
  (``أكتوبر الماضي``: the last October before the month of publication).

Not resolved, on purpose: a duration counted from another event (``بعد عامين
ونصف العام من سيطرته``, ``قبل يومين من الانتخابات``) and every ``بعد`` +
duration - the anchor is that event, not publication - keeps its span with
value null and the precision of its unit.  Without a publication date, every
relative expression keeps its span with value null and its precision.  Vague
expressions with no value (``منذ سنوات``, ``قبل أيام``) are not reported.

Matching runs on the form of :func:`marsad.arabic.normalize.normalize_with_map`,
so offsets always point into the original text; a span leaves out an attached
conjunction or preposition (``وأمس`` → ``أمس``) except ل fused with the article
(``للعام 2005``).  dateparser was measured on these forms and misses most of
them (Levantine months, ranges, seasons, spans), hence this reader.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from marsad.arabic.lexicon import load_lexicon
from marsad.arabic.normalize import normalize, normalize_with_map
from marsad.arabic.numbers import number_words, ordinal_forms, parse_number
from marsad.documents import DateMention
from marsad.errors import MarsadError

__all__ = ["find_dates", "parse_anchor"]

# ------------------------------------------------------------------------ data


def _data_lines(*path: str) -> list[str]:
    """Non-empty, non-comment lines of a packaged data file."""
    res = resources.files("marsad").joinpath("data", *path)
    with res.open(encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")]


@dataclass(frozen=True, slots=True)
class _Named:
    form: str  # normalised
    value: str | None  # None: the expression is not a date
    precision: str | None
    context: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Data:
    months: dict[str, tuple[str, int, bool]]  # name -> (calendar, month, needs context)
    words: dict[str, dict[str, str]]  # kind -> normalised form -> value
    named: tuple[_Named, ...]


@lru_cache(maxsize=1)
def _data() -> _Data:
    months: dict[str, tuple[str, int, bool]] = {}
    for line in _data_lines("arabic", "months.tsv"):
        name, cal, num, ctx = line.split("\t")[:4]
        months[" ".join(normalize(name).split())] = (cal, int(num), ctx == "context")
    words: dict[str, dict[str, str]] = {}
    for line in _data_lines("dates", "words.tsv"):
        form, kind, value = line.split("\t")[:3]
        words.setdefault(kind, {})[" ".join(normalize(form).split())] = value
    named = []
    for line in _data_lines("dates", "named.tsv"):
        form, value, precision, context = line.split("\t")[:4]
        named.append(_Named(
            " ".join(normalize(form).split()),
            None if value == "-" else value,
            None if precision == "-" else precision,
            frozenset(normalize(c) for c in context.split("|") if c),
        ))
    return _Data(months, words, tuple(named))


def _alt(forms: Iterable[str]) -> str:
    """A regex alternation of normalised forms, longest first, spaces flexible."""
    items = sorted(set(forms), key=lambda f: (-len(f), f))
    return "(?:" + "|".join(r"\s+".join(re.escape(p) for p in f.split()) for f in items) + ")"


def _kind(kind: str) -> dict[str, str]:
    return _data().words.get(kind, {})


# ------------------------------------------------------------------- calendar


def parse_anchor(published: str | None) -> date | None:
    """The publication date as a ``date`` (``2016-10-20``, or an ISO datetime)."""
    if published is None or not str(published).strip():
        return None
    s = str(published).strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", s)
    try:
        if m is None:
            raise ValueError(s)
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise MarsadError("bad_date", f"publication date {s!r} is not an ISO 8601 date", s) from exc


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _add_years(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February
        return d.replace(year=d.year + n, day=28)


def _iso_year(y: int) -> str:
    return f"-{-y:04d}" if y < 0 else f"{y:04d}"


def _ym(y: int, m: int) -> str:
    return f"{_iso_year(y)}-{m:02d}"


def _week(d: date) -> str:
    monday = d - timedelta(days=d.weekday())
    return f"{monday.isoformat()}/{(monday + timedelta(days=6)).isoformat()}"


def _days(a: date, b: date) -> str:
    return f"{a.isoformat()}/{b.isoformat()}"


_SEASON_MONTHS = {6: (6, 8), 9: (9, 11), 12: (12, 2), 3: (3, 5)}


def _season(first: int, year: int) -> str:
    """Interval of months of the season starting in month ``first`` of ``year``."""
    a, b = _SEASON_MONTHS[first]
    return f"{_ym(year, a)}/{_ym(year + (1 if b < a else 0), b)}"


def _month_index(y: int, m: int) -> int:
    return y * 12 + m - 1


def _resolve_month(month: int, mod: int | None, anchor: date) -> int:
    """The year of a month named without one."""
    here = _month_index(anchor.year, anchor.month)
    years = (anchor.year - 1, anchor.year, anchor.year + 1)
    if mod == 0:
        return anchor.year
    if mod is not None and mod < 0:
        return max(y for y in years if _month_index(y, month) < here)
    if mod is not None and mod > 0:
        return min(y for y in years if _month_index(y, month) > here)
    return min(years, key=lambda y: (abs(_month_index(y, month) - here), -y))


def _resolve_day(month: int, day: int, anchor: date) -> date | None:
    """The nearest date with this month and day (no year and no modifier given)."""
    best: date | None = None
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        if day > calendar.monthrange(y, month)[1]:
            continue
        d = date(y, month, day)
        if best is None or abs((d - anchor).days) < abs((best - anchor).days):
            best = d
    return best


def _hijri_to_date(y: int, m: int, d: int) -> date | None:
    from hijridate import Hijri  # imported on use: the tables load lazily

    try:
        return Hijri(y, m, d).to_gregorian()
    except (ValueError, OverflowError):
        return None


def _hijri_month_length(y: int, m: int) -> int | None:
    from hijridate import Hijri

    try:
        return Hijri(y, m, 1).month_length()
    except (ValueError, OverflowError):
        return None


def _hijri_month(y: int, m: int) -> str | None:
    n = _hijri_month_length(y, m)
    a = _hijri_to_date(y, m, 1)
    if n is None or a is None:
        return None
    return _days(a, a + timedelta(days=n - 1))


def _hijri_year(y: int) -> str | None:
    a = _hijri_to_date(y, 1, 1)
    n = _hijri_month_length(y, 12)
    b = _hijri_to_date(y, 12, n) if n else None
    return _days(a, b) if a and b else None


def _hijri_of(d: date) -> tuple[int, int, int] | None:
    from hijridate import Gregorian

    try:
        h = Gregorian(d.year, d.month, d.day).to_hijri()
    except (ValueError, OverflowError):
        return None
    return h.year, h.month, h.day


def _part_of_month(y: int, m: int, part: str) -> str:
    last = calendar.monthrange(y, m)[1]
    a, b = {"early": (1, 10), "mid": (11, 20), "late": (21, last)}[part]
    return _days(date(y, m, a), date(y, m, b))


def _part_of_year(y: int, part: str) -> str:
    a, b = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[part]
    return f"{_ym(y, a)}/{_ym(y, b)}"


# -------------------------------------------------------------- matching text


def _matching_text(text: str) -> tuple[str, list[int]]:
    """Normalised text plus index map; ل fused with the article (للعام) gets its
    alef back (لالعام) so that patterns can split the clitic off."""
    norm, index = normalize_with_map(text)
    if "لل" not in norm:
        return norm, index
    out: list[str] = []
    idx: list[int] = []
    last = 0
    for mt in _LAL_RE.finditer(norm):
        i = mt.start()
        before = norm[i - 1] if i > 0 else " "
        before2 = norm[i - 2] if i > 1 else " "
        if before.isalpha() and not (before in "وف" and not before2.isalpha()):
            continue
        out.append(norm[last:i + 1])
        idx.extend(index[last:i + 1])
        out.append("ا")
        idx.append(index[i])
        last = i + 1
    out.append(norm[last:])
    idx.extend(index[last:])
    return "".join(out), idx


_LAL_RE = re.compile(r"ل(?=ل[^\W\d_])")


_WORD_RE = re.compile(r"[^\W\d_]+")


def _prev_word(m: str, pos: int) -> str:
    """The word just before ``pos`` (letters only; clitics و ف stripped), or ""."""
    j = pos
    while j > 0 and m[j - 1] == " ":
        j -= 1
    k = j
    while k > 0 and m[k - 1].isalpha():
        k -= 1
    w = m[k:j]
    if len(w) > 2 and w[0] in "وف" and w not in _CUE_WORDS() and w[1:] in _CUE_WORDS():
        return w[1:]
    return w


def _next_word(m: str, pos: int) -> str:
    mm = _WORD_RE.match(m, pos + (len(m[pos:]) - len(m[pos:].lstrip(" "))))
    return mm.group() if mm else ""


@lru_cache(maxsize=1)
def _CUE_WORDS() -> frozenset[str]:  # noqa: N802 - a cached constant
    d = _data().words
    out: set[str] = set()
    for k in ("year_cue", "year_noun", "month_cue", "not_weekday_before", "not_today_before", "ago",
              "future_cue"):
        out |= set(d.get(k, {}))
    for named in _data().named:
        out |= named.context
    return frozenset(out)


def _definite_noun(word: str) -> bool:
    """True for a word with the definite article (الأمين), not إلى/التي/إلا."""
    if not word.startswith("ال") or len(word) < 4 or word in _CUE_WORDS():
        return False
    return word not in _kind("not_definite") and word not in load_lexicon().not_article


def _future_cue(ctx: _Ctx, pos: int, window: int = 6) -> bool:
    """True when an explicit future marker (ابتداء من، المقرر، سوف) comes shortly
    before ``pos`` in the same sentence: a bare weekday or date then points ahead."""
    head = ctx.m[max(0, pos - 80): pos]
    head = re.split(r"[.!؟?\n]", head)[-1]
    words = head.split()[-window:]
    cues = _kind("future_cue")
    return any(w in cues or (len(w) > 2 and w[0] in "وف" and w[1:] in cues) for w in words)


# ---------------------------------------------------------------------- rules


@dataclass(slots=True)
class _Cand:
    start: int  # in the matching text
    end: int
    value: str | None
    precision: str | None
    priority: int
    block: bool = False  # a "not a date" match: suppresses overlaps, not reported


@dataclass(slots=True)
class _Ctx:
    m: str
    anchor: date | None
    original: str
    index: list[int]


Handler = Callable[[re.Match[str], _Ctx], "tuple[str | None, str | None] | None"]

_START = r"(?:(?<![\w])(?:[وف][بلك]|[وفبلك])?|(?<=[^\W\d_])(?=\d))"
_END = r"(?:(?<=\d)(?!\d)|(?<=[^\W\d_])(?![^\W\d_])|(?<=[^\w]))"


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    regex: re.Pattern[str]
    handler: Handler
    priority: int
    # Words one of which any match must hold (a rule whose words are all absent
    # from a text cannot match it and is not run); None: run always.
    gate: tuple[str, ...] | None = None


def _sub(pattern: str, parts: dict[str, str]) -> str:
    for k, v in parts.items():
        pattern = pattern.replace("{" + k + "}", v)
    return pattern


@lru_cache(maxsize=1)
def _parts() -> dict[str, str]:
    d = _data()
    words = number_words()
    nw = {f for f, kinds in words.items() if kinds.keys() & {"unit", "ten", "hundred", "teen_unit"}}
    era_forms = {f for f in _kind("era")} | {"ه", "ق.م", "ق م"}
    era = "(?:" + "|".join(
        r"ق\.?\s?م" if f in ("ق.م", "ق م") else r"\s+".join(re.escape(p) for p in f.split())
        for f in sorted(era_forms, key=len, reverse=True)
    ) + r")(?![^\W\d_])"
    return {
        "AM": _alt(list(d.months)),
        "WD": _alt(_kind("weekday")),
        "ORD": _alt(ordinal_forms(31)),
        "FIRST": _alt(_kind("first_day")),
        "YW": _alt(_kind("year_word")),
        "ERA": era,
        "MOD": _alt(_kind("modifier")),
        "WMOD": _alt({f for f, v in _kind("modifier").items() if v in ("-1", "1") and not f.endswith("ه")}),
        "PART": _alt(_kind("part")),
        "DAYPART": _alt(_kind("day_part")),
        "DEIX": _alt(_kind("deictic")),
        "PERIOD": _alt(_kind("period")),
        "SEASON": _alt([f for f in _kind("season") if f.startswith("ال")]),
        "SEASONB": _alt([f for f in _kind("season") if not f.startswith("ال")]),
        "UNITS": _alt({**_kind("unit"), **_kind("unit_dual"), **_kind("unit_plural")}),
        "ULAST": _alt(_kind("unit_last")),
        "LMOD": _alt(_kind("last_modifier")),
        "NW": _alt(nw),
        "DEC": _alt(_kind("decade")),
        "C20": _alt(_kind("century_20")),
    }


def _mk(name: str, body: str, handler: Handler, priority: int, gate: Iterable[str] | None = None) -> _Rule:
    pattern = _START + "(?P<x>" + _sub(body, _parts()) + ")" + _END
    words = None if gate is None else tuple(sorted({f.split()[0] for f in gate}))
    return _Rule(name, re.compile(pattern), handler, priority, words)


_DIGITS = tuple("0123456789")  # the matching text carries only ASCII digits


def _gate_words(*kinds: str) -> list[str]:
    return [f for k in kinds for f in _kind(k)]


# --- shared pieces

_MCOMBO = r"(?P<m1>{AM})(?:(?:\s*(?:/|\(|-|–)\s*|\s+)(?P<m2>{AM})(?:\s*\))?)?"
_DAY = r"(?:(?P<dnum>\d{1,2})(?!\d)|ال\s*(?P<ddef>\d{1,2})(?!\d)|(?P<dord>{ORD})|(?P<dfirst>{FIRST}))"
_YEARPART = (r"(?:(?P<yw>{YW})\s*)?(?:(?P<y>\d{4})(?!\d)(?:\s*(?P<era>{ERA}))?"
             r"|(?P<ys>\d{1,3})\s*(?P<eras>{ERA}))")
_RELYEAR = r"(?:(?:العام|السنه)\s+(?P<rymod>{MOD})|(?P<rythis>هذا\s+العام|هذه\s+السنه))"


def _month_of(name: str | None) -> tuple[str, int, bool] | None:
    if name is None:
        return None
    return _data().months.get(" ".join(name.split()))


def _combo(mt: re.Match[str]) -> tuple[str, int, bool, bool] | None:
    """(calendar, month, needs context, combined) for the month group(s)."""
    a = _month_of(mt.group("m1"))
    if a is None:
        return None
    b = _month_of(mt.group("m2"))
    if mt.group("m2") is not None:
        if b is None or b[1] != a[1] or b[0] != a[0]:
            return None
        return a[0], a[1], a[2] and b[2], True
    return a[0], a[1], a[2], False


def _mod_value(s: str | None) -> int | None:
    if s is None:
        return None
    return int(_kind("modifier")[" ".join(s.split())])


def _era(s: str | None) -> str | None:
    if s is None:
        return None
    s = " ".join(s.split())
    if s == "ه":
        return "ah"
    if re.fullmatch(r"ق\.?\s?م", s):
        return "bc"
    return _kind("era").get(s)


def _year_value(y: int, era: str | None) -> int:
    return 1 - y if era == "bc" else y


def _day_value(mt: re.Match[str]) -> int | None:
    if mt.group("dnum"):
        return int(mt.group("dnum"))
    if mt.group("ddef"):
        return int(mt.group("ddef"))
    if mt.group("dord"):
        return ordinal_forms(31).get(" ".join(mt.group("dord").split()))
    if mt.group("dfirst"):
        return 1
    return None


def _rel_year(mt: re.Match[str], anchor: date | None) -> tuple[bool, int | None]:
    """(present, year) for ``من العام الماضي`` / ``هذا العام`` after a month."""
    if mt.group("rymod"):
        mod = _mod_value(mt.group("rymod"))
        return True, (anchor.year + (mod or 0)) if anchor else None
    if mt.group("rythis"):
        return True, anchor.year if anchor else None
    return False, None


# --- handlers


def _h_dmy(mt: re.Match[str], ctx: _Ctx) -> tuple[str | None, str | None] | None:
    combo = _combo(mt)
    day = _day_value(mt)
    if combo is None or day is None or not 1 <= day <= 31:
        return None
    cal, month, _, _ = combo
    has_rel, rel_year = _rel_year(mt, ctx.anchor)
    if mt.group("y") or mt.group("ys"):
        era = _era(mt.group("era") or mt.group("eras"))
        y = int(mt.group("y") or mt.group("ys"))
        if cal == "hijri" or era == "ah":
            if cal != "hijri":
                return None
            dd = _hijri_to_date(y, month, day)
            return (dd.isoformat() if dd else None), "day"
        if mt.group("ys") and era != "bc" and era != "ad":
            return None
        y = _year_value(y, era)
        if y > 0 and day > calendar.monthrange(y, month)[1]:
            return None
        return f"{_ym(y, month)}-{day:02d}", "day"
    if cal == "hijri":
        if ctx.anchor is None:
            return None, "day"
        h = _hijri_of(ctx.anchor)
        if h is None:
            return None, "day"
        best = None
        for hy in (h[0] - 1, h[0], h[0] + 1):
            dd = _hijri_to_date(hy, month, day)
            if dd and (best is None or abs((dd - ctx.anchor).days) < abs((best - ctx.anchor).days)):
                best = dd
        return (best.isoformat() if best else None), "day"
    if has_rel:
        if rel_year is None:
            return None, "day"
        if day > calendar.monthrange(rel_year, month)[1]:
            return None
        return date(rel_year, month, day).isoformat(), "day"
    if ctx.anchor is None:
        return None, "day"
    mod = _mod_value(mt.group("mod"))
    if mod is not None:
        y = _resolve_month(month, mod, ctx.anchor)
        if day > calendar.monthrange(y, month)[1]:
            return None
        return date(y, month, day).isoformat(), "day"
    if _future_cue(ctx, mt.start("x")):
        y = ctx.anchor.year if (month, day) >= (ctx.anchor.month, ctx.anchor.day) else ctx.anchor.year + 1
        if day > calendar.monthrange(y, month)[1]:
            return None
        return date(y, month, day).isoformat(), "day"
    dd = _resolve_day(month, day, ctx.anchor)
    return (dd.isoformat() if dd else None), "day"


def _h_day_of_rel_month(mt: re.Match[str], ctx: _Ctx) -> tuple[str | None, str | None] | None:
    day = _day_value(mt)
    if day is None or not 1 <= day <= 31:
        return None
    if ctx.anchor is None:
        return None, "day"
    mod = 0 if mt.group("mod") is None else _mod_value(mt.group("mod"))
    first = _add_months(ctx.anchor.replace(day=1), mod or 0)
    if day > calendar.monthrange(first.year, first.month)[1]:
        return None
    return first.replace(day=day).isoformat(), "day"


def _month_context_ok(mt: re.Match[str], ctx: _Ctx, combined: bool) -> bool:
    if combined or mt.group("shahr") or mt.group("y") or mt.group("ys") or mt.group("mod"):
        return True
    if mt.group("part") or mt.group("rymod") or mt.group("rythis"):
        return True
    prev = _prev_word(ctx.m, mt.start("x"))
    return prev in _kind("month_cue")


def _h_my(mt: re.Match[str], ctx: _Ctx) -> tuple[str | None, str | None] | None:
    combo = _combo(mt)
    if combo is None:
        return None
    cal, month, needs_context, combined = combo
    if (needs_context or cal == "hijri") and not _month_context_ok(mt, ctx, combined):
        return None
    if cal == "hijri" and not (mt.group("y") or mt.group("ys") or mt.group("shahr")):
        return None
    part = _kind("part").get(" ".join(mt.group("part").split())) if mt.group("part") else None
    has_rel, rel_year = _rel_year(mt, ctx.anchor)
    if cal == "hijri":
        if mt.group("y") or mt.group("ys"):
            hy = int(mt.group("y") or mt.group("ys"))
            return _hijri_month(hy, month), "month"
        if ctx.anchor is None:
            return None, "month"
        h = _hijri_of(ctx.anchor)
        if h is None:
            return None, "month"
        mod = _mod_value(mt.group("mod"))
        here = h[0] * 12 + h[1]
        years = (h[0] - 1, h[0], h[0] + 1)
        if mod == 0:
            hy = h[0]
        elif mod is not None and mod < 0:
            hy = max(y for y in years if y * 12 + month < here)
        elif mod is not None and mod > 0:
            hy = min(y for y in years if y * 12 + month > here)
        else:
            hy = min(years, key=lambda y: abs(y * 12 + month - here))
        return _hijri_month(hy, month), "month"
    if mt.group("y") or mt.group("ys"):
        era = _era(mt.group("era") or mt.group("eras"))
        if era == "ah" or (mt.group("ys") and era not in ("ad", "bc")):
            return None
        y = _year_value(int(mt.group("y") or mt.group("ys")), era)
    elif has_rel:
        if rel_year is None:
            return None, "range" if part else "month"
        y = rel_year
    else:
        if ctx.anchor is None:
            return None, "range" if part else "month"
        y = _resolve_month(month, _mod_value(mt.group("mod")), ctx.anchor)
    if part:
        return _part_of_month(y, month, part), "range"
    return _ym(y, month), "month"


def _bare_year_ok(mt: re.Match[str], ctx: _Ctx, y: int) -> bool:
    prev = _prev_word(ctx.m, mt.start("x"))
    if not (prev in _kind("year_cue") or prev in _kind("year_noun")):
        return False
    if not 1900 <= y <= 2099:
        return False
    nxt = _next_word(ctx.m, mt.end("x"))
    kinds = number_words().get(nxt, {})
    return not (kinds.keys() & {"scale", "scale_plural", "scale_dual"})


def _h_year(mt: re.Match[str], ctx: _Ctx) -> tuple[str | None, str | None] | None:
    y = int(mt.group("y1"))
    era = _era(mt.group("era1"))
    part = _kind("part").get(" ".join(mt.group("part").split())) if mt.group("part") else None
    if _prev_word(ctx.m, mt.start("x")) in _kind("century"):
        return None
    if era == "ah":
        return (_hijri_year(y), "year") if not part else None
    if not mt.group("yw") and era is None and not part and not _bare_year_ok(mt, ctx, y):
        return None
    if mt.group("yw") and era is None and not 1000 <= y <= 2100:
        return None
    if part and not mt.group("yw") and era is None and not 1900 <= y <= 2099:
        return None
    y = _year_value(y, era)
    if part:
        return _part_of_year(y, part), "range"
    return _iso_year(y), "year"


def _h_short_year(mt: re.Match[str], ctx: _Ctx) -> tuple[str | None, str | None] | None:
    """A year of one to four digits with an era marker: 38 هـ, 250 ق.م."""
    y = int(mt.group("y"))
    era = _era(mt.group("era"))
    if _prev_word(ctx.m, mt.start("x")) in _kind("century"):
        return None
    if era == "ah":
        return _hijri_year(y), "year"
    if y == 0:
        return None
    return _iso_year(_year_value(y, era)), "year"


def _h_range(mt: re.Match[str], ctx: _Ctx) -> tuple[str | None, str | None] | None:
    y1 = int(mt.group("y1"))
    s2 = mt.group("y2")
    y2 = int(s2) if len(s2) == 4 else (y1 // 100) * 100 + int(s2)
    sep = mt.group("sep")
    if not y1 < y2 <= y1 + 100:
        return None
    if sep.strip() in ("و",) and not (mt.group("yw") or mt.group("bain")):
        return None
    if mt.group("bain") and sep.strip() not in ("و",):
        return None
    if mt.group("min") and sep.strip() not in ("الي", "حتي"):
        return None
    if sep.strip() in ("الي", "حتي") and not mt.group("min"):
        return None
    era = _era(mt.group("era2") or mt.group("era1"))
    if not mt.group("yw") and era is None and not 1800 <= y1 <= 2100:
        return None
    if era == "ah":
        a, b = _hijri_year(y1), _hijri_year(y2)
        if a is None or b is None:
            return None, "range"
        return f"{a.split('/')[0]}/{b.split('/')[1]}", "range"
    if era == "bc":
        return f"{_iso_year(1 - y1)}/{_iso_year(1 - y2)}", "range"
    return f"{_iso_year(y1)}/{_iso_year(y2)}", "range"


def _h_numeric(mt: re.Match[str], ctx: _Ctx) -> tuple[str | None, str | None] | None:
    if mt.group("ya"):
        y, mo, d = int(mt.group("ya")), int(mt.group("ma")), int(mt.group("da"))
    else:
        d, mo = int(mt.group("db")), int(mt.group("mb"))
        ys = mt.group("yb")
        if len(ys) == 2:
            if mt.group("sb") != "/":
                return None
            y = 2000 + int(ys)
            if ctx.anchor is not None and y > ctx.anchor.year + 1:
                y -= 100
        else:
            y = int(ys)
    era = _era(mt.group("era"))
    if not 1 <= mo <= 12 or d < 1:
        return None
    if era == "ah" or (1300 <= y <= 1500 and era is None and y < 1800):
        dd = _hijri_to_date(y, mo, d)
        return (dd.isoformat() if dd else None), "day"
    if not 1000 <= y <= 2100 or d > calendar.monthrange(y, mo)[1]:
        return None
    return date(y, mo, d).isoformat(), "day"


def _weekday_ok(mt: re.Match[str], ctx: _Ctx) -> bool:
    wd = " ".join(mt.group("wd").split())
    if mt.group("yawm") or mt.group("part") or mt.group("mod"):
        return True
    prev = _prev_word(ctx.m, mt.start("x"))
    if wd in ("الاثنين",):
        if prev in _kind("not_weekday_before"):
            return False
        nxt = _next_word(ctx.m, mt.end("x"))
        if nxt in ("معا", "لم", "لا", "كانا", "هما"):
            return False
    return True


def _weekday_date(iso_wd: int, mod: int | None, anchor: date) -> date:
    back = (anchor.isoweekday() - iso_wd) % 7
    if mod is not None and mod > 0:
        fwd = (iso_wd - anchor.isoweekday()) % 7
        return anchor + timedelta(days=fwd or 7)
    if mod is not None and mod < 0:
        return anchor - timedelta(days=back or 7)
    return anchor - timedelta(days=back)


def _h_weekday(mt: re.Match[str], ctx: _Ctx) -> tuple[str | None, str | None] | None:
    if not _weekday_ok(mt, ctx):
        return None
    if ctx.anchor is None:
        return None, "day"
    iso_wd = int(_kind("weekday")[" ".join(mt.group("wd").split())])
    mod = _mod_value(mt.group("mod"))
    if mod is None and _future_cue(ctx, mt.start("x")):
        return _weekday_date(iso_wd, 1, ctx.anchor + timedelta(days=-1)).isoformat(), "day"
    return _weekday_date(iso_wd, mod, ctx.anchor).isoformat(), "day"


def _h_two_weekdays(mt: re.Match[str], ctx: _Ctx) -> tuple[str | None, str | None] | None:
    """يومي الجمعة والسبت (الماضيين): the two days, as an interval."""
    if not (mt.group("yawmay") or mt.group("lm")):
        return None
    if ctx.anchor is None:
        return None, "range"
    wd = _kind("weekday")
    a = int(wd[" ".join(mt.group("wd1").split())])
    b = int(wd[" ".join(mt.group("wd2").split())])
    direction = int(_kind("last_modifier")[" ".join(mt.group("lm").split())]) if mt.group("lm") else None
    if direction is not None and direction > 0:
        d1 = _weekday_date(a, 1, ctx.anchor)
    else:
        last = _weekday_date(b, -1 if direction else None, ctx.anchor)
        d1 = last - timedelta(days=(b - a) % 7)
    d2 = d1 + timedelta(days=(b - a) % 7)
    return _days(d1, d2), "range"


def _h_deictic(mt: re.Match[str], ctx: _Ctx) -> tuple[str | None, str | None] | None:
    deix = " ".join(mt.group("deix").split())
    offset = int(_kind("deictic")[deix])
    part = mt.group("part")
    prev = _prev_word(ctx.m, mt.start("x"))
    nxt = _next_word(ctx.m, mt.end("x"))
    if deix == "اليوم" and not mt.group("wd"):
        if nxt in _kind("not_today_after") or prev in _kind("not_today_before"):
            return None
        if part and " ".join(part.split()) == "يوم":
            return None
    if deix in ("غد", "الغد") and not part and prev not in ("حتي", "الي", "بعد"):
        return None
    if deix == "غدا" and not part and not mt.group("wd"):
        orig = ctx.original[ctx.index[mt.start("deix")]: ctx.index[mt.end("deix") - 1] + 3]
        if "\u064b" not in orig:
            # غدا is also the verb "became": at the head of a clause, before a noun
            head = prev == "" or ctx.m[: mt.start("x")].rstrip().endswith((".", "،", ":", "!", "؟"))
            if head or nxt.startswith("ال"):
                return None
    if ctx.anchor is None:
        return None, "day"
    return (ctx.anchor + timedelta(days=offset)).isoformat(), "day"


def _period_value(kind: str, mod: int, anchor: date, part: str | None) -> tuple[str, str]:
    if kind == "week":
        d = anchor + timedelta(days=7 * mod)
        return _week(d), "week"
    if kind == "month":
        d = _add_months(anchor.replace(day=1), mod)
        if part:
            return _part_of_month(d.year, d.month, part), "range"
        return _ym(d.year, d.month), "month"
    y = anchor.year + mod
    if part:
        return _part_of_year(y, part), "range"
    return _iso_year(y), "year"


def _season_year(first: int, mod: int, anchor: date) -> int:
    """Start year of the season (first month ``first``) that ``mod`` points to."""
    here = _month_index(anchor.year, anchor.month)

    def bounds(y: int) -> tuple[int, int]:
        a, b = _SEASON_MONTHS[first]
        return _month_index(y, a), _month_index(y + (1 if b < a else 0), b)

    years = range(anchor.year - 2, anchor.year + 2)
    if mod < 0:
        past = [y for y in years if bounds(y)[1] < here]
        return max(past) if mod == -1 else sorted(past)[-2]
    if mod > 0:
        return min(y for y in years if bounds(y)[0] > here)
    containing = [y for y in years if bounds(y)[0] <= here <= bounds(y)[1]]
    if containing:
        return containing[0]
    return anchor.year if first != 12 or anchor.month > 2 else anchor.year - 1


def _h_period(mt: re.Match[str], ctx: _Ctx) -> tuple[str | None, str | None] | None:
    p = mt.group("p1") or mt.group("p2")
    p = " ".join(p.split())
    mod = 0 if mt.group("this") else _mod_value(mt.group("mod"))
    part = _kind("part").get(" ".join(mt.group("part").split())) if mt.group("part") else None
    if mod is None:
        return None
    season = _kind("season").get(p)
    if season is not None:
        if part:
            return None
        if ctx.anchor is None:
            return None, "season"
        return _season(int(season), _season_year(int(season), mod, ctx.anchor)), "season"
    kind = _kind("period")[p]
    if p == "العام" and mt.group("p2") and not mt.group("part"):
        prev = _prev_word(ctx.m, mt.start("x"))
        if _definite_noun(prev):
            return None
    if ctx.anchor is None:
        return None, ("range" if part and kind != "week" else {"week": "week", "month": "month"}.get(kind, "year"))
    return _period_value(kind, mod, ctx.anchor, part)


def _h_season_year(mt: re.Match[str], ctx: _Ctx) -> tuple[str | None, str | None] | None:
    first = int(_kind("season")[mt.group("sb")])
    if mt.group("y"):
        return _season(first, int(mt.group("y"))), "season"
    mod = _mod_value(mt.group("mod"))
    if ctx.anchor is None or mod is None:
        return None, "season"
    return _season(first, ctx.anchor.year + mod), "season"


_UNIT_DAYS = {"hour": 0, "day": 1}


def _shift(anchor: date, n: float, unit: str, sign: int) -> tuple[str, str]:
    """The date ``n`` units before (sign -1) or after (+1) the anchor, at the unit's precision."""
    if unit == "hour":
        d = anchor + timedelta(days=sign * int(n // 24))
        return d.isoformat(), "day"
    if unit == "day":
        return (anchor + timedelta(days=sign * round(n))).isoformat(), "day"
    if unit == "week":
        return _week(anchor + timedelta(days=sign * round(7 * n))), "week"
    months = n * (1 if unit == "month" else 12 if unit == "year" else 120)
    if unit == "month" or n != int(n):
        d = _add_months(anchor, sign * round(months))
        return _ym(d.year, d.month), "month"
    return _iso_year(anchor.year + sign * int(months // 12)), "year"


_PRECISION = {"hour": "day", "day": "day", "week": "week", "month": "month", "year": "year", "decade": "year"}


def _unit_of(form: str) -> tuple[str, str] | None:
    """(unit, kind) of a unit word: kind is unit, unit_dual or unit_plural."""
    form = " ".join(form.split())
    for kind in ("unit", "unit_dual", "unit_plural"):
        u = _kind(kind).get(form)
        if u is not None:
            return u, kind
    return None


def _count(num: str | None, kind: str) -> float | None:
    """How many units: from the number, or 1 (singular) or 2 (dual)."""
    if num:
        v = parse_number(num)
        if v is None or kind == "unit_dual":
            return None
        if kind == "unit" and 1 < v < 11:
            return None
        return float(v)
    if kind == "unit_dual":
        return 2.0
    if kind == "unit":
        return 1.0
    return None  # a bare plural: vague (منذ سنوات)


def _h_ago(mt: re.Match[str], ctx: _Ctx) -> tuple[str | None, str | None] | None:
    u = _unit_of(mt.group("unit"))
    if u is None:
        return None
    unit, kind = u
    n = _count(mt.group("num"), kind)
    if n is None:
        return None
    if mt.group("half"):
        n += 0.5 if "نصف" in mt.group("half") else 0.25
    precision = _PRECISION[unit]
    if n != int(n) and unit == "year":
        precision = "month"
    ago = mt.group("ago")
    nxt = _next_word(ctx.m, mt.end("x"))
    if ago == "بعد" or (ago in ("قبل", "قبيل") and nxt in _kind("event_anchor")):
        return None, precision
    if ctx.anchor is None:
        return None, precision
    if unit == "decade":
        return _iso_year(ctx.anchor.year - int(10 * n)), "year"
    return _shift(ctx.anchor, n, unit, -1)


def _h_last(mt: re.Match[str], ctx: _Ctx) -> tuple[str | None, str | None] | None:
    ul = mt.group("ul")
    unit_form = " ".join((ul or mt.group("unit") or "").split())
    if ul is not None:
        unit = _kind("unit_last").get(unit_form)
        dual = unit_form in ("الساعتين", "اليومين", "الاسبوعين", "الشهرين", "العامين", "السنتين", "العقدين")
    else:
        uo = _unit_of(unit_form)
        unit, dual = (uo[0] if uo else None), False
    if unit is None:
        return None
    num = mt.group("num")
    if dual:
        if num:
            return None
        n = 2.0
    else:
        if not num:
            return None
        v = parse_number(num.replace("ال", "", 1) if num.startswith("ال") else num)
        if v is None or v < 1:
            return None
        n = float(v)
    direction = int(_kind("last_modifier")[" ".join(mt.group("lm").split())])
    if ctx.anchor is None:
        return None, "range"
    a = ctx.anchor
    if unit == "hour":
        other = a + timedelta(days=direction * max(1, int(-(-n // 24))))
    elif unit == "day":
        other = a + timedelta(days=direction * int(n))
    elif unit == "week":
        other = a + timedelta(days=direction * 7 * int(n))
    elif unit == "month":
        other = _add_months(a, direction * int(n))
    elif unit == "year":
        other = _add_years(a, direction * int(n))
    else:
        other = _add_years(a, direction * 10 * int(n))
    lo, hi = (other, a) if direction < 0 else (a, other)
    return _days(lo, hi), "range"


def _h_decade(mt: re.Match[str], ctx: _Ctx) -> tuple[str | None, str | None] | None:
    form = " ".join(mt.group("dec").split())
    if not form.startswith("ال") and not mt.group("c20"):
        return None
    start = int(_kind("decade")[form])
    return f"{start}/{start + 9}", "range"


# --- the rule table

_NUM = r"(?P<num>\d+(?:[.,]\d+)?|{NW}(?:\s+و?\s*{NW})*(?:\s+عشر[ه]?)?)"
_APPROX = r"(?:(?:نحو|حوالي|قرابه|زهاء|اكثر\s+من|اقل\s+من|ما\s+يقارب|ما\s+يزيد\s+(?:عن|علي))\s+)"


@lru_cache(maxsize=1)
def _rules() -> tuple[_Rule, ...]:
    wd_prefix = r"(?:(?:(?P<yawm0>يوم)\s+)?(?P<wd0>{WD})\s*،?\s*)?(?:(?P<yawm2>يوم)\s+)?"
    tail_year = (r"(?:\s*،?\s*(?:من\s+)?" + _YEARPART + r"|\s+(?P<mod>{MOD})|\s+من\s+" + _RELYEAR + ")?")
    months = list(_data().months)
    rules = [
        _mk("numeric",
            r"(?:(?P<ya>\d{4})(?P<sa>[/\-.])(?P<ma>\d{1,2})(?P=sa)(?P<da>\d{1,2})"
            r"|(?P<db>\d{1,2})\s?(?P<sb>[/\-.])\s?(?P<mb>\d{1,2})\s?(?P=sb)\s?(?P<yb>\d{4}|\d{2}))(?!\d)"
            r"(?:\s*(?P<era>{ERA}))?",
            _h_numeric, 1, _DIGITS),
        _mk("dmy", wd_prefix + _DAY + r"\s*(?:من\s+)?(?:شهر\s+)?" + _MCOMBO + tail_year, _h_dmy, 2, months),
        _mk("day_rel_month",
            wd_prefix + _DAY + r"\s+(?:من\s+)?(?:(?:هذا\s+)?الشهر\s+(?P<mod>{MOD})|هذا\s+الشهر)",
            _h_day_of_rel_month, 2, ("الشهر",)),
        _mk("my", r"(?:(?P<part>{PART})\s+)?(?:(?P<shahr>شهر)\s+)?" + _MCOMBO + tail_year, _h_my, 3, months),
        _mk("range",
            r"(?:(?P<part>{PART})\s+)?(?:(?P<bain>بين)\s+|(?P<min>من)\s+)?(?:(?P<yw>{YW})\s*)?"
            r"(?P<y1>\d{4})(?!\d)(?:\s*(?P<era1>{ERA}))?"
            r"\s*(?P<sep>-|–|/|و|الي|حتي)\s*(?:(?:عام|سنه)\s*)?(?P<y2>\d{4}|\d{2})(?!\d)"
            r"(?:\s*(?P<era2>{ERA}))?",
            _h_range, 4, _DIGITS),
        _mk("year", r"(?:(?P<part>{PART})\s+)?(?:(?P<yw>{YW})\s*)?(?P<y1>\d{4})(?!\d)(?:\s*(?P<era1>{ERA}))?",
            _h_year, 4, _DIGITS),
        _mk("short_year", r"(?:{YW}\s*)?(?P<y>\d{1,4})\s*(?P<era>{ERA})", _h_short_year, 4, _DIGITS),
        _mk("period",
            r"(?:(?P<part>{PART})\s+)?(?:فصل\s+)?(?:(?P<this>هذا|هذه)\s+(?P<p1>{PERIOD}|{SEASON})"
            r"|(?P<p2>{PERIOD}|{SEASON})\s+(?P<mod>{MOD}))",
            _h_period, 5, _gate_words("period", "season")),
        _mk("season_year",
            r"(?P<sb>{SEASONB})\s+(?:(?:(?:عام|العام|سنه)\s*)?(?P<y>\d{4})(?!\d)|(?:العام|السنه)\s+(?P<mod>{MOD}))",
            _h_season_year, 5, _gate_words("season")),
        _mk("last_n",
            r"(?:(?P<ul>{ULAST})(?:\s+(?P<num>ال\s*\d+|\d+|(?:ال)?{NW}(?:\s+و?\s*{NW})*))?"
            r"|(?:ال\s*)?(?P<num2>\d+)\s+(?P<unit>{UNITS}))\s+(?P<lm>{LMOD})",
            _h_last_wrap, 5, _gate_words("unit_last", "unit", "unit_dual", "unit_plural")),
        _mk("ago",
            r"(?P<ago>منذ|قبل|قبيل|بعد)(?:\s+مرور)?\s+" + _APPROX + "?" + r"(?:" + _NUM + r"\s*)?"
            r"(?P<unit>{UNITS})(?:\s+(?P<half>و(?:نصف|ربع))(?:\s+(?:ال)?(?:عام|سنه|شهر|ساعه|يوم))?)?(?!\s*\d)",
            _h_ago, 6, ("منذ", "قبل", "قبيل", "بعد")),
        _mk("weekday",
            r"(?:(?P<part>{DAYPART})\s+)?(?:(?P<yawm>يوم)\s+)?(?P<wd>{WD})"
            r"(?:\s+(?P<mod>{WMOD}))?",
            _h_weekday, 7, _gate_words("weekday")),
        _mk("two_weekdays",
            r"(?:(?P<yawmay>يومي|ايام)\s+)?(?P<wd1>{WD})\s+و\s*(?P<wd2>{WD})(?:\s+(?P<lm>{LMOD}))?",
            _h_two_weekdays, 7, _gate_words("weekday")),
        _mk("deictic", r"(?:(?P<part>{DAYPART})\s+)?(?P<deix>{DEIX})(?:\s*،?\s*(?P<wd>{WD}))?", _h_deictic, 7, _gate_words("deictic")),
        _mk("decade", r"(?P<dec>{DEC})(?:\s+(?:من\s+)?(?P<c20>{C20}))?", _h_decade, 8, _gate_words("decade")),
    ]
    return tuple(rules)


def _h_last_wrap(mt: re.Match[str], ctx: _Ctx) -> tuple[str | None, str | None] | None:
    return _h_last(_LastMatch(mt), ctx)  # type: ignore[arg-type]


class _LastMatch:
    """Gives ``num`` from either alternative of the last-N pattern."""

    def __init__(self, mt: re.Match[str]) -> None:
        self._mt = mt

    def group(self, name: str) -> str | None:
        if name == "num":
            return self._mt.group("num") or self._mt.group("num2")
        return self._mt.group(name)


@lru_cache(maxsize=1)
def _named_patterns() -> tuple[tuple[_Named, re.Pattern[str]], ...]:
    return tuple(
        (named, re.compile(_START + "(?P<x>" + r"\s+".join(re.escape(p) for p in named.form.split()) + ")" + _END))
        for named in _data().named
    )


def _named_candidates(ctx: _Ctx) -> list[_Cand]:
    out = []
    for named, pat in _named_patterns():
        # a substring test is far cheaper than a regex scan, and most named
        # dates are absent from most articles
        if named.form.split()[0] not in ctx.m:
            continue
        for mt in pat.finditer(ctx.m):
            prev = _prev_word(ctx.m, mt.start("x"))
            if prev not in named.context:
                continue
            out.append(_Cand(mt.start("x"), mt.end("x"), named.value, named.precision, 0, named.value is None))
    return out


# ---------------------------------------------------------------------- entry


_MARK_RE = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


def find_dates(text: str, published: str | None) -> list[DateMention]:
    """Every date expression of ``text``, resolved against ``published``.

    Raises :class:`MarsadError` (``bad_date``) if ``published`` is given but is
    not an ISO 8601 date.
    """
    anchor = parse_anchor(published)
    if not text:
        return []
    m, index = _matching_text(text)
    ctx = _Ctx(m, anchor, text, index)
    cands: list[_Cand] = _named_candidates(ctx)
    for rule in _rules():
        if rule.gate is not None and not any(w in m for w in rule.gate):
            continue
        for mt in rule.regex.finditer(m):
            res = rule.handler(mt, ctx)
            if res is None:
                continue
            cands.append(_Cand(mt.start("x"), mt.end("x"), res[0], res[1], rule.priority))
    cands.sort(key=lambda c: (-(c.end - c.start), c.priority, c.start))
    taken: list[_Cand] = []
    for c in cands:
        if all(c.end <= t.start or c.start >= t.end for t in taken):
            taken.append(c)
    out: list[DateMention] = []
    for c in sorted(taken, key=lambda c: c.start):
        if c.block:
            continue
        s = index[c.start]
        e = index[c.end - 1] + 1
        while e < len(text) and _MARK_RE.match(text, e):
            e += 1
        out.append(DateMention(text[s:e], s, e, c.value, c.precision))
    return out
