"""Peak memory of the opinion import for a hostile file and for a legitimate 20 MB file.

Each file is checked in a fresh process on a throw-away SQLite database (migrated once, in a
temporary folder): the file checks, reading and checking every row, as an upload runs them
(feedback.importing.opinions_check), without the insert. The figure is the process's peak
resident memory above what it held just before the import (VmHWM, reset just before).

    .venv/bin/python bench/bench_import_memory.py

Issue 18: a 1.9 KB file with one cell at column ZZZZZZ took a web process to 5.2 GB.
A benchmark, not a test: it prints figures and never fails.
"""

import io
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

BASE = Path(__file__).resolve().parents[1]
LEGIT_BYTES = 20 * 2**20


def hostile_files() -> dict[str, bytes]:
    """Files up to the 20 MB upload limit. The sheet is stored, not deflated, so the zip's
    ratio check (files.check_file) lets it through and the reader's own bounds are what hold."""
    from openpyxl import Workbook

    def workbook(sheet_xml: bytes, strings_xml: bytes | None = None) -> bytes:
        wb = Workbook()
        wb.active.title = "意见"
        wb.active.append(["意见原文", "征求渠道", "收集日期"])
        src = io.BytesIO()
        wb.save(src)
        out = io.BytesIO()
        parts = {"xl/worksheets/sheet1.xml": sheet_xml}
        if strings_xml is not None:
            parts["xl/sharedStrings.xml"] = strings_xml
        with zipfile.ZipFile(src) as a, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as b:
            for item in a.infolist():
                if item.filename not in parts:
                    b.writestr(item, a.read(item))
            for name, data in parts.items():
                b.writestr(name, data, compress_type=zipfile.ZIP_STORED)
        return out.getvalue()

    ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    header = b"".join(
        b'<c t="inlineStr"><is><t>%s</t></is></c>' % h.encode()
        for h in ("意见原文", "征求渠道", "收集日期")
    )
    head = b"<worksheet " + ns + b'><sheetData><row r="1">' + header + b"</row>"
    tail = b"</sheetData></worksheet>"
    cell = b'<c t="inlineStr"><is><t>x</t></is></c>'
    big = b"\xe6\x84\x8f" * 1_000_000  # 意 × 1,000,000 in one cell
    return {
        "one cell at column ZZZZZZ": workbook(
            head + b'<row r="2"><c r="ZZZZZZ2" t="inlineStr"><is><t>x</t></is></c></row>' + tail
        ),
        "cell at XFD (16,384th col)": workbook(
            head + b'<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>' + tail
        ),
        "500,000 cells in one row": workbook(head + b"<row>" + cell * 500_000 + b"</row>" + tail),
        "1,300,000 runs in one cell": workbook(
            head + b'<row><c t="inlineStr"><is>' + b"<r><t>x</t></r>" * 1_300_000 + b"</is></c>"
            b"</row>" + tail
        ),
        "one 1,000,000-char cell": workbook(
            head + b'<row><c t="inlineStr"><is><t>' + big + b"</t></is></c></row>" + tail
        ),
        "3,000,000 empty rows": workbook(head + b"<row/>" * 3_000_000 + tail),
        "1,100,000 shared strings": workbook(
            head + b'<row><c t="s"><v>1</v></c></row>' + tail,
            b"<sst " + ns + b">" + b"<si><t>x</t></si>" * 1_100_000 + b"</sst>",
        ),
    }


def legit_file() -> bytes:
    """Rows of the template, texts long enough that the file is about 20 MB."""
    from openpyxl import Workbook

    rng = random.Random(18)
    alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("意见")
    ws.append(["意见原文", "征求渠道", "收集日期", "意见来源", "四风类别", "意见对象"])
    for n in range(100_000):
        text = f"第{n}条：" + "".join(rng.choices(alphabet, k=rng.randint(50, 100)))
        ws.append([text, "座谈会", "2014-03-15", "普通干部群众", "形式主义", "领导班子"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _peak() -> float:
    """This process's peak resident memory in MB (VmHWM; ru_maxrss would carry the parent's
    peak across exec on Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> float:
    """Start the peak again from what the process holds now; return that."""
    Path("/proc/self/clear_refs").write_text("5")
    return _peak()


def child(path: str) -> None:
    """In a fresh process: set up, then check one file and print peak memory growth."""
    sys.path.insert(0, str(BASE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from feedback import importing
    from units.models import Unit, User
    from units.services import unit_create

    pid = os.getpid()
    unit = unit_create(name=f"测试单位{pid}", code=f"T{pid}", kind=Unit.Kind.DEPARTMENT)
    user = User.objects.create(username=f"t{pid}", home_unit=unit)
    upload = SimpleUploadedFile("x.xlsx", Path(path).read_bytes())
    before = _reset_peak()
    start = time.perf_counter()
    try:
        result, opinions = importing.opinions_check(upload=upload, unit=unit, by=user)
        outcome = f"read: {len(opinions):,} opinions, {result.error_count} problems"
    except ValidationError as exc:
        outcome = f"refused: {exc.messages[0]}"
    seconds = time.perf_counter() - start
    peak = _peak()
    print(
        f"    import: +{peak - before:.0f} MB (process peak {peak:.0f} MB), {seconds:.1f} s, {outcome}"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "DEBUG": "false"}
        env["SECRET_KEY"] = "bench-" + "x" * 50
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=BASE, env=env,
                       check=True)  # fmt: skip
        sys.path.insert(0, str(BASE))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        files = {**hostile_files(), "legitimate rows": legit_file()}
        for name, content in files.items():
            path = Path(tmp) / "file.xlsx"
            path.write_bytes(content)
            print(f"{name:28s} {len(content) / 2**20:6.2f} MB", flush=True)
            subprocess.run([sys.executable, __file__, "--child", str(path)], cwd=BASE, env=env,
                           check=True)  # fmt: skip


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2])
    else:
        main()
