"""marsad.gazetteer."""
