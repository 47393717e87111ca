"""The local API's routes: health, readers, a read on request, the event stream and the reception form.

Bearer tokens (``Authorization: Bearer TOKEN``) name a client of the station (``station api-client``);
what a client receives of a holder is cut to its scopes (:mod:`.scopes`) and every release is audited by
the core. Browsers are let in only from the origins registered for a client (:class:`BrowserGuard`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib import resources
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from swagger_ui_bundle import swagger_ui_path

from cccd_station.db import ApiClient, DbError
from cccd_station.reader.keys import KEY_KINDS, KeyFormatError, parse_key
from cccd_station.station.api.errors import ApiError, api_error
from cccd_station.station.api.hub import ClientRemoved, EventHub, Subscription
from cccd_station.station.api.limits import FailedAuthLimiter
from cccd_station.station.api.scopes import API_SCOPES, full_report, released
from cccd_station.station.core import Station
from cccd_station.station.pipeline import InspectionResult

log = logging.getLogger(__name__)

MAX_WAIT_S = 120.0
AUTH_MESSAGE_TIMEOUT_S = 10.0
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})
# WebSocket close codes: 4000 + the HTTP status they stand for.
CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_AUTH_TIMEOUT = 4408
CLOSE_RATE_LIMITED = 4429
CLOSE_TOO_SLOW = 1013

DESCRIPTION = """
The counter's verified reads for the programs clerks already use (a hospital's HIS, an insurance
check-in screen, a commune's records software).

**Authentication**: `Authorization: Bearer TOKEN`, a token from `station api-client add`. Only
`/v1/health` needs none. Repeated wrong tokens shut the sender out for a while (429).

**Scopes** limit what of a holder a client receives: `identity`, `address`, `family`, `details`,
`photo`, `checks` (the README lists the fields of each).

**Events**: WebSocket `/v1/events`. Authenticate with the `Authorization` header, or (browsers) send
`{"token": "..."}` as the first message. A `hello` message follows, then every event as JSON with a
growing `seq`: `reader.added`, `reader.removed`, `card.inserted`, `card.removed`, `read.started`,
`read.progress`, `read.completed` (`result`: the read cut to the client's scopes) and `read.failed`
(`kind`, `message`). Reconnect with `?since=SEQ` to get what was missed from a small memory.

**Errors** are `{"error": kind, "message": sentence}`.
"""


class ErrorBody(BaseModel):
    error: str = Field(description="the kind of error, such as wrong_key or card_removed")
    message: str = Field(description="a plain English sentence")


class Health(BaseModel):
    status: str
    version: str
    reader: str | None = Field(description="the reader a read uses unless it names another")
    card_present: bool


class ReaderState(BaseModel):
    name: str
    card_present: bool
    physical: bool = Field(description="a reader on a desk, not a virtual one")


class Readers(BaseModel):
    readers: list[ReaderState]


class ReadRequest(BaseModel):
    """Exactly one key: ``id``, ``can`` or ``mrz``."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(None, description="the 12-digit CCCD number", examples=["001085014763"])
    can: str | None = Field(None, description="the 6-digit card access number")
    mrz: str | None = Field(None, description="DOCNO,YYMMDD,YYMMDD: document number, birth and expiry")
    reader: str | None = Field(None, description="a reader name (GET /v1/readers); default the station's")
    wait_s: float = Field(0.0, ge=0.0, le=MAX_WAIT_S, description="wait this long for a card")
    scopes: list[str] | None = Field(
        None, description="receive only these of the client's scopes (403 for one it lacks)"
    )


class ReadResult(BaseModel):
    """The object `station read --json` prints, cut to the client's scopes."""

    verdict: str = Field(description="verified, partial or failed")
    access: dict[str, Any]
    stats: dict[str, Any]
    checks: list[dict[str, Any]] | None = Field(description="scope checks")
    disagreements: list[str] | None = Field(description="scope checks")
    mrz: dict[str, Any] | None = Field(description="scope identity")
    holder: dict[str, Any] | None = Field(description="DG13's fields of the client's scopes")
    photo: dict[str, Any] | None = Field(description="scope photo: format, size, sha256, data, data_url")
    scopes: list[str]


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorBody} for status in statuses}


@dataclass
class ApiContext:
    """What the routes share: the core, the event hub, and how the server was started."""

    station: Station
    reader: str | None = None  # the reader a read uses unless it names another
    tls: bool = False
    listen_host: str = "127.0.0.1"
    version: str = ""
    limiter: FailedAuthLimiter = field(default_factory=FailedAuthLimiter)
    cancel: threading.Event = field(default_factory=threading.Event)  # set when the server stops
    hub: EventHub = field(init=False)

    def __post_init__(self) -> None:
        self.hub = EventHub(self.station)

    def host_allowed(self, host_header: str | None) -> bool:
        """Whether a request may name this host. Over plain HTTP only loopback names: a web page whose
        domain an attacker points at 127.0.0.1 (DNS rebinding) is refused; over TLS the certificate is
        the check."""
        if self.tls:
            return True
        if not host_header:
            return False
        host = host_header.lower()
        host = host[: host.index("]") + 1] if host.startswith("[") else host.rsplit(":", 1)[0]
        return host in LOOPBACK_HOSTS or host == self.listen_host

    def same_origin(self, origin: str, host_header: str | None) -> bool:
        """A page served by this API (the reception form)."""
        return host_header is not None and origin == f"{'https' if self.tls else 'http'}://{host_header}"

    def reader_state(self) -> tuple[str | None, bool]:
        """(the reader a read would use, whether it holds a card)."""
        readers = self.station.reader_list()
        if self.reader is not None:
            named = [each for each in readers if each.name == self.reader]
            return self.reader, bool(named and named[0].card_present)
        ordered = sorted(readers, key=lambda each: (not each.card_present, not each.physical))
        return (ordered[0].name, ordered[0].card_present) if ordered else (None, False)


def _json_error(error: ApiError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status, headers=error.headers)


def _rate_limited(seconds: int) -> ApiError:
    return ApiError(
        429,
        "rate_limited",
        f"Too many wrong tokens from this address: try again in {seconds} s.",
        {"Retry-After": str(seconds)},
    )


def _authenticate(context: ApiContext, address: str, token: str | None) -> ApiClient:
    """The client holding ``token``; on the calling (worker) thread, as it asks the database."""
    wait = context.limiter.retry_after(address)
    if wait:
        raise _rate_limited(wait)
    client = context.station.authenticate_api_client(token) if token else None
    if client is None:
        if token:
            context.limiter.failed(address)
        raise ApiError(401, "unauthorized", "A valid token is required: Authorization: Bearer TOKEN.")
    return client


def _check_origin(context: ApiContext, client: ApiClient, headers: Headers) -> None:
    origin = headers.get("origin")
    if origin and not context.same_origin(origin, headers.get("host")) and origin not in client.origins:
        raise ApiError(403, "origin_not_allowed", f"This client is not registered for the origin {origin}.")


_bearer = HTTPBearer(auto_error=False, description="a token from `station api-client add`")


def authenticated_client(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> ApiClient:
    context: ApiContext = request.app.state.api
    address = request.client.host if request.client else "unknown"
    client = _authenticate(context, address, credentials.credentials if credentials else None)
    _check_origin(context, client, request.headers)
    return client


Client = Annotated[ApiClient, Depends(authenticated_client)]


class BrowserGuard:
    """What browsers may do: the Host check against DNS rebinding, and CORS only for the origins some
    client registered, including Chrome's Private Network Access preflight (a public HTTPS page asking
    for a local address); a request from any other origin is refused before it reaches a route."""

    def __init__(self, app: ASGIApp, context: ApiContext) -> None:
        self.app = app
        self.context = context

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host")
        if not self.context.host_allowed(host):
            await self._refuse(
                scope, receive, send, ApiError(400, "bad_host", "This host name is not served.")
            )
            return
        origin = headers.get("origin")
        if origin is None or self.context.same_origin(origin, host):
            await self.app(scope, receive, send)
            return
        if origin not in await run_in_threadpool(self.context.station.api_client_origins):
            await self._refuse(
                scope,
                receive,
                send,
                ApiError(403, "origin_not_allowed", f"The origin {origin} is not registered."),
            )
            return
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            preflight = {
                "Access-Control-Allow-Origin": origin,
                "Access-Control-Allow-Methods": "GET, POST",
                "Access-Control-Allow-Headers": "Authorization, Content-Type",
                "Access-Control-Max-Age": "600",
                "Vary": "Origin",
            }
            if headers.get("access-control-request-private-network") == "true":
                preflight["Access-Control-Allow-Private-Network"] = "true"
            await Response(status_code=204, headers=preflight)(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    (b"access-control-allow-origin", origin.encode("latin-1")),
                    (b"vary", b"Origin"),
                ]
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, error: ApiError) -> None:
        if scope["type"] == "websocket":
            socket = WebSocket(scope, receive, send)
            if "websocket.http.response" in scope.get("extensions", {}):
                await socket.send_denial_response(_json_error(error))
            else:
                await socket.close(CLOSE_FORBIDDEN)
            return
        await _json_error(error)(scope, receive, send)


DOCS_ASSETS = "/docs-assets"  # Swagger UI's script and style, from the swagger-ui-bundle package


def create_app(context: ApiContext) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        context.hub.start(asyncio.get_running_loop())
        try:
            yield
        finally:
            context.hub.stop()

    app = FastAPI(
        title="CCCD Station local API",
        version=context.version,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served below from the station's own copy of Swagger UI: counters are offline
        redoc_url=None,
    )
    app.mount(DOCS_ASSETS, StaticFiles(directory=swagger_ui_path), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="CCCD Station local API",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon-32x32.png",
        )

    app.state.api = context
    app.add_middleware(BrowserGuard, context=context)

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
        return _json_error(error)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in each['loc'][1:]) or 'body'}: {each['msg']}"
            for each in error.errors()
        )
        return _json_error(ApiError(400, "bad_request", problems or "The request is not valid JSON."))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        kind = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        return _json_error(ApiError(error.status_code, kind, str(error.detail)))

    @app.get("/v1/health", response_model=Health, tags=["station"])
    def health() -> Health:
        """Whether the station answers, and whether a card lies on its reader. No token needed."""
        reader, card_present = context.reader_state()
        return Health(status="ok", version=context.version, reader=reader, card_present=card_present)

    @app.get(
        "/v1/readers", response_model=Readers, responses=error_responses(401, 403, 429), tags=["station"]
    )
    def readers(_client: Client) -> Readers:
        """The readers and whether each holds a card."""
        return Readers(
            readers=[
                ReaderState(name=each.name, card_present=each.card_present, physical=each.physical)
                for each in context.station.reader_list()
            ]
        )

    @app.post(
        "/v1/read",
        response_model=ReadResult,
        responses=error_responses(400, 401, 403, 408, 409, 410, 422, 423, 429, 502, 503),
        tags=["reads"],
    )
    def read(request: ReadRequest, client: Client) -> JSONResponse:
        """Read and verify the document on the reader with the key given, waiting up to ``wait_s`` for
        a card: the object of `station read --json`, cut to the client's scopes. 401 without a valid
        token, 403 for a scope the client lacks, 408 no card within ``wait_s``, 409 the reader is
        busy, 410 the card was removed during the read, 422 a malformed key, 423 the card refused the
        key."""
        scopes = _requested_scopes(client, request.scopes)
        key = _key(request)
        try:
            result = context.station.read(
                key, reader=request.reader or context.reader, wait_s=request.wait_s, cancel=context.cancel
            )
        except Exception as error:
            raise api_error(error) from error
        return JSONResponse(_release(context, client, scopes, result))

    @app.websocket("/v1/events")
    async def events(socket: WebSocket, since: Annotated[int | None, Query(ge=0)] = None) -> None:
        await _serve_events(context, socket, since)

    @app.get("/reception", response_class=HTMLResponse, include_in_schema=False)
    def reception() -> HTMLResponse:
        """The reference reception form (resources/web/reception.html)."""
        page = resources.files("cccd_station.resources.web").joinpath("reception.html").read_text("utf-8")
        return HTMLResponse(page, headers={"Cache-Control": "no-store"})

    return app


def _requested_scopes(client: ApiClient, requested: list[str] | None) -> tuple[str, ...]:
    if requested is None:
        return client.scopes
    unknown = sorted(set(requested) - set(API_SCOPES))
    if unknown:
        raise ApiError(
            400, "bad_request", f"Unknown scope {unknown[0]!r}: scopes are {', '.join(API_SCOPES)}."
        )
    lacking = sorted(set(requested) - set(client.scopes))
    if lacking:
        raise ApiError(403, "scope_missing", f"This client may not receive the scope {lacking[0]!r}.")
    if not requested:
        raise ApiError(400, "bad_request", "Ask for at least one scope, or leave scopes out.")
    return tuple(scope for scope in API_SCOPES if scope in requested)


def _key(request: ReadRequest) -> Any:
    given = [(kind, getattr(request, kind)) for kind in KEY_KINDS if getattr(request, kind) is not None]
    try:
        if len(given) != 1:
            raise KeyFormatError("Give exactly one key: id, can or mrz.")
        return parse_key(*given[0])
    except KeyFormatError as error:
        raise api_error(error) from error


def _release(
    context: ApiContext, client: ApiClient, scopes: tuple[str, ...], result: InspectionResult
) -> dict[str, Any]:
    """The result cut to ``scopes``, once its release is audited (not released if it cannot be)."""
    report = full_report(result)
    try:
        recorded = context.station.record_release(result, [(client, scopes)])
    except DbError as error:
        raise api_error(error) from error
    if not recorded:  # removed while its read ran
        raise ApiError(401, "unauthorized", "This client was removed.")
    return released(report, scopes)


async def _serve_events(context: ApiContext, socket: WebSocket, since: int | None) -> None:
    address = socket.client.host if socket.client else "unknown"
    header = socket.headers.get("authorization", "")
    token = header[7:].strip() if header[:7].lower() == "bearer " else None
    if token is not None:
        try:
            client = await run_in_threadpool(_authenticate, context, address, token)
            _check_origin(context, client, socket.headers)
        except ApiError as error:
            await socket.send_denial_response(_json_error(error))
            return
        await socket.accept()
    else:
        wait = context.limiter.retry_after(address)
        if wait:
            await socket.send_denial_response(_json_error(_rate_limited(wait)))
            return
        await socket.accept()
        client_or_code = await _first_message_client(context, socket, address)
        if isinstance(client_or_code, int):
            await socket.close(client_or_code)
            return
        client = client_or_code
    subscription, hello = context.hub.subscribe(client, since)
    try:
        await socket.send_text(json.dumps(hello))
        sender = asyncio.ensure_future(_send_events(context, socket, subscription))
        receiver = asyncio.ensure_future(_drain(socket))
        done, pending = await asyncio.wait({sender, receiver}, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        for task in pending:
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect):
                await task
        for task in done:
            code = None if task.exception() else task.result()
            if code is not None:
                with contextlib.suppress(Exception):  # the client may be gone already
                    await socket.close(code)
    except WebSocketDisconnect:
        pass
    finally:
        context.hub.unsubscribe(subscription)


async def _first_message_client(context: ApiContext, socket: WebSocket, address: str) -> ApiClient | int:
    """The client whose token a browser sent as its first message, else the close code."""
    try:
        text = await asyncio.wait_for(socket.receive_text(), AUTH_MESSAGE_TIMEOUT_S)
    except TimeoutError:
        return CLOSE_AUTH_TIMEOUT
    except (WebSocketDisconnect, RuntimeError, KeyError):
        return CLOSE_UNAUTHORIZED
    try:
        message = json.loads(text)
        token = message.get("token") if isinstance(message, dict) else None
    except ValueError:
        token = None
    try:
        client = await run_in_threadpool(
            _authenticate, context, address, token if isinstance(token, str) else None
        )
        _check_origin(context, client, socket.headers)
    except ApiError as error:
        return {429: CLOSE_RATE_LIMITED, 403: CLOSE_FORBIDDEN}.get(error.status, CLOSE_UNAUTHORIZED)
    return client


async def _send_events(context: ApiContext, socket: WebSocket, subscription: Subscription) -> int | None:
    """Send the client's events in order until the server stops (None) or it must go (a close code)."""
    while True:
        entry = await subscription.queue.get()
        if entry is None:
            return CLOSE_TOO_SLOW if subscription.overflowed else 1001
        try:
            text = await context.hub.render(entry, subscription)
        except ClientRemoved:
            return CLOSE_UNAUTHORIZED
        await socket.send_text(text)


async def _drain(socket: WebSocket) -> None:
    """Read (and ignore) what the client sends, until it leaves."""
    while True:
        message = await socket.receive()
        if message["type"] == "websocket.disconnect":
            return
