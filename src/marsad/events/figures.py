"""Casualty, displacement and arrest figures of a sentence.

Each figure comes from :func:`marsad.arabic.numbers.find_numbers` (digits,
number words, duals such as ``قتيلان``, vague quantities coded as EVENTS.md
says: ``عشرات`` 10, ``آلاف`` 1000), or from two readings the numbers module
leaves to us: ``أحد`` / ``إحدى`` before a noun (1) and the dual of a person noun
listed in ``figures.tsv`` (``عراقيان``، ``آخران``، ``صبيين`` → 2).  What a
figure counts is read from the words around it (``data/events/figures.tsv``),
in this order:

1. the figure itself or its counted noun (``قتيلان``, ``12 قتيلاً``,
   ``300 عائلة`` → displaced households);
2. the nearest role word before it, over at most ``BACK`` words of the same
   clause (``أسفر عن مقتل 45 شخصاً``, ``اعتقلت الشرطة أمس 19 شخصاً``);
3. a role word at most ``AHEAD`` words after its counted noun (``لقي 12
   شخصاً مصرعهم``, ``12 من المراقبين قتلوا``), unless it opens a new clause
   (``وأصيب``).

Left out: a figure of two roles at once (``مقتل وإصابة ستة``، ``قتلوا أو
أصيبوا``); a figure that is part of one already counted for the same role
(``بينهم 3 أطفال``، ``عشرة من القتلى``); a figure under a negation (``نفى
مقتل 3``); a figure inside a date (``نوفمبر 2001``) or whose counted noun is
not people (``20 صاروخاً``، ``1.3 مليار دولار``); and the same value said
twice for one role (``مقتل ثمانية ... أنه قتل ثمانية``).  Figures of one role
in one sentence are added up.
"""

from __future__ import annotations

from dataclasses import dataclass

from marsad.arabic.numbers import NumberMention
from marsad.events.lexicon import EventLexicon, has_conjunction, phrase_stems
from marsad.events.view import SentenceView

__all__ = ["Figure", "read_figures", "BACK", "AHEAD"]

BACK = 7
AHEAD = 4
_ROLES = frozenset({"killed", "injured", "displaced", "arrested"})
_YEAR_WORDS = frozenset({"عام", "سنه", "العام", "السنه", "عامي"})


@dataclass(slots=True)
class Figure:
    role: str  # killed | injured | displaced | arrested
    value: int
    start: int
    end: int
    households: bool = False
    position: int = 0  # content position of the figure's first token
    unit: str = ""  # normalised stem of the counted noun, when the figure has one


@dataclass(slots=True)
class _Raw:
    value: int
    kind: str
    start: int
    end: int
    unit_noun: str | None


def _unit_stem(noun: str | None) -> str:
    """The stem of a counted noun, with its accusative alef and feminine ending
    levelled (شخصا → شخص، جثة → جثه)."""
    if not noun:
        return ""
    stems = phrase_stems(noun)
    stem = stems[0] if stems else ""
    if stem.endswith("ا") and len(stem) > 3:
        stem = stem[:-1]
    return stem


_OWNED = frozenset({"مصرعه", "مقتله", "حتفه", "مصرعها", "مقتلها", "حتفها"})


def _owned(norm: str) -> bool:
    """A killing word with its own person (لقي جندي مصرعه): its clause is
    complete, so a role word joined to it by و starts a clause of its own."""
    return norm in _OWNED or norm.endswith(("هم", "هما", "هن"))


def _positions(view: SentenceView, start: int, end: int) -> tuple[int, int] | None:
    """Content positions ``[a, b)`` of the tokens a figure covers."""
    a = b = None
    for p in range(len(view)):
        t = view.tok(p)
        if t.end > start and t.start < end:
            if a is None:
                a = p
            b = p + 1
    return None if a is None or b is None else (a, b)


def _role_at(view: SentenceView, lex: EventLexicon, p: int) -> str | None:
    m = view.match(lex.figures, p)
    return None if m is None else str(m[1])


def _extra_figures(view: SentenceView, lex: EventLexicon, taken: list[tuple[int, int]]) -> list[_Raw]:
    """``أحد`` before a noun (1) and person duals in -ان (2) that no number covers."""
    out: list[_Raw] = []
    n = len(view)
    for p in range(n):
        t = view.tok(p)
        if t.kind != "word" or any(s < t.end and t.start < e for s, e in taken):
            continue
        role = _role_at(view, lex, p)
        if role == "one" and p + 1 < n and view.tok(p + 1).kind == "word" \
                and view.tok(p + 1).norm not in ("عشر", "عشره"):
            out.append(_Raw(1, "one", t.start, t.end, view.tok(p + 1).text))
            continue
        stem = t.stem or t.norm
        if len(stem) >= 5 and stem.endswith(("ان", "ين")) and not stem.endswith("يين"):
            singular = stem[:-2]
            if singular.endswith("ت"):  # جثتين → جثه
                singular = singular[:-1] + "ه"
            kinds = {value for stems, _, value in lex.figures.by_first.get(singular, ()) if len(stems) == 1}
            if "dual_person_broken" in kinds or (stem.endswith("ان") and "dual_person" in kinds):
                out.append(_Raw(2, "dual", t.start, t.end, singular))
    return out


def read_figures(view: SentenceView, numbers: list[NumberMention], lex: EventLexicon,
                 negated: set[int], dates: list[tuple[int, int]] = ()) -> list[Figure]:  # type: ignore[assignment]
    """The figures of the sentence ``view`` (see the module docstring).
    ``dates`` are the spans of date expressions, whose numbers are no figures."""
    raws = [_Raw(int(m.value), m.kind, m.start, m.end, m.unit_noun) for m in numbers
            if m.value is not None and m.kind not in ("ordinal", "counter") and m.unit_noun != "%"]
    raws += _extra_figures(view, lex, [(m.start, m.end) for m in numbers])
    raws.sort(key=lambda r: r.start)
    not_people = {stems[0] for bucket in lex.figures.by_first.values()
                  for stems, _, value in bucket if value == "not_people" and len(stems) == 1}
    out: list[Figure] = []
    n = len(view)
    for num in raws:
        if any(s <= num.start < e for s, e in dates):
            continue
        pos = _positions(view, num.start, num.end)
        if pos is None:
            continue
        a, b = pos
        if a in negated or num.value <= 0:
            continue
        if a > 0 and view.stem(a - 1) in _YEAR_WORDS:
            continue
        if num.kind == "dual" and num.unit_noun and phrase_stems(num.unit_noun)[:1] \
                and phrase_stems(num.unit_noun)[0] in not_people:
            continue  # عامين: two years
        role: str | None = None
        households = False
        unit_end = b
        # 1. the figure itself (قتيلان) or its counted noun
        probe = list(range(a, b))
        if num.kind not in ("dual", "one") and b < n and not has_conjunction(view.tok(b)):
            probe.append(b)
        for q in probe:
            r = _role_at(view, lex, q)
            if r == "households":
                households = True
                unit_end = max(unit_end, q + 1)
            elif r == "not_people":
                role = "not_people"
                break
            elif r in _ROLES:
                role = r
                unit_end = max(unit_end, q + 1)
                break
            elif q == b and not view.is_punct(b):
                unit_end = b + 1
        if num.kind == "one":
            unit_end = b + 1
        if role == "not_people":
            continue
        subset = any(q >= 0 and _role_at(view, lex, q) == "subset" for q in (a - 1, a - 2))
        # ستة جثث ... اثنتان منها: a part named after its number
        if b < n and _role_at(view, lex, b) == "subset" and view.tok(b).norm.startswith("من"):
            subset = True
        if unit_end < n and view.tok(unit_end).norm == "من" and unit_end + 1 < n \
                and view.tok(unit_end + 1).article and _role_at(view, lex, unit_end + 1) in _ROLES:
            subset = True
        # 2. the nearest role word before it, in the same clause; a figure joined
        # by و to the figure before it counts what that one counts
        # (أصيب 3 من عناصر الشرطة ومدنيان → 5 injured)
        if role is None:
            q = a - 1
            seen = 0
            # أحد takes its role from the word right before it (مقتل أحد، أصيب أحد)
            back = 1 if num.kind == "one" else BACK
            while q >= 0 and seen < back:
                if view.tok(q).kind == "number" or any(f.position == q for f in out):
                    prev = next((f for f in out if f.position == q), None)
                    if prev is not None and view.conjoined(a) and not subset:
                        role = prev.role
                        households = households or prev.households
                    break
                if view.is_boundary(q):
                    break
                r = _role_at(view, lex, q)
                if r in _ROLES:
                    role = r
                    # مقتل وإصابة ستة: killed and injured together (not لقي اثنان مصرعهما وأصيب آخران)
                    if q > 0 and _role_at(view, lex, q - 1) in _ROLES - {r} and has_conjunction(view.tok(q)) \
                            and not _owned(view.tok(q - 1).norm) \
                            and not any(x.start < view.tok(q - 1).start for x in raws if x.end <= num.start
                                        and x.start >= view.tok(max(0, q - 4)).start):
                        role = "mixed"
                    break
                if r == "households":
                    households = True
                if not view.is_punct(q):
                    seen += 1
                q -= 1
        # 2b. a total raised or lowered to the figure: ارتفع عدد الشهداء في حي الشجاعية إلى ثمانية
        if role is None and a > 0 and view.tok(a - 1).norm in ("الى", "إلى"):
            for q in range(a - 2, max(-1, a - 16), -1):
                if view.is_boundary(q):
                    break
                if view.stem(q) in ("عدد", "حصيله") and q + 1 < n and _role_at(view, lex, q + 1) in _ROLES:
                    role = _role_at(view, lex, q + 1)
                    break
        # 3. a role word after its counted noun, in the same clause
        if role is None:
            q = unit_end
            seen = 0
            while q < n and seen < AHEAD:
                if view.is_boundary(q) or view.tok(q).kind == "number":
                    break
                r = _role_at(view, lex, q)
                if r in _ROLES:
                    role = None if has_conjunction(view.tok(q)) else r
                    break
                if not view.is_punct(q):
                    seen += 1
                q += 1
            # 12 قتلوا أو أصيبوا: two roles at once
            if role is not None and q + 2 < n and view.tok(q + 1).norm == "او" \
                    and _role_at(view, lex, q + 2) in _ROLES - {role}:
                role = "mixed"
        if role is None or role == "mixed":
            continue
        if households and role != "displaced":
            continue
        if subset and any(f.role == role for f in out):
            continue
        unit = _unit_stem(num.unit_noun)
        if any(f.role == role and f.value == num.value and not (f.unit and unit and f.unit != unit)
               for f in out):
            continue  # the same figure said twice (but 11 killed and 11 bodies found are two)
        out.append(Figure(role, num.value, num.start, num.end, households, a, unit))
    return out
