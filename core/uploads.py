"""The one upload validator: size, a type allow-list checked from the content, safe names.

The browser's declared type and the file name are not trusted: the first bytes decide what a
file is, and the name's extension must agree with them (a program renamed .pdf is refused).
"""

import os
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileType:
    mime: str
    extensions: tuple[str, ...]
    label: str


TYPES = {
    "pdf": FileType("application/pdf", (".pdf",), "PDF"),
    "png": FileType("image/png", (".png",), "PNG"),
    "jpeg": FileType("image/jpeg", (".jpg", ".jpeg"), "JPEG"),
    "docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
        "Word",
    ),
    "xlsx": FileType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",), "Excel"
    ),
    "ole": FileType("application/octet-stream", (".doc", ".xls", ".wps"), "Office 97-2003"),
    "txt": FileType("text/plain", (".txt",), "文本"),
}


def _sniff(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(upload).namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return None
    if b"\x00" not in head:
        for encoding in ("utf-8", "gb18030"):
            try:
                head.decode(encoding)
                return "txt"
            except UnicodeDecodeError:
                continue
    return None


def allowed_types_text() -> str:
    return "、".join(t.label for t in TYPES.values())


def validate_upload(upload) -> tuple[str, str]:
    """Return (mime type, safe file name) or raise a ValidationError in Chinese."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("文件“%(name)s”太大（%(size).1f MB），上限为 %(limit)d MB。")
            % {"name": upload.name, "size": upload.size / 2**20, "limit": limit // 2**20}
        )
    if upload.size == 0:
        raise ValidationError(_("文件“%(name)s”是空的。") % {"name": upload.name})
    kind = _sniff(upload)
    if kind is None:
        raise ValidationError(
            _("不支持文件“%(name)s”的类型，只能上传：%(types)s。")
            % {"name": upload.name, "types": allowed_types_text()}
        )
    ext = os.path.splitext(upload.name)[1].lower()
    if ext not in TYPES[kind].extensions:
        raise ValidationError(
            _("文件“%(name)s”的内容是 %(kind)s，与扩展名不符，请检查后重新上传。")
            % {"name": upload.name, "kind": TYPES[kind].label}
        )
    base = get_valid_filename(os.path.basename(upload.name)) or f"file{ext}"
    return TYPES[kind].mime, base[-120:]
