"""Live monitoring: follow RSS/Atom feeds politely and keep the store current.

``marsad watch FEEDS`` (:func:`marsad.watch.cli.main`) polls feeds on a
schedule; :class:`Watcher` fetches each new entry once, analyses it and
stores it together with the feed state, so a restart resumes where the
last run stopped.  :func:`status` gives the per-feed status the CLI and
the API report.
"""

from marsad.watch.feeds import FeedEntry, FeedSpec, parse_feed, read_feed_list
from marsad.watch.fetch import FetchConfig, Fetcher, FetchError, Response
from marsad.watch.safety import AddressPolicy, Target, address_refusal, check_url
from marsad.watch.state import status
from marsad.watch.watcher import FeedReport, Watcher

__all__ = [
    "AddressPolicy",
    "FeedEntry",
    "FeedReport",
    "FeedSpec",
    "FetchConfig",
    "FetchError",
    "Fetcher",
    "Response",
    "Target",
    "Watcher",
    "address_refusal",
    "check_url",
    "parse_feed",
    "read_feed_list",
    "status",
]
