import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import validate_upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload(name, content):
    return SimpleUploadedFile(name, content)


def office_zip(member):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(member, "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("会议记录.pdf", b"%PDF-1.7\n...", "application/pdf"),
        ("现场.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        ("照片.png", PNG, "image/png"),
        ("方案.docx", office_zip("word/document.xml"), None),
        ("台账.xlsx", office_zip("xl/workbook.xml"), None),
        ("旧稿.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, None),
        ("纪要.txt", "会议纪要：征求意见".encode("gb18030"), "text/plain"),
    ],
)
def test_allowed_types_pass_with_a_safe_name(name, content, mime):
    found, safe = validate_upload(upload(name, content))
    assert mime is None or found == mime
    assert safe.endswith(name.rsplit(".", 1)[1])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("病毒.pdf", b"MZ\x90\x00" + b"\x00" * 20, "不支持"),
        ("图片.pdf", PNG, "与扩展名不符"),
        ("压缩包.docx", office_zip("other.xml"), "不支持"),
        ("空.pdf", b"", "是空的"),
    ],
)
def test_disguised_or_empty_files_are_refused_in_chinese(name, content, message):
    with pytest.raises(ValidationError, match=message):
        validate_upload(upload(name, content))


def test_oversized_files_are_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError, match="太大"):
        validate_upload(upload("大.pdf", b"%PDF-" + b"0" * (1024 * 1024)))


def test_path_tricks_in_names_are_removed():
    _mime, safe = validate_upload(upload("../../etc/passwd.pdf", b"%PDF-1.4"))
    assert "/" not in safe and ".." not in safe.rsplit(".", 1)[0].strip(".")
