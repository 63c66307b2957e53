"""The insights dashboard in a real browser: charts with text alternatives, axe clean, reflows."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from crampwise.cli import main
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_dashboard_is_accessible_with_a_year_of_nights(
    live_server, page, check_a11y, check_reflow
):
    """A year of demo nights: every chart image has alt text, the tables open, axe finds nothing."""
    CliRunner().invoke(
        main, ["demo", "--username", "yr", "--password", PASSWORD, "--nights", "365"]
    )
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_login").fill("yr")
    page.locator("#id_password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/")
    page.get_by_role("link", name="Insights").click()
    page.get_by_role("heading", name="Insights", level=1).wait_for()
    page.wait_for_load_state("load")  # images included
    images = page.locator("img.chart")
    assert images.count() == 3
    for i in range(3):
        assert images.nth(i).get_attribute("alt")
        assert page.evaluate(
            "(img) => img.complete && img.naturalWidth > 0", images.nth(i).element_handle()
        )
    page.get_by_text("Show the numbers as a table").first.click()
    assert page.locator("table").first.is_visible()
    check_a11y(page, "insights")
    check_reflow(page)
