"""Stages, the pipeline builder that checks them, and per-stage statistics.

A stage is a small object with a versioned ``name`` (``arabic.tokens.v1``),
``requires`` and ``provides`` sets of Article fields, a ``languages`` set
(``None``: every language) and one batch method, ``process``, with no I/O of
its own.  The builder refuses a stage whose requirements nothing before it
provides, and says exactly what is missing.
"""

from __future__ import annotations

import dataclasses
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from marsad.documents import Article, Drop, RawPage, ReadError, content_id
from marsad.errors import MarsadError, PipelineBuildError


@runtime_checkable
class Stage(Protocol):
    # read-only members, so that a stage may declare them as plain class attributes
    @property
    def name(self) -> str: ...
    @property
    def requires(self) -> frozenset[str]: ...
    @property
    def provides(self) -> frozenset[str]: ...
    @property
    def languages(self) -> frozenset[str] | None:
        """The languages the stage works on; None: every language."""
        ...

    def process(self, articles: list[Article]) -> list[Article | Drop]:
        """Annotate (or drop) each article; return one item per input, in order."""
        ...


# What extraction gives every Article before any stage runs.
EXTRACTED: frozenset[str] = frozenset(
    {"id", "text", "url", "title", "author", "published", "page_stats", "source"}
)


@dataclass
class StageStats:
    docs_in: int = 0
    docs_out: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def merge(self, other: StageStats) -> None:
        self.docs_in += other.docs_in
        self.docs_out += other.docs_out
        self.dropped.update(other.dropped)
        self.skipped.update(other.skipped)
        self.errors.update(other.errors)
        self.seconds += other.seconds

    def to_dict(self) -> dict[str, Any]:
        return {
            "in": self.docs_in,
            "out": self.docs_out,
            "dropped": dict(self.dropped),
            "skipped": dict(self.skipped),
            "errors": dict(self.errors),
            "seconds": round(self.seconds, 3),
        }


@dataclass
class RunStats:
    """Counts for a whole run, stage by stage, mergeable across workers."""

    stages: dict[str, StageStats] = field(default_factory=dict)

    def stage(self, name: str) -> StageStats:
        if name not in self.stages:
            self.stages[name] = StageStats()
        return self.stages[name]

    def merge(self, other: RunStats) -> None:
        for name, st in other.stages.items():
            self.stage(name).merge(st)

    def to_dict(self) -> dict[str, Any]:
        return {name: st.to_dict() for name, st in self.stages.items()}

    def format(self) -> str:
        """A table for stderr: one line per stage."""
        lines = [f"{'stage':<28}{'in':>8}{'out':>8}{'dropped':>9}{'skipped':>9}{'errors':>8}{'sec':>9}"]
        for name, st in self.stages.items():
            lines.append(
                f"{name:<28}{st.docs_in:>8}{st.docs_out:>8}{sum(st.dropped.values()):>9}"
                f"{sum(st.skipped.values()):>9}{sum(st.errors.values()):>8}{st.seconds:>9.2f}"
            )
            for kind, counter in (("dropped", st.dropped), ("skipped", st.skipped), ("errors", st.errors)):
                for reason, n in counter.most_common():
                    lines.append(f"    {kind}: {reason} ×{n}")
        return "\n".join(lines)


@dataclass(frozen=True)
class Failure:
    """A document that failed; it becomes the contract's error object."""

    id: str | None
    source: str
    error: MarsadError

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "error": self.error.to_dict()}


Result = Article | Failure


def check_chain(stages: Sequence[Stage], available: Iterable[str] = EXTRACTED) -> None:
    """Raise PipelineBuildError if a stage requires a field nothing before it provides."""
    have = set(available)
    problems = []
    seen_names: set[str] = set()
    for stage in stages:
        if stage.name in seen_names:
            problems.append(f"stage {stage.name} appears twice")
        seen_names.add(stage.name)
        missing = set(stage.requires) - have
        if missing:
            problems.append(
                f"stage {stage.name} requires {', '.join(sorted(missing))}, "
                f"which no earlier stage provides (available: {', '.join(sorted(have))})"
            )
        have |= set(stage.provides)
    if problems:
        raise PipelineBuildError("cannot build pipeline:\n  " + "\n  ".join(problems))


class _Timeout(Exception):
    pass


@contextmanager
def time_limit(seconds: float | None):
    """Interrupt the block after ``seconds`` (main thread of a process only)."""
    usable = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if seconds is None or not usable:
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


Extractor = Callable[[RawPage], Article]


class Pipeline:
    """Extraction followed by checked stages; one document never stops a batch."""

    def __init__(
        self,
        extractor: Extractor,
        stages: Sequence[Stage],
        *,
        published_default: str | None = None,
        doc_time_limit: float | None = 60.0,
    ) -> None:
        check_chain(stages)
        self.extractor = extractor
        self.stages = list(stages)
        self.published_default = published_default
        self.doc_time_limit = doc_time_limit
        self.stats = RunStats()

    @property
    def names(self) -> list[str]:
        return ["extract"] + [s.name for s in self.stages]

    def _extract(self, item: RawPage | ReadError) -> Result:
        st = self.stats.stage("extract")
        st.docs_in += 1
        if isinstance(item, ReadError):
            st.errors[item.error.code] += 1
            return Failure(item.id, item.source, item.error)
        if self.published_default and item.published is None:
            # the user's date ranks as a date the source gave (see extract_page)
            item = dataclasses.replace(item, published=self.published_default)
        t0 = time.perf_counter()
        try:
            with time_limit(self.doc_time_limit):
                article = self.extractor(item)
        except MarsadError as exc:
            st.errors[exc.code] += 1
            return Failure(item.id or content_id_of_bytes(item.content), item.source, exc)
        except _Timeout:
            st.errors["timeout"] += 1
            return Failure(
                item.id or content_id_of_bytes(item.content),
                item.source,
                MarsadError("timeout", f"extraction took over {self.doc_time_limit}s", item.source),
            )
        except Exception as exc:  # a broken page must not stop the run
            st.errors["stage_failed"] += 1
            return Failure(
                item.id or content_id_of_bytes(item.content),
                item.source,
                MarsadError("stage_failed", f"extract: {type(exc).__name__}: {exc}", item.source),
            )
        finally:
            st.seconds += time.perf_counter() - t0
        if article.published is None:
            article.published = self.published_default
        article.provided |= EXTRACTED
        st.docs_out += 1
        return article

    def _run_stage(self, stage: Stage, batch: list[Result]) -> list[Result]:
        st = self.stats.stage(stage.name)
        todo: list[int] = []
        for i, item in enumerate(batch):
            if isinstance(item, Article):
                st.docs_in += 1
                if stage.languages is not None and item.language not in stage.languages:
                    st.skipped[f"language={item.language}"] += 1
                    st.docs_out += 1
                else:
                    todo.append(i)
        if not todo:
            return batch
        t0 = time.perf_counter()
        out = list(batch)
        try:
            with time_limit(self.doc_time_limit and self.doc_time_limit * len(todo)):
                results = stage.process([batch[i] for i in todo])  # type: ignore[misc]
            if len(results) != len(todo):
                raise RuntimeError(f"returned {len(results)} items for {len(todo)} articles")
            for i, res in zip(todo, results, strict=True):
                out[i] = self._settle(stage, st, batch[i], res)  # type: ignore[arg-type]
        except Exception:
            # Retry one by one so that only the faulty document fails.
            for i in todo:
                out[i] = self._run_one(stage, st, batch[i])  # type: ignore[arg-type]
        st.seconds += time.perf_counter() - t0
        return out

    def _run_one(self, stage: Stage, st: StageStats, article: Article) -> Result:
        try:
            with time_limit(self.doc_time_limit):
                (res,) = stage.process([article])
        except _Timeout:
            st.errors["timeout"] += 1
            return Failure(article.id, article.source or "", MarsadError(
                "timeout", f"{stage.name} took over {self.doc_time_limit}s", article.source))
        except MarsadError as exc:
            st.errors[exc.code] += 1
            return Failure(article.id, article.source or "", exc)
        except Exception as exc:
            st.errors["stage_failed"] += 1
            return Failure(article.id, article.source or "", MarsadError(
                "stage_failed", f"{stage.name}: {type(exc).__name__}: {exc}", article.source))
        return self._settle(stage, st, article, res)

    @staticmethod
    def _settle(stage: Stage, st: StageStats, article: Article, res: Article | Drop) -> Result:
        if isinstance(res, Drop):
            st.dropped[res.reason] += 1
            return Failure(article.id, article.source or "", MarsadError(
                "dropped", f"{res.stage}: {res.reason}", article.source))
        res.provided |= stage.provides
        st.docs_out += 1
        return res

    # A short Arabic news page that passes through every stage (a date, a figure,
    # a place, a reported event), for :meth:`warm`.
    WARM_PAGE = ("قالت مصادر أمنية إن ثلاثة أشخاص قتلوا في انفجار عبوة ناسفة في مدينة الموصل "
                 "شمالي العراق أمس الأحد، ونزحت عشرات العائلات من القرى المجاورة.\n").encode()

    def warm(self) -> None:
        """Load every lazily loaded model and list now (the entity tagger, the
        lexicons, the compiled date rules): before worker processes are forked,
        so that they share what the parent loaded instead of each loading it."""
        stats, self.stats = self.stats, RunStats()
        try:
            self.run([RawPage(self.WARM_PAGE, "text", "<warm-up>", published="2016-10-20")])
        finally:
            self.stats = stats

    def run(self, items: Sequence[RawPage | ReadError]) -> list[Result]:
        """Analyse a batch; the result has one item per input, in order."""
        batch = [self._extract(item) for item in items]
        for stage in self.stages:
            batch = self._run_stage(stage, batch)
        return batch


def content_id_of_bytes(content: bytes) -> str:
    return content_id(content.decode("utf-8", "replace"))
