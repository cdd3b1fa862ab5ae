"""Offset-preserving tokenizer for Arabic news text, with proclitic splitting.

:func:`tokenize` returns :class:`marsad.documents.Token` objects whose
``start``/``end`` are code-point offsets into the text it was given:
``text[t.start:t.end] == t.text`` for every token.

Token kinds:

* ``word``: a run of Arabic letters (with their harakat, tatweel and any
  zero-width joiners between letters), or of letters of another non-Latin script;
* ``clitic``: a proclitic split off an Arabic word (و ف ب ل ك), or a proclitic
  written detached with a tatweel (``لـ`` in ``لـ"الغارديان"``);
* ``number``: Western or Eastern Arabic digits, with ``, . ٫ ٬`` between digits;
* ``latin``: Latin letters (digits may follow: ``G20``);
* ``punct``: any other visible character (``...`` is one token).
  Whitespace and invisible format marks between tokens are skipped.

``norm`` is :func:`marsad.arabic.normalize.normalize` of the token text, except
for a host word whose definite article was elided after ل (``للموصل`` →
``ل`` + ``لموصل``, whose ``norm`` is ``الموصل``).  ``stem`` is ``norm``
without the definite article; ``article`` says whether the word carries it;
``proclitics`` lists the normalised letters of the clitics split off it.

Proclitic splitting
-------------------
An Arabic word may begin with a conjunction (و، ف) and/or a preposition
(ب، ك، ل).  Every split ``prefix + host`` that the letters allow is a
candidate; after ل a host beginning with ل is read as ``ال`` + host with its
alef elided (``للموصل``) unless the plain reading is better attested
(``للبنان`` → ل + لبنان).  Evidence comes from word counts of the ANERcorp
train split plus Arabic place names, and three hand-checked lists
(:mod:`marsad.arabic.lexicon`).  The decision rule:

1. A word on the ``whole_words`` list (وادي، وزير، بلدية، كلها، ...) never
   splits; a candidate whose host is on it wins (ووزير → و + وزير).
2. A two-letter host splits off only when it is a listed function word that
   takes that proclitic (``short_hosts``: وفي، بأن، فإن; not ولد، كان، كما).
3. A host beginning with ``ال`` needs at least two letters after it and
   splits when it (or it without ``ال``) is a known word, or when the whole
   word is rare (seen at most ``RARE_WHOLE`` times).
4. Any other host needs at least three letters and splits when it is seen
   at least ``MIN_HOST`` times and at least ``HOST_RATIO`` times as often as
   the whole word (وقال splits; وزير does not: زير is rare).  ف and ك are far
   rarer proclitics (before words with ال in the corpus: و 5%, ل 4%, ب 2.6%,
   ف 0.14%, ك 0.03%), so with them the host must be seen at least
   ``RARE_PREFIX_MIN_HOST`` times and at least as often as the whole word.
5. A rare whole word first follows its base when removing an inflection or
   pronoun suffix leaves a known word (ولده as ولد, وقالت as وقال).
   Otherwise, with و ب ل, it splits when the host has indirect evidence
   (:func:`_host_evidence`: the host with the article, with another
   proclitic, without a suffix, as another person of a verb, or shaped like
   a derived noun) and is at least ``MIN_RARE_HOST`` letters long (three
   after و); after و a host of ``MIN_RARE_HOST`` letters splits even without
   evidence, since و is by far the most frequent proclitic.

Among the candidates that pass, a listed host wins, then a short function
word, then a known host, a host with ``ال``, the longer prefix and the more
frequent host.  Measured on ``tests/data/clitic_gold.tsv`` (218 words drawn
from the ANERcorp test split, never used to build the lexicon), 95.4% of
words are segmented exactly right.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from marsad.arabic.lexicon import ArabicLexicon, load_lexicon
from marsad.arabic.normalize import normalize, normalize_with_map
from marsad.documents import Token

__all__ = ["tokenize", "segment_word", "RARE_WHOLE", "MIN_HOST", "HOST_RATIO"]

RARE_WHOLE = 1
MIN_HOST = 2
HOST_RATIO = 0.1
# ف and ك are far rarer proclitics than و ب ل (in the ANERcorp train split,
# before words with ال: و 5%, ل 4%, ب 2.6%, ف 0.14%, ك 0.03%), so a split
# with them needs a host at least as frequent as the whole word.
RARE_PREFIX_RATIO = 1.0
RARE_PREFIX_MIN_HOST = 10
_RARE_PREFIX_LETTERS = frozenset("فك")
# a rare word (seen at most RARE_WHOLE times) splits when its host, at least
# MIN_RARE_HOST letters long, has at least MIN_EVIDENCE of indirect evidence
MIN_RARE_HOST = 4
MIN_EVIDENCE = 1
_EVIDENCE_CLITICS = ("و", "ب", "ل")
_SUFFIXES = ("هما", "كما", "هم", "هن", "كم", "ها", "نا", "ه", "ك", "ي", "وا", "ون", "ين", "ات", "ان")
# suffixes whose removal leaves the base form of a rare word (ي and ك are
# left out: too often the last letter of a base, as in لدي)
_BASE_SUFFIXES = tuple(s for s in _SUFFIXES if s not in ("ي", "ك"))
_IMPERFECT = "يتن"
# derived-noun patterns: إفعال (and the plural أفعال), افتعال، انفعال، استفعال، تفعيل
_PATTERN_RE = re.compile(r"^(?:ا..ا.|ا.ت.ا.|ان..ا.|است..ا.|ت..ي.)$")

_CONJ = ("و", "ف")
_PREP = ("ب", "ك", "ل")
# longest first: "وب" before "و"
_PREFIXES = tuple(c + p for c in _CONJ for p in _PREP) + _CONJ + _PREP
_CLITIC_LETTERS = frozenset(_CONJ + _PREP)
_TATWEEL = "\u0640"


def _char_ranges(pred: Callable[[int], bool], blocks: tuple[tuple[int, int], ...] = ((0, 0xFFFF),)) -> str:
    """A regex character-class body for the code points of ``blocks`` (inclusive
    ranges, in order) satisfying ``pred``."""
    parts: list[str] = []
    for lo, hi in blocks:
        start = None
        for cp in range(lo, hi + 2):
            ok = cp <= hi and pred(cp)
            if ok and start is None:
                start = cp
            elif not ok and start is not None:
                a, b = chr(start), chr(cp - 1)
                parts.append(re.escape(a) if a == b else f"{re.escape(a)}-{re.escape(b)}")
                start = None
    return "".join(parts)


_ARABIC_BLOCKS = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFE))
_LATIN_BLOCKS = ((0x0041, 0x024F), (0x1E00, 0x1EFF), (0x2C60, 0x2C7F), (0xA720, 0xA7FF), (0xFF21, 0xFF5A))

_AR = _char_ranges(lambda cp: unicodedata.category(chr(cp))[0] in "LM", _ARABIC_BLOCKS)
_LAT = _char_ranges(lambda cp: unicodedata.category(chr(cp))[0] == "L", _LATIN_BLOCKS)
_MARK = _char_ranges(lambda cp: unicodedata.category(chr(cp))[0] == "M")
_FORMAT = "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u061c\u00ad"

_TOKEN_RE = re.compile(
    rf"(?P<ar>[{_AR}](?:[{_AR}]|[\u200c\u200d](?=[{_AR}]))*)"
    rf"|(?P<num>\d+(?:[.,\u066b\u066c]\d+)*)"
    rf"|(?P<lat>[{_LAT}](?:[{_LAT}{_MARK}]|\d)*)"
    rf"|(?P<oth>[^\W\d_](?:(?![{_AR}{_LAT}])[^\W\d_]|[{_MARK}])*)"
    rf"|(?P<fmt>[{_FORMAT}]+)"
    rf"|(?P<pun>\.{{2,}}|[^\s](?:\u200d[^\s]|[\ufe0e\ufe0f\u20e3{_MARK}]|[\U0001f3fb-\U0001f3ff])*)"
)

_HAMZA_ALEF = frozenset("أإآ")

# A segmented word: pieces of (start, end, kind, norm, stem, article, proclitics),
# offsets relative to the word.
_Piece = tuple[int, int, str, str, str, bool, tuple[str, ...]]
_CACHE: dict[str, tuple[_Piece, ...]] = {}
_CACHE_MAX = 200_000


def _has_article(host_norm: str, surface: str, lex: ArabicLexicon) -> bool:
    """Whether a host word begins with the definite article ال."""
    if not host_norm.startswith("ال") or len(host_norm) < 4 or host_norm in lex.not_article:
        return False
    # a hamza on the alef (أ إ آ) marks a root letter, never the article's alef
    head = unicodedata.normalize("NFKC", surface[:3])
    return head[:1] not in _HAMZA_ALEF


def _host_evidence(host: str, prefix: str, lex: ArabicLexicon) -> int:
    """How often the host of a rare word shows up elsewhere in the lexicon:
    alone, with the article, with another proclitic, without an enclitic
    pronoun or plural ending (قربها → قرب، مساندتهما → مسانده), or as another
    person of the same imperfect verb (يطارد → تطارد); plus one when it has the
    shape of a derived noun (اشعال، احتضان، توجيه).  Zero for most foreign
    names, whose first letter then stays in the word."""
    count = lex.counts.get
    ev = count(host, 0) + count("ال" + host, 0)
    if _PATTERN_RE.match(host):
        ev += 1
    for q in _EVIDENCE_CLITICS:
        if q != prefix:
            ev += count(q + host, 0)
    for suf in _SUFFIXES:
        if host.endswith(suf) and len(host) - len(suf) >= 3:
            base = host[: -len(suf)]
            ev += count(base, 0) + count("ال" + base, 0) + (1 if _PATTERN_RE.match(base) else 0)
            if base.endswith("ت"):  # teh marbuta before a suffix
                base = base[:-1] + "ه"
                ev += count(base, 0) + count("ال" + base, 0)
    if len(host) >= 4 and host[0] in _IMPERFECT:
        rest = host[1:]
        ev += sum(count(q + rest, 0) for q in _IMPERFECT if q != host[0])
    if len(host) >= 5 and host[0] == "س" and host[1] in _IMPERFECT:  # future prefix
        ev += count(host[1:], 0)
    return ev


def _candidate_key(prefix: str, host: str, whole: int, lex: ArabicLexicon) -> tuple[int, ...] | None:
    """The rank of the split ``prefix + host``, or None when the evidence
    does not favour it (see the module docstring)."""
    if host in lex.whole_words:
        return (3, len(prefix))
    letters = lex.short_hosts.get(host)
    if letters is not None:
        return (2, len(prefix)) if all(ch in letters for ch in prefix) else None
    count = lex.counts.get
    support = count(host, 0)
    if host.startswith("ال") and len(host) >= 4:
        support += count(host[2:], 0)
        if support == 0 and whole > RARE_WHOLE:
            return None
        return (1, int(support > 0), 1, len(prefix), support)
    if len(host) < 3:
        return None
    rare_prefix = bool(_RARE_PREFIX_LETTERS & set(prefix))
    ratio, min_host = (RARE_PREFIX_RATIO, RARE_PREFIX_MIN_HOST) if rare_prefix else (HOST_RATIO, MIN_HOST)
    if support >= min_host and support >= ratio * whole:
        return (1, 1, 0, len(prefix), support)
    if whole <= RARE_WHOLE and not rare_prefix:
        ev = _host_evidence(host, prefix, lex)
        if (ev >= MIN_EVIDENCE and (len(host) >= MIN_RARE_HOST or prefix == "و")) or (
            prefix == "و" and len(host) >= MIN_RARE_HOST
        ):
            return (1, 0, 0, len(prefix), ev)
    return None


def segment_word(norm: str, lex: ArabicLexicon | None = None) -> tuple[str, str, bool]:
    """Split the normalised Arabic word ``norm`` into ``(prefix, host, elided)``.

    ``prefix`` is the string of proclitic letters (empty when nothing splits),
    ``host`` the normalised host word and ``elided`` whether the host's
    article alef was restored after ل (``للموصل`` → ``("ل", "الموصل", True)``).
    """
    lex = lex or load_lexicon()
    if len(norm) < 3 or norm[0] not in _CLITIC_LETTERS or norm in lex.whole_words:
        return "", norm, False
    count = lex.counts.get
    whole = count(norm, 0)
    if whole <= RARE_WHOLE:
        # a rare inflected form follows its frequent base: ولده as ولد, وقالت as وقال
        for suf in _BASE_SUFFIXES:
            base = norm[: -len(suf)]
            if norm.endswith(suf) and len(base) >= 3 and count(base, 0) > RARE_WHOLE:
                p, _, elided = segment_word(base, lex)
                host = norm[len(p):]
                return p, ("ا" + host if elided else host), elided
    best: tuple[tuple[int, ...], str, str, bool] | None = None
    for p in _PREFIXES:
        if not norm.startswith(p):
            continue
        host, elided = norm[len(p):], False
        if p[-1] == "ل" and host.startswith("ل") and len(host) >= 3:
            # لل: ل + ال with its alef elided, unless the plain reading is better attested
            restored = "ا" + host
            if count(restored, 0) + count(restored[2:], 0) >= count(host, 0):
                host, elided = restored, True
        key = _candidate_key(p, host, whole, lex)
        if key is not None and (best is None or key > best[0]):
            best = (key, p, host, elided)
    if best is None:
        return "", norm, False
    return best[1], best[2], best[3]


def _clitics_only(norm: str, index: list[int], n: int) -> tuple[_Piece, ...]:
    """A detached proclitic (``لـ``, ``وبـ``, ``و`` before digits): one clitic per letter."""
    bounds = [0] + index[1:] + [n]
    return tuple((bounds[i], bounds[i + 1], "clitic", c, c, False, ()) for i, c in enumerate(norm))


def _analyse(word: str) -> tuple[_Piece, ...]:
    """Segment one Arabic word (surface form) into clitic and host pieces."""
    norm, index = normalize_with_map(word)
    n = len(word)
    if not norm:
        return ((0, n, "punct", "", "", False, ()),)
    lex = load_lexicon()
    if norm in _PREFIXES and word.endswith(_TATWEEL):
        return _clitics_only(norm, index, n)
    prefix, host, elided = segment_word(norm, lex)
    k = len(prefix)
    # each clitic covers its letter and the marks after it; never split inside
    # one original character (a ligature)
    if k and (index[k] == index[k - 1] or any(index[i] == index[i - 1] for i in range(1, k))):
        prefix, host, elided, k = "", norm, False, 0
    pieces: list[_Piece] = []
    for i in range(k):
        s, e = index[i] if i else 0, index[i + 1]
        pieces.append((s, e, "clitic", prefix[i], prefix[i], False, ()))
    hs = index[k] if k else 0
    surface = word[hs:]
    article = elided and host not in lex.not_article or (not elided and _has_article(host, surface, lex))
    stem = host[2:] if article else host
    pieces.append((hs, n, "word", host, stem, article, tuple(prefix)))
    return tuple(pieces)


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` with offsets into it (see the module docstring)."""
    tokens: list[Token] = []
    append = tokens.append
    cache = _CACHE
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        if kind == "fmt":
            continue
        start, end = m.span()
        surface = m.group()
        if kind == "ar":
            pieces = cache.get(surface)
            if end < len(text) and text[end].isdigit():
                # a proclitic written onto a number: و2005، ب50
                norm, index = normalize_with_map(surface)
                if norm in _PREFIXES and len(set(index)) == len(index):
                    pieces = _clitics_only(norm, index, len(surface))
            if pieces is None:
                if len(cache) >= _CACHE_MAX:
                    cache.clear()
                pieces = cache[surface] = _analyse(surface)
            if len(pieces) == 1:
                _, _, k, norm, stem, art, pro = pieces[0]
                append(Token(surface, start, end, norm, k, stem, art, pro))
            else:
                for s, e, k, norm, stem, art, pro in pieces:
                    append(Token(surface[s:e], start + s, start + e, norm, k, stem, art, pro))
            continue
        norm = normalize(surface)
        if kind == "num":
            append(Token(surface, start, end, norm, "number", norm))
        elif kind == "lat":
            append(Token(surface, start, end, norm, "latin", norm))
        elif kind == "oth":
            append(Token(surface, start, end, norm, "word", norm))
        else:
            append(Token(surface, start, end, norm, "punct", norm))
    return tokens
