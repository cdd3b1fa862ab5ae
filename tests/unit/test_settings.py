from pathlib import Path

import pytest

from marsad.errors import MarsadError
from marsad.settings import Settings, parse_iso_date


def test_defaults_and_env_and_overrides():
    s = Settings.build(env={})
    assert s.db == Path("marsad.db") and s.workers == 1
    s = Settings.build(env={"MARSAD_DB": "/tmp/x.db", "MARSAD_WORKERS": "2"})
    assert s.db == Path("/tmp/x.db") and s.workers == 2
    s = Settings.build(env={"MARSAD_DB": "/tmp/x.db"}, db="/tmp/y.db", workers=None)
    assert s.db == Path("/tmp/y.db") and s.workers == 1


def test_bad_values_fail_fast_with_the_variable_name():
    with pytest.raises(MarsadError, match="MARSAD_WORKERS"):
        Settings.build(env={"MARSAD_WORKERS": "two"})
    with pytest.raises(MarsadError, match="workers must be at least 1"):
        Settings.build(env={}, workers=0)
    with pytest.raises(MarsadError) as err:
        Settings.build(env={}, published="20-10-2016")
    assert err.value.code == "bad_date"


def test_published_is_normalised():
    assert Settings.build(env={}, published="2016-10-20T08:30:00Z").published == "2016-10-20"
    assert parse_iso_date(" 2016-10-20 ") == "2016-10-20"
    with pytest.raises(MarsadError):
        parse_iso_date("2016-13-01")
