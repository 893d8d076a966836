"""The appraisal journey as a new user walks it: a supervisor starts a 民主评议 round for unit A
and prints 30 slips; twelve people vote on phone-sized screens (some scan the QR code, some
type the code); a spent code is turned away; the supervisor closes the round and the results
appear, for the supervisor and then for the unit's staff.
"""

import io
import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from appraisals.models import Ballot, BallotCode
from tests.browser.conftest import ARTIFACTS
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)

CODE = re.compile(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}")
PHONE = {"width": 390, "height": 844}
TARGETS = ["领导班子", "甲主席（主席）", "甲副主席（副主席）"]
# What each of the twelve voters gives the team: 7 好, 3 较好, 1 一般, 1 差 → 83.3% satisfied.
TEAM_VOTES = ["好"] * 7 + ["较好"] * 3 + ["一般", "差"]


def field(page, label):
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def slips_codes(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))
    return CODE.findall(text), len(reader.pages), text


def render_first_page(pdf_path):
    """The slips' first page as a PNG beside the screenshots, for a person to look at."""
    if shutil.which("pdftoppm"):
        out = ARTIFACTS / "appraisal-2-slips"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf_path), str(out)],
            check=True,
        )


def test_round_slips_votes_on_phones_and_results(
    page, browser, live_server, world, sign_in, screenshot
):
    PersonFactory(unit=world.unit_a, name="甲副主席", position="副主席", rank=2)
    sign_in(world.sam, world.password)

    # The supervisor starts the round from the unit's page.
    page.goto(f"{live_server.url}/units/{world.unit_a.pk}/")
    page.get_by_role("link", name="民主评议").click()
    page.get_by_role("link", name="发起评议").click()
    field(page, "名称").fill("甲单位领导班子和班子成员民主评议")
    field(page, "发放票数").fill("30")
    screenshot("appraisal-1-new-round")
    page.get_by_role("button", name="发起评议").click()
    expect(page.get_by_text("已发起评议")).to_be_visible()
    expect(page.get_by_text("已生成评议码")).to_be_visible()

    # Print the slips: a PDF of 30 codes, ten to a page. The round opened on creation, so
    # this is a reprint: it asks for a reason and starts with a cover.
    page.get_by_label("补印原因").fill("首次打印")
    with page.expect_download() as download:
        page.get_by_role("button", name="补印").click()
    ARTIFACTS.mkdir(exist_ok=True)
    pdf_path = ARTIFACTS / "appraisal-slips.pdf"
    download.value.save_as(pdf_path)
    codes, pages, text = slips_codes(pdf_path.read_bytes())
    assert len(codes) == 30 and len(set(codes)) == 30 and pages == 4
    assert "用手机扫描二维码投票" in text
    render_first_page(pdf_path)
    stored = set(BallotCode.objects.values_list("code", flat=True))
    assert {c.replace("-", "") for c in codes} == stored

    # Twelve people vote on their phones.
    phone = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, reduced_motion="reduce"
    )
    voter = phone.new_page()
    for n, code in enumerate(codes[:12]):
        if n % 2 == 0:  # scanned the QR code: the code arrives after "#", never sent
            voter.goto(f"{live_server.url}/public/ballot/#c={code}")
        else:  # typed it by hand, in lower case without dashes
            voter.goto(f"{live_server.url}/public/ballot/")
            voter.get_by_label("评议码").fill(code.replace("-", "").lower())
            voter.get_by_role("button", name="开始投票").click()
        expect(voter.get_by_role("button", name="提交选票")).to_be_visible()
        voter.get_by_role("group", name=TARGETS[0]).get_by_text(TEAM_VOTES[n], exact=True).click()
        for target in TARGETS[1:]:
            voter.get_by_role("group", name=target).get_by_text("较好", exact=True).click()
        if n < 6:
            voter.get_by_label("有什么意见和建议").fill(
                f"第{'一二三四五六'[n]}条建议：少开会，多调研"
            )
        if n == 0:
            screenshot_page(voter, "appraisal-3-ballot-phone")
        voter.get_by_role("button", name="提交选票").click()
        expect(voter.get_by_text("投票成功，谢谢您的参与！")).to_be_visible()
        if n == 0:
            screenshot_page(voter, "appraisal-4-thanks-phone")
    assert Ballot.objects.count() == 12

    # A spent code is turned away with a clear message.
    voter.goto(f"{live_server.url}/public/ballot/#c={codes[0]}")
    expect(voter.get_by_text("该评议码已经使用过，每个评议码只能投一次票。")).to_be_visible()
    screenshot_page(voter, "appraisal-5-spent-code-phone")
    phone.close()

    # Before closing, the unit's staff see no figures yet.
    page.reload()
    expect(page.get_by_text("已收到选票")).to_be_visible()
    page.get_by_role("button", name="结束评议").click()
    expect(page.get_by_text("评议已结束，结果已向本单位公布。")).to_be_visible()
    page.get_by_role("link", name="查看结果").click()
    team_row = page.get_by_role("row", name=re.compile("^领导班子"))
    expect(team_row).to_contain_text("83.3%")
    expect(page.get_by_role("row", name=re.compile("^甲主席"))).to_contain_text("100.0%")
    expect(page.get_by_text("第一条建议：少开会，多调研")).to_be_visible()
    screenshot("appraisal-6-results")

    # The unit's staff now see the results too.
    page.get_by_role("button", name="退出").click()
    sign_in(world.alice, world.password)
    page.goto(f"{live_server.url}/units/{world.unit_a.pk}/appraisals/")
    page.get_by_role("link", name="甲单位领导班子和班子成员民主评议").click()
    page.get_by_role("link", name="查看结果").click()
    expect(page.get_by_role("row", name=re.compile("^领导班子"))).to_contain_text("83.3%")
    screenshot("appraisal-7-results-for-unit-staff")


def screenshot_page(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
