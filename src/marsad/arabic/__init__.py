"""marsad.arabic."""
