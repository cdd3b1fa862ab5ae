"""``marsad run``: shards, Parquet output, completion markers, resuming, determinism, stories.

The collection is built from ANERcorp (see run_fixtures.py): WARC files with
planted syndicated copies, a JSONL file with a broken line, and HTML pages.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from tests.unit import run_fixtures
from tests.unit.run_fixtures import SETTINGS, events_pipeline, make_collection, snapshot

from marsad.documents import Article, Attribution, DateMention, Entity, Event, Place, Sentence, Span
from marsad.errors import MarsadError
from marsad.ingest import read_inputs
from marsad.runners import batch
from marsad.runners.batch import LocalExecutor, Shard, main, plan_shards, run_collection
from marsad.settings import Settings
from marsad.store.parquet import (
    ARTICLES,
    EVENTS,
    article_from_rows,
    article_row,
    event_rows,
    read_rows,
    write_table,
)

ROOT = Path(__file__).resolve().parents[2]


def run(inputs: list[str], out: Path, workers: int = 1, factory=events_pipeline, **kw) -> batch.RunReport:
    return run_collection(
        inputs, out, SETTINGS, executor=LocalExecutor(workers), factory=factory, progress=False, **kw
    )


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], dict[str, str]]:
    folder = tmp_path_factory.mktemp("collection")
    inputs, truth = make_collection(folder)
    return folder, inputs, truth


@pytest.fixture(scope="module")
def clean(collection, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, batch.RunReport]:
    """One uninterrupted run with one worker: the reference output."""
    _, inputs, _ = collection
    out = tmp_path_factory.mktemp("clean") / "out"
    return out, run(inputs, out)


def shard_ids(out: Path) -> list[str]:
    return sorted(p.name for p in (out / "_done").iterdir() if not p.name.startswith("_"))


# --- planning ------------------------------------------------------------------------------


def test_plan_one_shard_per_warc_and_jsonl_and_groups_of_pages(collection) -> None:
    _, inputs, _ = collection
    shards = plan_shards(inputs, files_per_shard=1)
    kinds = [s.kind for s in shards]
    assert kinds == ["warc"] * 4 + ["jsonl", "pages", "pages"]
    assert [len(s.paths) for s in shards] == [1, 1, 1, 1, 1, 1, 1]
    grouped = plan_shards(inputs)
    assert [s.kind for s in grouped] == ["warc"] * 4 + ["jsonl", "pages"]
    assert grouped[-1].paths == tuple(sorted(grouped[-1].paths))
    assert len({s.id for s in grouped}) == len(grouped)
    assert all(s.id.startswith(("crawl-", "feed-", "pages-a-")) for s in grouped)


def test_shard_ids_are_stable_across_moves_and_touch_but_follow_content(tmp_path: Path, collection) -> None:
    folder, _, _ = collection
    first = plan_shards([str(folder / "crawl")])
    moved = tmp_path / "elsewhere" / "crawl"
    shutil.copytree(folder / "crawl", moved)  # new mtimes, another absolute path
    os.utime(moved / "crawl-000.warc.gz", (1, 1))
    again = plan_shards([str(moved)])
    assert [s.id for s in again] == [s.id for s in first]
    (moved / "crawl-001.warc.gz").write_bytes((moved / "crawl-001.warc.gz").read_bytes() + b"\r\n")
    changed = plan_shards([str(moved)])
    assert changed[0].id == first[0].id and changed[1].id != first[1].id


def test_a_file_given_twice_is_one_shard(collection) -> None:
    folder, _, _ = collection
    warc = str(folder / "crawl" / "crawl-000.warc.gz")
    assert [s.paths for s in plan_shards([warc, str(folder / "crawl"), warc])][:2] == [
        (warc,), (str(folder / "crawl" / "crawl-001.warc.gz"),)]
    assert len(plan_shards([warc, str(folder / "crawl")])) == 4


def test_plan_refuses_stdin_missing_and_unknown_inputs(tmp_path: Path) -> None:
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    for inputs, code in ((["-"], "bad_usage"), ([str(tmp_path / "nope")], "not_found"),
                         ([str(tmp_path / "notes.pdf")], "unknown_kind")):
        with pytest.raises(MarsadError) as err:
            plan_shards(inputs)
        assert err.value.code == code
    (tmp_path / ".hidden.html").write_text("<p>x</p>")
    assert plan_shards([str(tmp_path)]) == []  # hidden and unknown files in folders are skipped


# --- one clean run -------------------------------------------------------------------------


def test_layout_markers_and_stats(clean, collection) -> None:
    out, report = clean
    shards = plan_shards(collection[1])
    assert report.shards == len(shards) == report.ran and report.done_before == 0
    for s in shards:
        for sub, suffix in (("articles", ".parquet"), ("events", ".parquet"), ("errors", ".jsonl"),
                            ("stats", ".json")):
            assert (out / sub / f"{s.id}{suffix}").is_file()
        marker = json.loads((out / "_done" / s.id).read_text())
        stats = json.loads((out / "stats" / f"{s.id}.json").read_text())
        assert marker["documents"] == stats["documents"] == marker["articles"] + marker["failed"]
        assert pq.read_metadata(out / "articles" / f"{s.id}.parquet").num_rows == marker["articles"]
        assert set(stats["stages"]) == set(events_pipeline(SETTINGS).names)
        assert stats["peak_rss_mb"] > 0
    assert (out / "_done" / "_stories").is_file()
    assert not list(out.rglob(".*.tmp-*"))
    # 28 pages in the WARC files, 4 JSONL lines (2 good), 2 HTML pages
    assert report.totals["documents"] == 34 and report.totals["articles"] == 32
    assert report.totals["failed"] == 2 and report.exit_code == 1
    assert report.totals["errors"] == {"bad_jsonl": 1, "empty_input": 1}
    table = report.format()
    assert "errors by code" in table and "bad_jsonl" in table and "events by type" in table


def test_failed_documents_are_kept_with_their_source(clean, collection) -> None:
    out, _ = clean
    (feed,) = [s for s in plan_shards(collection[1]) if s.kind == "jsonl"]
    lines = [json.loads(x) for x in (out / "errors" / f"{feed.id}.jsonl").read_text().splitlines()]
    assert [e["error"]["code"] for e in lines] == ["bad_jsonl", "empty_input"]
    assert all(e["source"].startswith(feed.paths[0] + ":") for e in lines)
    assert all(set(e) == {"id", "source", "error"} and set(e["error"]) == {"code", "message"} for e in lines)


def test_articles_round_trip_to_the_analysed_article(clean, collection) -> None:
    out, _ = clean
    _, inputs, _ = collection
    pipeline = events_pipeline(SETTINGS)
    analysed = pipeline.run(list(read_inputs(inputs)))
    expected = {a.source: a.to_dict() for a in analysed if isinstance(a, Article)}
    events = defaultdict(list)
    for path in sorted((out / "events").glob("*.parquet")):
        for row in read_rows(path):
            events[row["source"]].append(row)
    seen = 0
    for path in sorted((out / "articles").glob("*.parquet")):
        for row in read_rows(path):
            assert article_from_rows(row, events[row["source"]]).to_dict() == expected[row["source"]]
            seen += 1
    assert seen == len(expected) == 32
    assert sum(len(v) for v in events.values()) > 0


def test_copies_share_a_story_and_distinct_stories_do_not(clean, collection) -> None:
    out, _ = clean
    folder, _, truth = collection
    truth = dict(truth)
    by_source = {str(folder / "pages" / "a.html"): "s05", str(folder / "pages" / "b.html"): "s06"}
    story_of, planted = {}, {}
    for path in (out / "articles").glob("*.parquet"):
        for row in read_rows(path, ["source", "url", "story_id", "article_id"]):
            story_of[row["source"]] = row["story_id"]
            planted[row["source"]] = by_source.get(row["source"]) or truth[row["url"]]
    groups = defaultdict(set)
    for source, story in story_of.items():
        groups[planted[source]].add(story)
    assert all(len(ids) == 1 for ids in groups.values()), groups  # every copy found
    assert len({next(iter(ids)) for ids in groups.values()}) == len(groups)  # no false merge
    stories = pq.read_table(out / "stories" / "stories.parquet").to_pylist()
    assert len(stories) == len(groups) == 12
    s02 = next(s for s in stories if s["story_id"] == next(iter(groups["s02"])))
    assert s02["size"] == 4 and "https://feed.example/1" in s02["urls"]
    assert s02["members"][0]["source"] == s02["canonical_source"]
    assert s02["first_published"] == min(m["published"] for m in s02["members"])
    # the canonical is the earliest published copy: the feed copy is dated 2005-03-02, the pages later
    assert s02["members"][0]["url"] == "https://feed.example/1"


def test_events_carry_story_ids_and_a_storys_events_are_merged(clean) -> None:
    out, _ = clean
    art_story = {}
    for path in (out / "articles").glob("*.parquet"):
        art_story.update({r["source"]: r["story_id"] for r in read_rows(path, ["source", "story_id"])})
    per_story = defaultdict(list)
    for path in (out / "events").glob("*.parquet"):
        for row in read_rows(path):
            assert row["story_id"] == art_story[row["source"]]
            per_story[row["story_id"]].append(row)
    merged = pq.read_table(out / "stories" / "events.parquet").to_pylist()
    assert sum(m["n_sources"] for m in merged) == sum(len(v) for v in per_story.values())
    multi = [m for m in merged if m["n_sources"] > 1]
    assert multi, "copies of a story report the same events"
    for m in multi:
        assert len({s["source"] for s in m["sources"]}) == m["n_sources"]
        reported = [s["fatalities"] for s in m["sources"] if s["fatalities"] is not None]
        assert m["fatalities"] == (max(reported) if reported else None)
    # keys of a place beyond the struct's columns are kept in extra, not lost
    extras = [json.loads(m["extra"])["_place"] for m in merged if m["extra"] and "_place" in m["extra"]]
    assert {"geonames_id": 98182} in extras
    assert all(not set(e) & {"text", "lat", "lon", "country_code"} for e in extras)


# --- resuming and determinism --------------------------------------------------------------


def test_rerun_skips_finished_shards_and_changes_nothing(clean, tmp_path: Path, collection) -> None:
    src, _ = clean
    out = tmp_path / "out"
    shutil.copytree(src, out)
    before = snapshot(out)
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")}
    report = run(collection[1], out)
    assert report.ran == 0 and report.done_before == report.shards
    assert report.stories is not None and report.stories.skipped
    assert snapshot(out) == before
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")} == mtimes
    assert report.totals["articles"] == 32 and report.exit_code == 1


def test_two_workers_give_the_same_bytes(clean, tmp_path: Path, collection) -> None:
    ref, _ = clean
    out = tmp_path / "out"
    report = run(collection[1], out, workers=2)
    assert report.ran == report.shards
    assert snapshot(out) == snapshot(ref)


def test_killed_run_resumes_to_the_same_output(clean, tmp_path: Path, collection) -> None:
    ref, _ = clean
    _, inputs, _ = collection
    out = tmp_path / "out"
    script = (
        "import sys\n"
        "from marsad.runners.batch import LocalExecutor, run_collection\n"
        "from tests.unit.run_fixtures import SETTINGS, killing_pipeline\n"
        "run_collection(sys.argv[2:], sys.argv[1], SETTINGS, executor=LocalExecutor(1),\n"
        "               factory=killing_pipeline, progress=False)\n"
    )
    env = dict(os.environ, MARSAD_TEST_KILL_AT="crawl-002.warc.gz#6", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", script, str(out), *inputs], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == -9, proc.stderr[-2000:]
    done = shard_ids(out)
    assert len(done) == 2  # crawl-000 and crawl-001 finished; crawl-002 died at its sixth record
    killed = next(s for s in plan_shards(inputs) if s.paths[0].endswith("crawl-002.warc.gz"))
    assert killed.id not in done
    assert not (out / "articles" / f"{killed.id}.parquet").exists()  # only a hidden temporary file
    assert list((out / "articles").glob(".*.tmp-*"))
    report = run(inputs, out)
    assert report.done_before == 2 and report.ran == report.shards - 2
    assert not list(out.rglob(".*.tmp-*"))
    assert snapshot(out) == snapshot(ref)


def test_ctrl_c_mid_shard_leaves_nothing_that_looks_done(clean, tmp_path: Path, collection) -> None:
    ref, _ = clean
    _, inputs, _ = collection
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        run(inputs, out, factory=run_fixtures.interrupted_pipeline)
    stopped = next(s for s in plan_shards(inputs) if s.paths[0].endswith("crawl-002.warc.gz"))
    assert len(shard_ids(out)) == 2 and stopped.id not in shard_ids(out)
    assert not list(out.rglob(".*.tmp-*")) and not (out / "articles" / f"{stopped.id}.parquet").exists()
    assert not (out / "_done" / "_stories").exists()
    report = run(inputs, out)
    assert report.done_before == 2
    assert snapshot(out) == snapshot(ref)


def test_a_shard_whose_files_were_removed_is_redone(clean, tmp_path: Path, collection) -> None:
    ref, _ = clean
    out = tmp_path / "out"
    shutil.copytree(ref, out)
    victim = plan_shards(collection[1])[1]
    (out / "events" / f"{victim.id}.parquet").unlink()
    report = run(collection[1], out)
    assert report.ran == 1 and report.done_before == report.shards - 1
    assert snapshot(out) == snapshot(ref)


def test_stories_pass_interrupted_after_some_rewrites_resumes(clean, tmp_path: Path, collection) -> None:
    """A crash inside the stories pass: markers of every shard, some story ids set, no stories marker."""
    ref, _ = clean
    out = tmp_path / "out"
    shutil.copytree(ref, out)
    (out / "_done" / "_stories").unlink()
    shards = plan_shards(collection[1])
    # undo the story ids of half of the shards, as if the pass had died before rewriting them
    for s in shards[::2]:
        for sub, schema in (("articles", ARTICLES), ("events", EVENTS)):
            path = out / sub / f"{s.id}.parquet"
            rows = list(read_rows(path))
            for r in rows:
                r["story_id"] = r["article_id"]
            write_table(path, schema, rows)
    assert snapshot(out) != snapshot(ref)
    report = run(collection[1], out)
    assert report.ran == 0 and report.stories is not None and report.stories.rewritten > 0
    assert snapshot(out) == snapshot(ref)


# --- refusals ------------------------------------------------------------------------------


def test_other_options_or_other_inputs_are_refused(clean, tmp_path: Path, collection) -> None:
    src, _ = clean
    _, inputs, _ = collection
    out = tmp_path / "out"
    shutil.copytree(src, out)
    with pytest.raises(MarsadError, match="published") as err:
        run_collection(inputs, out, Settings(published="2010-01-01"), factory=events_pipeline, progress=False)
    assert err.value.code == "bad_usage"
    with pytest.raises(MarsadError, match="not among these inputs") as err:
        run(inputs[:1], out)
    assert err.value.code == "bad_usage"
    report = run(inputs[:1], out, prune=True)
    assert report.shards == 4 and report.ran == 0
    assert len(shard_ids(out)) == 4 and len(list((out / "articles").glob("*.parquet"))) == 4
    assert pq.read_metadata(out / "stories" / "stories.parquet").num_rows == 12


def test_a_folder_of_something_else_is_refused(tmp_path: Path, collection) -> None:
    out = tmp_path / "mine"
    (out / "articles").mkdir(parents=True)
    (out / "articles" / "thesis.parquet").write_bytes(b"PAR1")
    with pytest.raises(MarsadError, match="not empty") as err:
        run(collection[1], out)
    assert err.value.code == "bad_usage"
    assert (out / "articles" / "thesis.parquet").read_bytes() == b"PAR1"


def test_a_second_run_on_the_same_folder_is_refused(tmp_path: Path, collection) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with batch._locked(out), pytest.raises(MarsadError, match="another marsad run") as err:
        run(collection[1], out)
    assert err.value.code == "bad_usage"


# --- the command -----------------------------------------------------------------------------


def test_main_usage_and_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "--runner" in capsys.readouterr().out
    assert main([str(tmp_path)]) == 2  # no --output
    assert main(["-", "--output", str(tmp_path / "o")]) == 2
    assert main([str(tmp_path / "missing.warc"), "--output", str(tmp_path / "o")]) == 2
    assert main([str(tmp_path), "--output", str(tmp_path / "o"), "--runner", "spark"]) == 2
    assert main([str(tmp_path), "--output", str(tmp_path / "o")]) == 2  # no input files
    capsys.readouterr()
    good = tmp_path / "in" / "a.jsonl"
    good.parent.mkdir()
    text = "قال وزير الخارجية إن المحادثات ستستأنف الأسبوع المقبل في العاصمة الأردنية عمان."
    good.write_text(json.dumps({"id": "x", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main([str(good.parent), "--output", str(tmp_path / "o"), "--workers", "1", "--no-progress"]) == 0
    assert "1 documents in 1 shards" in capsys.readouterr().err
    with open(good, "a", encoding="utf-8") as f:
        f.write("not json\n")
    assert main([str(good.parent), "--output", str(tmp_path / "o2"), "--workers", "1", "--no-progress"]) == 1
    capsys.readouterr()
    report = run_collection([str(good.parent)], tmp_path / "o3", Settings(), progress=True)
    bar = capsys.readouterr().err
    assert "doc/s" in bar and "shards 1/1" in bar and report.exit_code == 1


def test_the_ray_runner_without_ray_is_bad_usage(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # as if the extra were not installed
    src = tmp_path / "a.jsonl"
    src.write_text('{"id": "x", "text": "خبر قصير عن الطقس في عمان اليوم."}\n', encoding="utf-8")
    assert main([str(src), "--output", str(tmp_path / "o"), "--runner", "ray", "--workers", "1"]) == 2
    assert "pip install 'marsad[ray]'" in capsys.readouterr().err
    assert "RAY_AUTH_TOKEN" not in os.environ


# --- the Parquet schema ----------------------------------------------------------------------


def test_every_article_field_survives_parquet(tmp_path: Path) -> None:
    text = "قال الناطق باسم الشرطة في بغداد إن انفجارا قتل ثلاثة أشخاص يوم 17 تشرين الأول 2016."

    def span(part: str) -> Span:
        start = text.index(part)
        return Span(part, start, start + len(part))

    a = Article(id="a1", text=text, url="https://x.example/1", title="انفجار في بغداد", author="مراسل",
                published="2016-10-18", language="ar", source="f.jsonl:1")
    a.page_stats.views = 1300
    city, when, claim = span("بغداد"), span("17 تشرين الأول 2016"), span("انفجارا قتل ثلاثة أشخاص")
    a.entities = [Entity(city.text, city.start, city.end, "LOC")]
    a.places = [Place(city.text, city.start, city.end, name="Baghdad", name_ar="بغداد", country_code="IQ",
                      lat=33.34, lon=44.4, feature="city", geonames_id=98182)]
    a.dates = [DateMention(when.text, when.start, when.end, "2016-10-17", "day")]
    a.attributions = [Attribution(source=span("الناطق باسم الشرطة"), cue=span("قال"),
                                  via=[span("الشرطة")], content=claim)]
    a.events = [Event("explosions_remote_violence", span("انفجارا"), Sentence(0, len(text)),
                      sub_type="remote_explosive", targets=[span("ثلاثة أشخاص")],
                      place={"text": "بغداد", "lat": 33.34, "lon": 44.4, "country_code": "IQ",
                             "start": city.start},
                      date={"value": "2016-10-17", "precision": "day"}, fatalities=3, confidence=0.9,
                      extra={"negated": False})]
    write_table(tmp_path / "a.parquet", ARTICLES,
                [article_row(a, story_id="s1", shard="x", content_hash="h", minhash=None)])
    write_table(tmp_path / "e.parquet", EVENTS, event_rows(a, story_id="s1", shard="x"))
    (row,) = read_rows(tmp_path / "a.parquet")
    events = list(read_rows(tmp_path / "e.parquet"))
    assert events[0]["place"] == {"text": "بغداد", "lat": 33.34, "lon": 44.4, "country_code": "IQ"}
    back = article_from_rows(row, events)
    assert back.to_dict() == a.to_dict() and back.source == "f.jsonl:1"
    assert pq.read_schema(tmp_path / "a.parquet").field("story_id").nullable is False


class RecordingExecutor(LocalExecutor):
    """The local executor, keeping the tasks it was given."""

    def __init__(self) -> None:
        super().__init__(1)
        self.tasks: list[batch.ShardTask] = []

    def run(self, tasks, progress):  # type: ignore[no-untyped-def]
        self.tasks += tasks
        yield from super().run(tasks, progress)


def test_tasks_are_picklable_and_carry_no_secret(tmp_path: Path) -> None:
    import pickle

    src = tmp_path / "a.jsonl"
    record = {"id": "x", "text": "خبر قصير عن الطقس في عمان اليوم."}
    src.write_text(json.dumps(record, ensure_ascii=False) + "\n")
    executor = RecordingExecutor()
    run_collection([str(src)], tmp_path / "out", Settings(api_token="s3cret"), executor=executor,
                   progress=False)
    (task,) = executor.tasks
    assert task.settings.api_token is None and "s3cret" not in repr(task)
    assert pickle.loads(pickle.dumps(task)) == task
    assert isinstance(task.shard, Shard) and task.shard.paths == (str(src),)
