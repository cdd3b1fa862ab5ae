"""The pipeline is warmed in the parent before workers fork."""

from __future__ import annotations

from marsad.documents import Article, RawPage
from marsad.pipeline.build import build_pipeline
from marsad.settings import Settings


def test_warm_runs_every_stage_and_leaves_the_stats_alone() -> None:
    pipeline = build_pipeline(Settings.build())
    pipeline.warm()
    assert pipeline.stats.stages == {}
    # the warm-up page itself goes all the way through, so every lazy model is loaded
    (art,) = pipeline.run([RawPage(pipeline.WARM_PAGE, "text", "<t>", published="2016-10-20")])
    assert isinstance(art, Article)
    assert art.language == "ar" and art.entities and art.places and art.dates and art.events
