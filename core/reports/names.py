"""What a downloaded file is called, and the one header that says so.

A report downloads as 单位 + 标题 + 日期 (`南通市总工会整改台账-2026-12-04.xlsx`). Browsers
read the Chinese name from `filename*` (RFC 6266 and 5987); the few that cannot get the
ASCII `filename` beside it, made from the report's pinyin stem (`zhenggai-taizhang-2026-12-04.xlsx`).
"""

import datetime
import re
import unicodedata
from urllib.parse import quote

# Characters no file system or browser accepts in a name, and control characters.
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
NOT_ASCII_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
STEM_LIMIT = 150  # ReportFile.filename holds 200


def download_name(*, unit_name: str, title: str, day: datetime.date, fmt: str) -> str:
    """`南通市总工会整改台账-2026-12-04.xlsx`; a title that already names the unit keeps it once."""
    title, unit_name = str(title).strip(), str(unit_name or "").strip()
    stem = title if title.startswith(unit_name) else f"{unit_name}{title}"
    stem = UNSAFE.sub("_", stem).strip(" ._") or "report"
    return f"{stem[:STEM_LIMIT]}-{day.isoformat()}.{fmt}"


def ascii_name(stem: str, *, day: datetime.date | None = None, fmt: str = "") -> str:
    """An ASCII name from a pinyin or English stem: `zhenggai-taizhang-2026-12-04.xlsx`."""
    stem = _ascii(stem) or "download"
    if day is not None:
        stem = f"{stem}-{day.isoformat()}"
    return f"{stem}.{fmt}" if fmt else stem


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return NOT_ASCII_SAFE.sub("-", decomposed).strip("-.")


def content_disposition(filename: str, *, fallback: str | None = None, inline=False) -> str:
    """`attachment; filename="<ascii fallback>"; filename*=UTF-8''<the name, percent-encoded>`.

    Without a fallback, the ASCII part of the name is kept (`方案v2.pdf` → `v2.pdf`), or
    `download` with the name's extension."""
    if fallback is None:
        stem, dot, ext = str(filename).rpartition(".")
        if not dot:
            stem, ext = ext, ""
        fallback = ascii_name(stem, fmt=_ascii(ext))
    fallback = _ascii(fallback) or "download"
    disposition = "inline" if inline else "attachment"
    return (
        f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(str(filename), safe='')}"
    )
