"""Real-browser tests: Playwright drives Debian's Chromium, headless, against the app on a live test server.

The browser starts once for this folder's tests; each test gets fresh browser
contexts (cookies, storage, window size) from `new_context`, or a desktop
`page`. The live server shares the test database, so these tests use
`transactional_db` (pytest-django asks for it with `live_server`): rows the
test writes are committed and the server sees them, and the other way round.
The seed records come from `seeded` in tests/conftest.py, transactional here
for the same reason.
"""

import os

import pytest
from playwright.sync_api import sync_playwright

from .support import AXE_SCRIPT, CHROMIUM, CHROMIUM_ARGS, MISSING_TOOLS_HINT, PHONE_WIDTH_BELOW, VIEWPORT_HEIGHTS

# Long enough for a first page on a busy two-core machine, short enough to fail fast.
TIMEOUT_MS = 15_000


@pytest.fixture(scope="package")
def browser():
    """Chromium, started once for the browser tests.

    Playwright's sync API runs an asyncio event loop in this thread, and
    Django refuses ORM calls from a thread with a running loop
    (SynchronousOnlyOperation), although here they are ordinary blocking
    calls made between browser steps. DJANGO_ALLOW_ASYNC_UNSAFE lifts that
    check while the browser runs, and only then: the other tests keep it.
    """
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests use Debian's Chromium; {MISSING_TOOLS_HINT}.")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_context(browser):
    """Make a browser context `width` pixels wide; below 600 it is a phone (mobile viewport, touch).

    `axe=True` adds axe-core to every page of the context before the page's own scripts. `height` overrides
    the usual height for the width; `scale` is the device scale factor, 2 for a window zoomed to 200%.
    """
    contexts = []

    def make(width=1280, *, axe=False, height=None, scale=1):
        phone = width < PHONE_WIDTH_BELOW
        context = browser.new_context(
            viewport={"width": width, "height": height or VIEWPORT_HEIGHTS.get(width, 800)},
            device_scale_factor=scale,
            is_mobile=phone,
            has_touch=phone,
            locale="en-GB",
        )
        context.set_default_timeout(TIMEOUT_MS)
        if axe:
            if not AXE_SCRIPT.exists():
                pytest.fail(f"{AXE_SCRIPT} is missing; {MISSING_TOOLS_HINT}.")
            context.add_init_script(path=AXE_SCRIPT)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A desktop page, 1280 pixels wide."""
    return new_context().new_page()
