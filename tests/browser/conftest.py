"""Headless-Chromium harness for browser tests (``@pytest.mark.browser``).

Chromium comes from Debian's ``chromium`` package (``make browser-deps``); Playwright cannot
download its own browsers here, so it is launched by path. Without Chromium the tests are
skipped, except under CI (env ``CI`` set), where they fail: a CI run must not silently lose
its browser checks.

Fixtures
--------
browser
    One Chromium per test session.
offline_page
    A fresh page in an offline context (``offline=True``). Every request whose URL is not
    ``file:``/``data:``/``about:``/``blob:`` is recorded in ``offline_page.requests`` and
    aborted, so nothing leaves the machine; console errors, page errors and dialogs are
    collected too. ``offline_page.open(path)`` loads a local HTML file,
    ``offline_page.screenshot(name)`` saves a PNG under ``test-artifacts/``.
online_blocked_page
    Same, but the context says it is online (``navigator.onLine`` is true); requests are
    still recorded and aborted.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Request, Route

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")


def _missing(reason: str) -> NoReturn:
    """Skip outside CI, fail under CI (the browser tests must run there)."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser tests (make browser-deps)", pytrace=False)
    pytest.skip(reason)


def find_chromium() -> str | None:
    """Path of the Chromium executable (Debian's ``chromium``), or ``None``."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class PageInfo:
    """A Playwright page plus what it tried to fetch and what went wrong in it."""

    page: Page
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open(self, path: Path, *, timeout_ms: float = 15_000) -> None:
        """Load a local HTML file and wait until the load event has fired."""
        self.page.goto(path.resolve().as_uri(), wait_until="load", timeout=timeout_ms)

    def screenshot(self, name: str) -> Path:
        """Save a full-page PNG to ``test-artifacts/<name>.png`` and return its path."""
        ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
        out = ARTIFACTS_DIR / f"{name}.png"
        self.page.screenshot(path=str(out), full_page=True)
        return out

    @property
    def problems(self) -> list[str]:
        """Every network request, console error, page error and dialog, for assertions."""
        return [
            *(f"request: {r}" for r in self.requests),
            *(f"console error: {c}" for c in self.console_errors),
            *(f"page error: {e}" for e in self.page_errors),
            *(f"dialog: {d}" for d in self.dialogs),
        ]


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """Path to Chromium; skip (or fail under CI) when it is not installed."""
    path = find_chromium()
    if path is None:
        _missing("Chromium not found on PATH (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_executable: str) -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright Python package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def _watched_page(context: BrowserContext) -> Iterator[PageInfo]:
    page = context.new_page()
    info = PageInfo(page=page)

    def route(route: Route) -> None:
        url = route.request.url
        if url.startswith(LOCAL_SCHEMES):
            route.continue_()
            return
        info.requests.append(url)
        route.abort()

    def on_request(request: Request) -> None:
        url = request.url
        if not url.startswith(LOCAL_SCHEMES) and url not in info.requests:
            info.requests.append(url)

    def on_console(message: Any) -> None:
        if message.type == "error":
            info.console_errors.append(message.text)

    def on_dialog(dialog: Any) -> None:
        info.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    context.route("**/*", route)
    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda error: info.page_errors.append(str(error)))
    page.on("dialog", on_dialog)
    try:
        yield info
    finally:
        context.close()


@pytest.fixture
def offline_page(browser: Browser) -> Iterator[PageInfo]:
    """A page in an offline context; non-local requests are recorded and aborted."""
    context = browser.new_context(offline=True, viewport={"width": 1000, "height": 700})
    yield from _watched_page(context)


@pytest.fixture
def narrow_offline_page(browser: Browser) -> Iterator[PageInfo]:
    """An offline page narrower than a map's two side legends (400 x 300)."""
    context = browser.new_context(offline=True, viewport={"width": 400, "height": 300})
    yield from _watched_page(context)


@pytest.fixture
def online_blocked_page(browser: Browser) -> Iterator[PageInfo]:
    """A page whose context reports online; non-local requests are recorded and aborted."""
    context = browser.new_context(offline=False, viewport={"width": 1000, "height": 700})
    yield from _watched_page(context)
