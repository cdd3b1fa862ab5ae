"""marsad.runners."""
