"""Issue 19, item 1: the top bar fits on one line for every role at 1024 and 1366 px, and
collapses into the hamburger on a phone; no label wraps character by character ("首/页")."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (1024, 1366, 390)
PERSONAS = ("alice", "leo", "sam", "olivia", "root")  # staff, leader, supervisor, office, admin
ONE_LINE = 70  # px: the navbar's height when everything sits on one row

# For every visible nav link / button in the bar: its height and its font's line height.
LABEL_HEIGHTS = """
() => [...document.querySelectorAll('nav.navbar .nav-link, nav.navbar .btn, nav.navbar .navbar-brand')]
  .filter(el => el.offsetParent !== null)
  .map(el => {
    const cs = getComputedStyle(el);
    const line = parseFloat(cs.lineHeight) || parseFloat(cs.fontSize) * 1.5;
    const pad = parseFloat(cs.paddingTop) + parseFloat(cs.paddingBottom)
              + parseFloat(cs.borderTopWidth) + parseFloat(cs.borderBottomWidth);
    return {text: el.innerText.trim(), content: el.getBoundingClientRect().height - pad, line};
  })
"""


def assert_no_label_wraps(page, who, width):
    for label in page.evaluate(LABEL_HEIGHTS):
        assert label["content"] <= 1.6 * label["line"], (who, width, label)


@pytest.mark.parametrize("who", PERSONAS)
def test_the_menu_fits_on_one_line(page, live_server, world, sign_in, who):
    user = getattr(world, who)
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(user, world.password)
    navbar = page.locator("nav.navbar")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/")
        box = navbar.bounding_box()
        page.screenshot(path=f"/tmp/menu-{who}-{width}.png")
        assert box["height"] <= ONE_LINE, (who, width, box)
        assert_no_label_wraps(page, who, width)
        if width == 390:
            # The phone: the menu hides behind the hamburger, and opens from it.
            expect(page.locator("#mainnav")).to_be_hidden()
            page.locator(".navbar-toggler").click()
            expect(page.get_by_role("link", name="工作看板")).to_be_visible()
            page.locator("#mainnav").get_by_role("button", name="活动", exact=True).click()
            expect(page.get_by_role("link", name="日历订阅")).to_be_visible()
            assert_no_label_wraps(page, who, width)
            page.screenshot(path=f"/tmp/menu-{who}-{width}-open.png")
            continue
        # Grouped items: the 活动 dropdown opens and its items are visible.
        page.locator("#mainnav").get_by_role("button", name="活动", exact=True).click()
        expect(
            page.locator(".dropdown-menu.show").get_by_role("link", name="日历订阅")
        ).to_be_visible()
        expect(page.get_by_role("link", name="全部活动")).to_be_visible()
        page.screenshot(path=f"/tmp/menu-{who}-{width}-open.png")
        page.keyboard.press("Escape")
        page.locator("#mainnav").get_by_role("button", name="组织", exact=True).click()
        expect(page.get_by_role("link", name="督导组", exact=True)).to_be_visible()
        expect(page.get_by_role("link", name="单位", exact=True)).to_be_visible()
        page.keyboard.press("Escape")
        # Nothing sticks out of the page sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_english_menu_fits_too(page, live_server, world, sign_in):
    """The English labels are longer; the administrator has the most of them. Below 1400 px
    the English bar stays behind the hamburger, and from 1400 px it fits on one line."""
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(world.root, world.password)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    for width in (1024, 1366, 1400, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/")
        page.screenshot(path=f"/tmp/menu-root-en-{width}.png")
        expect(page.locator(".navbar-toggler")).to_be_visible(visible=width < 1400)
        assert page.locator("nav.navbar").bounding_box()["height"] <= ONE_LINE, width
        assert_no_label_wraps(page, "root/en", width)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
