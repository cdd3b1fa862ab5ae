"""The REST API and dashboard server: ``create_app(settings)`` and ``serve(settings, host, port)`` in :mod:`marsad.api.app`."""
