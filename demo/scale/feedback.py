"""Scale data for the opinion benchmarks: 1,000,000 opinions over the city profile's units.

Texts are put together from the phrases the seed documents use for the "four winds"
(文山会海, 门难进、脸难看、事难办, 公款吃喝 …), so no two units read alike, and about one in
six is a planted near-duplicate: an earlier opinion of the same unit said again in slightly
different words, as happens when several people raise one point. Ten busy city bodies hold
20,000 opinions each; the rest are spread over every unit.

PostgreSQL loads the rows with COPY and builds the two GIN indexes afterwards (building an
index once is far faster than updating it a million times); SQLite uses bulk_create.
"""

import csv
import datetime
import io
import random
import time

from django.db import connection, transaction
from django.utils import timezone

from demo.scale.units import SCALE_CODE_PREFIX
from feedback.models import FourWinds, Opinion
from units.models import Person, Unit

BUSY_UNITS = 10
PER_BUSY = 20_000
DUPLICATE_SHARE = 0.16
GIN_INDEXES = {
    "opinion_unit_text_bigrams": "USING gin (unit_id, feedback_bigrams(text))",
    "opinion_unit_text_trgm": "USING gin (unit_id, text gin_trgm_ops)",
}

OPENINGS = [
    "", "", "", "我认为", "个人觉得", "反映一个情况：", "说句实在话，", "作为一名老党员，",
    "作为服务对象，", "据我了解，", "群众普遍反映，", "我们基层同志觉得",
]  # fmt: skip
SUBJECTS = [
    "机关", "个别领导干部", "部分中层干部", "窗口单位", "有的科室", "领导班子", "少数党员干部",
    "基层站所", "办事大厅", "个别部门负责人", "一些职能处室", "下属单位",
]  # fmt: skip
PROBLEMS = {
    FourWinds.FORMALISM: [
        "会议多、文件多，文山会海问题依然突出", "检查评比过多过滥，基层疲于应付",
        "调查研究走过场，蹲点调研时间太短", "学习流于形式，满足于记笔记、写体会",
        "工作安排只重部署不抓落实", "材料报表层层加码，重复报送",
        "开会以会议贯彻会议，以文件落实文件", "搞形式主义的“一票否决”，问责过多",
    ],
    FourWinds.BUREAUCRATISM: [
        "门难进、脸难看、事难办的现象仍然存在", "办事效率不高，推诿扯皮",
        "深入基层少，脱离实际、脱离群众", "对群众反映的问题回应不及时",
        "审批手续繁琐，群众来回跑", "对待群众简单粗暴，吃拿卡要",
        "决策不听取职工群众意见，搞一言堂", "行政服务中心“前店后厂”、“体外循环”",
    ],
    FourWinds.HEDONISM: [
        "精神状态不振，慵懒散拖", "贪图享乐，怕苦怕累", "上班时间干私事、玩手机",
        "不愿到艰苦的地方去，联系点一年去不了一次", "急功近利，不负责任",
    ],
    FourWinds.EXTRAVAGANCE: [
        "公款吃喝、公款送礼现象没有完全杜绝", "公车私用时有发生", "办公用房超标",
        "节庆活动铺张浪费", "公务接待超标准，陪餐人数过多",
    ],
    FourWinds.OTHER: [
        "职工培训机会少", "基层工会经费使用不透明", "帮扶困难职工的政策落实不到位",
        "联系群众的制度执行得不好",
    ],
}  # fmt: skip
SETTINGS = [
    "", "", "", "在办理业务时", "去年以来", "在基层调研中", "特别是年底", "在窗口办事时",
    "在项目审批中", "在走访企业时",
]  # fmt: skip
DETAILS = [
    "群众意见比较大", "职工群众反映强烈", "影响了机关形象", "基层干部很有意见",
    "这个问题由来已久", "去年提过，至今没有改进", "群众对此很不满意", "伤了老百姓的心",
]  # fmt: skip
SUGGESTIONS = [
    "建议建立长效机制，真正改进作风", "希望领导多到基层走一走，听一听职工群众的真实想法",
    "建议精简会议文件，把时间留给基层", "希望公开办事流程和时限，接受群众监督",
    "建议严格执行中央八项规定", "希望实打实解决职工所需所难",
    "建议对照“四面镜子”认真查摆，立行立改", "希望把整改情况向群众公示",
    "建议完善考核评价办法，少一些检查评比", "",
]  # fmt: skip
# Rewordings for the planted near-duplicates: the same point in slightly different words.
SWAPS = [
    ("群众", "老百姓"), ("建议", "希望"), ("问题", "情况"), ("依然", "还是"), ("基层", "下面"),
    ("不及时", "太慢"), ("现象", "情况"), ("职工群众", "职工"), ("领导", "领导同志"),
    ("没有", "没"), ("，", "、"), ("。", "！"), ("过多", "太多"), ("仍然", "还"),
]  # fmt: skip
EXTRAS = ["确实", "非常", "真的", "还是", "一直"]
STATUSES = [
    (Opinion.Status.COLLECTED, 50),
    (Opinion.Status.SORTED, 35),
    (Opinion.Status.PROBLEM, 10),
    (Opinion.Status.ANSWERED, 5),
]
CHANNELS = [
    (Opinion.Channel.SYMPOSIUM, 30), (Opinion.Channel.INTERVIEW, 12), (Opinion.Channel.LETTER, 8),
    (Opinion.Channel.BOX, 15), (Opinion.Channel.WEBSITE, 10), (Opinion.Channel.HOTLINE, 6),
    (Opinion.Channel.SURVEY, 10), (Opinion.Channel.VISIT, 6), (Opinion.Channel.PETITION, 3),
]  # fmt: skip
COLUMNS = (
    "unit_id", "text", "channel", "source_group", "question_type", "four_winds", "target",
    "target_person_id", "received_on", "is_anonymous", "contact", "status",
)  # fmt: skip


def exists() -> bool:
    return Opinion.objects.filter(unit__code__startswith=SCALE_CODE_PREFIX).exists()


def compose(rng: random.Random, winds: str) -> str:
    opening, setting = rng.choice(OPENINGS), rng.choice(SETTINGS)
    text = f"{opening}{setting}{rng.choice(SUBJECTS)}{rng.choice(PROBLEMS[winds])}"
    text += f"，{rng.choice(DETAILS)}。" if rng.random() < 0.7 else "。"
    suggestion = rng.choice(SUGGESTIONS)
    return f"{text}{suggestion}。" if suggestion else text


def reword(rng: random.Random, text: str) -> str:
    """Say it again a little differently: two words swapped, an intensifier, a clause less."""
    swaps = [pair for pair in SWAPS if pair[0] in text]
    for old, new in rng.sample(swaps, min(2, len(swaps))):
        text = text.replace(old, new, 1)
    at = text.find("，")
    if at > 0 and rng.random() < 0.5:
        text = f"{text[: at + 1]}{rng.choice(EXTRAS)}{text[at + 1 :]}"
    sentences = text.rstrip("。！").split("。")
    if len(sentences) > 1 and rng.random() < 0.3:
        text = f"{sentences[0]}。"  # the suggestion left out
    return text


def build(total: int = 1_000_000, seed: int = 2014) -> dict[str, int]:
    rng = random.Random(seed)
    started = time.perf_counter()
    root = Unit.objects.filter(code__startswith=SCALE_CODE_PREFIX, depth=0).get()
    units = list(
        Unit.objects.filter(path__startswith=root.path)
        .order_by("path")
        .values_list("id", flat=True)
    )
    people: dict[int, list[int]] = {}
    for unit_id, person_id in Person.objects.filter(
        unit_id__in=units, is_team_member=True
    ).values_list("unit_id", "id"):
        people.setdefault(unit_id, []).append(person_id)
    busy = list(Unit.objects.filter(parent=root).order_by("path").values_list("id", flat=True))[
        :BUSY_UNITS
    ]
    busy_total = min(total, PER_BUSY * len(busy))
    unit_of = [busy[i // PER_BUSY] for i in range(busy_total)]
    unit_of += [rng.choice(units) for _ in range(total - busy_total)]
    rows = _rows(rng, unit_of, people)
    generated = time.perf_counter()
    if connection.vendor == "postgresql":
        _copy(rows)
    else:
        _bulk_create(rows)
    loaded = time.perf_counter()
    return {
        "opinions": len(rows),
        "generate_seconds": round(generated - started, 1),
        "load_and_index_seconds": round(loaded - generated, 1),
    }


def _rows(rng, unit_of, people) -> list[tuple]:
    today = timezone.localdate()
    statuses, status_weights = zip(*STATUSES, strict=True)
    channels, channel_weights = zip(*CHANNELS, strict=True)
    winds = list(PROBLEMS)
    earlier: dict[int, list[tuple[str, str]]] = {}  # unit → recent (text, four winds)
    rows = []
    picks = zip(
        rng.choices(statuses, status_weights, k=len(unit_of)),
        rng.choices(channels, channel_weights, k=len(unit_of)),
        strict=True,
    )
    for unit_id, (status, channel) in zip(unit_of, picks, strict=True):
        seen = earlier.setdefault(unit_id, [])
        if seen and rng.random() < DUPLICATE_SHARE:
            base, kind = rng.choice(seen)
            text = reword(rng, base)
        else:
            kind = rng.choice(winds)
            text = compose(rng, kind)
            seen.append((text, kind))
            if len(seen) > 200:
                del seen[: len(seen) - 200]
        sorted_ = status != Opinion.Status.COLLECTED
        target = rng.choices(["unit", "team", "leader"], [50, 35, 15])[0]
        person = rng.choice(people[unit_id]) if target == "leader" and unit_id in people else None
        if person is None and target == "leader":
            target = "team"
        contact = f"139{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.1 else ""
        rows.append(
            (
                unit_id,
                text,
                channel,
                rng.choice(Opinion.SourceGroup.values) if sorted_ or rng.random() < 0.5 else "",
                rng.choice(Opinion.Question.values) if sorted_ else "",
                kind if sorted_ else "",
                target,
                person,
                today - datetime.timedelta(days=rng.randint(0, 400)),
                not contact,
                contact,
                status,
            )
        )
    return rows


def _copy(rows) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for name in GIN_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in rows:
            writer.writerow([r"\N" if v is None else v for v in row])
            if buffer.tell() > 32_000_000:
                _flush(cursor, buffer)
                buffer = io.StringIO()
                writer = csv.writer(buffer)
        _flush(cursor, buffer)
    # After the commit: the deferred foreign-key checks must have run before CREATE INDEX.
    _index()


def _index() -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for name, definition in GIN_INDEXES.items():
            cursor.execute(f"CREATE INDEX {name} ON feedback_opinion {definition}")
    with connection.cursor() as cursor:
        # VACUUM sets the visibility map, so counting a unit's rows is an index-only scan.
        cursor.execute("VACUUM ANALYZE feedback_opinion")


def _flush(cursor, buffer: io.StringIO) -> None:
    buffer.seek(0)
    cursor.copy_expert(
        f"COPY feedback_opinion ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
        buffer,
    )


def _bulk_create(rows) -> None:
    with transaction.atomic():
        for start in range(0, len(rows), 50_000):
            Opinion.objects.bulk_create(
                (
                    Opinion(**dict(zip(COLUMNS, row, strict=True)))
                    for row in rows[start : start + 50_000]
                ),
                batch_size=5000,
            )
