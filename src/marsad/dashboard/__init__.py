"""The web dashboard: static files (``static/``) served by :mod:`marsad.api` at ``/``.

``static/vendor/`` holds the front-end packages copied from npm by
``scripts/build_dashboard_assets.sh``, with their licences.
"""
