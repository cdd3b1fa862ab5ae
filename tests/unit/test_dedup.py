"""Content hashes, MinHash signatures, stories and merged events, on real Arabic news text.

The planted-copies collection (tests/unit/syndication.py) holds 40 ANERcorp
wire stories, 120 copies of them as other outlets publish them (other page
chrome and headlines, a sentence replaced, paragraphs reordered, the last
paragraph cut, a dateline added, words changed, diacritics and Eastern
Arabic digits) and 12 distinct stories about Iraq that share names and topic
words.  Every page goes through the real extractor first.
"""

from __future__ import annotations

import random
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from tests.unit.syndication import build

from marsad.dedup.fingerprint import (
    MIN_SHINGLES,
    content_hash,
    dedup_form,
    fingerprint,
    shingles,
    signature_jaccard,
)
from marsad.dedup.stories import Member, StoryIndex, event_key, merge_events, stories_of
from marsad.documents import RawPage
from marsad.extract import extract_page

ROOT = Path(__file__).resolve().parents[2]

# ANERcorp train, detokenised (CC BY-SA 4.0)
LEAD = (
    "أعلن اتحاد صناعة السيارات في ألمانيا امس الاول أن شركات صناعة السيارات في ألمانيا تواجه عاما "
    "صعبا في ظل ركود السوق الداخلية والصادرات وهي تسعي لان يبلغ الانتاج حوالي خمسة ملايين سيارة في "
    "عام 2002."
)


@pytest.fixture(scope="module")
def planted() -> tuple[list, list[Member]]:
    pages = build()
    members = []
    for p in pages:
        article = extract_page(RawPage(p.html.encode("utf-8"), "html", p.key, url=p.url))
        fp = fingerprint(article.text)
        members.append(Member(p.key, article.id, article.published, fp.content_hash, fp.signature))
    return pages, members


# --- fingerprints --------------------------------------------------------------------------


def test_dedup_form_folds_marks_punctuation_spacing_and_digits() -> None:
    marked = LEAD.replace("عاما", "عاماً").replace("2002", "٢٠٠٢").replace(" في ", "  في\n", 2)
    marked = marked.replace("أعلن", "أعـلن").rstrip(".") + "!"
    assert dedup_form(marked) == dedup_form(LEAD)
    assert content_hash(marked) == content_hash(LEAD)
    assert content_hash(LEAD.replace("خمسة", "ستة")) != content_hash(LEAD)
    assert dedup_form("«الموصل»، (العراق).") == "الموصل العراق"


def test_shingles_are_character_five_grams() -> None:
    assert shingles("بغداد اليوم") == {"بغداد", "غداد ", "داد ا", "اد ال", "د الي", " اليو", "اليوم"}
    assert shingles("عمان") == {"عمان"} and shingles("") == set()


def test_short_texts_get_no_signature_but_a_hash() -> None:
    short = fingerprint("خبر عاجل من عمان")
    assert short.signature is None and short.content_hash == content_hash("خبر عاجل من عمان")
    full = fingerprint(LEAD)
    assert len(shingles(dedup_form(LEAD))) >= MIN_SHINGLES
    assert full.signature is not None and len(full.signature) == 512


def test_signatures_are_the_same_in_another_process() -> None:
    """Python's str hash changes per process; the signature must not."""
    code = (
        "import sys; from marsad.dedup.fingerprint import fingerprint; "
        "sys.stdout.write(fingerprint(sys.stdin.read()).signature.hex())"
    )
    out = subprocess.run([sys.executable, "-c", code], input=LEAD, capture_output=True, text=True,
                         env={"PYTHONHASHSEED": "12345", "PATH": ""}, check=True, cwd=ROOT).stdout
    assert bytes.fromhex(out) == fingerprint(LEAD).signature


def test_signature_jaccard_estimates_the_true_jaccard(planted) -> None:
    pages, _ = planted
    texts = {p.key: extract_page(RawPage(p.html.encode(), "html", p.key)).text for p in pages[:60]}
    keys = sorted(texts)
    rng = random.Random(1)
    pairs = [tuple(rng.sample(keys, 2)) for _ in range(30)] + [("s00", "s00-c1"), ("s01", "s01-c2")]
    for a, b in pairs:
        sa, sb = shingles(dedup_form(texts[a])), shingles(dedup_form(texts[b]))
        true = len(sa & sb) / len(sa | sb)
        est = signature_jaccard(fingerprint(texts[a]).signature, fingerprint(texts[b]).signature)
        assert abs(est - true) < 0.15, (a, b, true, est)


# --- stories -------------------------------------------------------------------------------


def test_planted_copies_are_found_without_false_merges(planted) -> None:
    pages, members = planted
    truth = {p.key: p.story for p in pages}
    stories = stories_of(members)
    story_of = {m.key: s.story_id for s in stories for m in s.members}
    copies = [p for p in pages if p.edits]
    found = sum(story_of[p.key] == story_of[p.story] for p in copies)
    assert len(copies) == 120
    assert found / len(copies) >= 0.95, f"found {found} of {len(copies)} planted copies"
    for s in stories:
        assert len({truth[m.key] for m in s.members}) == 1, f"false merge: {[m.key for m in s.members]}"
    iraq = {story_of[p.key] for p in pages if p.key.startswith("iraq")}
    assert len(iraq) == 12  # same topic, same names: still twelve stories
    # every kind of edit is caught
    by_edit: dict[str, list[bool]] = defaultdict(list)
    for p in copies:
        for edit in p.edits:
            by_edit[edit].append(story_of[p.key] == story_of[p.story])
    assert set(by_edit) == {"chrome", "title", "sentence", "reorder", "cut", "dateline", "words", "marks",
                            "scattered"}
    assert all(sum(v) / len(v) >= 0.9 for v in by_edit.values()), {k: sum(v) for k, v in by_edit.items()}


def test_character_shingles_hold_up_where_word_shingles_do_not(planted) -> None:
    """Why character 5-grams: one replaced word in 25 leaves copies far less alike in word 5-grams."""
    pages, _ = planted
    scattered = [p for p in pages if "scattered" in p.edits]
    texts = {p.key: extract_page(RawPage(p.html.encode(), "html", p.key)).text
             for p in pages if p.key in {q.key for q in scattered} | {q.story for q in scattered}}

    def words5(text: str) -> set[tuple[str, ...]]:
        w = dedup_form(text).split()
        return {tuple(w[i:i + 5]) for i in range(len(w) - 4)}

    def jaccard(a: set, b: set) -> float:
        return len(a & b) / len(a | b)

    assert len(scattered) >= 10
    char = [jaccard(shingles(dedup_form(texts[p.key])), shingles(dedup_form(texts[p.story])))
            for p in scattered]
    word = [jaccard(words5(texts[p.key]), words5(texts[p.story])) for p in scattered]
    assert all(c > w + 0.1 for c, w in zip(char, word, strict=True)), list(zip(char, word, strict=True))
    assert min(char) >= 0.8 > min(word)


def test_stories_do_not_depend_on_the_order_members_come_in(planted) -> None:
    _, members = planted
    first = {m.key: s.story_id for s in stories_of(members) for m in s.members}
    shuffled = list(members)
    random.Random(5).shuffle(shuffled)
    assert {m.key: s.story_id for s in stories_of(shuffled) for m in s.members} == first


def test_canonical_is_the_earliest_published_and_undated_come_last() -> None:
    sig = fingerprint(LEAD)
    members = [
        Member("c", "id-c", None, sig.content_hash, sig.signature),
        Member("b", "id-b", "2005-03-04", sig.content_hash, sig.signature),
        Member("a", "id-a", "2005-03-02", "other", fingerprint(LEAD + " وقال مسؤول إن الوضع صعب.").signature),
    ]
    (story,) = stories_of(members)
    assert story.story_id == "id-a" and [m.key for m in story.members] == ["a", "b", "c"]
    assert story.similarity["b"] == story.similarity["c"] < 1.0


def test_two_stories_never_share_an_id_even_when_inputs_reuse_ids() -> None:
    one, two = fingerprint(LEAD), fingerprint("عاجل: انفجار في بغداد")
    stories = stories_of([Member("f1:1", "1", None, one.content_hash, one.signature),
                          Member("f2:1", "1", None, two.content_hash, two.signature)])
    assert [s.story_id for s in stories] == ["1", f"1~{two.content_hash[:8]}"]


def test_short_texts_only_join_exact_copies() -> None:
    one = Member("x", "x", None, content_hash("عاجل: انفجار في بغداد"), None)
    two = Member("y", "y", None, content_hash("عاجل: انفجار في بغداد!"), None)
    three = Member("z", "z", None, content_hash("عاجل: انفجار في البصرة"), None)
    stories = stories_of([one, two, three])
    assert [[m.key for m in s.members] for s in stories] == [["x", "y"], ["z"]]


def test_story_index_refuses_bad_input() -> None:
    index = StoryIndex()
    index.add(Member("x", "x", None, "h", None))
    with pytest.raises(ValueError, match="duplicate"):
        index.add(Member("x", "x2", None, "h2", None))
    with pytest.raises(ValueError, match="signature"):
        index.add(Member("y", "y", None, "h3", b"\0" * 12))
    with pytest.raises(ValueError, match="threshold"):
        StoryIndex(threshold=0.0)


# --- merged events -------------------------------------------------------------------------

BAGHDAD = {"text": "بغداد", "lat": 33.3406, "lon": 44.4009, "country_code": "IQ"}


def _event(source: str, index: int, kind: str = "battles", place=BAGHDAD, fatalities=None) -> dict:
    return {
        "article_id": f"id-{source}", "source": source, "url": f"https://x.example/{source}",
        "published": "2005-03-02", "event_index": index, "story_id": "s", "shard": "sh",
        "type": kind, "sub_type": None, "trigger": {"text": "اشتباكات", "start": 0, "end": 8},
        "sentence": {"start": 0, "end": 40}, "actors": [], "targets": [], "place": place,
        "destination": None, "date": {"value": "2005-03-01", "precision": "day"},
        "fatalities": fatalities, "injured": None, "displaced": None, "arrested": None,
        "confidence": 0.5 + index / 10, "extra": None,
    }


def test_reports_of_one_event_in_copies_merge_keeping_every_source() -> None:
    events = [
        _event("a", 0, fatalities=3),
        _event("a", 1, kind="protests", place=None),
        _event("b", 0, place={**BAGHDAD, "text": "العاصمة بغداد"}, fatalities=5),  # same coordinates
        _event("c", 0, place={"text": "بغداد", "lat": None, "lon": None, "country_code": None}),
    ]
    merged = merge_events("s", events)
    assert [(m["type"], m["n_sources"]) for m in merged] == [("battles", 2), ("protests", 1), ("battles", 1)]
    battle = merged[0]
    assert [s["source"] for s in battle["sources"]] == ["a", "b"]
    assert battle["fatalities"] == 5 and battle["place"] == BAGHDAD  # the first report's fields
    assert [s["fatalities"] for s in battle["sources"]] == [3, 5]
    assert len({m["event_id"] for m in merged}) == 3
    assert merge_events("s", events)[0]["event_id"] == battle["event_id"]


def test_two_like_events_of_one_article_stay_two() -> None:
    events = [_event("a", 0), _event("a", 1), _event("b", 0)]
    merged = merge_events("s", events)
    assert [m["n_sources"] for m in merged] == [2, 1]
    assert [(s["source"], s["event_index"]) for s in merged[0]["sources"]] == [("a", 0), ("b", 0)]


def test_event_key_uses_coordinates_else_the_place_name() -> None:
    near = _event("a", 0, place={**BAGHDAD, "lat": 33.3441})
    assert event_key(near) == event_key(_event("b", 0))
    named = _event("a", 0, place={"text": "الموصل"})
    assert event_key(named) == event_key(_event("b", 0, place={"text": "الموصل،"}))
    assert event_key(_event("a", 0, place=None))[2] is None
