"""Numbers in Arabic news text, read with their spans.

:func:`find_numbers` finds every figure a reader would count: Western, Eastern
Arabic (٤٥) and Persian digits with their separators (``1,200``, ``١٬٢٠٠``,
``3٫5``), page counters (``1.3K``), cardinal number words up to the billions
(``مئة وخمسة وأربعون``, ``ثلاثة آلاف``, ``ألفان``), digits with a scale word
(``1.5 مليون``), ordinals (``الخامس عشر``, ``الـ15``), duals of nouns
(``قتيلان``, ``جنديين`` → 2) and vague quantities, coded conservatively as the
event taxonomy says (``عشرات`` 10, ``مئات`` 100, ``آلاف`` 1000, ``عشرات الآلاف``
10000; ``عدد من``, ``بعض`` → no value).  Qualifiers such as ``أكثر من``,
``نحو``, ``حوالي`` are kept in the span and set ``approx``.

Words are matched in the form of :func:`marsad.arabic.normalize.normalize`, with
the proclitics و ف ب ل ك split off (``وخمسة``, ``بثلاثة``, ``لعشرات``); a span
starts after such a clitic, except for ل fused with the article (``للعشرات``),
where it starts at the word.  The word lists are in ``data/arabic/numbers.tsv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from marsad.arabic.lexicon import read_data_lines
from marsad.arabic.normalize import normalize, normalize_with_map

__all__ = ["NumberMention", "find_numbers", "parse_number", "ordinal_forms", "number_words"]

Number = int | float

_DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_TOKEN_RE = re.compile(
    rf"(?P<num>[{_DIGIT}]+(?:[.,\u066b\u066c][{_DIGIT}]+)*)"
    rf"|(?P<word>(?:[^\W\d_]|[{_MARKS}])+)"
    r"|(?P<other>\S)"
)
_LATIN_RE = re.compile(r"[A-Za-z]+")
_TANWEEN_FATH = "\u064b"
_COUNTER_SUFFIX = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000}


@dataclass(slots=True)
class NumberMention:
    """A figure read from the text; ``text == source[start:end]``.

    ``kind`` is ``digits``, ``words``, ``dual``, ``vague``, ``ordinal`` or
    ``counter``; ``value`` is None for a quantity with no magnitude
    (``عدد من``).  ``unit_noun`` is the counted noun when it is cheaply known:
    the singular for a dual (``قتيلان`` → ``قتيل``), else the word after the
    figure as written (``45 شخصاً`` → ``شخصاً``; ``%`` for a percentage).
    """

    text: str
    start: int
    end: int
    value: Number | None
    kind: str
    approx: bool = False
    unit_noun: str | None = None


# --------------------------------------------------------------------- lexicon


@dataclass(frozen=True, slots=True)
class _Lexicon:
    words: dict[str, dict[str, float | None]]  # normalised form -> kind -> value
    phrases: dict[str, list[tuple[tuple[str, ...], float | None]]]  # kind -> phrases
    duals: dict[str, str]  # normalised dual form -> singular as written


def _value(field: str) -> float | None:
    return None if field == "-" else float(field)


# Which dual endings count for each kind of dual noun: both (a broken plural
# cannot be mistaken for them), only -ان (a sound plural ends in -ين too:
# مدنيين is "civilians" as well as "two civilians"), only -ين (صبيان is also a plural).
_DUAL_KINDS: dict[str, tuple[str, ...]] = {
    "dual_noun": ("ان", "ين"),
    "dual_noun_an": ("ان",),
    "dual_noun_in": ("ين",),
}


def _dual_forms(singular: str) -> list[str]:
    n = normalize(singular)
    if n.endswith("ه"):  # teh marbuta: طفلة → طفلتان/طفلتين
        stem = n[:-1] + "ت"
    elif singular.endswith("ى"):  # مبنى → مبنيان/مبنيين
        stem = n[:-1] + "ي"
    else:
        stem = n
    return [stem + "ان", stem + "ين"]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    words: dict[str, dict[str, float | None]] = {}
    phrases: dict[str, list[tuple[tuple[str, ...], float | None]]] = {}
    duals: dict[str, str] = {}
    for line in read_data_lines("numbers.tsv"):
        form, value, kind = line.split("\t")[:3]
        norm = normalize(form)
        if kind in _DUAL_KINDS:
            for dual in _dual_forms(form):
                if dual.endswith(_DUAL_KINDS[kind]):
                    duals[dual] = form
            continue
        parts = tuple(norm.split())
        if len(parts) > 1:
            phrases.setdefault(kind, []).append((parts, _value(value)))
        else:
            words.setdefault(norm, {})[kind] = _value(value)
    for kind in phrases:  # longest phrases first
        phrases[kind].sort(key=lambda p: -len(p[0]))
    return _Lexicon(words, phrases, duals)


def number_words() -> dict[str, dict[str, float | None]]:
    """The number-word lexicon: normalised form → {kind: value} (read-only use)."""
    return _lexicon().words


@lru_cache(maxsize=4)
def ordinal_forms(maximum: int = 31) -> dict[str, int]:
    """Normalised masculine and feminine ordinal phrases (``الخامس عشر``,
    ``الحادي والعشرين``, ``العشرين``) mapped to their value, up to ``maximum``."""
    words = _lexicon().words
    units: dict[int, list[str]] = {}
    for form, kinds in words.items():
        v = kinds.get("ordinal", kinds.get("ordinal_compound"))
        if v is not None and form.startswith("ال"):
            units.setdefault(int(v), []).append(form)
    tens: dict[int, list[str]] = {}
    for form, kinds in words.items():
        v = kinds.get("ten")
        if v is not None:
            tens.setdefault(int(v), []).append("ال" + form)
    out: dict[str, int] = {}
    for v, forms in units.items():
        for f in forms:
            if f not in ("الحادي", "الحاديه") and v <= maximum:
                out[f] = v
            if v + 10 <= maximum and v < 10:
                teen = "عشره" if f.endswith("ه") else "عشر"
                out[f"{f} {teen}"] = v + 10
    for t, tforms in tens.items():
        for tf in tforms:
            if t <= maximum:
                out[tf] = t
            for v, forms in units.items():
                if v < 10 and t + v <= maximum:
                    for f in forms:
                        out[f"{f} و{tf}"] = t + v
    return out


# ---------------------------------------------------------------------- tokens


@dataclass(slots=True)
class _Tok:
    text: str
    start: int
    end: int
    kind: str  # num | word | latin | other
    norm: str


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    for m in _TOKEN_RE.finditer(text):
        s = m.group()
        if m.lastgroup == "word":
            norm = normalize(s)
            if not norm:  # a lone tatweel or mark: a joiner, not a token
                continue
            kind = "latin" if _LATIN_RE.fullmatch(norm) else "word"
        else:
            kind = m.lastgroup or "other"
            norm = normalize(s)
        out.append(_Tok(s, m.start(), m.end(), kind, norm))
    return out


_JOINER_RE = re.compile(r"[\s\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff]*")


def _connected(text: str, a: _Tok, b: _Tok) -> bool:
    """True when only spaces (or invisible marks) separate ``a`` and ``b``."""
    return _JOINER_RE.fullmatch(text, a.end, b.start) is not None


def _glued(a: _Tok, b: _Tok) -> bool:
    return a.end == b.start


def _digits_value(norm: str) -> Number | None:
    """Value of a run of ASCII digits with separators, or None if malformed."""
    groups = re.split(r"[.,\u066b\u066c]", norm)
    seps = re.findall(r"[.,\u066b\u066c]", norm)
    if not seps:
        return int(norm)
    tail3 = all(len(g) == 3 for g in groups[1:])
    if all(c in ",\u066c" for c in seps) and tail3:
        return int("".join(groups))
    if len(seps) >= 2 and all(c == "." for c in seps) and tail3:
        return int("".join(groups))
    if len(seps) == 1 and seps[0] != "\u066c":
        return _clean(float(f"{groups[0]}.{groups[1]}"))
    return None


def _clean(v: float) -> Number:
    """An int when the value is whole (after rounding float noise)."""
    r = round(v, 6)
    return int(r) if r == int(r) else r


# --------------------------------------------------------------- word analysis


@dataclass(slots=True)
class _Reading:
    kind: str
    value: float | None
    offset: int  # characters of the surface word before the reading starts
    conj: bool  # the word carried the conjunction و
    definite: bool
    rest: str  # the normalised word without clitics


def _clitic_splits(word: str) -> list[tuple[int, str, bool, bool]]:
    """(normalised chars stripped, remainder, has و/ف, fused لل) for a word."""
    out = [(0, word, False, False)]
    firsts = [(0, word, False)]
    if len(word) > 2 and word[0] in "وف":
        firsts.append((1, word[1:], word[0] == "و"))
    for k, rest, conj in firsts:
        if k:
            out.append((k, rest, conj, False))
        if len(rest) > 3 and rest.startswith("لل"):
            out.append((k, "ا" + rest[1:], conj, True))
        elif len(rest) > 2 and rest[0] in "بلك":
            out.append((k + 1, rest[1:], conj, False))
    return out


def _readings(tok: _Tok, kinds: frozenset[str] | None = None) -> list[_Reading]:
    """Lexicon readings of a word token, clitics split off."""
    if tok.kind != "word":
        return []
    lex = _lexicon()
    norm, index = normalize_with_map(tok.text)
    out: list[_Reading] = []
    for k, rest, conj, fused in _clitic_splits(norm):
        offset = index[k] if not fused else (index[k] if k < len(index) else 0)
        if rest in lex.words and "not_number" in lex.words[rest]:
            continue
        cands = [(rest, False)]
        if rest.startswith("ال") and len(rest) > 3:
            cands.append((rest[2:], True))
        for form, definite in cands:
            for kind, value in lex.words.get(form, {}).items():
                if kinds is not None and kind not in kinds:
                    continue
                if definite and kind not in ("unit", "ten", "vague", "scale_plural", "scale"):
                    continue
                out.append(_Reading(kind, value, offset, conj, definite or fused, form))
    return out


def _reading(tok: _Tok, kinds: frozenset[str], conj: bool | None = None) -> _Reading | None:
    for r in _readings(tok, kinds):
        if conj is None or r.conj == conj:
            return r
    return None


_CARD = frozenset({"unit", "teen_unit", "ten", "hundred", "scale", "scale_plural", "scale_dual",
                   "fraction", "vague"})


# ------------------------------------------------------------------- cardinals


@dataclass(slots=True)
class _Parse:
    end: int  # token index one past the last token
    value: Number | None
    kind: str
    start_offset: int  # chars to skip in the first token (clitics)


def _is_conj_tok(tok: _Tok) -> bool:
    return tok.kind == "word" and tok.norm == "و"


def _parse_cardinal(text: str, toks: list[_Tok], i: int) -> _Parse | None:
    """Read a cardinal (digits and/or words) starting at token ``i``."""
    first = toks[i]
    total = 0.0
    current = 0.0
    any_digits = False
    j = i
    start_offset = 0
    # group slots below a thousand
    has_h = has_u = has_t = has_teen = False
    last: str | None = None  # kind of the last item
    last_unit = 0.0
    last_scale = 0.0

    if first.kind == "num":
        v = _digits_value(first.norm)
        if v is None:
            return None
        current = float(v)
        any_digits = True
        last = "digits"
        j = i + 1
    else:
        r = _reading(first, _CARD)
        if r is None or (r.definite and r.kind == "scale"):
            return None
        start_offset = r.offset
        if r.kind == "vague":
            # عشرات, مئات, optionally followed by الآلاف / الملايين
            value = float(r.value or 0)
            j = i + 1
            if j < len(toks) and _connected(text, toks[j - 1], toks[j]):
                s = _reading(toks[j], frozenset({"scale_plural"}), conj=False)
                if s is not None:
                    value *= float(s.value or 1)
                    j += 1
            return _Parse(j, _clean(value), "vague", start_offset)
        if r.kind == "scale_plural":
            # آلاف alone is a vague quantity (a number before it is handled below)
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if r.definite or nxt is None or not _reading(nxt, frozenset({"hundred", "unit", "ten"}), conj=True):
                return _Parse(i + 1, _clean(float(r.value or 0)), "vague", start_offset)
            return None
        if r.kind == "fraction":
            if i + 1 < len(toks) and _connected(text, first, toks[i + 1]):
                s = _reading(toks[i + 1], frozenset({"scale"}), conj=False)
                if s is not None and not s.definite:
                    return _Parse(i + 2, _clean(float(r.value or 0) * float(s.value or 0)), "words",
                                  start_offset)
            return None
        if r.kind == "teen_unit":
            if i + 1 < len(toks) and _connected(text, first, toks[i + 1]):
                t = _reading(toks[i + 1], frozenset({"unit"}), conj=False)
                if t is not None and t.value == 10:
                    return _finish_words(text, toks, i + 2, 11.0, start_offset)
            return None
        if r.kind == "scale_dual":
            total = 2 * float(r.value or 0)
            last, last_scale = "scale", float(r.value or 0)
        elif r.kind == "scale":
            v = float(r.value or 0)
            if r.rest == "الفا" and _TANWEEN_FATH not in first.text:
                total = 2 * v  # ألفا شخص: the construct dual
            else:
                total = v
            last, last_scale = "scale", v
        else:
            current = float(r.value or 0)
            last = r.kind
            if r.kind == "unit":
                if current >= 10:
                    has_teen = True
                else:
                    has_u, last_unit = True, current
            elif r.kind == "ten":
                has_t = True
            elif r.kind == "hundred":
                has_h = True
        j = i + 1

    while j < len(toks):
        prev, tok = toks[j - 1], toks[j]
        if not _connected(text, prev, tok):
            break
        conj = False
        if _is_conj_tok(tok) and j + 1 < len(toks) and _connected(text, tok, toks[j + 1]):
            # a detached و before digits or a word: و 300
            nxt = toks[j + 1]
            if nxt.kind == "num" and last == "scale" and current == 0:
                v = _digits_value(nxt.norm)
                if v is None:
                    break
                current, any_digits, last = float(v), True, "digits"
                j += 2
                continue
            break
        if tok.kind == "num":
            break
        rs = _readings(tok, _CARD)
        if not rs:
            break
        r = next((x for x in rs if x.conj), None)
        if r is not None:
            conj = True
        else:
            r = next((x for x in rs if x.offset == 0), None)
            if r is None:
                break
        if r.definite and not (r.kind == "scale" or r.kind == "scale_plural"):
            break
        kind, v = r.kind, float(r.value or 0)
        if conj:
            group_empty = not (has_h or has_u or has_t or has_teen) and current == 0
            if kind == "hundred" and group_empty and last == "scale":
                current, has_h, last = v, True, "hundred"
            elif kind == "unit" and v < 10 and not (has_u or has_t or has_teen) and last in ("hundred", "scale"):
                current += v
                has_u, last_unit, last = True, v, "unit"
            elif kind == "unit" and v == 10 and not (has_u or has_t or has_teen) and last in ("hundred", "scale"):
                current += v
                has_teen, last = True, "unit"
            elif kind == "ten" and not (has_t or has_teen) and last in ("unit", "hundred", "scale"):
                current += v
                has_t, last = True, "ten"
            elif kind == "fraction" and last == "scale":
                total += v * last_scale
                j += 1
                # ونصف المليون: the scale repeated after the fraction
                if j < len(toks) and _connected(text, tok, toks[j]):
                    s = _reading(toks[j], frozenset({"scale"}), conj=False)
                    if s is not None and s.definite and float(s.value or 0) == last_scale:
                        j += 1
                last = "fraction"
                break
            else:
                break
        else:
            if r.offset != 0:
                break
            if kind == "unit" and v == 10 and last == "unit" and has_u and not has_t and not has_teen:
                current += 10
                has_teen, last = True, "teen"
            elif kind == "hundred" and v == 100 and last == "unit" and has_u and not has_h and not has_t:
                current = current - last_unit + last_unit * 100
                has_u, has_h, last = False, True, "hundred"
            elif kind in ("scale", "scale_plural") and (current > 0):
                if kind == "scale_plural" and not any_digits and not (3 <= current <= 10):
                    break
                total += current * v
                current = 0
                has_h = has_u = has_t = has_teen = False
                last, last_scale = "scale", v
            else:
                break
        j += 1

    value = total + current
    if value == 0 and not any_digits:
        return None
    return _Parse(j, _clean(value), "digits" if any_digits else "words", start_offset)


def _finish_words(text: str, toks: list[_Tok], j: int, value: float, offset: int) -> _Parse:
    """A teen read so far (أحد عشر): a scale word may still follow (أحد عشر ألفاً)."""
    if j < len(toks) and _connected(text, toks[j - 1], toks[j]):
        s = _reading(toks[j], frozenset({"scale", "scale_plural"}), conj=False)
        if s is not None and s.offset == 0:
            return _Parse(j + 1, _clean(value * float(s.value or 0)), "words", offset)
    return _Parse(j, _clean(value), "words", offset)


# -------------------------------------------------------------------- ordinals


_BROKEN_PLURALS = frozenset({"الاشخاص", "الجنود", "الضحايا", "القتلى", "القتلي", "الجرحى", "الجرحي", "الرهائن",
                             "الاسرى", "الاسري", "الرجال", "الاطفال", "النساء", "الركاب", "العمال", "الطلاب",
                             "الضباط", "الشهداء", "المعتقلون", "الناس", "السجناء", "الوزراء", "النواب"})


def _definite_plural(norm: str) -> bool:
    """A definite noun in the plural (المعتقلين، الأشخاص), by its ending or from a short list."""
    return norm.startswith("ال") and len(norm) >= 6 and (norm.endswith(("ين", "ون", "ات")) or norm in _BROKEN_PLURALS)


def _parse_ordinal(text: str, toks: list[_Tok], i: int) -> _Parse | None:
    tok = toks[i]
    if tok.kind == "word" and tok.norm == "ال" and i + 1 < len(toks) and toks[i + 1].kind == "num":
        if _connected(text, tok, toks[i + 1]):
            v = _digits_value(toks[i + 1].norm)
            if isinstance(v, int):
                # after a definite plural it counts: الأشخاص الـ14 (the fourteen people),
                # after a singular it ranks: اليوم الـ25، المرتبة الـ14
                kind = "digits" if i > 0 and _definite_plural(toks[i - 1].norm) else "ordinal"
                return _Parse(i + 2, v, kind, 0)
        return None
    r = _reading(tok, frozenset({"ordinal", "ordinal_compound"}))
    if r is None:
        return None
    if i > 0 and _connected(text, toks[i - 1], tok):
        prev = _readings(toks[i - 1], frozenset({"month_head"}))
        if prev:
            return None
    value = float(r.value or 0)
    j = i + 1
    if j < len(toks) and _connected(text, tok, toks[j]) and value < 10:
        t = _reading(toks[j], frozenset({"unit"}), conj=False)
        if t is not None and t.value == 10 and t.offset == 0 and not t.definite:
            return _Parse(j + 1, int(value + 10), "ordinal", r.offset)
        t = _reading(toks[j], frozenset({"ten"}), conj=True)
        if t is not None and t.definite:
            return _Parse(j + 1, int(value + float(t.value or 0)), "ordinal", r.offset)
    if r.kind == "ordinal_compound":
        return None
    return _Parse(j, int(value), "ordinal", r.offset)


# ------------------------------------------------------------------ the reader


def _match_phrase(toks: list[_Tok], text: str, i: int, kind: str) -> tuple[int, int] | None:
    """Match a multi-word lexicon phrase of ``kind`` (or a single word) at ``i``.

    Returns (end token index, offset in the first token) or None.
    """
    lex = _lexicon()
    if i >= len(toks) or toks[i].kind != "word":
        return None
    first_norm, first_index = normalize_with_map(toks[i].text)
    for parts, _ in lex.phrases.get(kind, []):
        if i + len(parts) > len(toks):
            continue
        for k, rest, _conj, fused in _clitic_splits(first_norm):
            if rest != parts[0] or fused:
                continue
            ok = True
            for n, p in enumerate(parts[1:], start=1):
                t = toks[i + n]
                if t.norm != p or not _connected(text, toks[i + n - 1], t):
                    ok = False
                    break
            if ok:
                return i + len(parts), first_index[k]
    r = _reading(toks[i], frozenset({kind}))
    if r is not None:
        return i + 1, r.offset
    return None


def _is_skipped_num(text: str, toks: list[_Tok], i: int) -> bool:
    """Digits that are part of a date, a time, a score or a model name."""
    tok = toks[i]
    if _digits_value(tok.norm) is None:
        return True
    for a, b in ((i - 1, i - 2), (i + 1, i + 2)):
        if 0 <= a < len(toks) and 0 <= b < len(toks):
            sep, other = toks[a], toks[b]
            if sep.text in ("/", ":") and other.kind == "num" and _connected(
                    text, *(sorted((sep, tok), key=lambda t: t.start))):
                return True
    # dd-mm-yyyy: three numbers glued by hyphens
    chain = [i]
    k = i
    while k - 2 >= 0 and toks[k - 1].text == "-" and toks[k - 2].kind == "num" and _glued(
            toks[k - 2], toks[k - 1]) and _glued(toks[k - 1], toks[k]):
        k -= 2
        chain.append(k)
    k = i
    while k + 2 < len(toks) and toks[k + 1].text == "-" and toks[k + 2].kind == "num" and _glued(
            toks[k], toks[k + 1]) and _glued(toks[k + 1], toks[k + 2]):
        k += 2
        chain.append(k)
    if len(chain) >= 3:
        return True
    # a model or unit code glued to Latin letters: F16, 4G, COVID-19
    if i > 0 and toks[i - 1].kind == "latin" and _glued(toks[i - 1], tok):
        return True
    if i > 1 and toks[i - 1].text == "-" and toks[i - 2].kind == "latin" and _glued(
            toks[i - 2], toks[i - 1]) and _glued(toks[i - 1], tok):
        return True
    if i + 1 < len(toks) and toks[i + 1].kind == "latin" and _glued(tok, toks[i + 1]):
        return toks[i + 1].norm not in _COUNTER_SUFFIX
    return False


def _unit_noun(text: str, toks: list[_Tok], j: int, skip_min: bool) -> tuple[str | None, int]:
    """The counted noun at token ``j`` (as written), and the index after it."""
    lex = _lexicon()
    if j >= len(toks) or not _connected(text, toks[j - 1], toks[j]):
        return None, j
    tok = toks[j]
    if skip_min and tok.norm == "من" and j + 1 < len(toks) and _connected(text, tok, toks[j + 1]):
        j += 1
        tok = toks[j]
    if tok.kind != "word" or len(tok.norm) < 3:
        return None, j
    kinds = lex.words.get(tok.norm, {})
    if "not_unit" in kinds or tok.norm.startswith("و") or _readings(tok, _CARD | {"ordinal"}):
        return None, j
    return tok.text, j + 1


def _percent(text: str, toks: list[_Tok], j: int) -> int | None:
    """Index after a percent marker (``في المئة``, ``%``) at ``j``, or None."""
    if j >= len(toks) or not _connected(text, toks[j - 1], toks[j]):
        return None
    if toks[j].text in ("%", "\u066a"):
        return j + 1
    for parts, _ in _lexicon().phrases.get("percent", []):
        if all(j + n < len(toks) and toks[j + n].norm == p for n, p in enumerate(parts)):
            return j + len(parts)
    r = _reading(toks[j], frozenset({"percent"}))
    if r is not None and r.offset == 0:
        return j + 1
    return None


def find_numbers(text: str) -> list[NumberMention]:
    """Every figure in ``text``, in order, with code-point offsets."""
    if not text:
        return []
    toks = _tokens(text)
    out: list[NumberMention] = []
    i = 0
    n = len(toks)
    while i < n:
        tok = toks[i]
        start_tok, start_offset, approx = i, 0, False
        # a qualifier: أكثر من 50, نحو ألفي نازح
        q = _match_phrase(toks, text, i, "approx_before")
        if q is not None and q[0] < n and _connected(text, toks[q[0] - 1], toks[q[0]]):
            k = q[0]
            if toks[k].kind in ("num", "word"):
                p = _number_at(text, toks, k)
                if p is not None and p.kind in ("digits", "words", "vague", "counter"):
                    start_offset, approx, i = q[1], True, k
                    tok = toks[i]
        # a quantity with no magnitude: عدد من, بعض
        if not approx:
            vq = _match_phrase(toks, text, i, "vague_none")
            if vq is not None and vq[0] < n and toks[vq[0]].kind == "word" and _connected(
                    text, toks[vq[0] - 1], toks[vq[0]]):
                noun, _ = _unit_noun(text, toks, vq[0], skip_min=False)
                if noun is not None:
                    s = tok.start + vq[1]
                    e = toks[vq[0] - 1].end
                    out.append(NumberMention(text[s:e], s, e, None, "vague", True, noun))
                    i = vq[0]
                    continue
        p = _number_at(text, toks, i)
        if p is None:
            i = start_tok + 1
            continue
        end = p.end
        if p.kind == "vague":
            approx = True
        # a qualifier after the figure: 50 تقريباً
        qa = _match_phrase(toks, text, end, "approx_after") if end < n else None
        if qa is not None and qa[1] == 0 and _connected(text, toks[end - 1], toks[end]):
            end, approx = qa[0], True
        unit: str | None = p.unit_noun if isinstance(p, _Dual) else None
        after = end
        if p.kind != "ordinal" and unit is None:
            pc = _percent(text, toks, end)
            if pc is not None:
                unit, after = "%", pc
            else:
                unit, after = _unit_noun(text, toks, end, skip_min=p.kind == "vague")
        if not approx and unit is not None and after < n:
            qa2 = _match_phrase(toks, text, after, "approx_after")
            if qa2 is not None and _connected(text, toks[after - 1], toks[after]):
                approx = True
        first = toks[start_tok]
        s = first.start + (start_offset if start_tok != i else p.start_offset)
        e = toks[end - 1].end
        out.append(NumberMention(text[s:e], s, e, p.value, p.kind, approx, unit))
        i = max(end, after if unit == "%" else end)
    return out


@dataclass(slots=True)
class _Dual(_Parse):
    unit_noun: str = ""


def _number_at(text: str, toks: list[_Tok], i: int) -> _Parse | None:
    """The figure starting at token ``i`` (any kind), or None."""
    tok = toks[i]
    if tok.kind == "num":
        if _is_skipped_num(text, toks, i):
            return None
        if i + 1 < len(toks) and toks[i + 1].kind == "latin" and _glued(tok, toks[i + 1]):
            mult = _COUNTER_SUFFIX.get(toks[i + 1].norm)
            v = _digits_value(tok.norm)
            if mult is not None and v is not None:
                return _Parse(i + 2, _clean(v * mult), "counter", 0)
        return _parse_cardinal(text, toks, i)
    if tok.kind != "word":
        return None
    o = _parse_ordinal(text, toks, i)
    if o is not None:
        return o
    c = _parse_cardinal(text, toks, i)
    if c is not None:
        return c
    return _parse_dual(text, toks, i)


def _parse_dual(text: str, toks: list[_Tok], i: int) -> _Parse | None:
    lex = _lexicon()
    tok = toks[i]
    norm, index = normalize_with_map(tok.text)
    for k, rest, _conj, fused in _clitic_splits(norm):
        for form in (rest, rest[2:] if rest.startswith("ال") else None):
            if form and form in lex.duals:
                offset = index[k] if not fused else index[k]
                j = i + 1
                # جنديين اثنين: the number repeated as an adjective
                if j < len(toks) and _connected(text, tok, toks[j]):
                    r = _reading(toks[j], frozenset({"unit"}), conj=False)
                    if r is not None and r.value == 2 and r.offset == 0:
                        j += 1
                return _Dual(j, 2, "dual", offset, lex.duals[form])
    return None


def parse_number(text: str) -> Number | None:
    """The value of a single number expression (``ثلاثة آلاف``, ``١٬٢٠٠``,
    ``1.3K``, ``بثلاثة``), or None when ``text`` is not exactly one figure."""
    stripped = text.strip()
    found = find_numbers(stripped)
    if len(found) != 1:
        return None
    m = found[0]
    before = normalize(stripped[: m.start]).strip()
    if stripped[m.end:].strip() or before not in _CLITIC_PREFIXES:
        return None
    return m.value


_CLITIC_PREFIXES = frozenset({"", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل"})
