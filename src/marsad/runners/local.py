"""Run the pipeline on this machine, in this process or over worker processes.

Results come back in input order.  Work is fed to the workers in batches with
a bounded number in flight, so a huge WARC collection is never held in memory
at once.  A progress bar goes to stderr (never stdout) when it is a terminal.
"""

from __future__ import annotations

import multiprocessing as mp
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any

from marsad.documents import Article, RawPage, ReadError
from marsad.pipeline.base import Failure, Pipeline, Result, RunStats
from marsad.settings import Settings

PipelineFactory = Callable[[Settings], Pipeline]
# What a worker makes of each analysed article before sending it back (a JSON
# line, say), so that the parent process is not the bottleneck; failures are
# sent back as they are.  A module-level function, so that it can be pickled.
Transform = Callable[[Article], Any]

_worker_pipeline: Pipeline | None = None
_worker_transform: Transform | None = None


def _init_worker(factory: PipelineFactory, settings: Settings, transform: Transform | None = None) -> None:
    global _worker_pipeline, _worker_transform
    if _worker_pipeline is None:  # not inherited from a forking parent
        _worker_pipeline = factory(settings)
    _worker_transform = transform


def _apply(results: list[Result], transform: Transform | None) -> list[Any]:
    if transform is None:
        return results
    return [r if isinstance(r, Failure) else transform(r) for r in results]


def _run_batch(batch: list[RawPage | ReadError]) -> tuple[list[Any], RunStats]:
    assert _worker_pipeline is not None, "worker not initialised"
    _worker_pipeline.stats = RunStats()
    results = _worker_pipeline.run(batch)
    return _apply(results, _worker_transform), _worker_pipeline.stats


def _batches(items: Iterable[RawPage | ReadError], size: int) -> Iterator[list[RawPage | ReadError]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


class LocalRunner:
    """Analyse a stream of pages with ``settings.workers`` processes."""

    def __init__(
        self,
        settings: Settings,
        factory: PipelineFactory | None = None,
        *,
        progress: bool | None = None,
        description: str = "analysing",
        transform: Transform | None = None,
    ) -> None:
        if factory is None:
            from marsad.pipeline.build import build_pipeline

            factory = build_pipeline
        self.settings = settings
        self.factory = factory
        self.stats = RunStats()
        self.progress = sys.stderr.isatty() if progress is None else progress
        self.description = description
        self.transform = transform
        self.failed = 0
        self.done = 0

    def run(self, items: Iterable[RawPage | ReadError]) -> Iterator[Any]:
        """Each input's result, in input order: a :class:`Failure`, or the
        analysed article (passed through ``transform`` when one is set)."""
        bar = self._bar()
        try:
            for results, stats in self._results(items):
                self.stats.merge(stats)
                for res in results:
                    self.done += 1
                    if isinstance(res, Failure):
                        self.failed += 1
                    yield res
                if bar is not None:
                    bar.update(len(results))
                    bar.set_postfix(failed=self.failed, refresh=False)
        finally:
            if bar is not None:
                bar.close()

    def _bar(self) -> Any:
        if not self.progress:
            return None
        from tqdm import tqdm

        return tqdm(desc=self.description, unit="doc", file=sys.stderr, dynamic_ncols=True)

    def _results(self, items: Iterable[RawPage | ReadError]) -> Iterator[tuple[list[Any], RunStats]]:
        batches = _batches(items, self.settings.batch_size)
        if self.settings.workers == 1:
            pipeline = self.factory(self.settings)
            for batch in batches:
                pipeline.stats = RunStats()
                yield _apply(pipeline.run(batch), self.transform), pipeline.stats
            return
        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
        global _worker_pipeline
        if ctx is not None:
            # build and warm the pipeline once, here: forked workers inherit it
            # (copy-on-write) instead of each loading the models again
            _worker_pipeline = self.factory(self.settings)
            _worker_pipeline.warm()
        in_flight: deque[Future[tuple[list[Any], RunStats]]] = deque()
        limit = self.settings.workers * 2
        with ProcessPoolExecutor(
            max_workers=self.settings.workers,
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(self.factory, self.settings, self.transform),
        ) as pool:
            try:
                for batch in batches:
                    in_flight.append(pool.submit(_run_batch, batch))
                    while len(in_flight) >= limit:
                        yield in_flight.popleft().result()
                while in_flight:
                    yield in_flight.popleft().result()
            except BaseException:
                for fut in in_flight:
                    fut.cancel()
                raise
            finally:
                _worker_pipeline = None  # the workers have their copies
