"""A real Chromium (Debian's /usr/bin/chromium) driven by Playwright, with axe for WCAG 2.2 AA."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs an event loop

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def page(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def check_a11y(axe):
    """Run axe on the current page and fail with the rule ids and targets of any violation."""

    def run(page, label: str = "") -> None:
        # Judge the finished page: before its stylesheets load, every link is small and unspaced.
        page.wait_for_load_state("load")
        result = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        violations = result.response["violations"]
        details = [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in violations]
        assert not violations, f"axe found problems on {label or page.url}: {details}"

    return run


@pytest.fixture
def check_reflow():
    """At 320 CSS px wide, and at 200% text, nothing makes the page scroll sideways."""

    def run(page) -> None:
        original = page.viewport_size
        page.set_viewport_size({"width": 320, "height": 700})
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 321, f"{page.url} scrolls sideways at 320 px ({width} px wide)"
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        page.set_viewport_size(
            {"width": 640, "height": 700}
        )  # 320 px of layout at 200% zoom-equivalent text
        width = page.evaluate("document.documentElement.scrollWidth")
        page.evaluate("document.documentElement.style.fontSize = ''")
        page.set_viewport_size(original)
        assert width <= 641, f"{page.url} scrolls sideways at 200% text ({width} px wide)"

    return run
