"""Importing opinions from Excel: the template, row-by-row checks, all or nothing, safe files."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.models import AuditLog
from feedback import importing
from feedback.models import Opinion

pytestmark = pytest.mark.django_db

HEADER = ["意见原文", "征求渠道", "收集日期", "意见来源", "四风类别", "意见对象", "所提领导"]


def good_row(n: int) -> list:
    return [f"第{n}条：希望领导多到基层走走，少开会、开短会。", "座谈会", "2014-03-15",
            "普通干部群众", "形式主义", "领导班子", None]  # fmt: skip


def xlsx(rows, header=HEADER, name="意见.xlsx") -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.title = "意见"
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue(), "application/octet-stream")


def five_hundred(*, broken: bool) -> list[list]:
    rows = [good_row(n) for n in range(1, 501)]
    if broken:
        rows[7][1] = "电话会"  # sheet row 9: unknown channel
        rows[199][0] = "   "  # sheet row 201: empty text
        rows[420][2] = "2014年2月30日"  # sheet row 422: no such day
    return rows


def post(client, unit, upload):
    return client.post(reverse("feedback:opinion_import", args=[unit.pk]), {"file": upload})


def test_500_rows_with_3_bad_rows_import_nothing_and_the_report_names_each(world, as_user):
    client = as_user(world.alice)
    response = post(client, world.unit_a, xlsx(five_hundred(broken=True)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "发现 3 处问题，本次未导入任何意见。" in page
    errors = [(e.row, e.column, e.problem) for e in response.context["result"].errors]
    assert errors == [
        (9, "征求渠道", "未知的征求渠道“电话会”，可选：座谈会、个别访谈、征求意见函、意见箱、"
                        "网站专栏、热线电话、12345 热线、微博、微信、征求意见卡、问卷、走访、"
                        "来信来访、其他。"),
        (201, "意见原文", "意见原文为空。"),
        (422, "收集日期", "日期“2014年2月30日”不存在。"),
    ]  # fmt: skip
    for row, column, _problem in errors:
        assert f"<td>{row}</td><td>{column}</td>" in page
    assert Opinion.objects.count() == 0
    assert not AuditLog.objects.filter(action="opinion.imported").exists()

    response = post(client, world.unit_a, xlsx(five_hundred(broken=False), name="改正后.xlsx"))
    assert response.status_code == 302
    assert Opinion.objects.filter(unit=world.unit_a).count() == 500
    log = AuditLog.objects.get(action="opinion.imported")
    assert log.changes == {"count": 500, "file": "改正后.xlsx"}
    assert log.actor == world.alice
    assert AuditLog.objects.filter(action="opinion.taken").count() == 0  # one row, not 500


def test_the_error_report_downloads_as_a_spreadsheet(world, as_user):
    client = as_user(world.alice)
    post(client, world.unit_a, xlsx(five_hundred(broken=True)))
    response = client.get(reverse("feedback:opinion_import_errors", args=[world.unit_a.pk]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0] == ("行", "列", "问题")
    assert [r[:2] for r in rows[1:]] == [(9, "征求渠道"), (201, "意见原文"), (422, "收集日期")]


def test_page_lists_200_problems_and_counts_the_rest(world, as_user):
    rows = [good_row(n) for n in range(1, 301)]
    for row in rows[:250]:
        row[1] = "飞鸽传书"
    response = post(as_user(world.alice), world.unit_a, xlsx(rows))
    page = response.content.decode()
    assert page.count("飞鸽传书") == 200
    assert "还有 50 处错误未列出" in page


def test_every_kind_of_problem_is_named(world):
    long_text = "长" * 2001
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    header = [*HEADER, "是否匿名", "联系方式"]
    rows = [
        [long_text, "座谈会", "2014-03-15", None, None, None, None, None, None],
        ["一条意见", "座谈会", future, None, None, None, None, None, None],
        ["一条意见", "座谈会", "去年春天", None, None, None, None, None, None],
        ["一条意见", "座谈会", "2014-03-15", "外星人", "懒政", "某位领导", None, None, None],
        ["一条意见", "座谈会", "2014-03-15", None, None, "某位领导", "查无此人", None, None],
        ["一条意见", "座谈会", "2014-03-15", None, None, None, None, "是", "13800000000"],
        ["一条意见", "座谈会", "2014-03-15", None, None, None, None, "也许", None],
        ["一条意见", "座谈会", "2014-03-15", None, None, "领导班子", "甲主席", None, None],
    ]
    result = importing.opinions_import(upload=xlsx(rows, header), unit=world.unit_a, by=world.alice)
    problems = [(e.row, e.column, e.problem) for e in result.errors]
    assert problems == [
        (2, "意见原文", "意见内容不能超过 2000 字（现有 2001 字）。"),
        (3, "收集日期", "收集日期不能晚于今天。"),
        (4, "收集日期", "日期“去年春天”无法识别，请写成 2014-03-15、2014/3/15 或 2014年3月15日。"),
        (5, "意见来源", "未知的意见来源“外星人”，可选：普通干部群众、职工群众、老同志、党外人士、两代表一委员、服务对象、企业、基层工会、其他。"),
        (5, "四风类别", "未知的四风类别“懒政”，可选：形式主义、官僚主义、享乐主义、奢靡之风、其他。"),
        (5, "所提领导", "意见对象为“某位领导”时，请填写是哪位领导。"),
        (6, "所提领导", "本单位没有名为“查无此人”的人员。"),
        (7, "联系方式", "匿名意见不登记联系方式；如需登记联系方式，“是否匿名”请填“否”。"),
        (8, "是否匿名", "“是否匿名”请填“是”或“否”。"),
        (9, "所提领导", "意见对象是“领导班子”，不应填写所提领导；如意见针对这位领导，请把意见对象改为“某位领导”。"),
    ]  # fmt: skip
    assert Opinion.objects.count() == 0


def test_missing_required_columns_are_reported_before_any_row(world):
    upload = xlsx([["一条意见", "2014-03-15"]], header=["意见原文", "日期"])
    result = importing.opinions_import(upload=upload, unit=world.unit_a, by=world.alice)
    assert [(e.row, e.column, e.problem) for e in result.errors] == [
        (1, "征求渠道", "缺少必填列“征求渠道”。"),
        (1, "收集日期", "缺少必填列“收集日期”。"),
    ]


def test_columns_in_any_order_labels_and_every_date_form_are_accepted(world):
    header = [
        "备注",
        "收集日期",
        "所提领导",
        "“四问”类型",
        "征求渠道",
        "意见原文",
        "匿名",
        "联系方式",
    ]
    rows = [
        ["随便写", datetime.datetime(2014, 3, 15), "甲主席", "问怨", "个别访谈", "原话一", "否", "电话 123"],
        [None, "2014/3/5", None, "问策", "热线电话", "原话二", None, None],
        [None, "2014年3月6日", None, None, "意见箱", "原话三", None, None],
        [None, 41708, None, None, "走访", "原话四", None, None],  # an Excel day number
        [None, None, None, None, None, None, None, None],  # blank rows are skipped
    ]  # fmt: skip
    result = importing.opinions_import(upload=xlsx(rows, header), unit=world.unit_a, by=world.alice)
    assert result.ok and result.imported == 4
    first, second, third, fourth = Opinion.objects.order_by("id")
    assert (first.text, first.channel, first.question_type) == ("原话一", "interview", "grievance")
    assert (first.target, first.target_person) == (Opinion.Target.LEADER, world.chair)
    assert (first.is_anonymous, first.contact) == (False, "电话 123")
    assert (second.received_on, second.is_anonymous) == (datetime.date(2014, 3, 5), True)
    assert third.received_on == datetime.date(2014, 3, 6)
    assert fourth.received_on == datetime.date(2014, 3, 10)
    assert {o.entered_by for o in (first, fourth)} == {world.alice}


def test_text_is_kept_verbatim_with_line_breaks(world):
    text = "第一句。\n第二句：“原话”，不改一个字！"
    importing.opinions_import(
        upload=xlsx([[text, "座谈会", "2014-03-15"]], header=HEADER[:3]),
        unit=world.unit_a,
        by=world.alice,
    )
    assert Opinion.objects.get().text == text


def test_the_template_has_chinese_columns_dropdowns_and_instructions(world, as_user):
    world.chair.is_team_member = True
    world.chair.save()
    response = as_user(world.alice).get(
        reverse("feedback:opinion_import_template", args=[world.unit_a.pk])
    )
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["意见", "选项", "说明"]
    header = [c.value for c in wb["意见"][1]]
    assert header == [c.header for c in importing.columns()]
    rules = {
        str(dv.sqref).split(":")[0]: dv.formula1
        for dv in wb["意见"].data_validations.dataValidation
    }
    assert rules["B2"] == "'选项'!$B$2:$B$15"  # 征求渠道
    options = [c.value for c in wb["选项"]["B"][1:15]]
    assert options == [str(label) for label in Opinion.Channel.labels]
    assert "甲主席" in [c.value for c in wb["选项"]["H"]]
    notes = " ".join(str(c.value) for row in wb["说明"] for c in row if c.value)
    assert "一条也不导入" in notes and "是否匿名" in notes
    # The template filled in as a user would imports cleanly.
    wb["意见"].append(
        ["原话", "座谈会", "2014-03-15", "老同志", "问症", "官僚主义", "某位领导", "甲主席"]
    )
    out = io.BytesIO()
    wb.save(out)
    result = importing.opinions_import(
        upload=SimpleUploadedFile("t.xlsx", out.getvalue()), unit=world.unit_a, by=world.alice
    )
    assert result.ok and Opinion.objects.get().target_person == world.chair


def test_only_the_units_staff_may_import(world, as_user):
    url = reverse("feedback:opinion_import", args=[world.unit_a.pk])
    for persona in ("sam", "leo"):
        assert as_user(getattr(world, persona)).get(url).status_code == 403
    assert as_user(world.charlie).get(url).status_code == 404
    assert as_user(world.alice).get(url).status_code == 200


# Files that are not what they claim, or that would blow up when opened ---------------------


def refused(world, upload) -> str:
    with pytest.raises(Exception) as caught:
        importing.opinions_import(upload=upload, unit=world.unit_a, by=world.alice)
    assert Opinion.objects.count() == 0
    return " ".join(caught.value.messages)


def test_a_pdf_renamed_xlsx_is_refused(world):
    message = refused(world, SimpleUploadedFile("意见.xlsx", b"%PDF-1.4\n%fake\n"))
    assert "与扩展名不符" in message


def test_a_word_file_is_refused(world):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    assert "只能导入 Excel 文件" in refused(world, SimpleUploadedFile("a.docx", out.getvalue()))


def test_a_file_over_the_size_limit_is_refused(world, monkeypatch):
    upload = xlsx([good_row(1)])
    monkeypatch.setattr("feedback.importing.files.MAX_FILE_BYTES", upload.size - 1)
    assert "导入文件不能超过" in refused(world, upload)


def zip_bomb() -> bytes:
    """A valid workbook plus one member that inflates 1000-fold (zeros compress that well)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx([good_row(1)]).read())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/media/padding.bin", b"\0" * (8 * 2**20))
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(world):
    content = zip_bomb()
    assert len(content) < 100_000
    assert "压缩比异常" in refused(world, SimpleUploadedFile("bomb.xlsx", content))


def test_a_file_that_unpacks_too_big_is_refused(world, monkeypatch):
    monkeypatch.setattr("feedback.importing.files.MAX_UNPACKED_BYTES", 1000)
    assert "解压后超过" in refused(world, xlsx([good_row(1)]))


def test_xml_entity_declarations_are_refused_before_parsing(world):
    source = xlsx([good_row(1)]).read()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                entities = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
                data = entities + data.replace(b"<t>", b"<t>&b;", 1)
                assert b"&b;" in data
            dst.writestr(item, data)
    message = refused(world, SimpleUploadedFile("x.xlsx", out.getvalue()))
    assert message == "文件包含不允许的 XML 声明（DOCTYPE 或 ENTITY），可能是恶意文件，不能导入。"


def test_a_file_over_the_row_limit_is_refused(world, monkeypatch):
    monkeypatch.setattr("feedback.importing.MAX_ROWS", 3)
    assert "文件超过 3 行意见" in refused(world, xlsx([good_row(n) for n in range(4)]))


def test_an_empty_sheet_is_refused(world):
    assert "文件里没有意见" in refused(world, xlsx([]))


def test_a_refused_file_shows_its_reason_on_the_page(world, as_user):
    response = post(as_user(world.alice), world.unit_a, SimpleUploadedFile("a.xlsx", b"hello"))
    assert response.status_code == 200
    assert "与扩展名不符" in response.content.decode()


def test_a_chinese_file_imports_for_a_user_reading_english(world):
    from django.utils import translation

    with translation.override("en"):
        result = importing.opinions_import(
            upload=xlsx([good_row(1)]), unit=world.unit_a, by=world.alice
        )
    assert result.ok and Opinion.objects.get().channel == "symposium"
