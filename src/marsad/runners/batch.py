"""``marsad run``: a collection of files → Parquet shards, resumable, then stories.

The inputs are cut into *shards*: one shard per WARC or JSONL file, and
groups of up to ``--files-per-shard`` HTML/TXT files of one folder.  A shard
id is a readable name plus a hash of each file's name (relative to the input
folder it was found in), size, and first and last 64 KiB, so the same files
map to the same shards on every run, wherever the collection is mounted and
whatever the files' times.

Every shard is analysed by the same pipeline as ``marsad analyze`` (built by
:func:`marsad.pipeline.build.build_pipeline`), on a pool of local processes
or on Ray (:mod:`marsad.runners.ray`), and leaves, under the output folder::

    articles/<shard>.parquet   one row per article     (schema: marsad.store.parquet)
    events/<shard>.parquet     one row per event
    errors/<shard>.jsonl       one contract error object per failed document, with its source
    stats/<shard>.json         documents, errors by code, drops by reason, events by type,
                               per-stage counts and timings, peak memory of the worker
    _done/<shard>              completion marker, written last

Each file is written under a temporary name and renamed into place, and the
marker comes last, so a crash or Ctrl-C mid-shard leaves nothing that looks
done: a re-run skips the shards with a marker and redoes the others.

When every shard is done, the *stories* pass groups syndicated copies across
all shards (:mod:`marsad.dedup.stories`) from the content hashes and MinHash
signatures stored in the articles tables, writes ``stories/stories.parquet``
and ``stories/events.parquet`` (the events of a story's copies merged), and
sets ``story_id`` in the articles and events shards (rewriting, atomically,
only the shards whose story ids change).  Its marker ``_done/_stories``
records what it was computed from, so a finished run is not redone.

The output depends only on the inputs and the options: the same collection
gives byte-identical Parquet files whatever the runner, the number of
workers, or how often the run was interrupted.  ``_job.json`` records the
options that shape the output; a re-run with different ones is refused.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import hashlib
import json
import os
import re
import resource
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

from marsad.dedup.stories import DEFAULT_THRESHOLD
from marsad.documents import RawPage, ReadError
from marsad.errors import MarsadError
from marsad.pipeline.base import Failure, Pipeline, RunStats, StageStats
from marsad.settings import Settings

__all__ = [
    "FILES_PER_SHARD",
    "LocalExecutor",
    "RunReport",
    "Shard",
    "ShardTask",
    "main",
    "plan_shards",
    "process_shard",
    "run_collection",
    "run_shard",
]

FILES_PER_SHARD = 200
SAMPLE = 64 * 1024  # bytes hashed from each end of a file for its shard id
JOB_FORMAT = 1
STORIES_MARKER = "_stories"
EXIT_OK, EXIT_DOC_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

PipelineFactory = Callable[[Settings], Pipeline]
Progress = Callable[[int], None]


# --- shards ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shard:
    """A unit of work: one WARC/JSONL file, or a group of HTML/TXT files of one folder."""

    id: str
    kind: str  # "warc", "jsonl" or "pages"
    paths: tuple[str, ...]  # as the user gave them (or found in the folders given)


def _slug(name: str) -> str:
    for suffix in (".warc.gz", ".jsonl.gz", ".warc", ".jsonl", ".html", ".htm", ".txt"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._-")[:40] or "input"


def _file_digest(path: str, name: str, h: Any) -> None:
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            head = f.read(SAMPLE)
            tail = b""
            if size > SAMPLE:
                f.seek(max(SAMPLE, size - SAMPLE))
                tail = f.read(SAMPLE)
    except OSError as exc:
        raise MarsadError("unreadable", f"{path}: {exc.strerror or exc}", path) from None
    h.update(f"{name}\0{size}\0".encode())
    h.update(hashlib.sha256(head + b"\0" + tail).digest())


def _shard_id(kind: str, files: Sequence[tuple[str, str]]) -> str:
    h = hashlib.sha256(f"{kind}\0".encode())
    for path, name in files:
        _file_digest(path, name, h)
    stem = _slug(os.path.basename(files[0][0]))
    return f"{'pages-' if kind == 'pages' else ''}{stem}-{h.hexdigest()[:12]}"


def _walk(root: str, folder: str, seen: set[str], out: list[tuple[str, str, str]]) -> None:
    from marsad.ingest.inputs import kind_of

    real = os.path.realpath(folder)
    if real in seen:
        return
    seen.add(real)
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        raise MarsadError("unreadable", f"{folder}: {exc.strerror or exc}", folder) from None
    for name in names:
        if name.startswith("."):
            continue
        path = os.path.join(folder, name)
        if os.path.isdir(path):
            _walk(root, path, seen, out)
            continue
        kind = kind_of(name)
        if kind is not None:
            out.append((path, os.path.relpath(path, root), kind))


def plan_shards(inputs: Sequence[str], *, files_per_shard: int = FILES_PER_SHARD) -> list[Shard]:
    """The shards of a collection, in input order (folders in sorted order, as ``analyze`` reads them).

    Raises ``bad_usage`` for standard input, ``not_found`` for a missing
    path and ``unknown_kind`` for a file with an unknown suffix.
    """
    from marsad.ingest.inputs import kind_of

    if files_per_shard < 1:
        raise MarsadError("bad_usage", f"--files-per-shard must be at least 1, not {files_per_shard}")
    found: list[tuple[str, str, str]] = []  # path, name for the id, kind
    for given in inputs:
        if given == "-":
            raise MarsadError("bad_usage", "marsad run reads files, not standard input (use marsad analyze)")
        if os.path.isdir(given):
            _walk(given, given, set(), found)
        elif not os.path.exists(given):
            raise MarsadError("not_found", f"no such file or folder: {given}", given)
        elif (kind := kind_of(given)) is None:
            raise MarsadError(
                "unknown_kind", f"{given}: unknown suffix (expected .txt, .html, .warc, .jsonl)", given
            )
        else:
            found.append((given, os.path.basename(given), kind))
    files, seen = [], set()
    for item in found:  # a file met twice (given twice, or inside two folders given) is read once
        real = os.path.realpath(item[0])
        if real not in seen:
            seen.add(real)
            files.append(item)
    shards: list[Shard] = []
    group: list[tuple[str, str]] = []

    def close_group() -> None:
        if group:
            shards.append(Shard(_shard_id("pages", group), "pages", tuple(p for p, _ in group)))
            group.clear()

    for path, name, kind in files:
        if kind in ("warc", "jsonl"):
            close_group()
            shards.append(Shard(_shard_id(kind, [(path, name)]), kind, (path,)))
            continue
        if group and (len(group) >= files_per_shard or os.path.dirname(group[0][0]) != os.path.dirname(path)):
            close_group()
        group.append((path, name))
    close_group()
    # twin files (same name and content) under two input folders: keep ids unique
    counts: Counter[str] = Counter()
    unique = []
    for s in shards:
        counts[s.id] += 1
        unique.append(s if counts[s.id] == 1 else dataclasses.replace(s, id=f"{s.id}-{counts[s.id]}"))
    return unique


# --- one shard -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShardTask:
    """Everything a worker needs to process one shard, on this machine or another."""

    shard: Shard
    output: str  # absolute path of the output folder
    settings: Settings
    factory: PipelineFactory | None = None  # None: marsad.pipeline.build.build_pipeline
    cwd: str | None = None  # the driver's working directory, for relative input paths


@dataclass(frozen=True)
class Layout:
    """Where a shard's files go."""

    articles: Path
    events: Path
    errors: Path
    stats: Path
    marker: Path

    def done(self) -> bool:
        """The shard is finished: its marker and all its files are there."""
        return all(p.exists() for p in (self.marker, self.articles, self.events, self.errors, self.stats))

    @classmethod
    def of(cls, output: Path, shard_id: str) -> Layout:
        return cls(
            output / "articles" / f"{shard_id}.parquet",
            output / "events" / f"{shard_id}.parquet",
            output / "errors" / f"{shard_id}.jsonl",
            output / "stats" / f"{shard_id}.json",
            output / "_done" / shard_id,
        )


SUBDIRS = ("articles", "events", "errors", "stats", "_done", "stories")
SHARD_FILES = {
    "articles": ".parquet", "events": ".parquet", "errors": ".jsonl", "stats": ".json", "_done": "",
}


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _batches(items: Iterable[RawPage | ReadError], size: int) -> Iterator[list[RawPage | ReadError]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def process_shard(
    shard: Shard, output: Path, pipeline: Pipeline, settings: Settings, progress: Progress | None = None
) -> dict[str, Any]:
    """Analyse one shard and write its files, the completion marker last; return its stats."""
    from marsad.dedup.fingerprint import fingerprint
    from marsad.ingest.inputs import ReadStats, read_inputs
    from marsad.store.parquet import ARTICLES, EVENTS, TableWriter, article_row, event_rows

    t0, cpu0 = time.perf_counter(), time.process_time()
    where = Layout.of(output, shard.id)
    read_stats = ReadStats()
    pipeline.stats = RunStats()
    documents = articles = 0
    errors: Counter[str] = Counter()
    events: Counter[str] = Counter()
    err_tmp = where.errors.with_name(f".{where.errors.name}.tmp-{os.getpid()}")
    writers = [TableWriter(where.articles, ARTICLES), TableWriter(where.events, EVENTS)]
    art_w, ev_w = writers
    try:
        with open(err_tmp, "w", encoding="utf-8") as err_f:
            items = read_inputs(shard.paths, max_bytes=settings.max_bytes, stats=read_stats)
            for batch in _batches(items, settings.batch_size):
                for res in pipeline.run(batch):
                    documents += 1
                    if isinstance(res, Failure):
                        errors[res.error.code] += 1
                        record = {"id": res.id, "source": res.source, "error": res.error.to_dict()}
                        err_f.write(json.dumps(record, ensure_ascii=False) + "\n")
                        continue
                    articles += 1
                    fp = fingerprint(res.text)
                    art_w.write(
                        article_row(
                            res, story_id=res.id, shard=shard.id,
                            content_hash=fp.content_hash, minhash=fp.signature,
                        )
                    )
                    ev_w.write_many(event_rows(res, story_id=res.id, shard=shard.id))
                    events.update(e.type for e in res.events)
                if progress is not None:
                    progress(len(batch))
        for w in writers:
            w.commit()
        os.replace(err_tmp, where.errors)
    except BaseException:
        for w in writers:
            with contextlib.suppress(Exception):
                w.abort()
        err_tmp.unlink(missing_ok=True)
        raise
    summary = {
        "shard": shard.id,
        "kind": shard.kind,
        "inputs": list(shard.paths),
        "documents": documents,
        "articles": articles,
        "failed": documents - articles,
        "events": sum(events.values()),
    }
    stats = {
        **summary,
        "errors": dict(sorted(errors.items())),
        "events_by_type": dict(sorted(events.items())),
        "read": read_stats.to_dict(),
        "stages": pipeline.stats.to_dict(),
        "seconds": round(time.perf_counter() - t0, 3),
        "cpu_seconds": round(time.process_time() - cpu0, 3),
        "peak_rss_mb": _peak_rss_mb(),
    }
    _write_atomic(where.stats, _json(stats))
    _write_atomic(where.marker, _json(summary))  # last: the shard is done
    return stats


_PIPELINES: dict[Any, Pipeline] = {}


def pipeline_for(settings: Settings, factory: PipelineFactory | None = None) -> Pipeline:
    """The pipeline of this process for these settings, built once."""
    key = (factory, settings)
    if key not in _PIPELINES:
        if factory is None:
            from marsad.pipeline.build import build_pipeline

            factory = build_pipeline
        _PIPELINES.clear()
        _PIPELINES[key] = factory(settings)
    return _PIPELINES[key]


def run_shard(task: ShardTask, progress: Progress | None = None) -> dict[str, Any]:
    """Process a task in this process (the entry point of every runner)."""
    pipeline = pipeline_for(task.settings, task.factory)
    return process_shard(task.shard, Path(task.output), pipeline, task.settings, progress)


# --- executors -------------------------------------------------------------------------------

Outcome = tuple[ShardTask, "dict[str, Any] | BaseException"]


class Executor(Protocol):
    """Runs shard tasks somewhere and yields each task with its stats or its exception."""

    workers: int

    def run(self, tasks: Sequence[ShardTask], progress: Progress) -> Iterator[Outcome]: ...

    def close(self) -> None: ...


_progress_queue: Any = None


def _init_worker(queue: Any) -> None:
    global _progress_queue
    _progress_queue = queue
    # Ctrl-C is the driver's to handle: it stops the workers itself
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _report(n: int) -> None:
    if _progress_queue is not None:
        _progress_queue.put(n)


def _pool_task(task: ShardTask) -> dict[str, Any]:
    return run_shard(task, _report)


def _drain(queue: Any, progress: Progress) -> None:
    import queue as queue_mod

    while True:
        try:
            progress(queue.get_nowait())
        except queue_mod.Empty:
            return


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: queued tasks are cancelled, running ones killed (their shards stay undone)."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14+
    if terminate is not None:
        terminate()
        return
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            proc.terminate()


class LocalExecutor:
    """Shards on this machine: in this process for one worker, else on a pool of processes."""

    def __init__(self, workers: int = 1) -> None:
        if workers < 1:
            raise MarsadError("bad_usage", f"workers must be at least 1, not {workers}")
        self.workers = workers

    def run(self, tasks: Sequence[ShardTask], progress: Progress) -> Iterator[Outcome]:
        if self.workers == 1 or len(tasks) <= 1:
            for task in tasks:
                try:
                    result: dict[str, Any] | BaseException = run_shard(task, progress)
                except Exception as exc:  # the shard stays undone; the others go on
                    result = exc
                yield task, result
            return
        import multiprocessing as mp

        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        if ctx.get_start_method() == "fork":
            # load the models once, here: the forked workers inherit them
            pipeline_for(tasks[0].settings, tasks[0].factory).warm()
        queue = ctx.Queue()
        pool = ProcessPoolExecutor(
            max_workers=min(self.workers, len(tasks)), mp_context=ctx,
            initializer=_init_worker, initargs=(queue,),
        )
        try:
            futures: dict[Future[dict[str, Any]], ShardTask] = {pool.submit(_pool_task, t): t for t in tasks}
            pending = set(futures)
            while pending:
                done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                _drain(queue, progress)
                for fut in done:
                    error = fut.exception()
                    yield futures[fut], error if error is not None else fut.result()
            _drain(queue, progress)
        except BaseException:
            _stop(pool)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            queue.close()

    def close(self) -> None:
        pass


# --- the stories pass ------------------------------------------------------------------------


@dataclass
class StoriesOutcome:
    stories: int = 0
    articles: int = 0
    exact: int = 0  # copies with the same content hash as their story's canonical
    near: int = 0  # the other copies
    rewritten: int = 0  # shards whose story ids changed
    skipped: bool = False  # nothing changed since the last stories pass
    seconds: float = 0.0


def _restory(path: Path, schema: Any, story_of: dict[str, str]) -> bool:
    """Set ``story_id`` from ``story_of`` (by source); rewrite the file only if anything changes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    current = pf.read(columns=["source", "story_id"])
    want = [story_of[s] for s in current.column("source").to_pylist()]
    if want == current.column("story_id").to_pylist():
        return False
    from marsad.store.parquet import COMPRESSION

    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    col = schema.get_field_index("story_id")
    try:
        with pq.ParquetWriter(tmp, schema, compression=COMPRESSION) as writer:
            for i in range(pf.num_row_groups):
                group = pf.read_row_group(i).cast(schema)
                ids = pa.array([story_of[s] for s in group.column("source").to_pylist()], pa.string())
                writer.write_table(group.set_column(col, schema.field(col), ids))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True


def stories_fingerprint(shards: Sequence[Shard], threshold: float) -> str:
    from marsad.dedup.fingerprint import scheme

    h = hashlib.sha256(f"{scheme()}\0{threshold!r}\0".encode())
    for s in shards:
        h.update(s.id.encode() + b"\0")
    return h.hexdigest()


def build_stories(
    output: Path, shards: Sequence[Shard], threshold: float = DEFAULT_THRESHOLD
) -> StoriesOutcome:
    """Group the copies of all shards into stories; write the stories tables; set story ids."""
    from marsad.dedup.stories import Member, StoryIndex, merge_events
    from marsad.store.parquet import (
        ARTICLES,
        EVENTS,
        STORIES,
        STORY_EVENTS,
        TableWriter,
        read_rows,
    )

    t0 = time.perf_counter()
    marker = output / "_done" / STORIES_MARKER
    fp = stories_fingerprint(shards, threshold)
    if marker.exists():
        with contextlib.suppress(ValueError, OSError):
            if json.loads(marker.read_text(encoding="utf-8")).get("fingerprint") == fp:
                return StoriesOutcome(skipped=True)
    index = StoryIndex(threshold)
    info: dict[str, tuple[int, str | None, str | None]] = {}  # source → shard index, url, title
    columns = ["source", "article_id", "published", "content_hash", "minhash", "url", "title"]
    for n, shard in enumerate(shards):
        for row in read_rows(Layout.of(output, shard.id).articles, columns):
            index.add(Member(
                row["source"], row["article_id"], row["published"], row["content_hash"], row["minhash"]
            ))
            info[row["source"]] = (n, row["url"], row["title"])
    stories = index.stories()
    story_of: dict[str, str] = {}
    rank: dict[str, int] = {}  # source → position in its story
    last_shard: dict[str, int] = {}
    out = StoriesOutcome(stories=len(stories), articles=len(index.members))

    def story_rows() -> Iterator[dict[str, Any]]:
        for story in stories:
            canon = story.canonical
            members, urls = [], []
            for r, m in enumerate(story.members):
                story_of[m.key] = story.story_id
                rank[m.key] = r
                shard_n, url, title = info[m.key]
                last_shard[story.story_id] = max(last_shard.get(story.story_id, 0), shard_n)
                exact = m.content_hash == canon.content_hash
                if r:
                    out.exact += exact
                    out.near += not exact
                if url and url not in urls:
                    urls.append(url)
                members.append({
                    "article_id": m.article_id, "source": m.key, "shard": shards[shard_n].id, "url": url,
                    "title": title, "published": m.published, "content_hash": m.content_hash,
                    "exact": exact, "similarity": 1.0 if r == 0 else story.similarity.get(m.key),
                })
            dated = [m.published for m in story.members if m.published]
            yield {
                "story_id": story.story_id, "size": len(story.members), "canonical_source": canon.key,
                "first_published": min(dated) if dated else None, "urls": urls, "members": members,
            }

    (output / "stories").mkdir(exist_ok=True)
    writer = TableWriter(output / "stories" / "stories.parquet", STORIES)
    try:
        writer.write_many(story_rows())
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    for shard in shards:
        where = Layout.of(output, shard.id)
        changed = _restory(where.articles, ARTICLES, story_of)
        changed |= _restory(where.events, EVENTS, story_of)
        out.rewritten += changed
    # merged events: a story's events are merged once the last shard holding one of its copies is read
    first_seen = {s.story_id: i for i, s in enumerate(stories)}
    pending: dict[str, list[dict[str, Any]]] = {}
    by_last: dict[int, list[str]] = {}
    for sid, n in last_shard.items():
        by_last.setdefault(n, []).append(sid)
    writer = TableWriter(output / "stories" / "events.parquet", STORY_EVENTS)
    try:
        for n, shard in enumerate(shards):
            for row in read_rows(Layout.of(output, shard.id).events):
                pending.setdefault(row["story_id"], []).append(row)
            for sid in sorted(by_last.get(n, ()), key=first_seen.__getitem__):
                rows = pending.pop(sid, [])
                rows.sort(key=lambda r: (rank[r["source"]], r["event_index"]))
                writer.write_many(merge_events(sid, rows))
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    _write_atomic(marker, _json({"fingerprint": fp, "stories": out.stories, "articles": out.articles}))
    out.seconds = time.perf_counter() - t0
    return out


# --- the run ---------------------------------------------------------------------------------


@dataclass
class RunReport:
    output: Path
    shards: int = 0
    done_before: int = 0
    ran: int = 0
    failed_shards: list[tuple[Shard, str]] = field(default_factory=list)
    totals: dict[str, Any] = field(default_factory=dict)
    stages: RunStats = field(default_factory=RunStats)
    stories: StoriesOutcome | None = None
    seconds: float = 0.0

    @property
    def failed_documents(self) -> int:
        return int(self.totals.get("failed", 0))

    @property
    def exit_code(self) -> int:
        return EXIT_DOC_FAILED if self.failed_shards or self.failed_documents else EXIT_OK

    def format(self) -> str:
        """The final table for stderr."""
        t = self.totals
        rate = t.get("documents_now", 0) / self.seconds if self.seconds else 0.0
        lines = [
            f"marsad run: {t.get('documents', 0)} documents in {self.shards} shards "
            f"({self.ran} analysed now, {self.done_before} done before) in {self.seconds:.1f} s"
            + (f", {rate:.1f} documents/s" if self.ran else ""),
            f"  articles  {t.get('articles', 0)}",
            f"  failed    {t.get('failed', 0)}",
            f"  events    {t.get('events', 0)}",
        ]
        if self.stories is not None and not self.stories.skipped:
            s = self.stories
            lines.append(
                f"  stories   {s.stories} ({s.exact + s.near} copies folded in: "
                f"{s.exact} exact, {s.near} near; "
                f"{s.rewritten} shards updated; {s.seconds:.1f} s)"
            )
        read = t.get("read", {})
        if read:
            lines.append(
                "read: " + ", ".join(f"{k} {v}" for k, v in read.items() if v or k in ("files", "pages"))
            )
        for title, key in (
            ("dropped by reason", "dropped"),
            ("errors by code", "errors"),
            ("events by type", "events_by_type"),
        ):
            counter: Counter[str] = t.get(key, Counter())
            if counter:
                lines.append(f"{title}:")
                lines += [f"  {name:<40} {n:>8}" for name, n in counter.most_common()]
        lines.append(self.stages.format())
        for shard, problem in self.failed_shards:
            lines.append(f"shard {shard.id} ({', '.join(shard.paths)}) failed: {problem}")
        if self.failed_shards:
            lines.append("the stories pass waits for every shard: run the same command again to retry")
        lines.append(f"output: {self.output}")
        return "\n".join(lines)


def _stage_stats(data: dict[str, Any]) -> RunStats:
    stats = RunStats()
    for name, d in data.items():
        stats.stages[name] = StageStats(
            docs_in=d.get("in", 0), docs_out=d.get("out", 0), dropped=Counter(d.get("dropped", {})),
            skipped=Counter(d.get("skipped", {})), errors=Counter(d.get("errors", {})),
            seconds=d.get("seconds", 0.0),
        )
    return stats


def _totals(
    output: Path, shards: Sequence[Shard], now: set[str], order: Sequence[str] = ()
) -> tuple[dict[str, Any], RunStats]:
    """Totals over the stats files of ``shards``; stages listed in pipeline ``order``."""
    totals: dict[str, Any] = {
        "documents": 0, "documents_now": 0, "articles": 0, "failed": 0, "events": 0,
        "errors": Counter(), "dropped": Counter(), "events_by_type": Counter(), "read": Counter(),
        "peak_rss_mb": 0.0,
    }
    stages = RunStats()
    for name in order:
        stages.stage(name)
    for shard in shards:
        path = Layout.of(output, shard.id).stats
        if not path.exists():
            continue
        s = json.loads(path.read_text(encoding="utf-8"))
        for key in ("documents", "articles", "failed", "events"):
            totals[key] += s.get(key, 0)
        if shard.id in now:
            totals["documents_now"] += s.get("documents", 0)
        errors = Counter(s.get("errors", {}))
        errors.pop("dropped", None)
        totals["errors"].update(errors)
        totals["events_by_type"].update(s.get("events_by_type", {}))
        totals["read"].update(s.get("read", {}))
        totals["peak_rss_mb"] = max(totals["peak_rss_mb"], s.get("peak_rss_mb", 0.0))
        shard_stages = _stage_stats(s.get("stages", {}))
        for name, st in shard_stages.stages.items():
            for reason, n in st.dropped.items():
                totals["dropped"][f"{name}: {reason}"] += n
        stages.merge(shard_stages)
    totals["read"] = dict(totals["read"])
    return totals, stages


def _job_record(settings: Settings, pipeline_names: list[str], files_per_shard: int) -> dict[str, Any]:
    from marsad.dedup.fingerprint import scheme

    return {
        "format": JOB_FORMAT,
        "stages": pipeline_names,
        "published": settings.published,
        "max_bytes": settings.max_bytes,
        "files_per_shard": files_per_shard,
        "signature": scheme(),
    }


@contextlib.contextmanager
def _locked(output: Path) -> Iterator[None]:
    """Hold ``output/.lock`` so that two runs never write one folder."""
    try:
        import fcntl
    except ImportError:  # no advisory locks on this platform
        yield
        return
    with open(output / ".lock", "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise MarsadError(
                "bad_usage", f"another marsad run is writing to {output}", str(output)
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _prepare(output: Path, shards: Sequence[Shard], job: dict[str, Any], prune: bool) -> None:
    """Check the folder belongs to this job, remove temporary leftovers and (with ``prune``) stale shards."""
    job_file = output / "_job.json"
    if job_file.exists():
        try:
            old = json.loads(job_file.read_text(encoding="utf-8"))
        except ValueError:
            old = None
        if old != job:
            diff = sorted(k for k in set(job) | set(old or {}) if (old or {}).get(k) != job.get(k))
            raise MarsadError(
                "bad_usage",
                f"{output} holds a run made with other options ({', '.join(diff)} differ); "
                "use the same options or another --output",
                str(output),
            )
    elif any(p.name != ".lock" for p in output.iterdir()):
        raise MarsadError(
            "bad_usage", f"{output} is not empty and holds no marsad run: give a new or empty folder",
            str(output),
        )
    _write_atomic(job_file, _json(job))
    for sub in SUBDIRS:
        (output / sub).mkdir(parents=True, exist_ok=True)
        for leftover in (output / sub).glob(".*.tmp-*"):
            leftover.unlink(missing_ok=True)
    wanted = {s.id for s in shards} | {STORIES_MARKER}
    stale: dict[str, list[Path]] = {}
    for sub, suffix in SHARD_FILES.items():
        for path in (output / sub).iterdir():
            if path.name.startswith(".") or not path.name.endswith(suffix):
                continue
            name = path.name[: len(path.name) - len(suffix)] if suffix else path.name
            if name not in wanted:
                stale.setdefault(name, []).append(path)
    if stale and not prune:
        listed = ", ".join(sorted(stale)[:5]) + (" …" if len(stale) > 5 else "")
        raise MarsadError(
            "bad_usage",
            f"{output} holds {len(stale)} shards that are not among these inputs ({listed}): were inputs "
            "changed or left out? Give the same inputs, another --output, or --prune to delete them",
            str(output),
        )
    for paths in stale.values():
        for path in paths:
            path.unlink(missing_ok=True)
    if stale:
        (output / "_done" / STORIES_MARKER).unlink(missing_ok=True)


def make_executor(runner: str, workers: int | None, ray_address: str | None = None) -> Executor:
    """The executor of a runner; ``workers`` None on a Ray cluster: as many as it has CPUs."""
    if runner == "local":
        return LocalExecutor(workers or 1)
    if runner == "ray":
        from marsad.runners.ray import RayExecutor

        return RayExecutor(workers, address=ray_address)
    raise MarsadError("bad_usage", f"runner must be local or ray, not {runner!r}", runner)


def run_collection(
    inputs: Sequence[str],
    output: str | os.PathLike[str],
    settings: Settings,
    *,
    executor: Executor | None = None,
    factory: PipelineFactory | None = None,
    files_per_shard: int = FILES_PER_SHARD,
    threshold: float = DEFAULT_THRESHOLD,
    prune: bool = False,
    progress: bool | None = None,
) -> RunReport:
    """Process a collection into ``output``; resume where an earlier run stopped.

    Raises :class:`MarsadError` for bad usage (inputs, a folder of another
    job, another run holding the folder); failures of single documents and
    shards are in the report.
    """
    t0 = time.perf_counter()
    out = Path(output).absolute()
    if out.exists() and not out.is_dir():
        raise MarsadError("bad_usage", f"--output {out} is a file, not a folder", str(out))
    if not 0.0 < threshold <= 1.0:
        raise MarsadError("bad_usage", f"--threshold must be in (0, 1], not {threshold}", threshold)
    shards = plan_shards(inputs, files_per_shard=files_per_shard)
    if not shards:
        raise MarsadError(
            "bad_usage", "no input files found (.warc, .warc.gz, .jsonl, .jsonl.gz, .html, .htm, .txt)"
        )
    task_settings = dataclasses.replace(settings, api_token=None)  # nothing secret travels to workers
    names = pipeline_for(task_settings, factory).names
    executor = executor if executor is not None else LocalExecutor(settings.workers)
    out.mkdir(parents=True, exist_ok=True)
    report = RunReport(out, shards=len(shards))
    with _locked(out):
        _prepare(out, shards, _job_record(settings, names, files_per_shard), prune)
        todo = [s for s in shards if not Layout.of(out, s.id).done()]
        report.done_before = len(shards) - len(todo)
        if todo:
            (out / "_done" / STORIES_MARKER).unlink(missing_ok=True)
        cwd = os.getcwd()
        tasks = [ShardTask(s, str(out), task_settings, factory, cwd) for s in todo]
        ran: set[str] = set()
        bar = _bar(progress, len(shards), report.done_before)
        try:
            for task, result in executor.run(tasks, bar.update if bar is not None else _ignore):
                if isinstance(result, BaseException):
                    report.failed_shards.append((task.shard, f"{type(result).__name__}: {result}"))
                else:
                    ran.add(task.shard.id)
                if bar is not None:
                    done = report.done_before + len(ran)
                    bar.set_postfix_str(f"shards {done}/{len(shards)}", refresh=False)
        finally:
            if bar is not None:
                bar.close()
            executor.close()
        report.ran = len(ran)
        if not report.failed_shards:
            report.stories = build_stories(out, shards, threshold)
        report.totals, report.stages = _totals(out, shards, ran, names)
    report.seconds = time.perf_counter() - t0
    return report


def _ignore(n: int) -> None:
    pass


def _bar(progress: bool | None, total: int, done: int) -> Any:
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return None
    from tqdm import tqdm

    bar = tqdm(desc="run", unit="doc", file=sys.stderr, dynamic_ncols=True)
    bar.set_postfix_str(f"shards {done}/{total}", refresh=False)
    return bar


# --- command line ----------------------------------------------------------------------------

EPILOG = """\
output folder:
  articles/<shard>.parquet   one row per article, with story_id (docs/PARQUET.md)
  events/<shard>.parquet     one row per event, with article_id and story_id
  errors/<shard>.jsonl       failed documents: {"id", "source", "error": {"code", "message"}}
  stats/<shard>.json         per-shard counts and timings
  stories/stories.parquet    every story with its copies, sources and URLs
  stories/events.parquet     events of a story's copies merged, every report kept
  _done/<shard>              completion markers

Re-running the same command skips finished shards and redoes the rest, so an
interrupted run (crash, Ctrl-C) loses nothing. Exit status: 0 when every
document went through, 1 when any document or shard failed, 2 for bad usage.

examples:
  marsad run crawl/ --output out/                       all cores of this machine
  marsad run crawl/*.warc.gz --output out/ --workers 2
  marsad run crawl/ --output out/ --runner ray          Ray started on this machine for this run
  marsad run /data/crawl --output /data/out --runner ray --ray-address auto   a Ray cluster (docs/CLUSTER.md)
"""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="marsad run",
        description="Batch-process a collection of WARC, JSONL, HTML and TXT files into Parquet\n"
        "shards of Articles and events, resumably, and fold syndicated copies into stories.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="files or folders (recursed): .warc/.warc.gz, .jsonl/.jsonl.gz, .html/.htm, .txt")
    p.add_argument("--output", "-o", required=True, metavar="DIR",
                   help="the output folder (created if needed)")
    p.add_argument("--runner", choices=("local", "ray"), default="local",
                   help="local: processes on this machine (default); "
                   "ray: Ray tasks (pip install 'marsad[ray]')")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="shards processed at once (default $MARSAD_WORKERS, else the CPUs available)")
    p.add_argument("--ray-address", default=None, metavar="ADDR",
                   help="a running Ray cluster to use (e.g. auto); default: start Ray on this machine")
    p.add_argument("--published", metavar="DATE",
                   help="ISO 8601 publication date for inputs that carry none (anchor of relative dates)")
    p.add_argument("--batch-size", type=int, default=None, metavar="N",
                   help="documents handed to the pipeline at once (default 16)")
    p.add_argument("--max-bytes", type=int, default=None, metavar="N",
                   help="refuse documents larger than N bytes with too_large (default 20000000)")
    p.add_argument("--files-per-shard", type=int, default=FILES_PER_SHARD, metavar="N",
                   help=f"HTML/TXT files of one folder per shard (default {FILES_PER_SHARD})")
    p.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD, metavar="J",
                   help="near copies: least estimated Jaccard similarity of character 5-grams "
                   f"(default {DEFAULT_THRESHOLD})")
    p.add_argument("--prune", action="store_true",
                   help="delete shards in DIR that do not belong to these inputs "
                   "(else such a DIR is refused)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    return p


def _default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def main(argv: list[str] | None = None) -> int:
    """``marsad run``; returns the exit status (0 ok, 1 some documents failed, 2 bad usage)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or bad usage (2)
        return int(exc.code or 0)
    try:
        workers = args.workers
        if workers is None and "MARSAD_WORKERS" not in os.environ:
            workers = _default_workers()
        settings = Settings.build(
            workers=workers, batch_size=args.batch_size, max_bytes=args.max_bytes, published=args.published
        )
        cluster_wide = args.runner == "ray" and args.ray_address is not None and args.workers is None
        executor = make_executor(args.runner, None if cluster_wide else settings.workers, args.ray_address)
        report = run_collection(
            args.inputs, args.output, settings, executor=executor, files_per_shard=args.files_per_shard,
            threshold=args.threshold, prune=args.prune, progress=False if args.no_progress else None,
        )
    except MarsadError as exc:
        print(f"marsad run: error: {exc.message} [{exc.code}]", file=sys.stderr)
        usage = exc.code in {"bad_usage", "bad_date", "not_found", "unknown_kind"}
        return EXIT_USAGE if usage else EXIT_DOC_FAILED
    except KeyboardInterrupt:
        print("marsad run: interrupted; finished shards are kept: run the same command again to resume",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    print(report.format(), file=sys.stderr)
    return report.exit_code


if __name__ == "__main__":
    sys.exit(main())
