"""A head of office opens the dashboard on a phone, reads the funnel, and clicks a chart bar through to the list."""

import re

import pytest
from playwright.sync_api import expect

from conftest import make_business
from tests.browser.conftest import go_by_menu, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where a bar of a Chart.js bar chart is on the page: halfway along it, in the viewport's pixels.
BAR_POSITION = """([chartId, index]) => {
  const canvas = document.querySelector(`canvas[data-chart="${chartId}"]`);
  canvas.scrollIntoView({block: "center"});
  const bar = Chart.getChart(canvas).getDatasetMeta(0).data[index];
  const {x, y, base} = bar.getProps(["x", "y", "base"], true);
  const rect = canvas.getBoundingClientRect();
  return {x: rect.left + (x + base) / 2, y: rect.top + y};
}"""


@pytest.fixture
def blora_registry(offices):
    """Three businesses in Jati (one closed), one in Randublatung; one of them digital."""
    blora = [offices["blora"]]
    make_business("33.16.01.2001", "Batik Sekar Jati", blora, maturity="digital")
    make_business("33.16.01.2002", "Mebel Jati Bangkleyan", blora, maturity="modern")
    make_business("33.16.01.2003", "Tahu Pak Darmo", blora, status="closed")
    make_business("33.16.02.1005", "Kerupuk Rambak", blora)


def test_head_of_office_clicks_a_bar_through_to_the_businesses(page, live_server, users, blora_registry):
    log_in(page, live_server.url, "blora_viewer")
    go_by_menu(page, "Dasbor")
    expect(page.get_by_role("heading", name="Kabupaten Blora", level=1)).to_be_visible()
    expect(page.locator(".stage-count")).to_have_text(["4", "3", "1"])
    expect(page.get_by_text("75,0% dari terdaftar")).to_be_visible()

    # The districts' chart: Jati is its first bar.
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.querySelector('canvas[data-chart=chart-area]'))"
    )
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    point = page.evaluate(BAR_POSITION, ["chart-area", 0])
    page.mouse.click(point["x"], point["y"])

    expect(page).to_have_url(re.compile(r"/umkm/\?regency=33\.16&district=33\.16\.01$"))
    expect(page.locator(".count")).to_have_text("3 UMKM")
    names = page.locator("table.list tbody td:first-child a")
    expect(names).to_have_count(3)
    assert sorted(names.all_inner_texts()) == ["Batik Sekar Jati", "Mebel Jati Bangkleyan", "Tahu Pak Darmo"]
