"""The place-name index behind one small interface, and its builders.

    from marsad.gazetteer import load_gazetteer, match_form
    gaz = load_gazetteer()                    # once per process
    gaz.lookup(match_form("الموصل"))           # → [Candidate(name="Mosul", ...)]

See :mod:`marsad.gazetteer.index` (the index), :mod:`.sources` and
:mod:`.build` (the packaged index), :mod:`.geonames` (the full-dump importer)
and :mod:`.cli` (``marsad gazetteer ...``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from marsad.gazetteer.index import Candidate, Gazetteer, load_gazetteer, match_form, read_index, write_index

__all__ = ["Candidate", "Gazetteer", "load_gazetteer", "match_form", "read_index", "write_index", "import_geonames"]


def import_geonames(
    allcountries_path: str | Path, alternatenames_path: str | Path, out_path: str | Path, **kwargs: Any
) -> int:
    """Build an index from GeoNames dumps (see :func:`marsad.gazetteer.geonames.import_geonames`;
    imported on use, so that loading the index does not load the importer)."""
    from marsad.gazetteer.geonames import import_geonames as _import

    return _import(allcountries_path, alternatenames_path, out_path, **kwargs)
