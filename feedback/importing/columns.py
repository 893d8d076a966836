"""The import's columns, limits and the result it hands back."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback.models import FourWinds

from ..models import TEXT_MAX, Opinion

MAX_FILE_BYTES = 20 * 2**20
MAX_UNPACKED_BYTES = 200 * 2**20
MAX_RATIO = 100  # uncompressed : compressed, for any member bigger than RATIO_FLOOR
RATIO_FLOOR = 2**20  # small members may compress very well and are harmless
MAX_ROWS = 100_000
# Bounds on what a sheet may make the reader hold, checked while streaming (sheet.py), before
# anything is allocated for it: a cell at column ZZZZZZ must not become a row of 321 million.
MAX_COLUMNS = 100  # the template has 10; cells with a value further right are refused
MAX_SHEET_ROWS = 1_048_576  # Excel's own last row; blank rows count too
CELL_MAX = 32_767  # characters in one cell: Excel's own limit
MAX_TEXT_CHARS = 20_000_000  # characters of text in the whole file (100,000 rows × 200)
MAX_SHARED_STRINGS = 1_000_000  # distinct strings in the workbook (100,000 rows × 10 columns)
MAX_ERRORS_KEPT = 2000  # what the report keeps; the count goes on past it
CONTACT_MAX = Opinion._meta.get_field("contact").max_length

SHEET = gettext_lazy("意见")

CHOICE_FIELDS = {
    "channel": Opinion.Channel,
    "source_group": Opinion.SourceGroup,
    "question_type": Opinion.Question,
    "four_winds": FourWinds,
    "target": Opinion.Target,
}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    note: str
    width: int = 14


def columns() -> list[Column]:
    """The template's columns in order; the header text is what the import matches on."""
    rows = [
        ("text", _("意见原文"), True, _("照原话录入，不加工、不概括；不超过 %(max)d 字。") % {"max": TEXT_MAX}, 60),
        ("channel", _("征求渠道"), True, _("从下拉列表中选择。"), 14),
        ("received_on", _("收集日期"), True, _("如 2014-03-15、2014/3/15 或 2014年3月15日；不能晚于今天。"), 14),
        ("source_group", _("意见来源"), False, _("从下拉列表中选择，可空。"), 14),
        ("question_type", _("四问类型"), False, _("问效、问怨、问症、问策，可空。"), 12),
        ("four_winds", _("四风类别"), False, _("从下拉列表中选择，可空。"), 12),
        ("target", _("意见对象"), False, _("领导班子、某位领导或单位整体；空着按“单位整体”。"), 12),
        ("target_person", _("所提领导"), False, _("意见对象为“某位领导”时必填：本单位人员的姓名。"), 12),
        ("is_anonymous", _("是否匿名"), False, _("是或否；空着时，有联系方式按实名，否则按匿名。"), 10),
        ("contact", _("联系方式"), False, _("仅实名意见填写，不超过 %(max)d 字。") % {"max": CONTACT_MAX}, 20),
    ]  # fmt: skip
    return [Column(*row) for row in rows]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    problem: str


@dataclass
class ImportResult:
    """What an import found: problems (the first MAX_ERRORS_KEPT), their count, rows saved."""

    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    imported: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add(self, row: int, column: str, problem: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(RowError(row, str(column), str(problem)))
