"""marsad.pipeline."""
