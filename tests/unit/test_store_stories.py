"""Stories in the store: syndicated copies share a story id as they are ingested."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from fastapi.testclient import TestClient
from tests.unit import syndication

from marsad.api.app import create_app
from marsad.documents import RawPage
from marsad.extract import extract_page
from marsad.settings import Settings
from marsad.store.sqlite import Store


def ingest_collection(store: Store) -> dict[str, str]:
    """Store a planted-copies collection; return each page's story key by article id."""
    truth: dict[str, str] = {}
    for page in syndication.build(n_stories=10, copies=2, n_same_topic=6, seed=3):
        article = extract_page(RawPage(page.html.encode(), "html", page.key, url=page.url))
        store.add(article)
        truth[article.id] = page.story
    return truth


def test_copies_share_a_story_and_distinct_stories_do_not(tmp_path: Path):
    with Store(tmp_path / "s.db") as store:
        truth = ingest_collection(store)
        found: dict[str, set[str]] = defaultdict(set)  # story id → true story keys
        by_key: dict[str, set[str]] = defaultdict(set)  # true key → story ids
        for aid, key in truth.items():
            sid = store.story_of(aid)
            assert sid is not None
            found[sid].add(key)
            by_key[key].add(sid)
        assert all(len(keys) == 1 for keys in found.values()), "a story merged distinct reports"
        split = [k for k, sids in by_key.items() if len(sids) > 1]
        assert not split, f"copies not found for {split}"
        assert len(found) == len(by_key) == 16  # 10 syndicated stories + 6 distinct ones on Iraq
        stories, total = store.stories(min_size=2)
        assert total == 10 and all(st["size"] == 3 for st in stories)
        # the earliest stored copy names the story, and is listed first
        for st in stories:
            assert st["sources"][0]["article_id"] == st["story_id"]


def test_verbatim_copy_from_another_url_is_a_source_not_a_second_article(tmp_path: Path):
    text = ("نزح آلاف المدنيين من أحياء حلب الشرقية خلال الأيام الثلاثة الماضية هرباً من القصف الجوي "
            "المتواصل، بحسب ما أفادت مصادر محلية، فيما قال مسؤول في الأمم المتحدة إن أكثر من 300 عائلة "
            "وصلت إلى مخيمات قرب الحدود التركية أمس.")
    with Store(tmp_path / "v.db") as store:
        first = extract_page(RawPage(text.encode(), "text", "a", url="https://one.example/a"))
        copy = extract_page(RawPage(text.encode(), "text", "b", url="https://two.example/b", id="other-id"))
        assert store.add(first) is True
        assert store.add(copy) is False  # the same text is stored once
        assert store.add(first) is False  # and re-ingesting the original changes nothing
        story = store.story(store.story_of(first.id))
        assert story is not None and story["size"] == 2
        assert [s["url"] for s in story["sources"]] == ["https://one.example/a", "https://two.example/b"]
        assert story["sources"][1]["verbatim"] is True
        assert store.count() == 1


def test_story_api(tmp_path: Path):
    db = tmp_path / "api.db"
    with Store(db) as store:
        ingest_collection(store)
        client = TestClient(create_app(Settings(db=db), store=store), raise_server_exceptions=False)
        page = client.get("/api/stories", params={"min_size": 2, "limit": 4})
        assert page.status_code == 200
        body = page.json()
        assert body["total"] == 10 and len(body["items"]) == 4
        first = body["items"][0]
        assert {"story_id", "title", "size", "sources", "first_published"} <= set(first)
        one = client.get(f"/api/stories/{first['story_id']}")
        assert one.status_code == 200 and one.json()["sources"] == first["sources"]
        missing = client.get("/api/stories/no-such-story")
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
        bad = client.get("/api/stories", params={"limit": -1})
        assert bad.status_code == 422 and "error" in bad.json()
        article = client.get(f"/api/articles/{first['story_id']}").json()
        assert article["story_id"] == first["story_id"]


def test_an_older_store_gets_its_stories_when_upgraded(tmp_path: Path, monkeypatch):
    import marsad.store.sqlite as store_module

    path = tmp_path / "v4.db"
    pages = [p for p in syndication.build(n_stories=3, copies=1, n_same_topic=2, seed=5)]
    monkeypatch.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS[:4])
    with Store(path) as old:
        assert old.schema_version == 4
        ids = {}
        for page in pages:
            article = extract_page(RawPage(page.html.encode(), "html", page.key, url=page.url))
            old.add(article)
            ids[article.id] = page.story
    monkeypatch.undo()
    with Store(path) as store:
        assert store.schema_version == 5
        groups: dict[str, set[str]] = defaultdict(set)
        for aid, key in ids.items():
            groups[key].add(store.story_of(aid))
        assert all(len(sids) == 1 for sids in groups.values())
        assert len({next(iter(s)) for s in groups.values()}) == len(groups) == 5
