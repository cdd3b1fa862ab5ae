"""marsad.enrich."""
