"""Time the side-by-side diff of two revisions at the longest allowed texts (issue 18).

The probe found difflib's HtmlDiff quadratic: 300 lines took 1.0 s, 1,500 lines 24 s. This
times campaign.selectors.diff.side_by_side on texts of MATERIAL_TEXT_MAX characters, ordinary
and hostile; the goal is under 200 ms each. A benchmark, not a test: it never fails.

    .venv/bin/python bench/bench_material_diff.py
"""

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django

django.setup()

from campaign.models.material import MATERIAL_TEXT_MAX  # noqa: E402
from campaign.selectors.diff import side_by_side  # noqa: E402

random.seed(1)
chars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"


def line(n):
    return "".join(random.choice(chars) for _ in range(n))


def text(total, width):
    lines = []
    size = 0
    while size < total - width - 1:
        new_line = line(width)
        lines.append(new_line)
        size += len(new_line) + 1
    return "\n".join(lines)


def bench(name, a, b, reps=3):
    best = 1e9
    for _ in range(reps):
        t = time.perf_counter()
        html = side_by_side(a, b, old_label="第1稿", new_label="第2稿")
        best = min(best, time.perf_counter() - t)
    print(
        f"{name:55s} old={len(a):>7} new={len(b):>7} chars  {best * 1000:7.1f} ms  html={len(html) // 1024} KB"
    )


N = MATERIAL_TEXT_MAX
for width in (40, 80, 200):
    a = text(N, width)
    # realistic: edit ~10% of lines
    al = a.split("\n")
    bl = list(al)
    for k in random.sample(range(len(bl)), len(bl) // 10):
        bl[k] = bl[k][: width // 2] + "改" + bl[k][width // 2 + 1 :]
    b = "\n".join(bl)
    bench(f"{width}-char lines, 10% lines edited", a, b)
    bench(f"{width}-char lines, every line different", a, text(N, width))
# adversarial: repeated lines
bench(
    "adversarial: 'a' lines vs 'b' lines", "\n".join(["a"] * (N // 2)), "\n".join(["b"] * (N // 2))
)
bench("adversarial: one 200k-char line each", line(N), line(N))
bench("300 lines (probe)", text(300 * 41, 40), text(300 * 41, 40))
bench("1500 lines (probe)", text(1500 * 41, 40), text(1500 * 41, 40))
words = [f"第{k}行" for k in range(150)]
bench(
    "adversarial: 150 lines shuffled, 28k lines each",
    "\n".join(random.choice(words) for _ in range(28000)),
    "\n".join(random.choice(words) for _ in range(28000)),
)
bench("adversarial: 200k empty lines vs alternating", "\n" * N, "\nx" * (N // 2))
