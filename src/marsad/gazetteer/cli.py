"""``marsad gazetteer ...``: build a place index from the GeoNames dumps, and
look names up in an index.

    marsad gazetteer import allCountries.zip alternateNamesV2.zip -o places.tsv.gz
    marsad gazetteer import IQ.txt alternateNamesV2.txt --countries IQ,SY -o iq.tsv.gz
    marsad gazetteer lookup الموصل [--index places.tsv.gz]

An imported index is used instead of the packaged one when
``$MARSAD_GAZETTEER`` names it.  Exit status: 0 on success, 1 when a file is
missing or malformed, 2 for bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from marsad.errors import MarsadError
from marsad.gazetteer.geonames import import_geonames
from marsad.gazetteer.index import ENV_VAR, load_gazetteer, match_form

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="marsad gazetteer", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", metavar="COMMAND", required=True)
    imp = sub.add_parser("import", help="build an index from GeoNames dumps (every Arabic name)")
    imp.add_argument("allcountries", type=Path,
                     help="allCountries.txt, a per-country file (IQ.txt) or their .zip")
    imp.add_argument("alternatenames", type=Path, help="alternateNamesV2.txt or alternateNamesV2.zip")
    imp.add_argument("-o", "--out", type=Path, default=Path("gazetteer.tsv.gz"),
                     help="index to write (default gazetteer.tsv.gz; .gz: gzipped)")
    imp.add_argument("--countries", default=None, metavar="CC,CC",
                     help="keep only these ISO country codes (default: all)")
    imp.add_argument("--no-curated", action="store_true",
                     help="leave out the curated divisions, camps, crossings and districts")
    look = sub.add_parser("lookup", help="the places an index holds under a name")
    look.add_argument("name", help="a place name in Arabic (any spelling; it is normalised)")
    look.add_argument("--index", type=Path, default=None,
                      help=f"index file (default ${ENV_VAR}, else the packaged one)")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "import":
            countries = None
            if args.countries:
                countries = frozenset(c.strip().upper() for c in args.countries.split(",") if c.strip())
            t0 = time.perf_counter()
            n = import_geonames(args.allcountries, args.alternatenames, args.out,
                                curated=not args.no_curated, countries=countries)
            print(f"{n} places -> {args.out} ({time.perf_counter() - t0:.1f} s); "
                  f"use it with {ENV_VAR}={args.out}", file=sys.stderr)
            return 0
        gaz = load_gazetteer(args.index)
        for c in gaz.lookup(match_form(args.name)):
            print(json.dumps({
                "name": c.name, "name_ar": c.name_ar, "country_code": c.country_code, "feature": c.feature,
                "lat": c.lat, "lon": c.lon, "population": c.population, "admin1": c.admin1_name,
                "geonames_id": c.geonames_id, "source": c.source,
            }, ensure_ascii=False))
        return 0
    except MarsadError as exc:
        print(f"marsad gazetteer: {exc.code}: {exc.message}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
