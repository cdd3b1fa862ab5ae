"""marsad.api."""
