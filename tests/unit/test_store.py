"""The SQLite store: schema, idempotent batched writes, round trips, event queries."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from marsad.documents import (
    Article,
    Attribution,
    DateMention,
    Entity,
    Event,
    PageStats,
    Place,
    Sentence,
    Span,
    content_id,
)
from marsad.errors import MarsadError
from marsad.store import sqlite as store_module
from marsad.store.sqlite import MIGRATIONS, Store, content_hash, date_range

SEED_SENTENCE = (
    "وفي داخل مخيم ديبكه الذي يؤوي النازحين من الموصل، يتم استجوابهم من قِبل مسؤول أمن كردي."
)


def span(text: str, part: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return Span(part, start, start + len(part))


def rich_article() -> Article:
    """An article with one of every annotation, offsets into its text."""
    text = (
        "قتل ثلاثة مدنيين وأصيب خمسة آخرون في قصف على الموصل يوم 17 أكتوبر 2016، "
        "وقال مسؤول كردي إن النازحين فروا إلى مخيم ديبكه."
    )
    mosul = span(text, "الموصل")
    trigger = span(text, "قصف")
    date = span(text, "17 أكتوبر 2016")
    art = Article(
        id=content_id(text),
        text=text,
        url="https://example.org/mosul",
        title="قصف على الموصل",
        author="مشرف",
        published="2016-10-20",
        language="ar",
        page_stats=PageStats(views=1300, comments=0, likes=None),
        source="tests/rich.txt",
    )
    art.entities = [Entity(mosul.text, mosul.start, mosul.end, "LOC")]
    art.places = [
        Place(mosul.text, mosul.start, mosul.end, name="Mosul", name_ar="الموصل", country_code="IQ",
              lat=36.335, lon=43.119, feature="city", geonames_id=99072)
    ]
    art.dates = [DateMention(date.text, date.start, date.end, "2016-10-17", "day")]
    art.attributions = [
        Attribution(source=span(text, "مسؤول كردي"), cue=span(text, "وقال"),
                    content=span(text, "النازحين فروا إلى مخيم ديبكه"))
    ]
    place = {"text": "الموصل", "lat": 36.335, "lon": 43.119, "country_code": "IQ"}
    art.events = [
        Event(type="explosions_remote_violence", sub_type="shelling_artillery_missile_attack",
              trigger=trigger, sentence=Sentence(0, text.index("،") + 1), targets=[span(text, "مدنيين")],
              place=place, date={"value": "2016-10-17", "precision": "day"}, fatalities=3, injured=5,
              confidence=0.8),
        Event(type="displacement", sub_type="flight", trigger=span(text, "فروا"),
              sentence=Sentence(text.index("وقال"), len(text)), place=place,
              destination={"text": "مخيم ديبكه", "lat": 36.2, "lon": 43.5, "country_code": "IQ"},
              date={"value": "2016-10", "precision": "month"}, confidence=0.6,
              extra={"displaced_unit": None}),
    ]
    return art


def plain(text: str, **kw) -> Article:
    return Article(id=kw.pop("id", content_id(text)), text=text, language=kw.pop("language", "ar"), **kw)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "marsad.db") as st:
        yield st


def rows(store: Store, sql: str) -> list[tuple]:
    return store._query(sql)


# --- schema -------------------------------------------------------------------


def test_pragmas_and_schema_version(tmp_path: Path):
    with Store(tmp_path / "a.db") as st:
        assert rows(st, "PRAGMA journal_mode") == [("wal",)]
        assert rows(st, "PRAGMA foreign_keys") == [(1,)]
        assert rows(st, "PRAGMA synchronous") == [(1,)]  # NORMAL
        assert rows(st, "PRAGMA busy_timeout")[0][0] >= 1000
        assert st.schema_version == len(MIGRATIONS) >= 1
        assert [v for v, _ in rows(st, "SELECT version, applied_at FROM schema_version")] == list(
            range(1, len(MIGRATIONS) + 1)
        )
        tables = {r[0] for r in rows(st, "SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")}
        assert {"articles", "entities", "places", "dates", "attributions", "events", "articles_fts"} <= tables
        assert {"events_type_date", "events_country_date", "events_lat_lon", "events_date"} <= tables


def test_migration_hook_upgrades_an_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "old.db"
    with Store(path) as st:
        st.add(plain(SEED_SENTENCE))
    step = lambda conn: conn.execute("ALTER TABLE articles ADD COLUMN reviewer_note TEXT")  # noqa: E731
    monkeypatch.setattr(store_module, "MIGRATIONS", [*MIGRATIONS, step])
    with pytest.raises(MarsadError) as err:
        Store(path, readonly=True)  # an outdated file cannot be upgraded read-only
    assert err.value.code == "store_failed"
    with Store(path) as st:
        assert st.schema_version == len(MIGRATIONS) + 1
        assert rows(st, "SELECT reviewer_note FROM articles") == [(None,)]
        assert st.count() == 1
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS)
    with pytest.raises(MarsadError) as err:  # a newer file than this code knows
        Store(path)
    assert err.value.code == "store_failed"


def test_a_failing_migration_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "old.db"
    Store(path).close()

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        conn.execute("THIS IS NOT SQL")

    monkeypatch.setattr(store_module, "MIGRATIONS", [*MIGRATIONS, broken])
    with pytest.raises(MarsadError):
        Store(path)
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS)
    with Store(path) as st:
        assert st.schema_version == len(MIGRATIONS)
        assert not rows(st, "SELECT name FROM sqlite_master WHERE name = 'half_done'")


def test_stores_opened_at_once_on_a_new_file(tmp_path: Path):
    path, errors = tmp_path / "race.db", []

    def open_and_write(k: int) -> None:
        try:
            with Store(path) as st:
                st.add(plain(f"خبر رقم {k} عن الموصل"))
        except Exception as e:  # noqa: BLE001 - collected for the assertion below
            errors.append(e)

    threads = [threading.Thread(target=open_and_write, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store(path) as st:
        assert st.count() == 4 and st.schema_version == len(MIGRATIONS)


def test_open_errors(tmp_path: Path):
    with pytest.raises(MarsadError) as err:
        Store(tmp_path / "missing.db", readonly=True)
    assert err.value.code == "not_found"
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database, just some bytes " * 100)
    with pytest.raises(MarsadError) as err:
        Store(junk)
    assert err.value.code == "store_failed"
    with pytest.raises(MarsadError) as err:
        Store(tmp_path / "no" / "such" / "dir" / "x.db")
    assert err.value.code == "store_failed"


# --- writes -------------------------------------------------------------------


def test_round_trip_keeps_every_field(store: Store):
    art = rich_article()
    assert store.add(art) is True
    back = store.get(art.id)
    assert back is not None
    assert back.to_dict() == art.to_dict()
    assert back.source == "tests/rich.txt"
    assert store.get("no-such-id") is None
    assert art.id in store and "no-such-id" not in store


def test_typed_columns(store: Store):
    art = rich_article()
    store.add(art)
    (row,) = rows(store, "SELECT content_hash, page_stats, language FROM articles")
    assert row == (content_hash(art.text), '{"views":1300,"comments":0,"likes":null}', "ar")
    events = rows(
        store,
        "SELECT type, country_code, lat, lon, date_start, date_end, fatalities, injured, confidence,"
        " trigger_text, trigger_start FROM events ORDER BY id",
    )
    t = art.events[0].trigger
    assert events[0] == ("explosions_remote_violence", "IQ", 36.335, 43.119, "2016-10-17", "2016-10-17",
                         3, 5, 0.8, "قصف", t.start)
    assert events[1][:6] == ("displacement", "IQ", 36.335, 43.119, "2016-10-01", "2016-10-31")
    assert rows(store, "SELECT label, start_char, end_char FROM entities") == [
        ("LOC", art.entities[0].start, art.entities[0].end)
    ]
    assert rows(store, "SELECT country_code, geonames_id FROM places") == [("IQ", 99072)]
    assert rows(store, "SELECT value, date_start, date_end FROM dates") == [("2016-10-17",) * 3]
    assert rows(store, "SELECT source_text, cue_text, via FROM attributions") == [("مسؤول كردي", "وقال", "[]")]


def test_storing_again_changes_nothing(store: Store):
    art = rich_article()
    assert store.add(art) is True
    before = rows(store, "SELECT seq, ingested_at FROM articles")
    assert store.add(art) is False
    same_text = rich_article()
    same_text.id = "another-id"  # same content hash
    assert store.add(same_text) is False
    same_id = plain("نص آخر تماماً", id=art.id)  # same id, other text
    assert store.add(same_id) is False
    assert rows(store, "SELECT seq, ingested_at FROM articles") == before
    assert store.stats()["events"] == 2  # annotations not written twice
    assert store.search("ديبكه").total == 1


def test_add_many_counts_and_batch_duplicates(store: Store):
    texts = [f"وفي اليوم {i} نزح سكان من الموصل إلى مخيم ديبكه" for i in range(5)]
    arts = [plain(t) for t in texts]
    assert store.add_many(arts + [arts[0]]) == (5, 1)
    assert store.add_many(arts[:2] + [plain("خبر جديد عن سنجار")]) == (1, 2)
    assert store.count() == 6


def test_a_failure_mid_batch_leaves_the_store_as_it_was(store: Store):
    store.add(rich_article())
    snapshot = {t: rows(store, f"SELECT * FROM {t}") for t in ("articles", "entities", "events", "places")}

    def batch() -> Iterator[Article]:
        yield plain("نزح سكان من سنجار أمس")
        yield plain("قصف مدفعي على تلعفر")
        raise RuntimeError("the reader broke")

    with pytest.raises(RuntimeError):
        store.add_many(batch())
    bad = plain("اشتباكات في تلعفر")
    bad.entities = [Entity(None, 0, 3, "LOC")]  # type: ignore[arg-type]  # a broken stage output
    with pytest.raises(MarsadError) as err:
        store.add_many([plain("مظاهرة في البصرة"), bad])
    assert err.value.code == "store_failed" and err.value.value == bad.id
    assert {t: rows(store, f"SELECT * FROM {t}") for t in snapshot} == snapshot
    for query in ("سنجار", "تلعفر", "البصرة"):
        assert store.search(query).total == 0  # nothing half-indexed
    assert store.add_many([plain("نزح سكان من سنجار أمس")]) == (1, 0)  # and the store still works


def test_read_only(tmp_path: Path):
    path = tmp_path / "ro.db"
    with Store(path) as st:
        st.add(rich_article())
    with Store(path, readonly=True) as ro:
        assert ro.count() == 1
        assert ro.search("الموصل").total == 1
        with pytest.raises(MarsadError) as err:
            ro.add(plain("خبر"))
        assert err.value.code == "store_failed"


def test_closed_store_raises_a_coded_error(tmp_path: Path):
    st = Store(tmp_path / "c.db")
    st.close()
    with pytest.raises(MarsadError) as err:
        st.count()
    assert err.value.code == "store_failed"
    with pytest.raises(MarsadError):
        st.add(plain("خبر"))


def test_cascade_delete(store: Store):
    art = rich_article()
    store.add(art)
    with store._lock:
        store._conn.execute("DELETE FROM articles WHERE id = ?", (art.id,))
    for table in ("entities", "places", "dates", "attributions", "events"):
        assert rows(store, f"SELECT count(*) FROM {table}") == [(0,)]


def test_concurrent_writers_share_one_store(store: Store):
    def write(k: int) -> None:
        store.add_many(plain(f"خبر رقم {k}-{i} عن الموصل") for i in range(20))

    threads = [threading.Thread(target=write, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.count() == 80
    assert store.search("الموصل", limit=5).total == 80


# --- reads --------------------------------------------------------------------


def test_iter_articles_in_insertion_order(store: Store, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(store_module, "ITER_CHUNK", 2)  # several chunks
    arts = [plain(f"الخبر {w}", id=k) for k, w in zip("zyxwv", ["الأول", "الثاني", "الثالث", "الرابع", "الخامس"],
                                                     strict=True)]
    store.add_many(arts)
    assert [a.id for a in store.iter_articles()] == list("zyxwv")
    assert [a.text for a in store.iter_articles()] == [a.text for a in arts]


def test_stats(store: Store):
    store.add(rich_article())
    store.add(plain("Breaking news from Mosul", language="en"))
    store.add(plain("خبر عاجل من سنجار"))
    stats = store.stats()
    assert stats == {
        "articles": 3,
        "by_language": {"ar": 2, "en": 1},
        "entities": 1,
        "places": 1,
        "dates": 1,
        "attributions": 1,
        "events": 2,
        "events_by_type": {"displacement": 1, "explosions_remote_violence": 1},
    }


def test_title_outranks_body(store: Store):
    in_body = plain("قال سكان إن القصف على سنجار استمر، وإن سنجار بلا كهرباء منذ أيام، ولا ماء في القرى.",
                    title="أخبار المحافظة")
    in_title = plain("قال سكان إن القصف على البلدة استمر، وإن البلدة بلا كهرباء منذ أيام، ولا ماء في القرى.",
                     title="سنجار تحت القصف")
    store.add_many([in_body, in_title])
    assert [h.id for h in store.search("سنجار").items] == [in_title.id, in_body.id]
    # the body hit shows its match; the title-only hit shows the start of its text
    hits = {h.id: h for h in store.search("سنجار").items}
    assert hits[in_title.id].highlights == [] and hits[in_title.id].snippet.startswith("قال سكان")
    assert [hits[in_body.id].snippet[s:e] for s, e in hits[in_body.id].highlights] == ["سنجار", "سنجار"]


def test_search_limits_are_checked(store: Store):
    store.add(plain(SEED_SENTENCE))
    for kw in ({"limit": -1}, {"offset": -5}, {"limit": 10_000}, {"limit": "5"}):
        with pytest.raises(MarsadError) as err:
            store.search("الموصل", **kw)
        assert err.value.code == "bad_query"
    assert store.search("الموصل", limit=0).items == []
    assert store.search("الموصل", limit=0).total == 1


def test_reindex(store: Store):
    store.add_many([plain(SEED_SENTENCE), plain("قصف على سنجار")])
    with store._lock:
        store._conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('delete-all')")
    assert store.search("الموصل").total == 0
    assert store.reindex() == 2
    assert store.search("الموصل").total == 1 and store.search("سنجار").total == 1


# --- events -------------------------------------------------------------------


def test_event_queries(store: Store):
    store.add(rich_article())
    syria = plain("غارة على الرقة أوقعت قتلى")
    syria.title = "غارة على الرقة"
    syria.events = [
        Event(type="explosions_remote_violence", sub_type="air_drone_strike", trigger=span(syria.text, "غارة"),
              sentence=Sentence(0, len(syria.text)),
              place={"text": "الرقة", "lat": 35.95, "lon": 39.01, "country_code": "sy"},
              date={"value": "2017-06", "precision": "month"}, fatalities=10, confidence=0.7),
        Event(type="battles", trigger=span(syria.text, "غارة"), sentence=Sentence(0, len(syria.text))),
    ]
    store.add(syria)

    def types(**kw) -> list[str]:
        result = store.events(**kw)
        assert result.total == len(result.items)
        return [e["type"] for e in result.items]

    assert len(types()) == 4
    assert types(type="displacement") == ["displacement"]
    assert sorted(types(country="iq")) == ["displacement", "explosions_remote_violence"]
    assert types(country="SY") == ["explosions_remote_violence"]
    assert types(since="2017") == ["explosions_remote_violence"]
    assert types(since="2016-10-18", until="2016-10-31") == ["displacement"]  # the month overlaps
    assert sorted(types(until="2016-10-17")) == ["displacement", "explosions_remote_violence"]
    assert types(bbox=(38.0, 35.0, 40.0, 37.0)) == ["explosions_remote_violence"]
    assert len(types(bbox=(30.0, 30.0, 50.0, 40.0))) == 3
    assert types(bbox=(170.0, 30.0, 40.0, 40.0)) == ["explosions_remote_violence"]  # crosses 180°
    assert sorted(types(q="الرقة")) == ["battles", "explosions_remote_violence"]
    assert types(q="الموصل", type="displacement") == ["displacement"]

    item = store.events(country="SY").items[0]
    assert item["article_id"] == syria.id and item["article_title"] == "غارة على الرقة" and item["url"] is None
    assert item["trigger"] == {"text": "غارة", "start": 0, "end": 4} and item["fatalities"] == 10
    ordered = store.events().items  # latest start first, undated last
    assert [e["date"]["value"] if e["date"] else None for e in ordered] == ["2017-06", "2016-10-17", "2016-10", None]
    page = store.events(limit=1, offset=1)
    assert page.total == 4 and page.items[0]["date"]["value"] == "2016-10-17"
    with pytest.raises(MarsadError) as err:
        store.events(since="last week")
    assert err.value.code == "bad_date"
    with pytest.raises(MarsadError) as err:
        store.events(bbox=("west", 1, 2, 3))  # type: ignore[arg-type]
    assert err.value.code == "bad_query"
    with pytest.raises(MarsadError) as err:
        store.events(q="؟؟")
    assert err.value.code == "bad_query"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016-10-17", ("2016-10-17", "2016-10-17")),
        ("2016-02", ("2016-02-01", "2016-02-29")),
        ("2015-02", ("2015-02-01", "2015-02-28")),
        ("2016", ("2016-01-01", "2016-12-31")),
        ("2005/2006", ("2005-01-01", "2006-12-31")),
        ("2016-10-01/2016-10-17", ("2016-10-01", "2016-10-17")),
        ("2016-W42", ("2016-10-17", "2016-10-23")),
        ("2016-W42-3", ("2016-10-19", "2016-10-19")),
        ("2016-22", ("2016-06-01", "2016-08-31")),
        ("2016-24", ("2016-12-01", "2017-02-28")),
        ("2016-13", None),
        ("2015-02-29", None),
        ("2006/2005", None),
        ("last year", None),
        ("", None),
        (None, None),
    ],
)
def test_date_range(value, expected):
    assert date_range(value) == expected
