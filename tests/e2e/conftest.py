"""End-to-end fixtures: a release built from the real data/, a live server on 127.0.0.1, and
Debian's headless Chromium driven by Playwright, with every request outside the server blocked.

Chromium comes from apt (`/usr/bin/chromium`, installed by `make install-test`); Playwright's own
browser download is never used.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.support.live_server import LiveServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


# Package scope, not session: Playwright's sync API keeps an event loop running on the main
# thread while it is open, which breaks asyncio.run() in any later test on the same worker.
@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class Offline:
    """Routes every request of a browser context: the server's own host passes, any other is
    aborted and remembered, so a test can assert the pages need nothing from the network."""

    def __init__(self, host: str) -> None:
        self.host = host
        self.blocked: list[str] = []
        self.errors: list[str] = []

    def route(self, route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).netloc == self.host:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


@pytest.fixture()
def offline(real_server: LiveServer) -> Offline:
    return Offline(urlsplit(real_server.url).netloc)


@pytest.fixture()
def page(browser: Browser, offline: Offline) -> Iterator[Page]:
    """A fresh page; after the test, no request left 127.0.0.1 and no script error happened."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    context.route("**/*", offline.route)
    page = context.new_page()
    page.on("pageerror", lambda error: offline.errors.append(str(error)))
    yield page
    context.close()
    assert offline.blocked == [], f"requests outside the server: {offline.blocked}"
    assert offline.errors == [], f"script errors: {offline.errors}"


def screenshot(page: Page, name: str) -> Path:
    """Keep a full-page screenshot as a test artefact in tests/artifacts/<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
