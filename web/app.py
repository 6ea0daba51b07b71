"""The FastAPI app: one workspace for the server's lifetime, pages and `/api/…` routes, security headers."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractContextManager, asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from ikg.app.settings import Settings
from ikg.app.workspace import Workspace
from ikg.graph.errors import IkgError, NotFoundError

HERE = Path(__file__).parent
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

templates = Jinja2Templates(directory=str(HERE / "templates"))  # autoescape on for .html


class BadRequest(Exception):
    """A request parameter out of bounds; the message is Chinese and shown as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Served:
    """The open workspace, used by one request at a time (the embedded store is not thread-safe)."""

    def __init__(self, open_workspace: Callable[[], AbstractContextManager[Workspace]]) -> None:
        self._open = open_workspace
        self._lock = threading.Lock()
        self._ctx: AbstractContextManager[Workspace] | None = None
        self._ws: Workspace | None = None

    def start(self) -> None:
        self._ctx = self._open()
        self._ws = self._ctx.__enter__()

    def stop(self) -> None:
        if self._ctx is not None:
            self._ctx.__exit__(None, None, None)
        self._ctx = self._ws = None

    @contextmanager
    def use(self) -> Iterator[Workspace]:
        with self._lock:
            assert self._ws is not None, "the server has not started"
            yield self._ws


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response


def create_app(settings: Settings) -> FastAPI:
    """The app over the store and index `settings` name; opens them at start-up, closes them at shutdown."""
    from ikg.app.workspace import open_workspace

    served = Served(lambda: open_workspace(settings))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        served.start()
        try:
            yield
        finally:
            served.stop()

    app = FastAPI(title="ikg", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.served = served
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    from ikg.web import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)

    @app.exception_handler(BadRequest)
    async def bad_request(request: Request, exc: BadRequest) -> Response:
        return _error(request, 400, exc.message)

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return _error(request, 404, f"未找到：{exc}")

    @app.exception_handler(IkgError)
    async def ikg_error(request: Request, exc: IkgError) -> Response:
        return _error(request, 409, f"无法完成：{exc}")

    return app


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    page: HTMLResponse = templates.TemplateResponse(
        request, "error.html", {"message": message, "status": status}, status_code=status
    )
    return page


def served(request: Request) -> Served:
    value: Any = request.app.state.served
    assert isinstance(value, Served)
    return value
