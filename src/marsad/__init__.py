"""marsad — reads Arabic news natively and offline."""

__version__ = "0.1.0"
