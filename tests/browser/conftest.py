"""Playwright in Debian's chromium against Django's live server."""

import io
import os
import re
import shutil
import subprocess
import sys
import time

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from tests.child_process import database_url

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
# the test itself (fixtures) are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        pytest.skip("BROWSER TESTS SKIPPED: Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    # CI machines have two cores and may be busy: wait longer than Playwright's 5 s default.
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def blank_tile() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (238, 242, 246)).save(buffer, format="PNG")
    return buffer.getvalue()


def serve_blank_tiles(context) -> list[str]:
    """Answer the maps' tile requests (MAP_TILE_URL) with a blank tile: tests never reach a tile server.
    Returns the list of tile addresses asked for, filled as the pages ask."""
    from django.conf import settings

    parts = re.split(r"\{[a-z]\}", settings.MAP_TILE_URL)
    pattern = re.compile("[^/]+".join(re.escape(part) for part in parts))
    tile, asked = blank_tile(), []

    def answer(route) -> None:
        asked.append(route.request.url)
        route.fulfill(body=tile, content_type="image/png")

    context.route(pattern, answer)
    return asked


@pytest.fixture
def page(browser):
    """A phone-sized page (360 px wide), as officers use in the field."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """The live server's transactional tests flush every table afterwards, regions included."""
    from sentra.kbli.services import load_kbli
    from sentra.regions.models import Village
    from sentra.regions.services import load_regions

    if not Village.objects.exists():
        load_regions()
        load_kbli()


@pytest.fixture
def worker(tmp_path, settings):
    """`manage.py db_worker` in its own process, as in production, sharing files with the live server."""
    settings.MEDIA_ROOT = tmp_path / "media"
    process = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay"],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield process
    process.terminate()
    process.wait(timeout=30)


def log_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form, as a user does (from a fresh session), and wait to land."""
    page.context.clear_cookies()
    page.goto(f"{base}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    expect(page).not_to_have_url(re.compile(r"/akun/masuk/"))


def go_by_menu(page, name: str) -> None:
    """Follow a link of the main menu as a user would: on a phone or tablet, opening the menu first.

    On a busy machine the page's menu script may fold the menu just after a first look found it open,
    so this looks again until the link can be clicked.
    """
    link = page.locator("header.top nav").get_by_role("link", name=name, exact=True)
    toggle = page.locator("header.top .menu-toggle")
    page.wait_for_load_state("load")  # the menu script runs on DOMContentLoaded, before "load"
    deadline = time.monotonic() + 15
    while not link.is_visible() and time.monotonic() < deadline:
        if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
            toggle.click()
        page.wait_for_timeout(100)
    link.click()
