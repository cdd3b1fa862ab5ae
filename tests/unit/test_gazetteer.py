"""The place index: matching form, the file format, the packaged index and its sources."""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import pytest

from marsad.errors import MarsadError
from marsad.gazetteer import Candidate, Gazetteer, load_gazetteer, match_form, read_index, write_index
from marsad.gazetteer.build import LICENCE_HEADER, assemble, build_default, load_cues, read_common_words
from marsad.gazetteer.index import DEFAULT_PATH
from marsad.gazetteer.sources import (
    arabic_name,
    cities_raw,
    curated_admin1,
    curated_sites,
    data_path,
    distance_km,
    read_admin1,
    read_aliases,
)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def test_match_form() -> None:
    assert match_form("الموصل") == "الموصل"
    assert match_form("مُخيّم  ديبكة") == "مخيم ديبكه"  # harakat, teh marbuta, spaces
    assert match_form("إسلام-آباد") == "اسلام اباد"
    assert match_form("«القاهرة»") == "القاهره"
    assert match_form(match_form("أبو ظبي")) == match_form("أبو ظبي")


@pytest.mark.parametrize(
    "name, expected",
    [
        ("الموصل", "الموصل"),
        ("بَغْداد", "بغداد"),
        ("ريو دي جانيرو", "ريو دي جانيرو"),
        ("رامادی", None),  # Persian yeh
        ("هەولێر", None),  # Kurdish letters
        ("پاریس", None),  # Persian peh
        ("Mosul", None),
        ("ب", None),  # too short
        ("موصل2", None),
    ],
)
def test_arabic_name_filter(name: str, expected: str | None) -> None:
    assert arabic_name(name) == expected


def _cand(i: int, **kw) -> Candidate:
    base = dict(id=i, geonames_id=None, name="X", name_ar="س", country_code="IQ", lat=1.0, lon=2.0,
                feature="city", population=0, admin1="", source="test", names=("س",))
    base.update(kw)
    return Candidate(**base)


def test_index_round_trip_is_deterministic(tmp_path: Path) -> None:
    places = [
        _cand(0, name="Iraq", name_ar="العراق", feature="country", names=("العراق",), geonames_id=99237),
        _cand(1, name="Nineveh", name_ar="نينوى", feature="admin1", admin1="15", names=("نينوي",)),
        _cand(2, name="Mosul", name_ar="الموصل", admin1="15", names=("الموصل", "موصل"), population=1683000,
              lat=36.335, lon=43.11889, geonames_id=99072, capital=False),
        _cand(3, name="Baghdad", name_ar="بغداد", admin1="07", names=("بغداد",), capital=True, source="a\tb"),
    ]
    a, b = tmp_path / "a.tsv.gz", tmp_path / "b.tsv.gz"
    assert write_index(places, a, header="test") == 4
    write_index(places, b, header="test")
    assert a.read_bytes() == b.read_bytes()
    g = read_index(a)
    assert len(g) == 4
    (mosul,) = g.lookup("موصل")
    assert (mosul.name, mosul.population, mosul.geonames_id, mosul.lat) == ("Mosul", 1683000, 99072, 36.335)
    assert mosul.admin1_name == "Nineveh" and mosul.admin1_name_ar == "نينوى"
    assert g.country("IQ").name == "Iraq" and g.admin1("IQ", "15").name == "Nineveh"
    assert g.lookup("بغداد")[0].capital and g.lookup("بغداد")[0].source == "a b"
    assert g.max_words("الموصل") == 1 and g.lookup("البصره") == []
    # plain TSV too
    plain = tmp_path / "c.tsv"
    write_index(places, plain)
    assert read_index(plain).lookup("بغداد")[0].name == "Baghdad"


def test_bad_index_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("1\tcity\tIQ\n", encoding="utf-8")
    with pytest.raises(MarsadError) as e:
        read_index(bad)
    assert e.value.code == "bad_gazetteer"
    trunc = tmp_path / "trunc.tsv.gz"
    trunc.write_bytes(gzip.compress(b"# x\n" * 1000)[:40])
    with pytest.raises(MarsadError) as e:
        read_index(trunc)
    assert e.value.code == "bad_gazetteer"
    with pytest.raises(MarsadError) as e:
        read_index(tmp_path / "missing.tsv.gz")
    assert e.value.code == "not_found"
    nonnum = tmp_path / "nonnum.tsv"
    nonnum.write_text("\tcity\tIQ\t\tnorth\t2\t0\t\tX\tس\tس\tt\n", encoding="utf-8")
    with pytest.raises(MarsadError):
        read_index(nonnum)


def test_load_is_cached_and_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_gazetteer() is load_gazetteer(DEFAULT_PATH)
    small = tmp_path / "small.tsv.gz"
    write_index([_cand(0, name="Only", names=("وحيد",))], small)
    monkeypatch.setenv("MARSAD_GAZETTEER", str(small))
    assert [c.name for c in load_gazetteer().lookup("وحيد")] == ["Only"]


def test_packaged_index_loads_fast(gaz: Gazetteer) -> None:
    # a fresh read (not the cached one); the time is measured, not asserted tightly
    t0 = time.perf_counter()
    g = read_index(DEFAULT_PATH)
    elapsed = time.perf_counter() - t0
    assert len(g) == len(gaz) > 20_000
    assert elapsed < 5.0  # about 0.3 s on the reference machine; see benchmarks


def test_packaged_index_holds_the_places_that_matter(gaz: Gazetteer) -> None:
    (mosul,) = gaz.lookup("الموصل")
    assert mosul.geonames_id == 99072 and distance_km(mosul.lat, mosul.lon, 36.34, 43.13) < 25
    assert mosul.admin1_name == "Nineveh Governorate"
    (iraq,) = gaz.lookup("العراق")
    assert iraq.feature == "country" and iraq.country_code == "IQ" and iraq.geonames_id == 99237
    (anbar,) = gaz.lookup("الانبار")
    assert anbar.feature == "admin1" and anbar.country_code == "IQ" and anbar.name == "Al Anbar Governorate"
    (debaga,) = gaz.lookup(match_form("مخيم ديبكة"))
    assert debaga.feature == "camp" and debaga.admin1_name == "Erbil Governorate"
    assert {c.feature for c in gaz.lookup(match_form("مخيم الهول"))} == {"camp"}
    assert gaz.lookup(match_form("معبر رفح"))[0].feature == "crossing"
    # every country of the world with an Arabic CLDR name, placed somewhere
    countries = [p for p in gaz.places if p.feature == "country"]
    assert len(countries) > 200 and all(-90 <= p.lat <= 90 and -180 <= p.lon <= 180 for p in countries)
    # aliases
    assert gaz.lookup(match_form("أمريكا"))[0].country_code == "US"
    assert any(c.name == "Washington" and c.country_code == "US" for c in gaz.lookup("واشنطن"))


@pytest.fixture(scope="module")
def cities() -> dict[str, dict]:
    return cities_raw()


def test_packaged_index_is_what_the_build_makes(tmp_path: Path, cities: dict[str, dict]) -> None:
    """The committed artifact is exactly what scripts/build_gazetteer.py builds
    from the installed packages and the curated files."""
    out = tmp_path / "places.tsv.gz"
    n, _ = build_default(out, raw=cities)
    assert out.read_bytes() == DEFAULT_PATH.read_bytes(), "rebuild: python scripts/build_gazetteer.py"
    assert n == len(load_gazetteer())
    assert DEFAULT_PATH.stat().st_size < 3_000_000  # a few MB at most
    assert "CC BY 4.0" in LICENCE_HEADER


def test_admin1_rows_are_their_seats(cities: dict[str, dict]) -> None:
    rows = read_admin1()
    assert len(rows) > 200
    iraq = [r for r in rows if r.country_code == "IQ"]
    syria = [r for r in rows if r.country_code == "SY"]
    assert len(iraq) == 19 and len(syria) == 14  # Iraq's 18 governorates and Halabja
    for r in rows:
        seat = cities[str(r.seat_geonames_id)]
        assert (seat["countrycode"], seat["admin1code"]) == (r.country_code, r.admin1), r
        assert (round(seat["latitude"], 4), round(seat["longitude"], 4)) == (round(r.lat, 4), round(r.lon, 4)), r
        assert r.source


def test_curated_sites_are_well_formed() -> None:
    admin = {(c.country_code, c.name_ar) for c in curated_admin1()}
    sites = curated_sites()
    assert {s.feature for s in sites} >= {"camp", "crossing", "region", "district"}
    for s in sites:
        assert s.names and s.source and -90 <= s.lat <= 90 and -180 <= s.lon <= 180
        if s.admin1:
            # the point lies near its division's seat (a sanity check of hand-typed coordinates)
            seat = next(c for c in curated_admin1() if (c.country_code, c.admin1) == (s.country_code, s.admin1))
            assert distance_km(s.lat, s.lon, seat.lat, seat.lon) < 450, s
    assert admin  # the sites name divisions of admin1.tsv (checked when they are read)


def test_aliases_and_cues() -> None:
    countries, places = read_aliases()
    assert "US" in countries and 4140963 in places
    cues = load_cues()
    assert cues["مخيم"].in_name and not cues["مدينه"].in_name
    assert "admin1" in cues["محافظه"].features
    common = read_common_words()
    for w in ("فارين", "امن", "المدينه", "النصر", "السلام"):
        assert w in common


def test_assemble_merges_a_curated_camp_into_geonames() -> None:
    curated = _cand(0, name="Camp", feature="camp", names=("مخيم س",), lat=35.0, lon=43.0)
    geo = _cand(0, name="Camp GN", feature="camp", names=("مخيم س", "مخيم ص"), lat=35.05, lon=43.0, geonames_id=7)
    far = _cand(0, name="Other", feature="camp", names=("مخيم س",), lat=30.0, lon=40.0, geonames_id=8)
    out = assemble([[curated], [geo, far]])
    assert [p.geonames_id for p in out] == [7, 8]
    assert set(out[0].names) == {"مخيم س", "مخيم ص"}
    # a generic first word gives a second name
    (city,) = assemble([[_cand(0, names=("مدينه الكويت",))]])
    assert city.names == ("مدينه الكويت", "الكويت")


def test_gazetteer_rejects_misnumbered_places() -> None:
    with pytest.raises(ValueError):
        Gazetteer([_cand(1)])


def test_lookup_cli(capsys: pytest.CaptureFixture[str]) -> None:
    from marsad.gazetteer.cli import main

    assert main(["lookup", "بِالْمَوْصِل".replace("بِ", "", 1)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and rows[0]["name"] == "Mosul"


def test_data_files_exist() -> None:
    for name in ("admin1.tsv", "camps.tsv", "crossings.tsv", "districts.tsv", "aliases.tsv", "cues.tsv",
                 "common_words.tsv", "README.md", "places.tsv.gz"):
        assert data_path(name).exists(), name
    assert "CC BY 4.0" in data_path("README.md").read_text(encoding="utf-8")
