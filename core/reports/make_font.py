"""Rebuild the CJK fonts shipped under static/fonts/ for the PDF reports.

    .venv/bin/python -m core.reports.make_font

Takes Noto Serif CJK SC (regular and bold) from Debian's fonts-noto-cjk, keeps GB 2312
(every hanzi and symbol), ASCII, CJK punctuation and full-width forms, renames the family
so a PDF shows it was our file (not a system font) that got embedded, and writes WOFF2.
The licence (SIL OFL 1.1) is copied beside the fonts.
"""

import subprocess
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
OUT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"
FAMILY = "Campaign Serif SC"
# Index of "Noto Serif CJK SC" inside Debian's .ttc collections.
SC_FONT_NUMBER = 2
FACES = {
    "Regular": "NotoSerifCJK-Regular.ttc",
    "Bold": "NotoSerifCJK-Bold.ttc",
}
LICENCE_SOURCE = Path("/usr/share/doc/fonts-noto-cjk/copyright")


def gb2312_characters() -> set[str]:
    chars = set()
    for first in range(0xA1, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                chars.add(bytes([first, second]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def wanted_codepoints() -> list[int]:
    points = {ord(c) for c in gb2312_characters()}
    points |= set(range(0x20, 0x7F))  # ASCII
    points |= set(range(0x3000, 0x3040))  # CJK symbols and punctuation
    points |= set(range(0xFF01, 0xFF5F))  # full-width forms
    points |= set(range(0x2010, 0x2027))  # dashes, quotes, ellipsis
    points |= {0x00A0, 0x00B7, 0x00D7, 0x00F7, 0x2030, 0x2103, 0x2116, 0x2160, 0x2161, 0x2162}
    points |= set(range(0x2460, 0x2474))  # circled numbers ①…⑳
    return sorted(points)


def rename(path: Path, style: str) -> None:
    font = TTFont(path)
    names = font["name"]
    postscript = f"{FAMILY.replace(' ', '')}-{style}"
    for record in list(names.names):
        if record.nameID in (1, 16):
            names.setName(FAMILY, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID in (2, 17):
            names.setName(style, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 4:
            names.setName(
                f"{FAMILY} {style}", 4, record.platformID, record.platEncID, record.langID
            )
        elif record.nameID in (3, 6):
            names.setName(
                postscript, record.nameID, record.platformID, record.platEncID, record.langID
            )
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [postscript]
        top = cff.topDictIndex[0]
        top.FullName = f"{FAMILY} {style}"
        top.FamilyName = FAMILY
    font.save(path)


def build(out_dir: Path = OUT_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    unicodes_file = out_dir / ".unicodes.txt"
    unicodes_file.write_text(",".join(f"U+{p:04X}" for p in wanted_codepoints()))
    built = []
    try:
        for style, source in FACES.items():
            target = out_dir / f"{FAMILY.replace(' ', '')}-{style}.woff2"
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "fontTools.subset",
                    str(SOURCE_DIR / source),
                    f"--font-number={SC_FONT_NUMBER}",
                    f"--unicodes-file={unicodes_file}",
                    "--no-hinting",
                    "--layout-features=",
                    "--flavor=woff2",
                    f"--output-file={target}",
                ],
                check=True,
            )
            rename(target, style)
            built.append(target)
    finally:
        unicodes_file.unlink(missing_ok=True)
    licence = LICENCE_SOURCE.read_text(encoding="utf-8")
    (out_dir / "OFL.txt").write_text(
        f"{FAMILY} is a subset of Noto Serif CJK SC (https://github.com/googlefonts/noto-cjk),\n"
        "made by core/reports/make_font.py. It is licensed under the SIL Open Font License 1.1,\n"
        "reproduced below from Debian's fonts-noto-cjk package.\n\n" + licence,
        encoding="utf-8",
    )
    return built


if __name__ == "__main__":
    for path in build():
        print(path, path.stat().st_size)
