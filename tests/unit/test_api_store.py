"""The store's read methods behind the API: iter_events, event_counts, articles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.unit.api_fixtures import build_store

from marsad.documents import Article, Event, Sentence, Span
from marsad.errors import MarsadError
from marsad.store import sqlite as store_module
from marsad.store.sqlite import Store, event_filter


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    s = build_store(tmp_path_factory.mktemp("store") / "s.db")
    yield s
    s.close()


FILTERS = [
    {},
    {"type": "displacement"},
    {"country": "iq"},
    {"since": "2016-10-17", "until": "2016-10-20"},
    {"bbox": (35.0, 10.0, 45.0, 37.0)},
    {"q": "الموصل"},
    {"q": "تعز", "type": "protests"},
]


@pytest.mark.parametrize("filters", FILTERS)
def test_iter_events_yields_what_events_finds(store: Store, filters: dict):
    paged = store.events(**filters, limit=1000)
    streamed = list(store.iter_events(**filters))
    assert len(streamed) == paged.total
    key = lambda e: (e["article_id"], e["trigger"]["start"], e["type"])  # noqa: E731
    assert sorted(map(key, streamed)) == sorted(map(key, paged.items))
    assert all({"article_id", "article_title", "url"} <= set(e) for e in streamed)


def test_iter_events_reads_in_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(store_module, "ITER_CHUNK", 3)
    text = "قصف على حلب. " * 10
    a = Article(id="many", text=text, title="قصف")
    a.events = [Event(type="explosions_remote_violence", trigger=Span("قصف", i * 13, i * 13 + 3),
                      sentence=Sentence(i * 13, i * 13 + 12)) for i in range(10)]
    with Store(tmp_path / "s.db") as s:
        s.add(a)
        starts = [e["trigger"]["start"] for e in s.iter_events()]
    assert starts == [i * 13 for i in range(10)]  # insertion order, none lost at chunk edges


def test_event_counts_by_day_and_precision(store: Store):
    days = store.event_counts("day")
    assert days == [("2016-10-14", "protests", 1), ("2016-10-16", "explosions_remote_violence", 1),
                    ("2016-10-17", "battles", 1), ("2016-10-17", "protests", 1),
                    ("2016-10-20", "displacement", 2)]
    assert dict(store.event_counts("precision")) == {"day": 6, "coarse": 2, "undated": 1}
    assert store.event_counts("day", country="SY") == [("2016-10-16", "explosions_remote_violence", 1)]
    assert dict(store.event_counts("precision", type="battles")) == {"day": 1, "coarse": 1}


def test_event_counts_by_place(store: Store):
    rows = store.event_counts("place")
    mosul = [r for r in rows if (r[0], r[1]) == (36.34, 43.13)]
    assert mosul == [(36.34, 43.13, "IQ", "الموصل", "battles", 1),
                     (36.34, 43.13, "IQ", "الموصل", "displacement", 2),
                     (36.34, 43.13, "IQ", "الموصل", "violence_against_civilians", 1)]
    assert rows[:3] == mosul  # the place with most events first
    top = store.event_counts("place", limit=1)
    assert {(r[0], r[1]) for r in top} == {(36.34, 43.13)}
    assert {r[3] for r in store.event_counts("place", country="YE")} == {"تعز", "الحديدة"}
    with pytest.raises(MarsadError) as err:
        store.event_counts("place", limit=0)
    assert err.value.code == "bad_query"
    with pytest.raises(MarsadError) as err:
        store.event_counts("week")
    assert err.value.code == "bad_query"


def test_articles_listing(store: Store):
    items, total = store.articles(limit=2)
    assert total == 5 and [a["id"] for a in items] == ["seed-mosul", "hostile-markup"]
    assert items[0]["events"] == 5 and items[0]["title"].startswith("فارون من الموصل")
    rest, _ = store.articles(limit=10, offset=2)
    assert [a["id"] for a in rest] == ["aleppo-strike", "yemen-report", "no-events"]
    assert rest[-1]["events"] == 0 and rest[-1]["published"] is None
    with pytest.raises(MarsadError):
        store.articles(limit=-1)


def test_event_filter_rejects_bad_values():
    assert event_filter() == ("", [])
    clause, params = event_filter(type="riots", country="ye")
    assert "e.type = ?" in clause and params == ["riots", "YE"]
    for kw, code in (({"since": "2016/2017"}, "bad_date"), ({"until": "soon"}, "bad_date"),
                     ({"bbox": (1, 2, 3)}, "bad_query"), ({"q": "***"}, "bad_query")):
        with pytest.raises(MarsadError) as err:
            event_filter(**kw)
        assert err.value.code == code


def test_article_ids_filter(store: Store):
    def types(**kw) -> list[str]:
        return sorted(e["type"] for e in store.iter_events(**kw))

    assert types(article_ids=["yemen-report"]) == ["displacement", "protests"]
    assert types(article_ids=[]) == []
    assert types(article_ids=["yemen-report", "aleppo-strike"], type="protests") == ["protests"]
    # a text query is run once into a list of articles, with the same result as the subquery
    clause, params = event_filter(q="الموصل")
    direct = store._query("SELECT count(*) FROM events e" + clause, params)[0][0]
    assert direct == store.events(q="الموصل").total == len(types(q="الموصل")) == 5


def test_a_box_page_walked_in_date_order_matches_the_sorted_page(store: Store):
    """Small pages of a box that holds most events are read in date order: same rows, same order."""
    box = (30.0, 10.0, 50.0, 40.0)
    everything = store.events(bbox=box, limit=1000).items  # sorted: 9 * 9 < 1000 * 9
    key = lambda e: (e["article_id"], e["trigger"]["start"])  # noqa: E731
    walked = [store.events(bbox=box, limit=1, offset=k).items[0] for k in range(len(everything))]
    assert [key(e) for e in walked] == [key(e) for e in everything]
    clause, _ = event_filter(bbox=box, date_order=True)
    assert "+e.lat" in clause and "+e.lon" in clause
    with_q = store.events(bbox=box, q="الموصل", limit=2)
    assert with_q.total == 5 and [key(e) for e in with_q.items] == [
        key(e) for e in store.events(q="الموصل", limit=1000).items[:2]]


def test_a_version_3_store_is_brought_up_to_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from tests.unit.api_fixtures import fixture_articles

    from marsad.store.sqlite import MIGRATIONS

    path = tmp_path / "v3.db"
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS[:3])
    with Store(path) as old:
        assert old.schema_version == 3
        old.add_many(fixture_articles())
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS)
    with Store(path) as s:
        assert s.schema_version == len(MIGRATIONS) >= 4
        indexes = {r[0] for r in s._query("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"articles_seq_id", "events_date", "events_lat_lon", "events_type_date"} <= indexes
        columns = [r[2] for r in s._query("PRAGMA index_info(events_lat_lon)")]
        assert columns[:3] == ["lat", "lon", "type"] and "place_text" in columns
        assert s.events(q="الموصل").total == 5  # the text filter reads through articles_seq_id
        assert s.event_counts("place", limit=1)[0][:4] == (36.34, 43.13, "IQ", "الموصل")
