"""The pool of read-only store connections behind the API."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from marsad.api.readers import ReaderPool
from marsad.documents import Article
from marsad.errors import MarsadError
from marsad.store.sqlite import Store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "r.db"
    with Store(path) as s:
        s.add(Article(id="a", text="قصف على حلب", title="حلب"))
    return path


def test_connections_are_read_only_and_reused(db: Path):
    pool = ReaderPool(str(db), size=2)
    with pool.borrow() as s:
        assert s.readonly and s.count() == 1
        with pytest.raises(MarsadError):
            s.add(Article(id="b", text="نص آخر"))
    with pool.borrow() as again:
        assert again is s  # given back, then lent again
    assert pool.opened == 1
    pool.close()


def test_at_most_size_connections_and_waiting(db: Path):
    pool = ReaderPool(str(db), size=2)
    held: list[Store] = []
    release = threading.Event()
    got_third = threading.Event()

    def hold() -> None:
        with pool.borrow() as s:
            held.append(s)
            release.wait(5)

    threads = [threading.Thread(target=hold) for _ in range(2)]
    for t in threads:
        t.start()
    while len(held) < 2:
        time.sleep(0.01)

    def third() -> None:
        with pool.borrow() as s:
            held.append(s)
            got_third.set()

    waiter = threading.Thread(target=third)
    waiter.start()
    assert not got_third.wait(0.2)  # all connections are lent: the third request waits
    release.set()
    assert got_third.wait(5)
    for t in [*threads, waiter]:
        t.join(5)
    assert pool.opened == 2 and held[2] in held[:2]
    pool.close()


def test_a_missing_store_is_an_error(tmp_path: Path):
    pool = ReaderPool(str(tmp_path / "none.db"))
    with pytest.raises(MarsadError) as err, pool.borrow():
        pass
    assert err.value.code == "not_found"
    with pytest.raises(ValueError):
        ReaderPool(str(tmp_path / "x.db"), size=0)
