"""The fetching settings that ``marsad watch`` adds to Settings."""

from __future__ import annotations

import pytest

from marsad.errors import MarsadError
from marsad.settings import Settings
from marsad.watch.fetch import FetchConfig


def test_defaults_are_polite():
    s = Settings.build(env={})
    assert s.allow_hosts == ()
    assert s.user_agent.startswith("marsad/")
    assert s.host_delay >= 1.0 and s.host_concurrency <= 2 and s.fetch_retries >= 1
    config = FetchConfig.from_settings(s)
    assert (config.timeout, config.max_bytes, config.host_delay) == (s.fetch_timeout, s.fetch_max_bytes, s.host_delay)


def test_allowed_hosts_from_env_and_arguments():
    s = Settings.build(env={"MARSAD_ALLOW_HOSTS": " 127.0.0.1, Intranet.Example ,,"})
    assert s.allow_hosts == ("127.0.0.1", "intranet.example")
    s = Settings.build(env={"MARSAD_ALLOW_HOSTS": "a.example"}, allow_hosts=("B.example",))
    assert s.allow_hosts == ("b.example",)
    assert Settings(allow_hosts="x.example, y.example").allow_hosts == ("x.example", "y.example")  # type: ignore[arg-type]


def test_numbers_from_env_are_typed_and_checked():
    s = Settings.build(env={"MARSAD_FETCH_TIMEOUT": "0.5", "MARSAD_HOST_CONCURRENCY": "4",
                            "MARSAD_WATCH_INTERVAL": "60"})
    assert s.fetch_timeout == 0.5 and s.host_concurrency == 4 and s.watch_interval == 60.0
    with pytest.raises(MarsadError, match="MARSAD_FETCH_TIMEOUT"):
        Settings.build(env={"MARSAD_FETCH_TIMEOUT": "soon"})
    for bad in ({"fetch_timeout": 0}, {"watch_interval": -1}, {"host_delay": -0.5}, {"fetch_retries": -1},
                {"host_concurrency": 0}, {"fetch_max_bytes": 0}):
        with pytest.raises(MarsadError) as err:
            Settings.build(env={}, **bad)
        assert err.value.code == "bad_usage" and next(iter(bad)) in err.value.message
