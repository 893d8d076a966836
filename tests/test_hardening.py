"""The outside security probe (issue 18): each attack it found, replayed, and now refused."""

import io
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from campaign import services as cs
from campaign.forms.materials import MaterialDraftForm
from campaign.models.material import MATERIAL_TEXT_MAX
from campaign.selectors.diff import side_by_side
from core.security import client_ip
from feedback import importing
from feedback.models import Opinion

from .test_opinion_import import good_row, post, xlsx

BASE_DIR = Path(__file__).resolve().parent.parent
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
FORBIDDEN = "文件包含不允许的 XML 声明（DOCTYPE 或 ENTITY），可能是恶意文件，不能导入。"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


# ---------------------------------------------------------------------------- Password spraying


def _spray(client, usernames, per_user, **extra):
    for username in usernames:
        for _ in range(per_user):
            response = client.post(
                reverse("login"), {"username": username, "password": "错误密码x1"}, **extra
            )
    return response


def test_password_spraying_across_usernames_locks_the_address(client, world):
    """The probe: 4 wrong passwords against each of 5 accounts from one address."""
    response = _spray(client, ["alice", "bob", "charlie", "sam", "leo"], 4)
    assert response.status_code == 200  # 20 failures, each username below axes' 5
    response = client.post(reverse("login"), {"username": "olivia", "password": world.password})
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录失败次数过多" in page
    assert "从该地址登录已暂停" in page
    assert "_auth_user_id" not in client.session


def test_the_address_lock_leaves_other_addresses_alone(client, world):
    _spray(client, ["alice", "bob", "charlie", "sam", "leo"], 4, REMOTE_ADDR="10.9.9.9")
    response = client.post(
        reverse("login"), {"username": "olivia", "password": world.password}, REMOTE_ADDR="10.1.1.1"
    )
    assert response.status_code == 302


def test_a_few_mistakes_across_accounts_lock_nothing(client, world):
    _spray(client, ["alice", "bob", "charlie"], 3)
    response = client.post(reverse("login"), {"username": "olivia", "password": world.password})
    assert response.status_code == 302


# ---------------------------------------------------------------------------- X-Real-IP


def _request(remote, real_ip):
    return RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_REAL_IP=real_ip)


def test_x_real_ip_from_a_client_that_is_not_the_proxy_is_ignored(settings):
    settings.TRUST_X_REAL_IP = True
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    assert client_ip(_request("203.0.113.7", "10.0.0.1")) == "203.0.113.7"


def test_x_real_ip_from_the_proxy_is_the_client_address(settings):
    settings.TRUST_X_REAL_IP = True
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    assert client_ip(_request("127.0.0.1", "203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request("::1", "203.0.113.8")) == "203.0.113.8"


def test_x_real_ip_is_ignored_when_not_trusted_at_all(settings):
    settings.TRUST_X_REAL_IP = False
    assert client_ip(_request("127.0.0.1", "203.0.113.7")) == "127.0.0.1"


def test_a_forged_x_real_ip_cannot_dodge_the_login_lock(client, world, settings):
    """Rotating X-Real-IP from a direct connection was a fresh address each try."""
    settings.TRUST_X_REAL_IP = True
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for n in range(5):
        client.post(
            reverse("login"),
            {"username": "alice", "password": "错误密码x1"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_REAL_IP=f"10.0.0.{n}",
        )
    response = client.post(
        reverse("login"),
        {"username": "alice", "password": world.password},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_REAL_IP="10.0.0.99",
    )
    assert response.status_code == 429


# ---------------------------------------------------------------------------- Excel memory bomb


def _rewrite(parts: dict[str, bytes], base=None) -> SimpleUploadedFile:
    """A valid import file with some parts replaced or added; replaced parts are stored, not
    deflated, so the zip's ratio check lets them through and the reader's bounds must hold."""
    source = (base or xlsx([good_row(1)])).read()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if item.filename not in parts:
                dst.writestr(item, src.read(item.filename))
        for name, data in parts.items():
            dst.writestr(name, data, compress_type=zipfile.ZIP_STORED)
    return SimpleUploadedFile("意见.xlsx", out.getvalue())


def _sheet(rows: bytes) -> dict[str, bytes]:
    header = b"".join(
        b'<c t="inlineStr"><is><t>%s</t></is></c>' % h.encode()
        for h in ("意见原文", "征求渠道", "收集日期")
    )
    xml = b"<worksheet " + NS + b'><sheetData><row r="1">' + header + b"</row>" + rows
    return {"xl/worksheets/sheet1.xml": xml + b"</sheetData></worksheet>"}


def _peak_while(fn) -> tuple[int, object]:
    """Peak Python memory (bytes) while fn runs, and what it returned or raised."""
    tracemalloc.start()
    try:
        outcome = fn()
    except ValidationError as exc:
        outcome = exc
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak, outcome


def _check(world, upload):
    return lambda: importing.opinions_check(upload=upload, unit=world.unit_a, by=world.alice)


def test_the_probes_cell_at_column_zzzzzz_is_refused_before_any_allocation(world):
    """The probe's 1.9 KB file took the web process to 5.2 GB: a row of 321 million values."""
    upload = _rewrite(
        _sheet(b'<row r="2"><c r="ZZZZZZ2" t="inlineStr"><is><t>x</t></is></c></row>')
    )
    assert upload.size < 10_000
    start = time.monotonic()
    peak, outcome = _peak_while(_check(world, upload))
    assert isinstance(outcome, ValidationError)
    assert "单元格位置“ZZZZZZ2”不对" in outcome.messages[0]
    assert peak < 20 * 2**20 and time.monotonic() - start < 5


def test_a_value_beyond_the_column_cap_is_refused_with_its_row(world):
    upload = _rewrite(_sheet(b'<row r="7"><c r="XFD7" t="inlineStr"><is><t>x</t></is></c></row>'))
    _peak, outcome = _peak_while(_check(world, upload))
    assert outcome.messages == [
        "第 7 行在第 100 列之后还有内容；导入文件最多 100 列，请删去模板以外的列。本次未导入任何意见。"
    ]


def test_empty_formatted_cells_far_right_are_ignored(world, as_user):
    """Excel writes a formatted but empty cell as <c r=".." s=".."/>: harmless, not refused."""
    row = (b'<row r="2"><c r="A2" t="inlineStr"><is><t>\xe6\x84\x8f\xe8\xa7\x81</t></is></c>'
           b'<c r="B2" t="inlineStr"><is><t>\xe5\xba\xa7\xe8\xb0\x88\xe4\xbc\x9a</t></is></c>'
           b'<c r="C2" t="inlineStr"><is><t>2014-03-15</t></is></c><c r="XFD2" s="1"/></row>')  # fmt: skip
    response = post(as_user(world.alice), world.unit_a, _rewrite(_sheet(row)))
    assert response.status_code == 302
    assert Opinion.objects.get().text == "意见"


def test_a_row_of_half_a_million_cells_is_read_in_bounded_memory(world):
    """18 MB of cells in one row (stored, under the 20 MB limit): the reader never builds the
    row as a tree, and stops at the column cap."""
    cells = b'<c t="inlineStr"><is><t>x</t></is></c>' * 500_000
    upload = _rewrite(_sheet(b"<row>" + cells + b"</row>"))
    assert 15 * 2**20 < upload.size < 20 * 2**20
    peak, outcome = _peak_while(_check(world, upload))
    assert "导入文件最多 100 列" in outcome.messages[0]
    assert peak < 60 * 2**20


def test_a_cell_longer_than_excel_allows_is_refused_as_it_is_read(world):
    big = "意".encode() * 1_000_000
    upload = _rewrite(_sheet(b'<row><c t="inlineStr"><is><t>' + big + b"</t></is></c></row>"))
    peak, outcome = _peak_while(_check(world, upload))
    assert "有单元格超过 32767 字" in outcome.messages[0]
    assert peak < 30 * 2**20


def test_a_cell_of_a_million_runs_is_refused_in_bounded_memory(world):
    runs = b"<r><t>x</t></r>" * 1_000_000
    upload = _rewrite(_sheet(b'<row><c t="inlineStr"><is>' + runs + b"</is></c></row>"))
    peak, outcome = _peak_while(_check(world, upload))
    assert "有单元格超过 32767 字" in outcome.messages[0]
    assert peak < 30 * 2**20


def test_too_many_sheet_rows_are_refused(world, monkeypatch):
    monkeypatch.setattr("feedback.importing.sheet.MAX_SHEET_ROWS", 50)
    _peak, outcome = _peak_while(_check(world, _rewrite(_sheet(b"<row/>" * 60))))
    assert "工作表超过 50 行" in outcome.messages[0]


def test_too_many_shared_strings_or_too_much_text_are_refused(world, monkeypatch):
    strings = b"<sst " + NS + b">" + b"<si><t>\xe6\x84\x8f\xe8\xa7\x81</t></si>" * 30 + b"</sst>"
    parts = {**_sheet(b'<row><c t="s"><v>0</v></c></row>'), "xl/sharedStrings.xml": strings}
    monkeypatch.setattr("feedback.importing.sheet.MAX_SHARED_STRINGS", 20)
    _peak, outcome = _peak_while(_check(world, _rewrite(parts)))
    assert "文件中不同的文字超过 20 条" in outcome.messages[0]
    monkeypatch.setattr("feedback.importing.sheet.MAX_SHARED_STRINGS", 1000)
    monkeypatch.setattr("feedback.importing.sheet.MAX_TEXT_CHARS", 50_000)
    many = (b'<row><c t="inlineStr"><is><t>' + b"x" * 2000 + b"</t></is></c></row>") * 30
    _peak, outcome = _peak_while(_check(world, _rewrite(_sheet(many))))
    assert "文件中的文字超过 5 万字" in outcome.messages[0]


# ---------------------------------------------------------------------------- UTF-16 DOCTYPE


def _utf16_sheet(*, doctype: bool, bom: bool = True) -> dict[str, bytes]:
    sheet = (
        zipfile.ZipFile(io.BytesIO(xlsx([good_row(1)]).read()))
        .read("xl/worksheets/sheet1.xml")
        .decode()
    )
    if sheet.startswith("<?xml"):
        sheet = sheet[sheet.index("?>") + 2 :]
    entities = '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>' if doctype else ""
    if doctype:
        sheet = sheet.replace("<t>", "<t>&b;", 1)
    text = '<?xml version="1.0" encoding="UTF-16"?>' + entities + sheet
    data = text.encode("utf-16" if bom else "utf-16-le")
    assert b"<!DOCTYPE" not in data  # what the old byte search looked for
    return {"xl/worksheets/sheet1.xml": data}


def test_a_utf16_sheet_declaring_a_doctype_is_refused(world):
    _peak, outcome = _peak_while(_check(world, _rewrite(_utf16_sheet(doctype=True))))
    assert outcome.messages == [FORBIDDEN]


def test_a_utf16_sheet_without_a_bom_declaring_a_doctype_is_refused(world):
    _peak, outcome = _peak_while(_check(world, _rewrite(_utf16_sheet(doctype=True, bom=False))))
    assert outcome.messages == [FORBIDDEN]


def test_a_utf16_workbook_part_declaring_a_doctype_is_refused(world):
    workbook = zipfile.ZipFile(io.BytesIO(xlsx([good_row(1)]).read())).read("xl/workbook.xml")
    body = workbook.decode().split("?>", 1)[-1]
    data = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE w>' + body).encode("utf-16")
    _peak, outcome = _peak_while(_check(world, _rewrite({"xl/workbook.xml": data})))
    assert outcome.messages == [FORBIDDEN]


def test_a_plain_utf16_sheet_still_imports(world):
    result, opinions = _check(world, _rewrite(_utf16_sheet(doctype=False)))()
    assert result.ok and len(opinions) == 1


def test_a_sheet_in_another_encoding_is_refused(world):
    sheet = zipfile.ZipFile(io.BytesIO(xlsx([good_row(1)]).read())).read("xl/worksheets/sheet1.xml")
    body = sheet.split(b"?>", 1)[-1] if sheet.startswith(b"<?xml") else sheet
    for declared in (b"UTF-7", b"ISO-8859-1"):
        data = b'<?xml version="1.0" encoding="' + declared + b'"?>' + body
        _peak, outcome = _peak_while(_check(world, _rewrite({"xl/worksheets/sheet1.xml": data})))
        assert "不支持的字符编码" in outcome.messages[0]
    data = ("<!DOCTYPE w>" + body.decode()).encode("utf-32")
    _peak, outcome = _peak_while(_check(world, _rewrite({"xl/worksheets/sheet1.xml": data})))
    assert "不支持的字符编码" in outcome.messages[0]


# ---------------------------------------------------------------------------- Quadratic diff


def _lines(n: int, seed: int) -> str:
    return "\n".join(
        f"第{seed}稿第{k}段：" + "对照检查" * (k % 7 + 3) + str(k * seed) for k in range(n)
    )


def _timed_diff(old: str, new: str) -> float:
    start = time.perf_counter()
    side_by_side(old, new, old_label="第1稿", new_label="第2稿")
    return time.perf_counter() - start


@pytest.mark.parametrize("lines", [300, 1500])
def test_the_probes_diffs_are_fast(lines):
    """The probe: 300 lines took 1.0 s, 1,500 lines 24 s."""
    assert _timed_diff(_lines(lines, 1), _lines(lines, 2)) < 0.5


def test_the_longest_allowed_texts_diff_in_bounded_time():
    old = _lines(20_000, 1)[:MATERIAL_TEXT_MAX]
    new = _lines(20_000, 2)[:MATERIAL_TEXT_MAX]
    edited = old.replace("5段", "5段（修改）")[:MATERIAL_TEXT_MAX]
    hostile_old, hostile_new = "a\n" * (MATERIAL_TEXT_MAX // 2), "b\n" * (MATERIAL_TEXT_MAX // 2)
    # 200 ms on a quiet machine (see the report); the margin is for a loaded CI runner.
    for a, b in ((old, new), (old, edited), (hostile_old, hostile_new)):
        assert len(a) <= MATERIAL_TEXT_MAX and len(b) <= MATERIAL_TEXT_MAX
        assert _timed_diff(a, b) < 1.0


def test_a_diff_too_long_to_show_says_so():
    html = side_by_side("a\n" * 6000, "b\n" * 6000, old_label="1", new_label="2")
    assert "两稿差异太多，只显示前 5000 行" in html


def test_a_revision_text_over_the_limit_is_refused_by_the_form():
    form = MaterialDraftForm(data={"text": "字" * (MATERIAL_TEXT_MAX + 1)})
    assert not form.is_valid()
    assert form.errors["text"] == [
        f"正文不能超过 {MATERIAL_TEXT_MAX} 字（现有 {MATERIAL_TEXT_MAX + 1} 字）；更长的内容请作为附件上传。"
    ]


def test_a_revision_text_over_the_limit_is_refused_by_the_service(campaign_world):
    w = campaign_world
    cs.review_decide(revision=w.revision, decision="return", comment="请修改。", by=w.sam)
    with pytest.raises(ValidationError) as caught:
        cs.material_save_draft(material=w.material, text="字" * (MATERIAL_TEXT_MAX + 1), by=w.alice)
    assert caught.value.messages == [
        f"正文不能超过 {MATERIAL_TEXT_MAX} 字（现有 {MATERIAL_TEXT_MAX + 1} 字）；更长的内容请作为附件上传。"
    ]


# ---------------------------------------------------------------------------- make install


def test_make_install_upgrades_pip_and_setuptools_to_pinned_versions():
    makefile = (BASE_DIR / "Makefile").read_text()
    pins = (BASE_DIR / "requirements-dev.txt").read_text().splitlines()
    assert any(line.startswith("pip==") for line in pins)
    assert any(line.startswith("setuptools==") for line in pins)
    venv = makefile.index("-m venv $(VENV)")
    upgrade = makefile.index("--upgrade", venv)
    assert upgrade < makefile.index("-r requirements-dev.txt", venv)
    assert "(pip|setuptools)==" in makefile[upgrade : upgrade + 200]
