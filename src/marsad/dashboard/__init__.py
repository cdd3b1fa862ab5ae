"""marsad.dashboard."""
