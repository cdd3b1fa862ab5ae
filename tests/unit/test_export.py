"""Exports: one row per event, read back with pandas, GeoPandas and pyarrow."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.unit.api_fixtures import build_store, seed_article

from marsad.errors import MarsadError
from marsad.export import COLUMNS, event_rows, export, outlet
from marsad.store.sqlite import Store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    s = build_store(tmp_path_factory.mktemp("export") / "x.db")
    yield s
    s.close()


def by_trigger(rows: list[dict]) -> dict[str, dict]:
    return {r["trigger"]: r for r in rows}


def test_rows_carry_every_column(store: Store):
    rows = list(event_rows(store))
    assert len(rows) == 9
    assert all(tuple(r) == COLUMNS for r in rows)
    seed = seed_article()
    flight = by_trigger(rows)["فارين"]
    assert flight["article_id"] == "seed-mosul" and flight["type"] == "displacement" and flight["sub_type"] == "flight"
    assert (flight["place"], flight["lat"], flight["lon"], flight["country_code"]) == ("الموصل", 36.34, 43.13, "IQ")
    assert (flight["date"], flight["date_precision"]) == ("2016-10-20", "day")
    assert flight["outlet"] == "example-news.net"  # www. dropped
    assert flight["url"] == seed.url and flight["published"] == "2016-10-20"
    assert flight["actors"] == ["سكان محليين"] and flight["targets"] == []
    # the evidence sentence is the article's text at the event's sentence offsets
    ev = seed.events[0]
    assert flight["sentence"] == seed.text[ev.sentence.start:ev.sentence.end]
    assert flight["sentence"].startswith("نقلت صحيفة") and "فارين" in flight["sentence"]
    # the attribution chain: who said it, who relayed it, the reporting word
    assert flight["attribution"] == "source=سكان محليين; via=صحيفة “الغارديان” البريطانية; cue=نقلت"


def test_rows_figures_dates_and_destination(store: Store):
    rows = by_trigger(list(event_rows(store)))
    strike = rows["قصفت"]
    assert (strike["fatalities"], strike["injured"], strike["displaced"]) == (12, 10, None)
    assert strike["attribution"] == "source=المرصد السوري لحقوق الإنسان; cue=أفاد"
    assert strike["outlet"] == "syria-news.example.org"
    anbar = rows["طرد"]
    assert (anbar["date"], anbar["date_precision"]) == ("2005/2006", "range")
    assert (anbar["date_start"], anbar["date_end"]) == ("2005-01-01", "2006-12-31")
    assert anbar["attribution"] is None
    camp = rows["النازحين"]
    assert (camp["destination"], camp["destination_lat"], camp["destination_lon"]) == ("مخيم ديبكه", 35.88, 43.79)
    killing = rows["مقتل"]
    assert killing["date"] is None and killing["date_start"] is None and killing["fatalities"] == 1
    hodeidah = rows["نزحت"]
    assert (hodeidah["date_start"], hodeidah["date_end"]) == ("2016-10-01", "2016-10-31")


def test_rows_follow_the_filters(store: Store):
    assert {r["type"] for r in event_rows(store, type="displacement")} == {"displacement"}
    assert {r["country_code"] for r in event_rows(store, country="ye")} == {"YE"}
    assert [r["trigger"] for r in event_rows(store, q="حلب")] == ["قصفت"]
    assert len(list(event_rows(store, bbox=(42.9, 36.2, 43.3, 36.5)))) == 4


@pytest.mark.parametrize(
    "url, expected",
    [("https://www.aljazeera.net/news/1", "aljazeera.net"), ("http://Sub.Example.COM:8080/x", "sub.example.com"),
     ("javascript:alert(1)", None), (None, None), ("not a url", None), ("http://[::1/", None)],
)
def test_outlet(url: str | None, expected: str | None):
    assert outlet(url) == expected


def test_csv_reads_back_with_pandas(store: Store, tmp_path: Path):
    pd = pytest.importorskip("pandas")
    path = tmp_path / "events.csv"
    assert export(store, "csv", path) == 9
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for spreadsheet programs
    df = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, na_values=[""])
    assert list(df.columns) == list(COLUMNS) and len(df) == 9
    flight = df[df["trigger"] == "فارين"].iloc[0]
    assert flight["place"] == "الموصل" and flight["lat"] == pytest.approx(36.34)
    assert flight["attribution"].startswith("source=سكان محليين")
    battles = df[df["trigger"] == "تقدم القوات"].iloc[0]
    assert battles["actors"] == "القوات العراقية والكردية" and battles["targets"] == "التنظيم"
    assert sorted(df["fatalities"].dropna().astype(int).tolist()) == [1, 12]
    # every text value survives quoting (commas, quotes, newlines, markup)
    for row, (_, back) in zip(event_rows(store), df.iterrows(), strict=True):
        for key in ("article_title", "sentence", "attribution", "place", "trigger"):
            assert (row[key] if row[key] is not None else None) == (None if pd.isna(back[key]) else back[key])


def test_geojson_is_a_feature_collection(store: Store, tmp_path: Path):
    path = tmp_path / "events.geojson"
    assert export(store, "geojson", path, country="IQ") == 6
    data = json.loads(path.read_text("utf-8"))
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 6
    for f in data["features"]:
        assert f["type"] == "Feature" and set(f["properties"]) == set(COLUMNS)
        lon, lat = f["geometry"]["coordinates"]
        assert (lat, lon) == (f["properties"]["lat"], f["properties"]["lon"])  # GeoJSON order: lon, lat
        assert f["geometry"]["type"] == "Point"


def test_geojson_null_geometry_and_geopandas(tmp_path: Path):
    gpd = pytest.importorskip("geopandas")
    pytest.importorskip("pyogrio")
    article = seed_article()
    article.events[2].place = None  # the killing: no known place
    with Store(tmp_path / "s.db") as s:
        s.add(article)
        path = tmp_path / "events.geojson"
        assert export(s, "geojson", path) == 5
    data = json.loads(path.read_text("utf-8"))
    nulls = [f for f in data["features"] if f["geometry"] is None]
    assert len(nulls) == 1 and nulls[0]["properties"]["trigger"] == "مقتل"
    gdf = gpd.read_file(path)
    assert len(gdf) == 5 and gdf.crs is not None and gdf.crs.to_epsg() == 4326
    assert int(gdf.geometry.isna().sum() + gdf.geometry.is_empty.sum()) == 1
    mosul = gdf[gdf["trigger"] == "فارين"].iloc[0]
    assert (mosul.geometry.x, mosul.geometry.y) == (pytest.approx(43.13), pytest.approx(36.34))
    assert mosul["attribution"].startswith("source=سكان محليين")


def test_parquet_schema_and_read_back(store: Store, tmp_path: Path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "events.parquet"
    assert export(store, "parquet", path) == 9
    table = pq.read_table(path)
    assert table.num_rows == 9 and table.column_names == [*COLUMNS, "geometry"]
    schema = table.schema
    assert str(schema.field("actors").type) == "list<element: string>"
    assert str(schema.field("date_start").type) == "date32[day]"
    assert str(schema.field("fatalities").type) == "int64" and str(schema.field("lat").type) == "double"
    geo = json.loads(schema.metadata[b"geo"])
    assert geo["primary_column"] == "geometry" and geo["columns"]["geometry"]["encoding"] == "WKB"
    west, south, east, north = geo["columns"]["geometry"]["bbox"]
    assert (west, south, east, north) == (37.16, 13.58, 44.36, 36.34)
    rows = {r["trigger"]: r for r in table.to_pylist()}
    assert rows["طرد"]["date_start"] == dt.date(2005, 1, 1) and rows["طرد"]["date_end"] == dt.date(2006, 12, 31)
    assert rows["تقدم القوات"]["actors"] == ["القوات العراقية والكردية"]


def test_parquet_reads_with_pandas_and_geopandas(store: Store, tmp_path: Path):
    pd = pytest.importorskip("pandas")
    path = tmp_path / "events.parquet"
    export(store, "parquet", path, type="displacement")
    df = pd.read_parquet(path)
    assert len(df) == 3 and set(df["type"]) == {"displacement"}
    assert df["displaced"].dropna().tolist() == [100]
    gpd = pytest.importorskip("geopandas")
    gdf = gpd.read_parquet(path)
    assert gdf.geometry.name == "geometry" and gdf.crs == "OGC:CRS84"  # GeoParquet's default: lon/lat WGS 84
    hodeidah = gdf[gdf["trigger"] == "نزحت"].iloc[0]
    assert (hodeidah.geometry.x, hodeidah.geometry.y) == (pytest.approx(42.95), pytest.approx(14.80))


def test_export_to_a_binary_stream_and_empty_result(store: Store):
    buf = io.BytesIO()
    assert export(store, "csv", buf, country="SY") == 1
    lines = buf.getvalue().decode("utf-8-sig").splitlines()
    assert lines[0].split(",") == list(COLUMNS) and len(lines) == 2
    buf = io.BytesIO()
    assert export(store, "geojson", buf, type="riots") == 0
    assert json.loads(buf.getvalue()) == {"type": "FeatureCollection", "features": []}
    pq = pytest.importorskip("pyarrow.parquet")
    buf = io.BytesIO()
    assert export(store, "parquet", buf, type="riots") == 0
    assert pq.read_table(io.BytesIO(buf.getvalue())).num_rows == 0


def test_export_rejects_a_bad_format_or_filter(store: Store, tmp_path: Path):
    with pytest.raises(MarsadError) as err:
        export(store, "xlsx", tmp_path / "x.xlsx")
    assert err.value.code == "bad_usage"
    with pytest.raises(MarsadError) as err:
        export(store, "csv", tmp_path / "x.csv", since="next week")
    assert err.value.code == "bad_date"
