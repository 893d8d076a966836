"""Opening an uploaded file safely and finding its columns.

The size is capped, the zip's members are measured before anything is unpacked (a small file
that inflates to gigabytes is refused), the content must really be an xlsx, and the XML
is read by sheet.SheetReader, which refuses DTDs and entities and resolves none.
"""

import re
import zipfile
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from core.uploads import TYPES, validate_upload

from .columns import (
    MAX_FILE_BYTES,
    MAX_RATIO,
    MAX_UNPACKED_BYTES,
    RATIO_FLOOR,
    SHEET,
    ImportResult,
    columns,
)
from .sheet import SheetReader


def unreadable() -> ValidationError:
    return ValidationError(_("无法读取这个 Excel 文件，请确认它是用本系统的模板填写的。"))


def check_file(upload) -> None:
    """Refuse a file that is too big, not an xlsx, or a zip that would inflate too far."""
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(
            _("文件太大（%(size).1f MB），导入文件不能超过 %(limit)d MB；请分成几个文件导入。")
            % {"size": upload.size / 2**20, "limit": MAX_FILE_BYTES // 2**20}
        )
    mime, _name = validate_upload(upload)
    if mime != TYPES["xlsx"].mime:
        raise ValidationError(_("只能导入 Excel 文件（.xlsx）；旧版 .xls 文件请先另存为 .xlsx。"))
    upload.seek(0)
    try:
        members = zipfile.ZipFile(upload).infolist()
    except zipfile.BadZipFile as exc:
        raise ValidationError(_("文件已损坏，无法打开。")) from exc
    finally:
        upload.seek(0)
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED_BYTES:
        raise ValidationError(
            _("文件解压后超过 %(limit)d MB，不能导入；请分成几个文件导入。")
            % {"limit": MAX_UNPACKED_BYTES // 2**20}
        )
    for m in members:
        if m.file_size > RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise ValidationError(_("文件的压缩比异常，可能是恶意文件，不能导入。"))


def read_rows(upload) -> tuple[tuple, Iterator[tuple[int, tuple]]]:
    """The header row and an iterator over (row number, values) of the 意见 sheet (else the
    first). The sheet is parsed as the rows are read (sheet.SheetReader)."""
    upload.seek(0)
    rows = SheetReader(upload, preferred_sheet=str(SHEET)).rows()
    try:
        first = next(rows, None)
    except ValidationError:
        raise
    except Exception as exc:  # a damaged part shows up while parsing
        raise unreadable() from exc
    if first is None:
        raise ValidationError(_("文件是空的：没有找到列名。"))
    return first[1], rows


def _normalise_header(value) -> str:
    text = re.sub(r"[\s*＊“”\"]", "", str(value or ""))
    return text.replace("（必填）", "").replace("(必填)", "")


def match_columns(header: tuple, result: ImportResult) -> dict[str, int]:
    """Column key → index. Headers match in the user's language or in Chinese (the source)."""
    current = columns()
    with translation.override(settings.LANGUAGE_CODE):
        source = columns()
    by_name = {}
    for original, col in zip(source, current, strict=True):
        by_name[_normalise_header(original.header)] = col
        by_name[_normalise_header(col.header)] = col
    by_name[_normalise_header(_("匿名"))] = next(c for c in current if c.key == "is_anonymous")
    found: dict[str, int] = {}
    for index, value in enumerate(header):
        col = by_name.get(_normalise_header(value))
        if col is None:
            continue
        if col.key in found:
            result.add(
                1, col.header, _("列名重复：只能有一列“%(column)s”。") % {"column": col.header}
            )
        found[col.key] = index
    for col in columns():
        if col.required and col.key not in found:
            result.add(1, col.header, _("缺少必填列“%(column)s”。") % {"column": col.header})
    return found
