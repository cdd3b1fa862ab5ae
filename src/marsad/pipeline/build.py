"""The default pipeline: what ``analyze``, ``ingest`` and the runners use."""

from __future__ import annotations

from marsad.pipeline.base import Pipeline, Stage
from marsad.settings import Settings


def default_stages() -> list[Stage]:
    """The stages in order; each later capability adds itself here."""
    from marsad.enrich.attribution import AttributionStage
    from marsad.enrich.dates import DateStage
    from marsad.enrich.entities import EntityStage
    from marsad.enrich.events import EventStage
    from marsad.enrich.language import LanguageStage
    from marsad.enrich.places import PlaceStage
    from marsad.enrich.tokens import TokenStage

    return [
        LanguageStage(),
        TokenStage(),
        EntityStage(),
        PlaceStage(),
        DateStage(),
        AttributionStage(),
        EventStage(),
    ]


def build_pipeline(settings: Settings) -> Pipeline:
    from marsad.extract import extract_page

    return Pipeline(
        extract_page,
        default_stages(),
        published_default=settings.published,
        doc_time_limit=settings.doc_time_limit,
    )
