"""Take the README's screenshots against a running crampwise with demo data.

    crampwise demo --time-zone America/New_York     # same data directory as the server
    crampwise serve --port 8000 &
    python docs/screenshots/take.py --url http://127.0.0.1:8000 [--only history]

Each page is shot at 390 px (a phone) and 1280 px (a desktop) in the demo account's zone; the
home page also at 3 a.m. in night mode. Uses Playwright with Debian's /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).parent
# (file stem, path, widths)
PAGES = [
    ("home", "/", (390, 1280)),
    ("checkin", "/checkin/", (390, 1280)),
    # Last month: a whole month of nights, whatever day of the month the shots are taken.
    ("history", "/history/?year={y}&month={m}", (390, 1280)),
    ("insights", "/insights/", (390, 1280)),
]


def log_in(page, url: str, username: str, password: str) -> None:
    page.goto(url + "/accounts/login/")
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(url + "/")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--username", default="demo")
    parser.add_argument("--password", default="crampwise-demo")
    parser.add_argument("--time-zone", default="America/New_York")
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--only", help="take only the pages whose stem starts with this")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        for stem, path, widths in PAGES:
            if args.only and not stem.startswith(args.only):
                continue
            for width in widths:
                context = browser.new_context(
                    viewport={"width": width, "height": 844 if width < 600 else 800},
                    timezone_id=args.time_zone,
                    locale="en-GB",
                )
                page = context.new_page()
                log_in(page, args.url, args.username, args.password)
                last_month = date.today().replace(day=1) - timedelta(days=1)
                page.goto(args.url + path.format(y=last_month.year, m=last_month.month))
                page.wait_for_load_state("load")
                page.screenshot(path=args.out / f"{stem}-{width}.png", full_page=True)
                if stem == "home" and width == 390:
                    page.get_by_role("button", name="Turn night mode on").click()
                    page.wait_for_load_state("load")
                    page.screenshot(path=args.out / "home-night-390.png", full_page=True)
                    page.get_by_role("button", name="Turn night mode off").click()
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
