"""The Ray runner gives the very files the local runner gives (Ray started on this machine).

Skipped when Ray is not installed (``pip install 'marsad[ray]'``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.unit.run_fixtures import SETTINGS, events_pipeline, make_collection, snapshot

from marsad.runners.batch import LocalExecutor, run_collection
from marsad.runners.ray import RayExecutor, ray_available

pytestmark = pytest.mark.skipif(not ray_available(), reason="Ray is not installed: pip install 'marsad[ray]'")

ROOT = Path(__file__).resolve().parents[2]


class WatchedRay(RayExecutor):
    """The Ray executor, noting the authentication settings Ray was started with."""

    seen: dict[str, str | None] = {}

    def _start(self):  # type: ignore[no-untyped-def]
        ray = super()._start()
        self.seen = {k: os.environ.get(k) for k in ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN")}
        self.seen["cpus"] = str(int(ray.cluster_resources().get("CPU", 0)))
        return ray


def test_local_and_ray_runners_write_the_same_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs, _ = make_collection(tmp_path / "in")
    for name in ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN", "RAY_AUTH_TOKEN_PATH", "RAY_ADDRESS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # Ray workers import the test pipeline from tests/
    token_file = Path.home() / ".ray" / "auth_token"
    had_token_file = token_file.exists()

    local = run_collection(inputs, tmp_path / "local", SETTINGS, executor=LocalExecutor(1),
                           factory=events_pipeline, progress=False)
    executor = WatchedRay(2)
    remote = run_collection(inputs, tmp_path / "ray", SETTINGS, executor=executor,
                            factory=events_pipeline, progress=False)

    assert remote.ran == local.ran == remote.shards and not remote.failed_shards
    assert remote.totals["documents"] == local.totals["documents"] == 34
    assert snapshot(tmp_path / "ray") == snapshot(tmp_path / "local")
    # Ray ran with a token of this run only, gone from the environment afterwards and never on disk
    assert executor.seen["RAY_AUTH_MODE"] == "token" and len(executor.seen["RAY_AUTH_TOKEN"] or "") == 64
    assert executor.seen["cpus"] == "2"
    assert "RAY_AUTH_TOKEN" not in os.environ and "RAY_AUTH_MODE" not in os.environ
    assert token_file.exists() == had_token_file
