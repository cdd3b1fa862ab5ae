"""The place-name index: one small interface over a compact file.

The index is a gzipped TSV (``marsad/data/gazetteer/places.tsv.gz``), one
place a line, with every Arabic name of the place in matching form (see
:func:`match_form`).  :func:`load_gazetteer` reads it once per process;
:meth:`Gazetteer.lookup` maps a matching-form name to its candidates.

Columns of the file, after ``#`` comment lines::

    geonames_id feature country_code admin1 lat lon population capital name name_ar names source

``geonames_id`` is empty for places that GeoNames does not hold (curated
rows), ``capital`` is ``1`` for a country's capital, ``names`` is
``|``-separated, ``admin1`` is the GeoNames first-level code of the division
the place lies in.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from marsad.arabic.normalize import normalize
from marsad.errors import MarsadError

__all__ = [
    "Candidate",
    "Gazetteer",
    "FEATURES",
    "DEFAULT_PATH",
    "ENV_VAR",
    "match_form",
    "load_gazetteer",
    "read_index",
    "write_index",
]

# The feature vocabulary of the index (the contract's ``feature`` values).
FEATURES = (
    "country", "admin1", "admin2", "admin3", "region", "city", "village",
    "district", "camp", "crossing", "site",
)

COLUMNS = (
    "geonames_id", "feature", "country_code", "admin1", "lat", "lon",
    "population", "capital", "name", "name_ar", "names", "source",
)

_SEPARATORS = re.compile(r"[\-–‐'’ʻ()/,.،\"“”«»_]+")
_SPACES = re.compile(r"\s+")


def match_form(text: str) -> str:
    """The form in which names are indexed and looked up: normalised
    (:func:`marsad.arabic.normalize.normalize`), with hyphens, quotes and
    brackets turned into spaces and runs of spaces collapsed."""
    text = _SEPARATORS.sub(" ", normalize(text))
    return _SPACES.sub(" ", text).strip()


def _package_path() -> Path:
    return Path(str(resources.files("marsad") / "data" / "gazetteer" / "places.tsv.gz"))


DEFAULT_PATH = _package_path()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place the index holds under some name.

    ``name`` is the Latin-script name, ``name_ar`` the preferred Arabic
    name, ``names`` every Arabic name in matching form.  ``admin1_name`` and
    ``admin1_name_ar`` name the first-level division the place lies in when
    the index holds it.
    """

    id: int
    geonames_id: int | None
    name: str
    name_ar: str
    country_code: str
    lat: float
    lon: float
    feature: str
    population: int = 0
    admin1: str = ""
    capital: bool = False  # the capital of its country
    source: str = ""
    names: tuple[str, ...] = ()
    admin1_name: str | None = None
    admin1_name_ar: str | None = None


@dataclass
class Gazetteer:
    """Places and the index from matching-form names to them."""

    places: list[Candidate]
    _by_name: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False)
    _max_words: dict[str, int] = field(default_factory=dict, repr=False)
    _countries: dict[str, Candidate] = field(default_factory=dict, repr=False)
    _admin1: dict[tuple[str, str], Candidate] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        by_name: dict[str, list[int]] = {}
        for i, p in enumerate(self.places):
            if p.id != i:
                raise ValueError(f"place {p.name!r} has id {p.id}, expected {i}")
            if p.feature == "country":
                self._countries.setdefault(p.country_code, p)
            elif p.feature == "admin1" and p.admin1:
                self._admin1.setdefault((p.country_code, p.admin1), p)
            for n in p.names:
                ids = by_name.setdefault(n, [])
                if not ids or ids[-1] != i:
                    ids.append(i)
        self._by_name = {k: tuple(v) for k, v in by_name.items()}
        for n in self._by_name:
            words = n.split(" ")
            if self._max_words.get(words[0], 0) < len(words):
                self._max_words[words[0]] = len(words)
        # name each place's first-level division (read_index has done it already)
        for i, p in enumerate(self.places):
            a1 = self._admin1.get((p.country_code, p.admin1)) if p.admin1 else None
            if a1 is not None and p.admin1_name is None:
                self.places[i] = replace(p, admin1_name=a1.name, admin1_name_ar=a1.name_ar)
        self._countries = {k: self.places[v.id] for k, v in self._countries.items()}
        self._admin1 = {k: self.places[v.id] for k, v in self._admin1.items()}

    def __len__(self) -> int:
        return len(self.places)

    def __contains__(self, norm_name: object) -> bool:
        return norm_name in self._by_name

    def lookup(self, norm_name: str) -> list[Candidate]:
        """The places called ``norm_name`` (in matching form), or ``[]``."""
        return [self.places[i] for i in self._by_name.get(norm_name, ())]

    def max_words(self, first_word: str) -> int:
        """The most words of any name beginning with ``first_word`` (0: none)."""
        return self._max_words.get(first_word, 0)

    def country(self, code: str) -> Candidate | None:
        """The country with ISO 3166-1 alpha-2 ``code``."""
        return self._countries.get(code)

    def admin1(self, country_code: str, code: str) -> Candidate | None:
        """The first-level division ``code`` of ``country_code``."""
        return self._admin1.get((country_code, code))

    def names(self) -> Iterator[str]:
        """Every indexed name."""
        return iter(self._by_name)


def _int_or_none(s: str) -> int | None:
    return int(s) if s else None


def _parse(lines: Iterable[str], where: str) -> list[Candidate]:
    rows: list[tuple[int, list[str]]] = []
    divisions: dict[tuple[str, str], tuple[str, str]] = {}
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        row = line.rstrip("\n").split("\t")
        if len(row) != len(COLUMNS):
            raise MarsadError("bad_gazetteer", f"{where}:{n}: {len(row)} columns, expected {len(COLUMNS)}", where)
        rows.append((n, row))
        if row[1] == "admin1" and row[3]:
            divisions.setdefault((row[2], row[3]), (row[8], row[9]))
    places: list[Candidate] = []
    for n, row in rows:
        gid, feature, cc, a1, lat, lon, pop, capital, name, name_ar, names, source = row
        division = divisions.get((cc, a1)) if a1 else None
        try:
            places.append(
                Candidate(
                    id=len(places),
                    geonames_id=_int_or_none(gid),
                    name=name,
                    name_ar=name_ar,
                    country_code=cc,
                    lat=float(lat),
                    lon=float(lon),
                    feature=feature,
                    population=int(pop or 0),
                    admin1=a1,
                    capital=capital == "1",
                    source=source,
                    names=tuple(names.split("|")) if names else (),
                    admin1_name=division[0] if division else None,
                    admin1_name_ar=division[1] if division else None,
                )
            )
        except ValueError as exc:
            raise MarsadError("bad_gazetteer", f"{where}:{n}: {exc}", where) from exc
    return places


def read_index(path: str | Path) -> Gazetteer:
    """Read an index file (gzipped or plain TSV)."""
    p = Path(path)
    try:
        with p.open("rb") as raw:
            head = raw.read(2)
        opener = gzip.open if head == b"\x1f\x8b" else open
        with opener(p, "rt", encoding="utf-8") as f:  # type: ignore[operator]
            places = _parse(f, str(p))
    except FileNotFoundError as exc:
        raise MarsadError("not_found", f"no gazetteer at {p}", str(p)) from exc
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise MarsadError("bad_gazetteer", f"cannot read {p}: {exc}", str(p)) from exc
    return Gazetteer(places)


def _clean_field(value: str) -> str:
    return value.replace("\t", " ").replace("\n", " ")


def write_index(places: Iterable[Candidate], path: str | Path, header: str = "") -> int:
    """Write places to ``path`` (gzipped when it ends in ``.gz``); returns the count.

    The output is deterministic: the same places give the same bytes.
    """
    buf = io.StringIO()
    for line in header.splitlines():
        buf.write(f"# {line}\n" if line else "#\n")
    buf.write("# " + "\t".join(COLUMNS) + "\n")
    count = 0
    for p in places:
        row = (
            "" if p.geonames_id is None else str(p.geonames_id),
            p.feature,
            p.country_code,
            p.admin1,
            f"{p.lat:.5f}".rstrip("0").rstrip("."),
            f"{p.lon:.5f}".rstrip("0").rstrip("."),
            str(p.population),
            "1" if p.capital else "",
            _clean_field(p.name),
            _clean_field(p.name_ar),
            "|".join(p.names),
            _clean_field(p.source),
        )
        buf.write("\t".join(row) + "\n")
        count += 1
    data = buf.getvalue().encode("utf-8")
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix == ".gz":
        # mtime=0 and no file name: identical inputs give identical bytes
        with open(out, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
            gz.write(data)
    else:
        out.write_bytes(data)
    return count


_CACHE: dict[str, Gazetteer] = {}
_LOCK = threading.Lock()


ENV_VAR = "MARSAD_GAZETTEER"


def load_gazetteer(path: str | Path | None = None) -> Gazetteer:
    """The gazetteer at ``path`` (default: ``$MARSAD_GAZETTEER``, else the
    packaged index), loaded once per process."""
    if path is None:
        path = os.environ.get(ENV_VAR) or None
    key = str(Path(path).resolve()) if path is not None else str(DEFAULT_PATH)
    with _LOCK:
        gaz = _CACHE.get(key)
        if gaz is None:
            gaz = _CACHE[key] = read_index(key)
    return gaz
