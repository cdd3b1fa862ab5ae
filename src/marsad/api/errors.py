"""One JSON error shape for every error the API returns.

Every error, whatever raised it (an unknown path, a wrong method, a
parameter that fails validation, a missing token, a query the store cannot
run, a bug), reaches the client as ``{"error": {"code", "message"}}`` with a
4xx/5xx status.  Codes are those of :data:`marsad.errors.CODES` when a
:class:`~marsad.errors.MarsadError` is the cause, else one of
:data:`HTTP_CODES`.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from marsad.errors import MarsadError

log = logging.getLogger("marsad.api")

# Codes of errors that only the HTTP layer raises, with what they mean.
HTTP_CODES: dict[str, str] = {
    "bad_request": "a parameter or the request body is invalid (the message says which)",
    "unauthorized": "the endpoint changes data and needs Authorization: Bearer <token>",
    "forbidden": "the endpoint is disabled (no API token is configured on the server)",
    "not_found": "no such path or item",
    "method_not_allowed": "the path does not accept this HTTP method",
    "too_large": "the request body is larger than the configured size limit",
    "unsupported_media_type": "the request body's Content-Type is not one the endpoint reads",
    "internal_error": "the server failed; the message carries no detail, the log does",
}

_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "bad_request",
}

# HTTP status of each MarsadError code; unlisted codes are a bad input (400).
_MARSAD_STATUS = {
    "not_found": 404,
    "too_large": 413,
    "dropped": 422,
    "no_body": 422,
    "store_failed": 503,
    "stage_failed": 500,
    "timeout": 504,
}


class ApiError(Exception):
    """An error the API answers with ``status`` and ``{"error": {code, message}}``."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """The one error shape."""
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


def marsad_status(error: MarsadError) -> int:
    """The HTTP status that answers a MarsadError."""
    return _MARSAD_STATUS.get(error.code, 400)


def _validation_message(errors: list[Any]) -> str:
    parts = []
    for err in errors[:5]:
        where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "the request is invalid"


async def _on_api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message, exc.headers)


async def _on_marsad_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, MarsadError)
    status = marsad_status(exc)
    if status >= 500:
        log.error("%s %s: %s", request.method, request.url.path, exc)
    return error_response(status, exc.code, exc.message)


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _STATUS_CODES.get(exc.status_code, "internal_error" if exc.status_code >= 500 else "bad_request")
    detail = exc.detail if isinstance(exc.detail, str) else "error"
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"no such path: {request.url.path}"
    elif exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
    return error_response(exc.status_code, code, detail, getattr(exc, "headers", None))


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = jsonable_encoder(exc.errors())
    return error_response(422, "bad_request", _validation_message(errors))


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("%s %s failed", request.method, request.url.path)
    return error_response(500, "internal_error", "the server failed to answer this request")


def install_error_handlers(app: FastAPI) -> None:
    """Make every error of ``app`` answer in the one JSON shape."""
    app.add_exception_handler(ApiError, _on_api_error)
    app.add_exception_handler(MarsadError, _on_marsad_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(Exception, _on_unexpected)
