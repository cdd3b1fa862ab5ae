"""Browser fixtures: a real uvicorn server on 127.0.0.1 and Debian's Chromium driven by Playwright.

The tests are skipped, with the reason, when ``/usr/bin/chromium`` or the
``playwright`` package is missing.  Playwright never downloads a browser
here: it is pointed at the system Chromium.  Screenshots go to
``test-artifacts/`` at the repository root.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
STARTUP_SECONDS = 30


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install playwright)"
    return None


MISSING = _missing()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives Chromium against a live server (skipped without it)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            if MISSING:
                item.add_marker(pytest.mark.skip(reason=MISSING))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, proc: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer {url} within {seconds}s")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of ``uvicorn`` serving marsad over a store of fixture articles."""
    from tests.unit.api_fixtures import build_store

    folder = tmp_path_factory.mktemp("browser")
    db = folder / "dashboard.db"
    build_store(db).close()
    port = free_port()
    env = {**os.environ, "MARSAD_DB": str(db), "MARSAD_API_TOKEN": "browser-test-token"}
    log = open(folder / "server.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "marsad.api.app:app_from_env", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=folder,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/api/stats", proc, STARTUP_SECONDS)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class Watched:
    """A page plus what it did: console errors, page errors, requests to other hosts, dialogs."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.base = base
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("request", lambda r: None if r.url.startswith(base) else self.foreign_requests.append(r.url))

        def on_dialog(d: Any) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)

    def open(self) -> Any:
        self.page.goto(self.base + "/")
        self.wait_ready()
        return self.page

    def wait_ready(self) -> None:
        self.page.wait_for_selector('body[data-ready="yes"][data-countries][data-markers]', state="attached",
                                    timeout=20_000)

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path))
        return path


def _page(browser: Any, server: str, **context: Any) -> Iterator[Watched]:
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, **context)
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    try:
        yield Watched(page, server)
    finally:
        ctx.close()


@pytest.fixture
def watched(browser: Any, server: str) -> Iterator[Watched]:
    """A fresh page with the server's Content Security Policy in force."""
    yield from _page(browser, server)


@pytest.fixture
def watched_without_csp(browser: Any, server: str) -> Iterator[Watched]:
    """A fresh page that ignores the Content Security Policy: only the page's own escaping protects it."""
    yield from _page(browser, server, bypass_csp=True)
