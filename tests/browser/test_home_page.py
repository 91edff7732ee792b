"""The home page as an officer and a province user see it, on a desktop and on a 360 px phone:
the officer's work waiting opens the lists that do it; the province user lands on the roll-up,
where regencies not using Sentra say so. Nothing is wider than the screen."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import make_business, make_user
from sentra.accounts.models import Role
from sentra.linkage.models import DuplicatePair
from sentra.registry.models import Business
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 740}}


@pytest.fixture
def blora_work(offices):
    """Two Blora businesses never verified, a pair of them suspected duplicates, one licence expiring."""
    blora = [offices["blora"]]
    first = make_business("33.16.01.2001", "Batik Sekar Jati", blora)
    second = make_business("33.16.01.2002", "Batik Sekar Jati Asli", blora)
    first.licences.create(
        kind="pirt", number="2063316010001-26", expires_on=timezone.localdate() + dt.timedelta(days=20)
    )
    DuplicatePair.objects.create(office=offices["blora"], first=first, second=second, probability=0.9, evidence={})
    # Registered two years ago: due a visit.
    Business.objects.filter(pk__in=[first.pk, second.pk]).update(created_at=timezone.now() - dt.timedelta(days=730))


def no_horizontal_scroll(page) -> None:
    width = page.evaluate("() => window.innerWidth")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("size", SIZES)
def test_an_officer_opens_the_work_waiting(browser, live_server, users, blora_work, size):
    context = browser.new_context(viewport=SIZES[size], locale="id-ID")
    page = context.new_page()
    log_in(page, live_server.url, "blora_officer")
    expect(page.get_by_role("heading", name="Yang perlu dikerjakan")).to_be_visible()
    expect(page.locator('[data-work="unverified"] .work-count')).to_have_text("2")
    expect(page.locator('[data-work="duplicates"] .work-count')).to_have_text("1")
    expect(page.locator('[data-work="licences"] .work-count')).to_have_text("1")
    no_horizontal_scroll(page)
    # A count of thousands keeps clear of its label on a phone too (a shrunk count once ran into it).
    # A count of thousands keeps clear of its label on a phone too (a shrunk count once ran into it).
    digits_end = page.locator('[data-work="unverified"] .work-count').evaluate(
        """node => { node.textContent = '123.839'; const text = document.createRange();
        text.selectNodeContents(node); return text.getBoundingClientRect().right; }"""
    )
    assert digits_end < page.locator('[data-work="unverified"] .work-label').bounding_box()["x"]
    page.locator('[data-work="licences"] a').click()
    expect(page.get_by_role("heading", name="Izin yang akan kedaluwarsa")).to_be_visible()
    expect(page.get_by_role("link", name="Batik Sekar Jati")).to_be_visible()
    no_horizontal_scroll(page)
    page.go_back()
    page.locator('[data-work="unverified"] a').click()
    expect(page.locator(".count")).to_have_text("2 UMKM")
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_a_province_user_lands_on_the_rollup(browser, live_server, offices, blora_work, size):
    make_user("jateng_viewer", offices["jateng"], Role.VIEWER)
    context = browser.new_context(viewport=SIZES[size], locale="id-ID")
    page = context.new_page()
    log_in(page, live_server.url, "jateng_viewer")
    expect(page.get_by_role("heading", name="Per kabupaten/kota")).to_be_visible()
    blora = page.locator("table.rollup tbody tr", has_text="Kabupaten Blora")
    expect(blora.locator("td").first).to_have_text("2")
    kudus = page.locator("table.rollup tbody tr", has_text="Kabupaten Kudus")
    expect(kudus).to_contain_text("belum menggunakan Sentra")
    expect(page.locator(".stage-count").first).to_have_text("2")
    no_horizontal_scroll(page)  # the wide table scrolls inside its own box
    context.close()
