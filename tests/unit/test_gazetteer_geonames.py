"""The GeoNames full-dump importer, on small files in GeoNames' exact format."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from marsad.errors import MarsadError
from marsad.gazetteer import import_geonames, read_index
from marsad.gazetteer.cli import main
from marsad.gazetteer.geonames import feature_of, read_arabic_names

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "places_eval" / "geonames"
GEONAMES = FIXTURES / "IQ.txt"
ALTERNATES = FIXTURES / "alternateNamesV2.txt"


def test_fixtures_have_the_geonames_columns() -> None:
    for line in GEONAMES.read_text(encoding="utf-8").splitlines():
        assert len(line.split("\t")) == 19
    for line in ALTERNATES.read_text(encoding="utf-8").splitlines():
        assert len(line.split("\t")) == 10


@pytest.mark.parametrize(
    "fclass, code, pop, expected",
    [
        ("A", "PCLI", 0, "country"), ("A", "ADM1", 0, "admin1"), ("A", "ADM2", 0, "admin2"),
        ("P", "PPLC", 0, "city"), ("P", "PPLA2", 0, "city"), ("P", "PPL", 20000, "city"),
        ("P", "PPL", 800, "village"), ("P", "PPLX", 0, "district"), ("P", "PPLQ", 0, None),
        ("S", "CMPRF", 0, "camp"), ("S", "PSTB", 0, "crossing"), ("S", "HTL", 0, None),
        ("L", "RGN", 0, "region"), ("H", "STM", 0, None),
    ],
)
def test_feature_mapping(fclass: str, code: str, pop: int, expected: str | None) -> None:
    assert feature_of(fclass, code, pop) == expected


def test_arabic_names() -> None:
    names = read_arabic_names(ALTERNATES)
    assert names[99072] == (["الموصل"], "الموصل")  # the historic نينوى and the Persian موصل are out
    assert names[98182] == (["بغداد"], "بغداد")
    assert names[95446] == (["أربيل"], "أربيل")  # the Kurdish-script name is out
    assert 900007 not in names  # only an Egyptian Arabic (arz) name
    assert names[170654][0] == ["دمشق", "الشام"]  # a colloquial name is kept


@pytest.fixture()
def imported(tmp_path: Path):
    out = tmp_path / "iq.tsv.gz"
    n = import_geonames(GEONAMES, ALTERNATES, out)
    return n, read_index(out)


def test_import(imported) -> None:
    n, gaz = imported
    assert n == len(gaz)
    (mosul,) = gaz.lookup("الموصل")
    assert (mosul.geonames_id, mosul.feature, mosul.population, mosul.admin1) == (99072, "city", 1683000, "15")
    # the imported division, with the curated names of the same division merged in
    (nineveh,) = gaz.lookup("نينوي")
    assert nineveh.geonames_id == 900001 and nineveh.feature == "admin1"
    assert mosul.admin1_name == "Muhafazat Ninawa"
    # the country: GeoNames' and CLDR's Arabic names, placed at its capital (PPLC)
    (iraq,) = gaz.lookup("العراق")
    assert iraq.feature == "country" and iraq.geonames_id == 99237
    assert (iraq.lat, iraq.lon) == (33.34058, 44.40088)
    assert gaz.lookup("جمهوريه العراق")[0].id == iraq.id
    assert [c.capital for c in gaz.lookup("بغداد") if c.feature == "city"] == [True]
    # the camp GeoNames holds and the curated one are one place
    (camp,) = gaz.lookup("مخيم ديبكه")
    assert camp.geonames_id == 900002 and camp.feature == "camp" and "camps.tsv" in camp.source
    assert gaz.lookup("معبر ابراهيم الخليل")[0].geonames_id == 900003
    assert gaz.lookup("تل ابيض")[0].feature == "village"
    # skipped: abandoned place, hotel, historic names
    assert gaz.lookup("نمرود") == [] and gaz.lookup("فندق بابل") == [] and gaz.lookup("دار السلام") == []


def test_import_without_curated_rows_and_by_country(tmp_path: Path) -> None:
    out = tmp_path / "sy.tsv.gz"
    import_geonames(GEONAMES, ALTERNATES, out, curated=False, countries=frozenset({"SY"}))
    gaz = read_index(out)
    assert {p.country_code for p in gaz.places} == {"SY"}
    assert [p.name for p in gaz.places] == ["Syria", "Damascus"]
    assert gaz.lookup("الشام")[0].name == "Damascus"


def test_import_from_zip_archives(tmp_path: Path) -> None:
    for src, name in ((GEONAMES, "allCountries"), (ALTERNATES, "alternateNamesV2")):
        with zipfile.ZipFile(tmp_path / f"{name}.zip", "w") as z:
            z.write(src, f"{name}.txt")
            if name == "alternateNamesV2":
                z.writestr("iso-languagecodes.txt", "ISO 639-3\tISO 639-2\tISO 639-1\tLanguage Name\n")
    out = tmp_path / "z.tsv.gz"
    import_geonames(tmp_path / "allCountries.zip", tmp_path / "alternateNamesV2.zip", out)
    assert read_index(out).lookup("الموصل")[0].geonames_id == 99072


def test_malformed_dumps(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("99072\tMosul\n", encoding="utf-8")
    with pytest.raises(MarsadError) as e:
        import_geonames(bad, ALTERNATES, tmp_path / "x.tsv.gz")
    assert e.value.code == "bad_gazetteer"
    bad_alt = tmp_path / "alt.txt"
    bad_alt.write_text("1\tnot-a-number\tar\tالموصل\n", encoding="utf-8")
    with pytest.raises(MarsadError):
        read_arabic_names(bad_alt)
    notzip = tmp_path / "x.zip"
    notzip.write_bytes(b"not a zip")
    with pytest.raises(MarsadError):
        import_geonames(notzip, ALTERNATES, tmp_path / "x.tsv.gz")


def test_cli_import_and_lookup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli.tsv.gz"
    assert main(["import", str(GEONAMES), str(ALTERNATES), "-o", str(out), "--countries", "iq"]) == 0
    assert out.exists()
    assert main(["lookup", "أربيل", "--index", str(out)]) == 0
    assert '"Erbil"' in capsys.readouterr().out
    assert main(["import", str(tmp_path / "missing.txt"), str(ALTERNATES), "-o", str(out)]) == 1
    with pytest.raises(SystemExit) as e:
        main(["import"])
    assert e.value.code == 2


def test_per_country_file_name_is_accepted(tmp_path: Path) -> None:
    copy = tmp_path / "SY.txt"
    shutil.copy(GEONAMES, copy)
    out = tmp_path / "o.tsv"
    import_geonames(copy, ALTERNATES, out, curated=False)
    assert read_index(out).lookup("دمشق")[0].capital
