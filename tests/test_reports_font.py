"""The shipped CJK font: it covers GB 2312, carries its licence, and makes PDFs render
Chinese on a machine with no font installed at all (fontconfig sees none)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

from core.reports.make_font import FAMILY, gb2312_characters

BASE_DIR = Path(__file__).resolve().parent.parent
FONTS = BASE_DIR / "static" / "fonts"

RENDER = """
import io, json, os, sys
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
django.setup()
import pypdf
from core.reports.pdf import render_pdf
data = render_pdf("reports/table.html", {
    "title": "整改台账", "header": ["序号", "问题"], "widths": [10, 90],
    "rows": [[1, "文山会海，会议多、文件多；门难进、脸难看、事难办"]],
})
page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
fonts = []
for font in page["/Resources"]["/Font"].values():
    for part in font.get_object()["/DescendantFonts"]:
        part = part.get_object()
        descriptor = part["/FontDescriptor"].get_object()
        if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            fonts.append(str(part["/BaseFont"]))
print(json.dumps({"text": page.extract_text(), "fonts": fonts}))
"""


def test_the_font_covers_every_gb2312_character_and_ships_with_its_licence():
    for face in ("Regular", "Bold"):
        font = TTFont(FONTS / f"CampaignSerifSC-{face}.woff2")
        cmap = font.getBestCmap()
        missing = [c for c in gb2312_characters() if ord(c) not in cmap]
        assert missing == []
        assert all(ord(c) in cmap for c in "，。、；：？！“”（）《》【】…—０１ＡＢａｂ")
        assert font["name"].getDebugName(1) == FAMILY
    assert len(gb2312_characters()) > 7400
    licence = (FONTS / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert sum(p.stat().st_size for p in FONTS.glob("*.woff2")) < 4_000_000


def test_a_pdf_renders_chinese_with_no_system_font_installed(tmp_path):
    # A fontconfig configuration with no font directories: only @font-face can help.
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    listed = subprocess.run(["fc-list"], env=env, capture_output=True, text=True)
    assert listed.stdout.strip() == ""  # truly no fonts
    done = subprocess.run(
        [sys.executable, "-c", RENDER], cwd=BASE_DIR, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    text = "".join(result["text"].split())
    assert "文山会海，会议多、文件多；门难进、脸难看、事难办" in text
    assert "第1页共1页" in text
    assert result["fonts"] and all(
        name.endswith(("Campaign-Serif-SC", "Campaign-Serif-SC-Bold")) for name in result["fonts"]
    )
