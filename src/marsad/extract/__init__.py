"""marsad.extract."""
