"""``POST /api/ingest``: analyse posted pages and store them (needs the API token).

The body is a JSON record (``text`` or ``html``, and optionally ``id``,
``url``, ``published``, ``title``: the JSON Lines record of ``marsad
analyze``), a JSON list of up to :data:`MAX_RECORDS` such records, or a raw
page sent as ``text/html`` or ``text/plain`` (metadata then comes from the
query string).  The token is checked before the body is read.
"""

from __future__ import annotations

import hmac
import json
import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import TypeAdapter, ValidationError

from marsad.api.errors import ApiError, error_response, marsad_status
from marsad.api.models import ErrorResponse, IngestRecord, IngestResult
from marsad.documents import Article, RawPage
from marsad.errors import MarsadError
from marsad.extract.dates import iso_date
from marsad.ingest.jsonl import page_from_record
from marsad.pipeline.base import Failure, Pipeline

MAX_RECORDS = 100
MAX_URLS = 20  # pages fetched per request
SOURCE = "api"

router = APIRouter()
_bearer = HTTPBearer(auto_error=False, description="the server's API token (MARSAD_API_TOKEN)")
_records = TypeAdapter(IngestRecord | list[IngestRecord])
_pipeline_lock = threading.Lock()


def require_token(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    """Let the request through only with ``Authorization: Bearer <the configured token>``."""
    token: str | None = request.app.state.settings.api_token
    if not token:
        raise ApiError(403, "forbidden", "endpoints that change data are disabled: no API token is configured "
                       "on the server (MARSAD_API_TOKEN)")
    given = credentials.credentials if credentials is not None else ""
    if not given or not hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8")):
        raise ApiError(401, "unauthorized", "a valid token is required: Authorization: Bearer <token>",
                       headers={"WWW-Authenticate": 'Bearer realm="marsad"'})


async def _read_body(request: Request, max_bytes: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise ApiError(413, "too_large", f"the body is larger than {max_bytes} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise ApiError(413, "too_large", f"the body is larger than {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _url_list(data: Any) -> list[str] | None:
    """The URLs of a ``{"urls": [...]}`` body, or None for a body of records."""
    if not (isinstance(data, dict) and "urls" in data):
        return None
    urls = data["urls"]
    if not isinstance(urls, list) or not all(isinstance(u, str) and 0 < len(u) <= 2048 for u in urls):
        raise ApiError(422, "bad_request", "urls: a list of URL strings (at most 2048 characters each)")
    if not urls:
        raise ApiError(422, "bad_request", "urls: the list is empty")
    if len(urls) > MAX_URLS:
        raise ApiError(422, "bad_request", f"at most {MAX_URLS} URLs per request, not {len(urls)}")
    return urls


def _fetch_pages(request: Request, urls: list[str]) -> list[RawPage | MarsadError]:
    """Fetch each URL as ``marsad watch`` does: http(s) only, the address policy
    (private and loopback hosts refused unless allowed), robots.txt, size cap."""
    from marsad.watch.fetch import Fetcher

    out: list[RawPage | MarsadError] = []
    with Fetcher.from_settings(request.app.state.settings) as fetcher:
        for url in urls:
            try:
                resp = fetcher.get(url, accept="text/html,application/xhtml+xml,text/plain;q=0.8")
            except MarsadError as e:
                out.append(e)
                continue
            ctype = (resp.content_type or "text/html").lower()
            out.append(RawPage(content=resp.content, kind="text" if ctype.startswith("text/plain") else "html",
                               source=resp.url, url=resp.url,
                               fetched=resp.fetched, content_type=resp.content_type, charset=resp.charset))
    return out


def _json_pages(body: bytes, max_bytes: int) -> list[RawPage]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "bad_request", "the body is not valid JSON") from None
    try:
        parsed = _records.validate_python(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ())) or "body"
        raise ApiError(422, "bad_request", f"{where}: {first.get('msg', 'invalid')}") from None
    records = parsed if isinstance(parsed, list) else [parsed]
    if not records:
        raise ApiError(422, "bad_request", "the list of records is empty")
    if len(records) > MAX_RECORDS:
        raise ApiError(422, "bad_request", f"at most {MAX_RECORDS} records per request, not {len(records)}")
    pages = []
    for i, record in enumerate(records):
        fields = record.model_dump(exclude_none=True)
        try:
            pages.append(page_from_record(fields, f"{SOURCE}#{i}", max_bytes=max_bytes))
        except MarsadError as e:
            raise ApiError(422, "bad_request" if e.code == "bad_jsonl" else e.code,
                           f"record {i}: {e.message}") from None
    return pages


def _raw_page(body: bytes, kind: str, charset: str | None, meta: dict[str, str | None]) -> RawPage:
    if not body.strip():
        raise ApiError(422, "empty_input", "the body is empty")
    published = meta.get("published")
    if published is not None:
        published = iso_date(published)
        if published is None:
            raise ApiError(422, "bad_date", f"published is not an ISO 8601 date: {meta['published']!r}")
    return RawPage(content=body, kind=kind, source=SOURCE, id=meta.get("id"), url=meta.get("url"),  # type: ignore[arg-type]
                   charset=charset, published=published, title=meta.get("title"))


def _pipeline(request: Request) -> Pipeline:
    state = request.app.state
    with _pipeline_lock:
        if getattr(state, "pipeline", None) is None:
            from marsad.pipeline.build import build_pipeline

            state.pipeline = build_pipeline(state.settings)
        return state.pipeline  # type: ignore[no-any-return]


def _analyse_and_store(request: Request, pages: list[RawPage]) -> list[dict[str, Any]]:
    pipeline = _pipeline(request)
    with _pipeline_lock:  # a pipeline keeps running counters: one batch at a time
        results = pipeline.run(pages)
    store = request.app.state.store
    items: list[dict[str, Any]] = []
    for res in results:
        if isinstance(res, Failure):
            items.append({"id": res.id, "stored": None, "error": res.error.to_dict()})
            continue
        assert isinstance(res, Article)
        res.source = res.source or SOURCE
        try:
            items.append({"id": res.id, "stored": store.add(res), "error": None})
        except MarsadError as e:
            items.append({"id": res.id, "stored": None, "error": e.to_dict()})
    return items


_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/IngestRecord"},
                        {"type": "array", "items": {"$ref": "#/components/schemas/IngestRecord"},
                         "maxItems": MAX_RECORDS},
                    ]
                }
            },
            "text/html": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}},
        },
    }
}


@router.post(
    "/api/ingest",
    response_model=IngestResult,
    dependencies=[Depends(require_token)],
    openapi_extra=_BODY_DOC,
    responses={
        401: {"model": ErrorResponse, "description": "no token, or a wrong one (unauthorized)"},
        403: {"model": ErrorResponse, "description": "no token is configured on the server (forbidden)"},
        413: {"model": ErrorResponse, "description": "the body is too large (too_large)"},
        415: {"model": ErrorResponse, "description": "not JSON, HTML or plain text"},
        422: {"model": ErrorResponse, "description": "an invalid record, or every document failed"},
    },
    summary="Analyse and store pages",
    tags=["ingest"],
)
async def ingest(
    request: Request,
    url: Annotated[str | None, Query(max_length=2048, description="raw bodies: the page's URL")] = None,
    title: Annotated[str | None, Query(max_length=1000, description="raw bodies: the page's title")] = None,
    published: Annotated[str | None, Query(max_length=40, description="raw bodies: ISO 8601 date")] = None,
    id: Annotated[str | None, Query(max_length=200, description="raw bodies: the document's id")] = None,
) -> JSONResponse:
    """Analyse posted documents and store them; storing the same document again changes nothing.

    The body is a JSON record (``text`` or ``html``, as a ``.jsonl`` line), a
    list of them, ``{"urls": [...]}`` (pages fetched as ``marsad watch`` would:
    http(s) only, private and loopback addresses refused unless allowed,
    robots.txt honoured), or a raw ``text/html`` / ``text/plain`` page.

    Each item says whether its document was stored (``stored: false`` when
    it was already there) or why it failed.  When every document fails, the
    answer is the first failure as an error.
    """
    settings = request.app.state.settings
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    charset = None
    for param in request.headers.get("content-type", "").split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip('"')
    if media not in ("application/json", "text/html", "text/plain"):
        raise ApiError(415, "unsupported_media_type",
                       f"send application/json, text/html or text/plain, not {media or 'no Content-Type'}")
    body = await _read_body(request, settings.max_bytes)
    fetched: list[RawPage | MarsadError] | None = None
    if media == "application/json":
        try:
            urls = _url_list(json.loads(body))
        except (ValueError, UnicodeDecodeError):
            urls = None  # reported by _json_pages
        if urls is not None:
            fetched = await run_in_threadpool(_fetch_pages, request, urls)
            pages = [p for p in fetched if isinstance(p, RawPage)]
        else:
            pages = _json_pages(body, settings.max_bytes)
    else:
        meta = {"url": url, "title": title, "published": published, "id": id}
        pages = [_raw_page(body, "html" if media == "text/html" else "text", charset, meta)]
    items = await run_in_threadpool(_analyse_and_store, request, pages) if pages else []
    if fetched is not None:  # fetch failures keep their place among the URLs
        done = iter(items)
        items = [next(done) if isinstance(p, RawPage) else {"id": None, "stored": None, "error": p.to_dict()}
                 for p in fetched]
    failed = [i for i in items if i["error"] is not None]
    if len(failed) == len(items):
        first = failed[0]["error"]
        status = marsad_status(MarsadError(first["code"], first["message"]))
        return error_response(status if status >= 500 else 422, first["code"], first["message"])
    return JSONResponse({
        "items": items,
        "stored": sum(1 for i in items if i["stored"] is True),
        "skipped": sum(1 for i in items if i["stored"] is False),
        "failed": len(failed),
    })
