"""Features of whitespace-separated Arabic words for the CRF tagger.

Words come as ANERcorp writes them: clitics attached (``وقال``,
``للاتحاد``), punctuation apart.  Each word is analysed once per process
(:meth:`Featurizer.word_info`, cached by surface): its matching form, the
proclitics split off it, its form without the definite article, affixes,
shape, cue-word and name-part membership and its subword-vector clusters.
A sentence's features are then the word's own list plus its neighbours'
lists under an offset prefix, plus gazetteer matches over the sentence,
so that most of the work is list concatenation.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from marsad.arabic.normalize import normalize
from marsad.ner.embed import PieceVectors, surface_form
from marsad.ner.lexicons import Lexicons, bare

__all__ = ["FeatureConfig", "Featurizer", "WordInfo", "document_form", "split_proclitics"]

_ARABIC_LETTERS = re.compile(r"^[\u0621-\u063a\u0641-\u064a]+$")
_HAS_ARABIC = re.compile(r"[\u0621-\u064a]")
_DIGITS = re.compile(r"^[0-9٠-٩۰-۹]+([.,٫٬][0-9٠-٩۰-۹]+)*$")
_LATIN = re.compile(r"[A-Za-z]")
_QUOTES = frozenset('"«»“”\'‘’')
_OPEN = frozenset("([{«“")
_CLOSE = frozenset(")]}»”")


@dataclass(frozen=True)
class FeatureConfig:
    """Which features the tagger uses; stored with the model."""

    window: int = 2  # neighbours on each side
    affixes: bool = True
    gazetteers: bool = True
    cues: bool = True
    bigrams: bool = True
    clusters: tuple[int, ...] = ()  # k of each cluster granularity used
    neighbour_clusters: bool = True
    cluster_article: bool = False  # look clusters up with the definite article kept
    rare: bool = True  # the "seen at most once" feature
    min_count_split: int = 1  # vocabulary counts below this are ignored when splitting clitics

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["clusters"] = list(self.clusters)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FeatureConfig:
        d = dict(d)
        d["clusters"] = tuple(d.get("clusters", ()))
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in d.items() if k in known})


def split_proclitics(norm: str, score: Any) -> tuple[str, str]:
    """Split a normalised word into proclitics and host: ``("و", "قال")``.

    ``score(word) -> int`` says how well a host is attested (corpus count,
    gazetteer membership).  A conjunction و/ف, then a preposition ب/ل/ك, is
    split off when the host is better attested than the word; when neither
    is known, و is split off a host of three letters or more and any of them
    off a host that starts with ال.  ``لل`` is ``ل`` + ``ال``.
    """
    prefix = ""
    word = norm
    for letters in ("وف", "بلك"):
        if len(word) < 3 or word[0] not in letters:
            continue
        head = word[0]
        rest = word[1:]
        if head == "ل" and rest.startswith("ل") and len(rest) >= 3:
            rest = "ا" + rest  # للموصل → ل + الموصل
        s_word, s_rest = score(word), score(rest)
        if s_rest > s_word or (
            s_rest == s_word == 0
            and (rest.startswith("ال") and len(rest) >= 4 or head == "و" and len(rest) >= 3)
        ):
            prefix += head
            word = rest
    return prefix, word


def _len_bucket(n: int) -> str:
    if n <= 4:
        return str(n)
    if n <= 6:
        return "5-6"
    if n <= 8:
        return "7-8"
    return "9+"


def _shape(word: str, norm: str) -> str:
    if _ARABIC_LETTERS.match(norm):
        return "A"
    if _DIGITS.match(word):
        return "D"
    if all(c in _QUOTES for c in word):
        return "Q"
    if len(word) == 1 and word in _OPEN:
        return "("
    if len(word) == 1 and word in _CLOSE:
        return ")"
    has_ar = bool(_HAS_ARABIC.search(word))
    has_lat = bool(_LATIN.search(word))
    if has_lat and not has_ar:
        return "L" if word.isalpha() else "Lx"
    if has_ar:
        return "Ax"
    if not any(c.isalnum() for c in word):
        return "P"
    return "X"


def document_form(info: WordInfo) -> str:
    """The form under which a word's occurrences are compared across a
    document: its bare form for words of letters, "" for the rest."""
    return info.bare if info.letters else ""


@dataclass(slots=True)
class WordInfo:
    """What the features need to know about one surface word."""

    norm: str
    host: str  # without proclitics
    bare: str  # host without the definite article
    letters: bool = False  # an Arabic or Latin word, not punctuation or a number
    cue: str = ""  # the cue-word type of the word, if it is one
    rare: bool = False  # seen at most once in the training text
    own: list[str] = field(default_factory=list)  # features of the word itself
    near: list[str] = field(default_factory=list)  # features a neighbour sees (unprefixed)
    prefixed: dict[int, list[str]] | None = None  # offset → near features with the offset prefix
    scores: Any = None  # summed CRF weights of own and neighbour features, set by the tagger


class Featurizer:
    """Turns sentences of surface words into CRF feature lists."""

    def __init__(
        self,
        config: FeatureConfig,
        lexicons: Lexicons,
        counts: dict[str, int],
        pieces: PieceVectors | None = None,
        cache_size: int = 200_000,
    ) -> None:
        self.config = config
        self.lex = lexicons
        self.counts = counts
        self.pieces = pieces if config.clusters else None
        self._cache: dict[str, WordInfo] = {}
        self._cache_size = cache_size
        self._offsets = [k for k in range(-config.window, config.window + 1) if k]
        self.offsets = tuple(self._offsets)
        self._cluster_names = [str(k) for k in config.clusters]

    # -- words ------------------------------------------------------------
    def _score(self, word: str) -> int:
        n = self.counts.get(word, 0)
        if n < self.config.min_count_split:
            n = 0
        if bare(word) in self.lex.words:
            n += 5
        return n

    def _base(self, word: str) -> tuple[str, str, str, str, str]:
        """Matching form, shape, proclitics, host and bare form of a word."""
        norm = normalize(word)
        shape = _shape(word, norm)
        if shape == "A":
            prefix, host = split_proclitics(norm, self._score)
        else:
            prefix, host = "", norm
        return norm, shape, prefix, host, bare(host)

    def _analyse(self, base: tuple[str, str, str, str, str], clusters: tuple[int, ...] | None) -> WordInfo:
        cfg = self.config
        norm, shape, prefix, host, b = base
        article = b != host
        own = ["bias", "w=" + norm, "sh=" + shape]
        near = ["w=" + norm, "sh=" + shape]
        if shape == "A":
            own += ["h=" + host, "b=" + b, "pc=" + prefix, "len=" + _len_bucket(len(b))]
            near += ["b=" + b]
            if article:
                own.append("al")
                near.append("al")
            if cfg.affixes:
                own += ["p2=" + b[:2], "p3=" + b[:3], "x1=" + b[-1:], "x2=" + b[-2:], "x3=" + b[-3:]]
        # words seen at most once in training stand for the unseen words of new text
        rare = shape == "A" and self.counts.get(norm, 0) <= 1
        if rare and cfg.rare:
            own.append("rare")
            near.append("rare")
        cue = ""
        if cfg.cues:
            cue = self.lex.cues.get(host) or self.lex.cues.get(norm) or ""
            if cue:
                own.append("cue=" + cue)
                near.append("cue=" + cue)
            if b in self.lex.name_parts or host in self.lex.name_parts:
                own.append("np")
                near.append("np")
        if clusters is not None:
            for name, cid in zip(self._cluster_names, clusters, strict=True):
                own.append(f"c{name}={cid}")
                if cfg.neighbour_clusters:
                    near.append(f"c{name}={cid}")
        info = WordInfo(norm=norm, host=host, bare=b, own=own, near=near,
                        letters=shape in ("A", "L") and len(b) >= 2, cue=cue, rare=rare)
        return info

    def _cluster_key(self, word: str, base: tuple[str, str, str, str, str] | None = None) -> str | None:
        """The surface looked up for clusters: the word without its proclitics
        and definite article, marks removed; None for non-Arabic words."""
        norm, shape, _, host, b = base or self._base(word)
        if shape != "A":
            return None
        surf = surface_form(word)
        # the bare form is always a tail of the matching form; take the same
        # tail of the surface, whose letters the piece vocabulary knows
        key = surf[len(surf) - len(b):] if len(surf) == len(norm) else b
        if self.config.cluster_article and b != host:
            key = "ال" + key
        return key

    def prepare(self, words: list[str]) -> None:
        """Analyse the words not yet cached (cluster lookups are batched)."""
        todo = [w for w in dict.fromkeys(words) if w not in self._cache]
        if not todo:
            return
        if len(self._cache) + len(todo) > self._cache_size:
            self._cache.clear()
        bases = [self._base(w) for w in todo]
        if self.pieces is None:
            for w, base in zip(todo, bases, strict=True):
                self._cache[w] = self._analyse(base, None)
            return
        keys = [self._cluster_key(w, base) for w, base in zip(todo, bases, strict=True)]
        assigned = self.pieces.assign(list({k for k in keys if k}))
        for w, base, key in zip(todo, bases, keys, strict=True):
            self._cache[w] = self._analyse(base, assigned.get(key) if key else None)

    def word_info(self, word: str) -> WordInfo:
        info = self._cache.get(word)
        if info is None:
            self.prepare([word])
            info = self._cache[word]
        return info

    # -- sentences ----------------------------------------------------------
    def infos(self, words: list[str]) -> list[WordInfo]:
        self.prepare(words)
        cache = self._cache
        return [cache[w] for w in words]

    def extras(self, infos: list[WordInfo]) -> list[list[str]]:
        """The features of each position that do not belong to one word:
        gazetteer matches (own and neighbours'), sentence edges, bigrams."""
        n = len(infos)
        cfg = self.config
        out: list[list[str]] = [[] for _ in infos]
        if cfg.gazetteers:
            gaz = self.lex.match([i.bare for i in infos])
            for j, tags in enumerate(gaz):
                if not tags:
                    continue
                out[j] += ["g=" + g for g in tags]
                for k in self._offsets:
                    i = j - k
                    if 0 <= i < n:
                        out[i] += [f"{k}:g={g}" for g in tags]
        w = self.config.window
        for i in range(min(w, n)):
            out[i].append(f"{-(i + 1)}:BOS")
        for i in range(max(n - w, 0), n):
            out[i].append(f"{n - i}:EOS")
        if cfg.rare and cfg.cues:
            # a rare word right after a cue word: «مخيم ديبكه», «الرئيس فلان»
            for i in range(1, n):
                if infos[i].rare and infos[i - 1].cue:
                    out[i].append("cuerare=" + infos[i - 1].cue)
        if cfg.bigrams:
            for i in range(n - 1):
                pair = infos[i].bare + "|" + infos[i + 1].bare
                out[i + 1].append("bb-=" + pair)
                out[i].append("bb+=" + pair)
        return out

    def sentence(self, words: list[str]) -> list[list[str]]:
        """Feature lists for each word of a sentence (what the CRF is trained on)."""
        infos = self.infos(words)
        extras = self.extras(infos)
        n = len(infos)
        out: list[list[str]] = []
        for i, info in enumerate(infos):
            feats = info.own + extras[i]
            for k in self._offsets:
                j = i + k
                if 0 <= j < n:
                    other = infos[j]
                    if other.prefixed is None:
                        other.prefixed = {o: [f"{o}:{f}" for f in other.near] for o in self._offsets}
                    feats = feats + other.prefixed[k]
            out.append(feats)
        return out
