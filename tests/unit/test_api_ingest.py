"""POST /api/ingest: the token guards it, posted pages are analysed and stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402
from tests.conftest import SEED, TEST_DATA  # noqa: E402
from tests.unit.test_api import assert_error  # noqa: E402

from marsad.api.app import create_app  # noqa: E402
from marsad.settings import Settings  # noqa: E402

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
REPORT = ("أعلنت السلطات المحلية في محافظة نينوى أن مئات العائلات عادت إلى قراها جنوب الموصل بعد "
          "انتهاء العمليات العسكرية، وقال مسؤول في المحافظة إن الخدمات الأساسية ستعود تدريجياً.")


def make_client(tmp_path: Path, **settings: Any) -> TestClient:
    app = create_app(Settings(db=tmp_path / "ingest.db", **settings))
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return make_client(tmp_path, api_token=TOKEN)


def test_ingest_is_disabled_without_a_configured_token(tmp_path: Path):
    client = make_client(tmp_path)  # no api_token
    assert_error(client.post("/api/ingest", json={"text": REPORT}), 403, "forbidden")
    assert_error(client.post("/api/ingest", json={"text": REPORT}, headers=AUTH), 403, "forbidden")
    assert client.get("/api/articles").json()["total"] == 0


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": TOKEN},
        {"Authorization": "Bearer "},
        {"X-Api-Token": TOKEN},
    ],
)
def test_ingest_rejects_everything_but_the_token(client: TestClient, headers: dict[str, str]):
    resp = client.post("/api/ingest", json={"text": REPORT}, headers=headers)
    assert_error(resp, 401, "unauthorized")
    assert resp.headers["www-authenticate"].startswith("Bearer")
    assert client.get("/api/articles").json()["total"] == 0


def test_token_is_checked_before_the_body_is_read(client: TestClient):
    # a broken body from a client without the token is still a 401, not a 400
    resp = client.post("/api/ingest", content=b"{not json", headers={"Content-Type": "application/json"})
    assert_error(resp, 401, "unauthorized")


def test_ingest_a_json_record_then_read_and_search_it(client: TestClient):
    record = {"text": REPORT, "url": "https://news.example.iq/ninawa/returns", "title": "عودة العائلات إلى قراها",
              "published": "2017-08-01", "id": "ninawa-returns", "ignored_key": 1}
    resp = client.post("/api/ingest", json=record, headers=AUTH)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body == {"items": [{"id": "ninawa-returns", "stored": True, "error": None}],
                    "stored": 1, "skipped": 0, "failed": 0}
    article = client.get("/api/articles/ninawa-returns").json()
    assert article["text"] == REPORT and article["title"] == "عودة العائلات إلى قراها"
    assert article["published"] == "2017-08-01" and article["language"] == "ar"
    hits = client.get("/api/search", params={"q": "نينوى"}).json()
    assert [h["id"] for h in hits["items"]] == ["ninawa-returns"]
    # the same document again changes nothing
    again = client.post("/api/ingest", json=record, headers=AUTH).json()
    assert again["items"][0]["stored"] is False and again["skipped"] == 1
    assert client.get("/api/articles").json()["total"] == 1


def test_ingest_a_list_with_a_failing_record(client: TestClient):
    """A request whose records are valid goes on past a document that fails analysis."""
    records = [{"text": REPORT, "id": "a"}, {"text": SEED.read_text("utf-8"), "id": "seed"},
               {"text": "   \n  ", "id": "empty"}]
    resp = client.post("/api/ingest", json=records, headers=AUTH)
    # a blank text fails validation of the whole request before anything is stored
    assert_error(resp, 422, "empty_input")
    assert client.get("/api/articles").json()["total"] == 0
    records[2] = {"html": "<html><head><title>x</title></head><body></body></html>", "id": "no-body"}
    body = client.post("/api/ingest", json=records, headers=AUTH).json()
    assert body["stored"] == 2 and body["failed"] == 1
    failed = body["items"][2]
    assert failed["id"] == "no-body" and failed["stored"] is None and failed["error"]["code"] == "no_body"
    seed = client.get("/api/articles/seed").json()
    assert seed["title"] == "فارون من الموصل .. المقاومة تتصاعد ضد تنظيم داعش"


def test_ingest_raw_html_with_metadata_in_the_query(client: TestClient):
    html = (TEST_DATA / "article_ar.html").read_bytes()
    resp = client.post("/api/ingest", content=html, headers={**AUTH, "Content-Type": "text/html; charset=utf-8"},
                       params={"url": "https://example.org/a", "published": "2016-10-20"})
    assert resp.status_code == 200, resp.text
    stored = resp.json()["items"][0]
    article = client.get(f"/api/articles/{stored['id']}").json()
    assert article["url"] == "https://example.org/a"
    assert article["published"] == "2006-09-30"  # the page's own date wins over the default given
    assert len(article["text"]) > 100


def test_ingest_raw_cp1256_html_is_decoded(client: TestClient):
    html = (TEST_DATA / "article_ar_cp1256.html").read_bytes()
    resp = client.post("/api/ingest", content=html, headers={**AUTH, "Content-Type": "text/html"})
    assert resp.status_code == 200, resp.text
    article = client.get(f"/api/articles/{resp.json()['items'][0]['id']}").json()
    assert any("\u0600" <= c <= "\u06ff" for c in article["text"])


def test_ingest_plain_text(client: TestClient):
    resp = client.post("/api/ingest", content=REPORT.encode("utf-8"),
                       headers={**AUTH, "Content-Type": "text/plain"}, params={"id": "plain", "published": "2017-08-01"})
    assert resp.status_code == 200, resp.text
    article = client.get("/api/articles/plain").json()
    assert article["text"] == REPORT and article["published"] == "2017-08-01"


@pytest.mark.parametrize(
    "content, ctype, status, code",
    [
        (b"{not json", "application/json", 400, "bad_request"),
        (json.dumps({"title": "no text"}).encode(), "application/json", 422, "bad_request"),
        (json.dumps({"text": 5}).encode(), "application/json", 422, "bad_request"),
        (json.dumps([]).encode(), "application/json", 422, "bad_request"),
        (json.dumps([{"text": "x"}] * 101).encode(), "application/json", 422, "bad_request"),
        (json.dumps({"text": REPORT, "published": "yesterday"}).encode(), "application/json", 422, "bad_date"),
        (b"", "text/plain", 422, "empty_input"),
        (REPORT.encode(), "application/xml", 415, "unsupported_media_type"),
        (REPORT.encode(), "", 415, "unsupported_media_type"),
    ],
)
def test_bad_ingest_bodies(client: TestClient, content: bytes, ctype: str, status: int, code: str):
    headers = {**AUTH, **({"Content-Type": ctype} if ctype else {})}
    assert_error(client.post("/api/ingest", content=content, headers=headers), status, code)
    assert client.get("/api/articles").json()["total"] == 0


def test_raw_body_with_a_bad_published_date(client: TestClient):
    resp = client.post("/api/ingest", content=REPORT.encode(), headers={**AUTH, "Content-Type": "text/plain"},
                       params={"published": "2016-02-30"})
    assert_error(resp, 422, "bad_date")


def test_body_larger_than_the_limit(tmp_path: Path):
    client = make_client(tmp_path, api_token=TOKEN, max_bytes=1000)
    big = ("خبر " * 400).encode("utf-8")
    assert_error(client.post("/api/ingest", content=big, headers={**AUTH, "Content-Type": "text/plain"}),
                 413, "too_large")
    small = client.post("/api/ingest", content=REPORT.encode(), headers={**AUTH, "Content-Type": "text/plain"})
    assert small.status_code == 200, small.text


def test_when_every_document_fails_the_answer_is_an_error(client: TestClient):
    resp = client.post("/api/ingest", json={"html": "<html><body><script>x=1</script></body></html>"}, headers=AUTH)
    assert_error(resp, 422, "no_body")


def test_reads_after_ingest_go_through_the_reader_pool(tmp_path: Path):
    """The app reads through pooled read-only connections and sees what it has just written."""
    client = make_client(tmp_path, api_token=TOKEN)
    pool = client.app.state.readers  # type: ignore[attr-defined]
    assert pool is not None and pool.opened == 0
    assert client.get("/api/articles").json()["total"] == 0
    assert pool.opened == 1
    client.post("/api/ingest", json={"text": REPORT, "id": "r"}, headers=AUTH)
    assert client.get("/api/articles").json()["total"] == 1
    assert client.get("/api/search", params={"q": "نينوى"}).json()["total"] == 1
    assert client.app.state.store.readonly is False  # type: ignore[attr-defined]
    assert all(s.readonly for s in pool._opened)


def test_an_id_with_slashes_can_be_read_back(client: TestClient):
    client.post("/api/ingest", json={"text": REPORT, "id": "feeds/ninawa/2017/1"}, headers=AUTH)
    assert client.get("/api/articles/feeds/ninawa/2017/1").json()["id"] == "feeds/ninawa/2017/1"


@pytest.fixture
def page_server():
    """Arabic pages on 127.0.0.1 (a free port), for ingest by URL."""
    import http.server
    import threading

    html = f"<html><head><title>عودة العائلات</title></head><body><article><p>{REPORT}</p></article></body></html>"

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/robots.txt":
                self.send_response(404)
                self.end_headers()
                return
            if self.path != "/news/1":
                self.send_response(404)
                self.end_headers()
                return
            body = html.encode("cp1256")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=windows-1256")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_ingest_by_url_fetches_with_the_address_policy(tmp_path: Path, page_server: str):
    urls = [f"{page_server}/news/1", f"{page_server}/missing", "file:///etc/passwd"]
    allowed = make_client(tmp_path, api_token=TOKEN, allow_hosts=("127.0.0.1",), fetch_retries=0)
    resp = allowed.post("/api/ingest", json={"urls": urls}, headers=AUTH)
    assert resp.status_code == 200, resp.text
    items = resp.json()["items"]
    assert len(items) == 3
    assert items[0]["stored"] is True and items[0]["error"] is None
    assert items[1]["error"]["code"] == "fetch_failed"
    assert items[2]["error"]["code"] == "bad_url"
    article = allowed.get(f"/api/articles/{items[0]['id']}").json()
    assert REPORT in article["text"]  # windows-1256 came out as Arabic
    assert article["url"] == urls[0]
    again = allowed.post("/api/ingest", json={"urls": urls[:1]}, headers=AUTH)
    assert again.json()["items"][0]["stored"] is False
    # without the host allowed, loopback is refused before any request
    (tmp_path / "other").mkdir()
    refused = make_client(tmp_path / "other", api_token=TOKEN).post("/api/ingest", json={"urls": urls[:1]},
                                                                     headers=AUTH)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "blocked_address"


@pytest.mark.parametrize("body", [{"urls": []}, {"urls": "http://x"}, {"urls": [1]},
                                  {"urls": ["http://x.example/"] * 21}])
def test_ingest_by_url_validates_the_list(client: TestClient, body: dict[str, Any]):
    assert_error(client.post("/api/ingest", json=body, headers=AUTH), 422, "bad_request")
