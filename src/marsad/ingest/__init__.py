"""marsad.ingest."""
