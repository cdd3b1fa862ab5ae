"""The REST API over a store of fixture articles: contract shapes, filters, validation, errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402
from tests.unit.api_fixtures import build_store, seed_body  # noqa: E402

from marsad.api.app import CSP, create_app  # noqa: E402
from marsad.settings import Settings  # noqa: E402
from marsad.store.sqlite import Store  # noqa: E402

TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    s = build_store(tmp_path_factory.mktemp("api") / "api.db")
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store: Store) -> TestClient:
    app = create_app(Settings(db=Path(store.path)), store=store)
    return TestClient(app, raise_server_exceptions=False)


def assert_error(resp: Any, status: int, code: str) -> dict[str, Any]:
    """The one error shape: {"error": {"code", "message"}} and nothing else."""
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


# --- dashboard and description ------------------------------------------------------------


def test_dashboard_is_served_rtl_with_a_strict_policy(client: TestClient):
    resp = client.get("/")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/html")
    assert '<html lang="ar" dir="rtl">' in resp.text
    assert resp.headers["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    assert resp.headers["x-content-type-options"] == "nosniff"
    # every script and stylesheet the page names is served from here, none from another host
    for asset in ("/static/dashboard.js", "/static/dashboard.css", "/static/vendor/leaflet/leaflet.js",
                  "/static/vendor/leaflet/leaflet.css", "/static/vendor/topojson-client/topojson-client.min.js"):
        assert f'"{asset}"' in resp.text
        assert client.get(asset).status_code == 200, asset
    assert "http://" not in resp.text and "https://" not in resp.text


def test_vendored_outlines_are_topojson(client: TestClient):
    resp = client.get("/static/vendor/world-atlas/countries-50m.json")
    assert resp.status_code == 200
    topo = resp.json()
    assert topo["type"] == "Topology" and len(topo["objects"]["countries"]["geometries"]) > 200
    iraq = [g for g in topo["objects"]["countries"]["geometries"] if g.get("properties", {}).get("name") == "Iraq"]
    assert len(iraq) == 1


def test_vendored_packages_carry_their_licences():
    from marsad.api.app import dashboard_dir

    vendor = dashboard_dir() / "vendor"
    for package in ("leaflet", "world-atlas", "topojson-client"):
        assert (vendor / package / "LICENSE").stat().st_size > 100, package
        assert package in (vendor / "README.md").read_text("utf-8")


def test_dashboard_script_never_parses_strings_as_html():
    from marsad.api.app import dashboard_dir

    js = (dashboard_dir() / "dashboard.js").read_text("utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in js, sink
    # Leaflet parses string popups and tooltips as HTML: they get DOM elements
    assert ".bindTooltip(el(" in js and ".setContent(placePopup(place))" in js and ".bindPopup(" not in js


def test_openapi_documents_every_endpoint(client: TestClient):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/events", "/api/articles", "/api/articles/{article_id}", "/api/search", "/api/places",
                 "/api/timeline", "/api/stats", "/api/ingest", "/api/export.csv", "/api/export.geojson",
                 "/api/export.parquet"):
        assert path in paths, path
    schemas = spec["components"]["schemas"]
    assert {"ErrorResponse", "EventPage", "SearchPage", "IngestRecord", "IngestResult"} <= set(schemas)
    # the ingest body points at a schema that exists
    body = paths["/api/ingest"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "text/html", "text/plain"}
    assert "text" in schemas["IngestRecord"]["properties"]
    events = {p["name"] for p in paths["/api/events"]["get"]["parameters"]}
    assert events == {"type", "country", "since", "until", "bbox", "q", "limit", "offset"}
    assert "bearer" in str(spec["components"].get("securitySchemes", {})).lower()
    assert client.get("/docs").status_code == 404  # the docs pages would load a CDN


# --- articles and search ------------------------------------------------------------------


def test_list_articles(client: TestClient):
    body = client.get("/api/articles").json()
    assert body["total"] == 5
    ids = [a["id"] for a in body["items"]]
    assert ids[:4] == ["seed-mosul", "hostile-markup", "aleppo-strike", "yemen-report"]  # latest first
    assert ids[-1] == "no-events"  # no publication date: last
    seed = body["items"][0]
    assert seed["events"] == 5 and seed["language"] == "ar" and seed["url"].startswith("https://")
    page = client.get("/api/articles", params={"limit": 2, "offset": 2}).json()
    assert page["total"] == 5 and [a["id"] for a in page["items"]] == ids[2:4]


def test_get_article_returns_the_stored_article(client: TestClient):
    title, text = seed_body()
    a = client.get("/api/articles/seed-mosul").json()
    assert a["title"] == title and a["text"] == text
    assert {"entities", "places", "dates", "attributions", "events", "page_stats"} <= set(a)
    for e in a["entities"]:
        assert a["text"][e["start"]:e["end"]] == e["text"]
    assert [e["type"] for e in a["events"]].count("displacement") == 2
    assert_error(client.get("/api/articles/nope"), 404, "not_found")
    assert_error(client.get("/api/articles/a/b"), 404, "not_found")


def test_search_contract(client: TestClient):
    body = client.get("/api/search", params={"q": "الموصل"}).json()
    assert body["total"] == 1
    hit = body["items"][0]
    assert {"id", "title", "published", "snippet"} <= set(hit)
    assert hit["id"] == "seed-mosul" and hit["published"] == "2016-10-20"
    assert all(hit["snippet"][s:e].endswith("الموصل") for s, e in hit["highlights"])
    # clitics: بالموصل finds الموصل, وحلب finds حلب
    assert [h["id"] for h in client.get("/api/search", params={"q": "بالموصل"}).json()["items"]] == ["seed-mosul"]
    assert [h["id"] for h in client.get("/api/search", params={"q": "وحلب"}).json()["items"]] == ["aleppo-strike"]
    # an OR query and paging
    both = client.get("/api/search", params={"q": "حلب OR تعز", "limit": 1}).json()
    assert both["total"] == 2 and len(both["items"]) == 1


@pytest.mark.parametrize("q", ["***", '"', "-الموصل", "OR", "؟!"])
def test_malformed_search_is_a_400_never_a_500(client: TestClient, q: str):
    assert_error(client.get("/api/search", params={"q": q}), 400, "bad_query")


def test_search_input_validation(client: TestClient):
    assert_error(client.get("/api/search"), 422, "bad_request")  # q is required
    assert_error(client.get("/api/search", params={"q": ""}), 422, "bad_request")
    assert_error(client.get("/api/search", params={"q": "ا" * 1001}), 422, "bad_request")
    assert_error(client.get("/api/search", params={"q": "الموصل", "limit": 1001}), 422, "bad_request")


# --- events -------------------------------------------------------------------------------


def event_types(client: TestClient, **params: Any) -> list[str]:
    resp = client.get("/api/events", params=params)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert set(body) == {"items", "total"}
    if not params.get("limit") and not params.get("offset"):
        assert body["total"] == len(body["items"])
    return sorted(e["type"] for e in body["items"])


def test_events_contract(client: TestClient):
    body = client.get("/api/events").json()
    assert body["total"] == 9
    first = body["items"][0]
    assert {"type", "trigger", "sentence", "place", "date", "confidence", "article_id", "article_title", "url"} <= set(first)
    assert first["date"]["value"] == "2016-10-20"  # latest first
    assert body["items"][-1]["date"] is None  # undated last
    strike = next(e for e in body["items"] if e["type"] == "explosions_remote_violence")
    assert strike["article_id"] == "aleppo-strike" and strike["fatalities"] == 12
    assert strike["url"] == "https://syria-news.example.org/aleppo/2016-10-17"
    assert strike["article_title"] == "مقتل 12 مدنياً بقصف جوي على حلب"


def test_event_filters(client: TestClient):
    assert event_types(client, type="displacement") == ["displacement"] * 3
    assert event_types(client, country="ye") == ["displacement", "protests"]
    assert event_types(client, country="SY") == ["explosions_remote_violence"]
    assert event_types(client, since="2016-10-17", until="2016-10-17") == ["battles", "displacement", "protests"]
    # the month-dated Hodeidah displacement overlaps any day of October
    assert event_types(client, since="2016-10-20") == ["displacement", "displacement", "displacement"]
    assert event_types(client, until="2006") == ["battles"]  # Anbar, 2005/2006
    # a box around Mosul (west,south,east,north)
    mosul = event_types(client, bbox="42.9,36.2,43.3,36.5")
    assert mosul == ["battles", "displacement", "displacement", "violence_against_civilians"]
    assert event_types(client, bbox="40,10,50,20") == ["displacement", "protests"]  # Yemen
    assert event_types(client, q="حلب") == ["explosions_remote_violence"]
    assert event_types(client, q="الموصل", type="battles") == ["battles", "battles"]
    assert event_types(client, q="   ") == event_types(client)  # a blank query filters nothing
    page = client.get("/api/events", params={"limit": 2, "offset": 8}).json()
    assert page["total"] == 9 and len(page["items"]) == 1


@pytest.mark.parametrize(
    "params, code",
    [
        ({"limit": -1}, "bad_request"),
        ({"limit": 1001}, "bad_request"),
        ({"limit": "ten"}, "bad_request"),
        ({"offset": -1}, "bad_request"),
        ({"type": "earthquake"}, "bad_request"),
        ({"country": "IRQ"}, "bad_request"),
        ({"country": "1q"}, "bad_request"),
        ({"since": "last week"}, "bad_date"),
        ({"since": "2016-13-01"}, "bad_date"),
        ({"until": "2005/2006"}, "bad_date"),
        ({"since": "2016-10-20", "until": "2016-10-01"}, "bad_request"),
        ({"bbox": "1,2,3"}, "bad_request"),
        ({"bbox": "a,b,c,d"}, "bad_request"),
        ({"bbox": "40,37,44,36"}, "bad_request"),  # south above north
        ({"bbox": "40,-91,44,36"}, "bad_request"),
        ({"bbox": "-181,30,44,36"}, "bad_request"),
        ({"bbox": "nan,30,44,36"}, "bad_request"),
        ({"bbox": "inf,30,44,36"}, "bad_request"),
    ],
)
def test_event_parameters_are_validated(client: TestClient, params: dict[str, Any], code: str):
    for path in ("/api/events", "/api/places", "/api/timeline", "/api/export.csv"):
        if path != "/api/events" and set(params) & {"limit", "offset"}:
            continue
        assert_error(client.get(path, params=params), 422, code)


def test_bbox_across_the_antimeridian_is_allowed(client: TestClient):
    # west > east: from 170°E eastwards across 180° to 40°E: Aleppo (37.16°E) only
    assert event_types(client, bbox="170,0,40,60") == ["explosions_remote_violence"]
    assert len(event_types(client, bbox="170,0,50,60")) == 9


def test_malformed_event_query_is_a_400(client: TestClient):
    assert_error(client.get("/api/events", params={"q": "***"}), 400, "bad_query")


# --- places and timeline ------------------------------------------------------------------


def test_places_with_event_counts(client: TestClient):
    items = client.get("/api/places").json()["items"]
    assert items[0]["name"] == "الموصل" and items[0]["country_code"] == "IQ"
    assert (items[0]["lat"], items[0]["lon"]) == (36.34, 43.13)
    assert items[0]["events"] == 4
    assert items[0]["by_type"] == {"battles": 1, "displacement": 2, "violence_against_civilians": 1}
    assert len(items) == 6 and sum(p["events"] for p in items) == 9
    assert [p["name"] for p in client.get("/api/places", params={"country": "YE"}).json()["items"]] in (
        ["تعز", "الحديدة"], ["الحديدة", "تعز"])
    assert len(client.get("/api/places", params={"limit": 1}).json()["items"]) == 1
    assert_error(client.get("/api/places", params={"limit": 0}), 422, "bad_request")


def test_timeline_counts_per_day_and_type(client: TestClient):
    body = client.get("/api/timeline").json()
    assert body["items"] == [
        {"date": "2016-10-14", "type": "protests", "count": 1},
        {"date": "2016-10-16", "type": "explosions_remote_violence", "count": 1},
        {"date": "2016-10-17", "type": "battles", "count": 1},
        {"date": "2016-10-17", "type": "protests", "count": 1},
        {"date": "2016-10-20", "type": "displacement", "count": 2},
    ]
    assert (body["day"], body["coarse"], body["undated"]) == (6, 2, 1)
    iq = client.get("/api/timeline", params={"country": "IQ", "type": "battles"}).json()
    assert iq["items"] == [{"date": "2016-10-17", "type": "battles", "count": 1}] and iq["coarse"] == 1


def test_stats(client: TestClient):
    stats = client.get("/api/stats").json()
    assert stats["articles"] == 5 and stats["events"] == 9 and stats["events_by_type"]["displacement"] == 3


# --- the one error shape ------------------------------------------------------------------


def test_unknown_path_and_wrong_method(client: TestClient):
    assert_error(client.get("/api/nothing-here"), 404, "not_found")
    assert_error(client.get("/static/no-such-file.js"), 404, "not_found")
    err = assert_error(client.delete("/api/events"), 405, "method_not_allowed")
    assert "DELETE" in err["message"]
    assert_error(client.get("/api/ingest"), 405, "method_not_allowed")


def test_unexpected_failure_is_a_500_in_the_error_shape(store: Store, monkeypatch: pytest.MonkeyPatch):
    app = create_app(Settings(db=Path(store.path)), store=store)
    client = TestClient(app, raise_server_exceptions=False)

    def broken() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(store, "stats", broken)
    err = assert_error(client.get("/api/stats"), 500, "internal_error")
    assert "secret" not in err["message"]  # no internals leak to the client


def test_store_failure_is_a_503(store: Store, monkeypatch: pytest.MonkeyPatch):
    from marsad.errors import MarsadError

    app = create_app(Settings(db=Path(store.path)), store=store)
    client = TestClient(app, raise_server_exceptions=False)

    def locked(**kw: Any) -> None:
        raise MarsadError("store_failed", "database is locked")

    monkeypatch.setattr(store, "events", locked)
    assert_error(client.get("/api/events"), 503, "store_failed")


# --- exports ------------------------------------------------------------------------------


def test_export_endpoints_follow_the_filters(client: TestClient):
    import csv
    import io
    import json

    resp = client.get("/api/export.csv", params={"type": "displacement"})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/csv")
    assert 'filename="marsad-events.csv"' in resp.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(resp.content.decode("utf-8-sig"))))
    assert len(rows) == 3 and {r["type"] for r in rows} == {"displacement"}
    assert {r["outlet"] for r in rows} == {"example-news.net", "yemen-daily.example.com"}

    resp = client.get("/api/export.geojson", params={"country": "SY"})
    assert resp.headers["content-type"].startswith("application/geo+json")
    data = json.loads(resp.content)
    assert [f["geometry"]["coordinates"] for f in data["features"]] == [[37.16, 36.2]]

    pq = pytest.importorskip("pyarrow.parquet")
    resp = client.get("/api/export.parquet", params={"q": "الموصل"})
    assert resp.status_code == 200 and resp.content[:4] == b"PAR1"
    table = pq.read_table(io.BytesIO(resp.content))
    assert table.num_rows == 5 and set(table.column("article_id").to_pylist()) == {"seed-mosul"}


def test_export_with_a_malformed_query_is_a_clean_400(client: TestClient):
    for fmt in ("csv", "geojson", "parquet"):
        assert_error(client.get(f"/api/export.{fmt}", params={"q": "***"}), 400, "bad_query")


def test_feed_status(tmp_path: Path):
    """GET /api/feeds: the status `marsad watch` keeps for each followed feed."""
    from marsad.errors import MarsadError
    from marsad.watch.feeds import FeedSpec
    from marsad.watch.state import finish_feed, sync_feeds

    feed = "http://127.0.0.1:9/feed.xml"
    with Store(tmp_path / "feeds.db") as st:
        empty = TestClient(create_app(Settings(db=tmp_path / "feeds.db"), store=st)).get("/api/feeds")
        assert empty.json() == {"items": [], "total": 0}
        sync_feeds(st, [FeedSpec(feed, outlet="المرصد اليوم", language="ar")])
        finish_feed(st, feed, polled="2016-10-20T08:00:00+00:00", next_poll="2016-10-20T08:15:00+00:00",
                    status="error", http_status=500, error=MarsadError("fetch_failed", "HTTP 500"))
        resp = TestClient(create_app(Settings(db=tmp_path / "feeds.db"), store=st)).get("/api/feeds")
    assert resp.status_code == 200
    body = resp.json()
    assert body["total"] == 1
    (item,) = body["items"]
    assert item["url"] == feed and item["outlet"] == "المرصد اليوم" and item["status"] == "error"
    assert item["error"] == {"code": "fetch_failed", "message": "HTTP 500"}
    assert item["last_poll"] == "2016-10-20T08:00:00+00:00"
