"""The Ray runner: the shards of ``marsad run`` as Ray tasks, on this machine or a cluster.

Each task runs :func:`marsad.runners.batch.run_shard`, the very function the
local runner runs, so both give the same files.  A task reads its inputs and
writes its shard's files itself (the inputs and the output folder must be
visible at the same paths on every node: a shared file system); only the
small stats dict travels back.  Tasks are plain Ray tasks rather than Ray
Data: a shard is already a large unit of work, and writing it where it is
computed keeps the atomic-rename and completion-marker protocol in one
place.  A worker that dies (out of memory, a lost node) has its task retried;
retrying a shard is safe because nothing is final before its marker.

Started here (no ``--ray-address``), Ray runs on this machine with as many
CPUs as ``--workers``, no dashboard, and token authentication with a token
made for this run and kept in the environment of its processes only (never
written to disk): Ray's core services listen on every interface and
advertise the machine's network address even when told 127.0.0.1, so
without a token anyone who can reach the machine could run code on it.
Set ``RAY_AUTH_MODE`` yourself to choose otherwise.  With ``--ray-address``
the runner joins a running cluster and leaves its settings alone
(docs/CLUSTER.md).
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from marsad.errors import MarsadError
from marsad.runners.batch import Outcome, Progress, ShardTask, run_shard

__all__ = ["RayExecutor", "ray_available"]

# tasks pass only shard descriptions and stats records: a small object store will do
LOCAL_OBJECT_STORE = 128 * 1024 * 1024


def ray_available() -> bool:
    """Whether Ray is installed (the ``ray`` extra); Ray itself is not imported."""
    import importlib.util

    return importlib.util.find_spec("ray") is not None


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise MarsadError(
            "bad_usage", "the ray runner needs Ray: pip install 'marsad[ray]'"
        ) from None
    return ray


def _task(task: ShardTask) -> dict[str, Any]:
    """A shard in a Ray worker: inputs given as relative paths are relative to the driver's folder."""
    if task.cwd and os.path.isdir(task.cwd) and os.getcwd() != task.cwd:
        os.chdir(task.cwd)
    return run_shard(task)


class RayExecutor:
    """Runs shard tasks on Ray, at most ``2 × workers`` submitted at a time."""

    def __init__(self, workers: int | None = None, *, address: str | None = None) -> None:
        if workers is not None and workers < 1:
            raise MarsadError("bad_usage", f"workers must be at least 1, not {workers}")
        self.workers = workers or 0
        self.address = address
        self._ray: Any = None
        self._started = False
        self._env: dict[str, str | None] = {}

    def _start(self) -> Any:
        if self._ray is not None:
            return self._ray
        loaded = sys.modules.get("ray")
        running = loaded is not None and loaded.is_initialized()
        local = self.address is None and not running
        if local:
            # before Ray is imported: it reads its authentication settings then
            self._set_env("RAY_AUTH_MODE", "token")
            if os.environ["RAY_AUTH_MODE"].lower() == "token" and not (
                os.environ.get("RAY_AUTH_TOKEN") or os.environ.get("RAY_AUTH_TOKEN_PATH")
            ):
                self._set_env("RAY_AUTH_TOKEN", secrets.token_hex(32))
        ray = _import_ray()
        if local and loaded is not None and self._env:
            with contextlib.suppress(Exception):  # Ray imported earlier: make it read the settings again
                ray._raylet.Config.initialize("")
        if ray.is_initialized():
            self._ray = ray
        elif local:
            ray.init(
                address="local",
                num_cpus=self.workers or None,
                object_store_memory=LOCAL_OBJECT_STORE,
                include_dashboard=False,
                logging_level=logging.WARNING,
                log_to_driver=True,
            )
            self._started = True
        else:
            ray.init(address=self.address, logging_level=logging.WARNING)
            self._started = True
        if not self.workers:
            self.workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
        self._ray = ray
        return ray

    def _set_env(self, name: str, value: str) -> None:
        if name in os.environ:
            return
        self._env[name] = None
        os.environ[name] = value

    def run(self, tasks: Sequence[ShardTask], progress: Progress) -> Iterator[Outcome]:
        if not tasks:
            return
        ray = self._start()
        remote = ray.remote(num_cpus=1, max_retries=2)(_task)
        in_flight: dict[Any, ShardTask] = {}
        queue = iter(tasks)
        limit = 2 * self.workers
        try:
            while True:
                while len(in_flight) < limit and (task := next(queue, None)) is not None:
                    in_flight[remote.remote(task)] = task
                if not in_flight:
                    return
                ready, _ = ray.wait(list(in_flight), num_returns=1, timeout=0.5)
                for ref in ready:
                    task = in_flight.pop(ref)
                    try:
                        result: dict[str, Any] | BaseException = ray.get(ref)
                    except Exception as exc:  # RayTaskError wraps the shard's exception
                        result = exc
                    else:
                        progress(int(result.get("documents", 0)))  # type: ignore[union-attr]
                    yield task, result
        except BaseException:
            for ref in in_flight:
                with contextlib.suppress(Exception):
                    ray.cancel(ref, force=True)
            raise

    def close(self) -> None:
        if self._ray is not None and self._started:
            self._ray.shutdown()
        self._ray = None
        self._started = False
        for name, old in self._env.items():
            if old is None:
                os.environ.pop(name, None)
        self._env.clear()
