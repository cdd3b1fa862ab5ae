"""marsad.dedup."""
