import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_unit_staff_sees_own_unit_in_chinese_and_not_another(
    page, live_server, world, sign_in, screenshot
):
    sign_in(world.alice, world.password)
    expect(page.get_by_role("heading", name="您好")).to_be_visible()

    page.get_by_role("link", name=world.unit_a.name).first.click()
    expect(page.get_by_role("heading", name=world.unit_a.name)).to_be_visible()
    expect(page.get_by_text("领导班子与人员")).to_be_visible()
    expect(page.get_by_text("甲主席")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "zh-hans"
    screenshot("foundation-unit-page")

    response = page.goto(f"{live_server.url}/units/{world.unit_b.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
    screenshot("foundation-not-found")


def test_tree_expands_branches_on_demand(page, live_server, world, sign_in):
    sign_in(world.olivia, world.password)
    page.goto(f"{live_server.url}/units/")
    expect(page.get_by_role("link", name=world.unit_b.name)).to_have_count(0)
    # The disclosure triangle, left of the link, loads the branch without leaving the page.
    page.locator("summary").filter(has_text=world.city.name).click(position={"x": 4, "y": 8})
    expect(page.get_by_role("link", name=world.unit_b.name)).to_be_visible()
    assert page.url == f"{live_server.url}/units/"
    page.get_by_placeholder("按单位名称或编码搜索").fill("下属")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="甲单位下属支部")).to_be_visible()
