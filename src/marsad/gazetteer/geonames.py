"""Import the full GeoNames dumps into a place index.

GeoNames publishes ``allCountries.txt`` (or one file per country, ``IQ.txt``,
same format; also zipped) and ``alternateNamesV2.txt`` (zipped with
``iso-languagecodes.txt``).  :func:`import_geonames` reads them as streams,
keeps every feature that has an Arabic name (``isolanguage`` ``ar``, not
historic) and is a country, an administrative division, a populated place,
a camp, a border post or a region, and writes the same index as the packaged
one (:mod:`marsad.gazetteer.index`), with the CLDR country names and the
curated files merged in.

Formats (tab-separated, UTF-8, no header):

* geoname: geonameid, name, asciiname, alternatenames, latitude, longitude,
  feature class, feature code, country code, cc2, admin1 code, admin2 code,
  admin3 code, admin4 code, population, elevation, dem, timezone, modification date;
* alternate name (V2): alternateNameId, geonameid, isolanguage, alternate name,
  isPreferredName, isShortName, isColloquial, isHistoric, from, to.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import IO

from marsad.errors import MarsadError
from marsad.gazetteer.build import LICENCE_HEADER, assemble
from marsad.gazetteer.index import Candidate, write_index
from marsad.gazetteer.sources import (
    arabic_name,
    cldr_countries,
    curated_admin1,
    curated_sites,
    feature_for_population,
    read_aliases,
)

__all__ = ["import_geonames", "feature_of", "read_arabic_names", "read_geonames"]

_COUNTRY_CODES = frozenset({"PCLI", "PCLD", "PCLF", "PCLS", "PCL", "PCLIX", "TERR"})
_ADMIN = {"ADM1": "admin1", "ADM2": "admin2", "ADM3": "admin3", "ADM4": "admin3"}
_SKIPPED_PLACES = frozenset({"PPLQ", "PPLH", "PPLW", "PPLCH"})  # abandoned, historical, destroyed


def feature_of(feature_class: str, code: str, population: int) -> str | None:
    """The index feature of a GeoNames feature class and code, or None to skip it."""
    if feature_class == "A":
        if code in _COUNTRY_CODES:
            return "country"
        return _ADMIN.get(code)
    if feature_class == "P":
        if code in _SKIPPED_PLACES:
            return None
        if code == "PPLX":
            return "district"
        if code == "PPLC" or code.startswith("PPLA"):
            return "city"
        return feature_for_population(population)
    if feature_class == "S":
        return {"CMPRF": "camp", "PSTB": "crossing"}.get(code)
    if feature_class == "L" and code in ("RGN", "RGNE", "AREA"):
        return "region"
    if feature_class == "T" and code in ("MT", "MTS", "PLAT", "VAL"):
        return "site"
    return None


@contextmanager
def _open_text(path: str | Path) -> Iterator[IO[str]]:
    """A dump as text: plain, or the member of a GeoNames zip of the same stem."""
    p = Path(path)
    if not p.exists():
        raise MarsadError("not_found", f"no such file: {p}", str(p))
    if p.suffix.lower() == ".zip":
        try:
            zf = zipfile.ZipFile(p)
        except zipfile.BadZipFile as exc:
            raise MarsadError("bad_gazetteer", f"{p}: not a zip archive", str(p)) from exc
        with zf:
            names = [n for n in zf.namelist() if n.endswith(".txt") and "iso-languagecodes" not in n]
            member = next((n for n in names if Path(n).stem == p.stem), names[0] if names else None)
            if member is None:
                raise MarsadError("bad_gazetteer", f"{p}: no .txt member", str(p))
            with zf.open(member) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        return
    with open(p, encoding="utf-8", newline="\n") as f:
        yield f


def read_arabic_names(path: str | Path) -> dict[int, tuple[list[str], str | None]]:
    """Arabic names by GeoNames id from ``alternateNamesV2.txt`` (or the older
    ``alternateNames.txt``): (names, preferred name or None).  Historic names
    and names not written in Arabic letters are skipped."""
    out: dict[int, tuple[list[str], str | None]] = {}
    with _open_text(path) as f:
        for n, line in enumerate(f, 1):
            if "\tar\t" not in line:  # fast path: most lines are other languages
                continue
            row = line.rstrip("\n").split("\t")
            if len(row) < 4:
                raise MarsadError("bad_gazetteer", f"{path}:{n}: {len(row)} columns, expected at least 4", str(path))
            if row[2] != "ar" or (len(row) > 7 and row[7] == "1"):
                continue
            name = row[3].strip()
            if not arabic_name(name):
                continue
            try:
                gid = int(row[1])
            except ValueError as exc:
                raise MarsadError("bad_gazetteer", f"{path}:{n}: bad geonameid {row[1]!r}", str(path)) from exc
            names, preferred = out.get(gid, ([], None))
            if name not in names:
                names.append(name)
            if len(row) > 4 and row[4] == "1" and preferred is None:
                preferred = name
            out[gid] = (names, preferred)
    return out


def read_geonames(path: str | Path, arabic: dict[int, tuple[list[str], str | None]]) -> Iterator[tuple[Candidate, str]]:
    """Features of a geoname dump that have Arabic names, as rows, each with
    its GeoNames feature code."""
    with _open_text(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            tab = line.find("\t")
            try:
                gid = int(line[:tab])
            except ValueError as exc:
                raise MarsadError("bad_gazetteer", f"{path}:{n}: bad geonameid {line[:tab]!r}", str(path)) from exc
            if gid not in arabic:
                continue
            row = line.rstrip("\n").split("\t")
            if len(row) < 15:
                raise MarsadError("bad_gazetteer", f"{path}:{n}: {len(row)} columns, expected 19", str(path))
            try:
                lat, lon = float(row[4]), float(row[5])
                population = int(row[14] or 0)
            except ValueError as exc:
                raise MarsadError("bad_gazetteer", f"{path}:{n}: {exc}", str(path)) from exc
            feature = feature_of(row[6], row[7], population)
            if feature is None:
                continue
            names, preferred = arabic[gid]
            forms = tuple(dict.fromkeys(f for f in (arabic_name(s) for s in names) if f))
            yield (
                Candidate(
                    id=0, geonames_id=gid, name=row[1], name_ar=preferred or names[0], country_code=row[8],
                    lat=lat, lon=lon, feature=feature, population=population,
                    admin1=row[10] if feature != "country" else "", capital=row[7] == "PPLC",
                    source="geonames", names=forms,
                ),
                row[7],
            )


def import_geonames(
    allcountries_path: str | Path,
    alternatenames_path: str | Path,
    out_path: str | Path,
    *,
    curated: bool = True,
    countries: frozenset[str] | None = None,
) -> int:
    """Build an index from GeoNames dumps (plus CLDR country names and, with
    ``curated``, the curated files); ``countries`` keeps only those country
    codes.  Countries are placed at their capital (PPLC) when the dump has
    it.  Returns the number of places written."""
    arabic = read_arabic_names(alternatenames_path)
    country_rows: dict[str, Candidate] = {}
    capitals: dict[str, Candidate] = {}
    rest: list[Candidate] = []
    for c, code in read_geonames(allcountries_path, arabic):
        if countries is not None and c.country_code not in countries:
            continue
        if c.feature == "country":
            if code == "PCLI" or c.country_code not in country_rows:
                country_rows[c.country_code] = c
            continue
        if c.capital:
            capitals[c.country_code] = c
        rest.append(c)
    # countries: GeoNames' Arabic names and CLDR's, placed at the capital
    points = {}
    for cc, row in country_rows.items():
        cap = capitals.get(cc)
        points[cc] = (cap.lat, cap.lon, f"capital {cap.name}, GeoNames {cap.geonames_id}") if cap else (
            row.lat, row.lon, f"GeoNames {row.geonames_id}")
    country_aliases, place_aliases = read_aliases()
    geonames_names = {cc: list(arabic[row.geonames_id][0]) for cc, row in country_rows.items()
                      if row.geonames_id is not None}
    cldr = cldr_countries(points, aliases=country_aliases, arabic_names=geonames_names)
    if place_aliases:
        rest = [_with_names(c, place_aliases.get(c.geonames_id or -1, ())) for c in rest]
    sources: list[list[Candidate]] = [cldr]
    admin = [c for c in rest if c.feature == "admin1"]
    others = [c for c in rest if c.feature != "admin1"]
    sources.append(admin)
    if curated:
        keep = (lambda c: c.country_code in countries) if countries is not None else (lambda c: True)
        sources.append([c for c in curated_admin1() if keep(c)])
        sources.append([c for c in curated_sites() if keep(c)])
    sources.append(others)
    places = assemble(sources)
    header = LICENCE_HEADER + f"\nImported from {Path(allcountries_path).name} and {Path(alternatenames_path).name}."
    return write_index(places, out_path, header=header)


def _with_names(c: Candidate, names: tuple[str, ...] | list[str]) -> Candidate:
    forms = [f for f in (arabic_name(n) for n in names) if f]
    if not forms:
        return c
    return replace(c, names=tuple(dict.fromkeys(c.names + tuple(forms))))
