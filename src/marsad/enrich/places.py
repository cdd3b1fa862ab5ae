"""Place mentions resolved to the map with the gazetteer (``places.resolve.v1``).

Mentions come from three sources, in this order of trust:

1. LOC entities of the entity stage: each is split into names the index
   knows (``أستوكهولم وأوسلو`` gives two), without a leading proclitic
   (``بالموصل`` → ``الموصل``) and without a leading cue word unless the cue is
   part of the name (``مدينة الموصل`` → ``الموصل``; ``مخيم ديبكه`` stays whole);
2. a cue word (``مدينة``، ``محافظة``، ``قضاء``، ``ناحية``، ``قرية``، ``مخيم``، ``حي``…,
   see ``data/gazetteer/cues.tsv``) followed by a name the index knows, even
   inside a PER or ORG entity;
3. names of several words, and country names, that the index knows, outside
   any entity.

A mention that is one common word (``data/gazetteer/common_words.tsv``:
``فارين``، ``أمن``، ``النصر``…) is resolved only after a cue word, and a nisba
adjective (``الموصلي``) is never taken for a place.

Each mention's candidates are scored: a prior by feature and population
(capitals count more), the cue word's fit, and the context of the article
(countries named or implied by nisba adjectives such as ``العراقية``, and
places resolved in a first pass: same country, more so when the country is
named in the same sentence, same first-level division, within ``near_km``).
The best candidate is kept when its score clears a threshold that depends on
how the mention was found, and when no candidate more than ``conflict_km``
away comes within ``min_margin`` of it; otherwise the mention is left
unresolved (no Place).  A common word after a cue word also needs support
from the context.  Countries are placed at their capital.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from marsad.documents import Article, Drop, Entity, Place, Sentence, Token
from marsad.gazetteer.build import Cue, load_cues, read_common_words
from marsad.gazetteer.index import Candidate, Gazetteer, load_gazetteer, match_form
from marsad.gazetteer.sources import distance_km

__all__ = ["PlaceStage", "PlaceConfig", "Mention", "find_mentions", "resolve_mentions"]

_SEPARATOR_NORMS = frozenset({"،", ",", "؛", ";", "/", "-", "و"})
_NISBA_ENDINGS = ("يه", "ي", "يين", "يون", "يات")
_SPECIFIC = frozenset({"camp", "crossing", "district", "site"})


@dataclass(frozen=True)
class PlaceConfig:
    """Weights and thresholds of the resolver (tuned on the dev set only)."""

    min_score_entity: float = 10.0  # a LOC entity
    min_score_cue: float = 9.0  # a name after a cue word
    min_score_name: float = 13.0  # a name found on its own
    min_margin: float = 1.0  # over the best candidate elsewhere
    conflict_km: float = 161.0  # candidates closer than this are the same place
    near_km: float = 150.0  # "near a place of the article"
    prior_country: float = 18.0
    prior_admin1: float = 12.0
    prior_region: float = 12.0
    prior_specific: float = 12.0  # camps, crossings, districts, sites
    prior_admin2: float = 11.0
    capital: float = 2.0  # a country's capital, named far more often than its size says
    population_weight: float = 2.0  # a city's prior: 3 + weight × log10(population)
    unknown_population: int = 2000  # GeoNames places with population 0
    variant_penalty: float = 1.5  # matched only with the article added or removed
    cue_fit: float = 3.0
    cue_misfit: float = -3.0
    same_country: float = 2.5
    same_sentence_country: float = 2.5  # ... named in the same sentence (طرابلس شمال لبنان)
    implied_country: float = 1.0  # a nisba adjective of the country
    same_admin1: float = 2.0
    near: float = 2.0


@dataclass
class Mention:
    """A span of tokens that may name a place."""

    first: int  # token indices, end exclusive
    last: int
    start: int  # character offsets
    end: int
    key: str  # matching form looked up
    origin: str  # entity, cue or name
    cue: Cue | None = None
    candidates: list[tuple[Candidate, bool]] = field(default_factory=list)  # (place, is_variant)
    common: bool = False  # a common word after a cue: needs support from the context
    sentence: int = -1  # index of its sentence in Article.sentences


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    return frozenset(read_common_words())


def _variants(key: str) -> list[str]:
    """The key with the definite article of its first word removed or added."""
    first, _, rest = key.partition(" ")
    if first.startswith("ال") and len(first) > 4:
        alt = first[2:]
    elif not first.startswith("ال"):
        alt = "ال" + first
    else:
        return []
    return [alt + (" " + rest if rest else "")]


class _Matcher:
    """Finds index names over a token sequence."""

    def __init__(self, text: str, tokens: Sequence[Token], gaz: Gazetteer) -> None:
        self.text = text
        self.tokens = tokens
        self.gaz = gaz

    def key(self, i: int, j: int) -> str:
        t = self.tokens
        return match_form(t[i].norm + self.text[t[i].end : t[j - 1].end])

    def candidates(self, key: str) -> list[tuple[Candidate, bool]]:
        out = [(c, False) for c in self.gaz.lookup(key)]
        seen = {c.id for c, _ in out}
        for v in _variants(key):  # never a country: يونان is not اليونان
            out.extend((c, True) for c in self.gaz.lookup(v) if c.id not in seen and c.feature != "country")
        return out

    def starts_name(self, word: str, min_words: int = 1) -> bool:
        """Whether some index name of at least ``min_words`` words begins with
        ``word`` (or with it, the article toggled)."""
        mw = self.gaz.max_words
        if mw(word) >= min_words:
            return True
        alt = word[2:] if word.startswith("ال") and len(word) > 4 else ("ال" + word if not word.startswith("ال") else "")
        return bool(alt) and mw(alt) >= min_words

    def longest(self, i: int, limit: int, min_words: int = 1) -> tuple[int, str, list[tuple[Candidate, bool]]] | None:
        """The longest index name starting at token ``i`` and ending before
        token ``limit``: (end token, key, candidates)."""
        t = self.tokens
        if i >= len(t) or t[i].kind not in ("word", "latin"):
            return None
        first = t[i].norm
        words = max(self.gaz.max_words(first), *(self.gaz.max_words(v) for v in _variants(first)), 0)
        if words == 0:
            return None
        # candidate ends: after each host token, counting words as the index does
        ends = []
        n_words = 0
        j = i
        while j < min(limit, len(t)) and n_words < words:
            tok = t[j]
            if tok.kind == "punct" and tok.norm not in ("-",):
                break
            if j > i and tok.start > t[j - 1].end:  # a space: a new word
                n_words += 1
            elif j == i:
                n_words = 1
            if n_words > words:
                break
            if tok.kind in ("word", "latin", "number"):
                ends.append(j + 1)
            j += 1
        for end in reversed(ends):
            key = self.key(i, end)
            if key.count(" ") + 1 < min_words:
                continue
            cands = self.candidates(key)
            if cands:
                return end, key, cands
        return None


def _token_range(tokens: Sequence[Token], start: int, end: int) -> tuple[int, int]:
    lo = next((k for k, t in enumerate(tokens) if t.end > start), len(tokens))
    hi = lo
    while hi < len(tokens) and tokens[hi].start < end:
        hi += 1
    return lo, hi


def _is_separator(tok: Token) -> bool:
    return tok.norm in _SEPARATOR_NORMS or (tok.kind == "punct")


def _is_nisba(tok: Token) -> bool:
    return tok.kind == "word" and tok.norm.endswith(_NISBA_ENDINGS)


def _prior(c: Candidate, cfg: PlaceConfig) -> float:
    f = c.feature
    if f == "country":
        return cfg.prior_country
    if f == "admin1":
        return cfg.prior_admin1
    if f == "region":
        return cfg.prior_region
    if f in _SPECIFIC:
        return cfg.prior_specific
    if f in ("admin2", "admin3"):
        return cfg.prior_admin2
    pop = c.population if c.population > 0 else cfg.unknown_population
    return 3.0 + cfg.population_weight * math.log10(max(pop, 1)) + (cfg.capital if c.capital else 0.0)


def _nisba_of_place(key: str, cands: list[tuple[Candidate, bool]], m: _Matcher, cfg: PlaceConfig) -> bool:
    """``الموصلي``: the key is a nisba of a better-known place (الموصل)."""
    if " " in key:
        return False
    best = max((_prior(c, cfg) for c, _ in cands), default=0.0)
    for ending in ("يه", "ي"):
        if key.endswith(ending) and len(key) - len(ending) >= 3:
            base = m.candidates(key[: -len(ending)])
            if base and max(_prior(c, cfg) for c, _ in base) >= best:
                return True
    return False


def _clitic_prefix(tok: Token) -> int:
    """Characters of a proclitic (و ب ل; ف and ك are rare) the tokenizer
    left on ``tok`` (بكابول): 0 or 1."""
    t = tok.text
    if tok.kind == "word" and len(t) >= 5 and t[0] in "وبل" and "\u0621" <= t[1] <= "\u064a":
        return 1
    return 0


_TANWEEN = frozenset("\u064b\u064c\u064d")


def _adjective(tokens: Sequence[Token], i: int, j: int, origin: str) -> bool:
    """A one-word name used as an adjective: with tanween (فناناً إسبانياً),
    or, found on its own, a nisba-shaped name agreeing with the definite noun
    before it (العاصمة السعودية)."""
    if j - i != 1:
        return False
    tok = tokens[i]
    if _TANWEEN & set(tok.text):
        return True
    if origin != "name" or not tok.article or not tok.norm.endswith("يه") or tok.proclitics:
        return False
    prev = tokens[i - 1] if i > 0 else None
    # a feminine or plural definite noun before it: العاصمة السعودية، القوات السعودية
    return (prev is not None and prev.kind == "word" and prev.article and prev.end < tok.start
            and prev.norm.endswith(("ه", "ات")))


def find_mentions(
    text: str,
    tokens: Sequence[Token],
    entities: Iterable[Entity],
    gaz: Gazetteer,
    cfg: PlaceConfig | None = None,
) -> list[Mention]:
    """Candidate place mentions of a text (see the module docstring)."""
    cfg = cfg or PlaceConfig()
    cues = load_cues()
    common = _common_words()
    m = _Matcher(text, tokens, gaz)
    taken = [False] * len(tokens)
    out: list[Mention] = []

    def make(i: int, j: int, key: str, cands: list[tuple[Candidate, bool]], origin: str, cue: Cue | None,
             start: int | None = None) -> Mention | None:
        if any(taken[i:j]):
            return None
        if key in common and cue is None:
            return None
        if _nisba_of_place(key, cands, m, cfg) or _adjective(tokens, i, j, origin):
            return None
        s = tokens[i].start if start is None else start
        return Mention(i, j, s, tokens[j - 1].end, key, origin, cue, cands, common=key in common)

    def take(mn: Mention) -> None:
        for k in range(mn.first, mn.last):
            taken[k] = True
        out.append(mn)

    def cue_at(i: int) -> Cue | None:
        return cues.get(tokens[i].norm) if 0 <= i < len(tokens) and tokens[i].kind == "word" else None

    def match_at(i: int, limit: int, origin: str, cue: Cue | None) -> Mention | None:
        """A name starting at token ``i``; a cue word there is taken into the
        name when it is part of it (مخيم ديبكه), else skipped (مدينة الموصل)."""
        c = cue_at(i)
        if c is not None:
            if c.in_name:
                hit = m.longest(i, limit, min_words=2)
                if hit:
                    mn = make(i, hit[0], hit[1], hit[2], origin, c)
                    if mn:
                        return mn
            nxt = i + 1
            while nxt < limit and tokens[nxt].kind == "clitic":
                nxt += 1
            hit = m.longest(nxt, limit)
            if hit:
                return make(nxt, hit[0], hit[1], hit[2], origin, c)
            if not c.in_name:
                return None
        hit = m.longest(i, limit)
        if hit:
            return make(i, hit[0], hit[1], hit[2], origin, cue)
        return None

    def entity_fallback(i: int, origin: str, cue: Cue | None) -> Mention | None:
        """One word the tokenizer segmented otherwise: بكابول (ب left on the
        word), ويندسور (و split off a name that begins with it)."""
        tok = tokens[i]
        if tok.kind == "clitic" and i + 1 < len(tokens) and tokens[i + 1].start == tok.end:
            key = match_form(tok.norm + tokens[i + 1].norm)
            cands = m.candidates(key)
            if cands:
                return make(i, i + 2, key, cands, origin, cue)
        k = _clitic_prefix(tok)
        whole = match_form(tok.norm)
        if k and whole not in common and not m.candidates(whole):
            key = match_form(tok.norm[1:])
            cands = m.candidates(key)
            if cands:
                return make(i, i + 1, key, cands, origin, cue, start=tok.start + k)
        return None

    def leftover_ok(mn: Mention, hi: int) -> bool:
        """What follows a name inside its entity: nothing, a separator, or one
        nisba adjective after a name that is not a country (القدس الشرقية; but
        أميركا اللاتينية is another place)."""
        rest = []
        for t in tokens[mn.last:hi]:
            if _is_separator(t):
                break
            rest.append(t)
        if not rest:
            return True
        countryish = any(c.feature == "country" for c, _ in mn.candidates)
        return len(rest) == 1 and _is_nisba(rest[0]) and not countryish

    ents = sorted(entities, key=lambda e: (e.start, -e.end))
    # 1. LOC entities
    for e in ents:
        if e.label != "LOC":
            continue
        lo, hi = _token_range(tokens, e.start, e.end)
        i = lo
        while i < hi:
            tok = tokens[i]
            if tok.kind == "punct" or (tok.kind == "clitic" and tok.norm in _SEPARATOR_NORMS and
                                       not (i + 1 < hi and tokens[i + 1].start == tok.end)):
                i += 1
                continue
            # a cue word just before the entity counts for its first name
            before = i - 1
            while before >= 0 and tokens[before].kind == "clitic":
                before -= 1
            first_name = all(t.kind == "clitic" for t in tokens[lo:i])
            prev_cue = cue_at(before) if first_name else None
            host = i
            while host < hi and tokens[host].kind == "clitic":
                host += 1
            limit = max(hi, host + 1) + 3
            mn = None
            if prev_cue is not None and prev_cue.in_name:  # مخيم [ديبكه]: the camp's name
                mn = match_at(before, limit, "entity", None)
            if mn is None and host < hi:
                mn = match_at(host, limit, "entity", prev_cue if prev_cue and not prev_cue.in_name else None)
            if mn is None:
                mn = entity_fallback(i, "entity", prev_cue if prev_cue and not prev_cue.in_name else None)
            if mn is not None and leftover_ok(mn, hi):
                take(mn)
                i = mn.last
                continue
            # skip to the next separator inside the entity
            i = max(i + 1, host + 1)
            while i < hi and not _is_separator(tokens[i]):
                i += 1
    # 2. cue words
    for i in range(len(tokens)):
        if taken[i] or cue_at(i) is None:
            continue
        mn = match_at(i, i + 8, "cue", cue_at(i))
        if mn is not None:
            take(mn)
    # 3. names on their own, outside every entity (an entity has had its say)
    countries = _country_names(gaz)
    blocked = [False] * len(tokens)
    for e in ents:
        lo, hi = _token_range(tokens, e.start, e.end)
        for k in range(lo, hi):
            blocked[k] = True
    i = 0
    while i < len(tokens):
        if taken[i] or blocked[i] or tokens[i].kind != "word" or not (
            m.starts_name(tokens[i].norm, 2) or tokens[i].norm in countries
        ):
            i += 1
            continue
        hit = m.longest(i, len(tokens))
        if hit is not None:
            end, key, cands = hit
            several = " " in key
            country = not several and any(c.feature == "country" and not v for c, v in cands)
            if (several or country) and not any(blocked[i:end]):
                mn = make(i, end, key, cands, "name", None)
                if mn is not None:
                    take(mn)
                    i = end
                    continue
        i += 1
    # 4. one sense per discourse: a name an entity or a cue made a place is a
    #    place wherever else it stands in the article, outside other entities
    #    (the tagger finds only some of the mentions of a name)
    found = {mn.key for mn in out if mn.origin in ("entity", "cue")}
    non_loc = [False] * len(tokens)
    for e in ents:
        if e.label != "LOC":
            lo, hi = _token_range(tokens, e.start, e.end)
            for k in range(lo, hi):
                non_loc[k] = True
    i = 0
    while found and i < len(tokens):
        if taken[i] or non_loc[i] or tokens[i].kind != "word":
            i += 1
            continue
        hit = m.longest(i, len(tokens))
        if hit is not None and hit[1] in found and not any(taken[i:hit[0]]) and not any(non_loc[i:hit[0]]):
            mn = make(i, hit[0], hit[1], hit[2], "repeat", None)
            if mn is not None:
                take(mn)
                i = hit[0]
                continue
        i += 1
    out.sort(key=lambda x: x.first)
    return out


@dataclass
class _Context:
    countries: dict[str, set[str]] = field(default_factory=dict)  # country → keys that named it
    # (sentence, country) → keys that named it in that sentence
    sentence_countries: dict[tuple[int, str], set[str]] = field(default_factory=dict)
    implied: set[str] = field(default_factory=set)
    admin1: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    points: list[tuple[float, float, str]] = field(default_factory=list)


def _support(c: Candidate, mention: Mention, ctx: _Context, cfg: PlaceConfig) -> float:
    """What the rest of the article says for ``c`` (other mentions only)."""
    s = 0.0
    if ctx.countries.get(c.country_code, set()) - {mention.key}:
        s += cfg.same_country
        if ctx.sentence_countries.get((mention.sentence, c.country_code), set()) - {mention.key}:
            s += cfg.same_sentence_country
    elif c.country_code in ctx.implied:
        s += cfg.implied_country
    if c.admin1 and ctx.admin1.get((c.country_code, c.admin1), set()) - {mention.key}:
        s += cfg.same_admin1
    if any(key != mention.key and distance_km(c.lat, c.lon, la, lo) <= cfg.near_km for la, lo, key in ctx.points):
        s += cfg.near
    return s


def _score(c: Candidate, variant: bool, mention: Mention, ctx: _Context, cfg: PlaceConfig) -> float:
    s = _prior(c, cfg) + _support(c, mention, ctx, cfg)
    if variant:
        s -= cfg.variant_penalty
    if mention.cue is not None:
        s += cfg.cue_fit if c.feature in mention.cue.features else cfg.cue_misfit
    return s


def _decide(mention: Mention, ctx: _Context, cfg: PlaceConfig) -> tuple[Candidate, float] | None:
    if not mention.candidates:
        return None
    scored = sorted(
        ((_score(c, v, mention, ctx, cfg), c) for c, v in mention.candidates), key=lambda x: (-x[0], x[1].id)
    )
    best_score, best = scored[0]
    threshold = {"entity": cfg.min_score_entity, "cue": cfg.min_score_cue}.get(mention.origin, cfg.min_score_name)
    if best_score < threshold:
        return None
    if mention.common and _support(best, mention, ctx, cfg) < cfg.same_admin1:
        return None  # حي الزيتون: only where the article is
    for s, c in scored[1:]:
        if best_score - s >= cfg.min_margin:
            break
        if c.feature == "country" or best.feature == "country":
            if c.country_code != best.country_code:
                return None
        elif distance_km(best.lat, best.lon, c.lat, c.lon) > cfg.conflict_km:
            return None
    return best, best_score


_COUNTRY_NAMES: dict[int, frozenset[str]] = {}


def _country_names(gaz: Gazetteer) -> frozenset[str]:
    """One-word country names of the index (once per gazetteer)."""
    names = _COUNTRY_NAMES.get(id(gaz))
    if names is None:
        names = _COUNTRY_NAMES[id(gaz)] = frozenset(
            n for c in gaz.places if c.feature == "country" for n in c.names if " " not in n
        )
    return names


_NISBA_CACHE: dict[int, dict[str, set[str]]] = {}


def _nisba_bases(gaz: Gazetteer) -> dict[str, set[str]]:
    """Stems of country names that take a nisba ending (عراق → IQ, سوري → SY
    from سوريا, امريك → US from امريكا), computed once per gazetteer."""
    table = _NISBA_CACHE.get(id(gaz))
    if table is None:
        table = {}
        for c in gaz.places:
            if c.feature != "country":
                continue
            for n in c.names:
                if " " in n:
                    continue
                base = n[2:] if n.startswith("ال") else n
                for b in {base, base[:-1] if base.endswith(("ا", "ه")) else base,
                          base[:-2] if base.endswith("يا") else base}:
                    if len(b) >= 3:
                        table.setdefault(b, set()).add(c.country_code)
        _NISBA_CACHE[id(gaz)] = table
    return table


def _implied_countries(tokens: Sequence[Token], gaz: Gazetteer) -> set[str]:
    """Countries implied by nisba adjectives (العراقية → IQ)."""
    bases = _nisba_bases(gaz)
    out: set[str] = set()
    for t in tokens:
        stem = t.stem
        if t.kind != "word" or len(stem) < 4:
            continue
        for ending in ("يين", "يون", "يات", "يه", "ي"):
            if stem.endswith(ending):
                out |= bases.get(stem[: -len(ending)], set())
                break
    return out


def resolve_mentions(
    mentions: list[Mention],
    tokens: Sequence[Token],
    gaz: Gazetteer,
    cfg: PlaceConfig | None = None,
    sentences: Sequence[Sentence] = (),
) -> list[tuple[Mention, Candidate]]:
    """Choose a place for each mention, or none (see the module docstring)."""
    cfg = cfg or PlaceConfig()
    for mn in mentions:
        mn.sentence = next((k for k, st in enumerate(sentences) if st.start <= mn.start < st.end), -1)
    ctx = _Context(implied=_implied_countries(tokens, gaz))
    first = [(mn, _decide(mn, ctx, cfg)) for mn in mentions]
    anchors = _Context(implied=ctx.implied)
    for mn, d in first:
        if d is None:
            continue
        c = d[0]
        anchors.countries.setdefault(c.country_code, set()).add(mn.key)
        if mn.sentence >= 0 and c.feature == "country":  # the country itself is named there
            anchors.sentence_countries.setdefault((mn.sentence, c.country_code), set()).add(mn.key)
        if c.admin1:
            anchors.admin1.setdefault((c.country_code, c.admin1), set()).add(mn.key)
        if c.feature != "country":
            anchors.points.append((c.lat, c.lon, mn.key))
    out = []
    for mn in mentions:
        d = _decide(mn, anchors, cfg)
        if d is not None:
            out.append((mn, d[0]))
    return out


class PlaceStage:
    """Resolve place mentions to coordinates with the gazetteer."""

    name = "places.resolve.v1"
    requires = frozenset({"tokens", "sentences", "entities"})
    provides = frozenset({"places"})
    languages = frozenset({"ar"})

    def __init__(self, gazetteer: Gazetteer | None = None, config: PlaceConfig | None = None) -> None:
        self.gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
        self.config = config or PlaceConfig()

    def places(self, article: Article) -> list[Place]:
        """The resolved places of one article, in text order."""
        mentions = find_mentions(article.text, article.tokens, article.entities, self.gazetteer, self.config)
        out = []
        for mn, c in resolve_mentions(mentions, article.tokens, self.gazetteer, self.config, article.sentences):
            out.append(
                Place(
                    article.text[mn.start : mn.end], mn.start, mn.end,
                    name=c.name, name_ar=c.name_ar, country_code=c.country_code,
                    lat=c.lat, lon=c.lon, feature=c.feature, geonames_id=c.geonames_id,
                )
            )
        return out

    def process(self, articles: list[Article]) -> list[Article | Drop]:
        for article in articles:
            article.places = self.places(article)
        return list(articles)
