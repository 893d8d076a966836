"""Where a template task came from (依据): the seed document and its verbatim quote.

The quote is kept exactly as written; seed 004 is in Traditional characters, so it is
converted to Simplified for display only, with OpenCC's tables (opencc-python-reimplemented).
"""

from functools import lru_cache

from django.utils.translation import gettext_lazy as _

# The seed documents the shipped templates cite, by the number their file name starts with.
SEED_TITLES = {
    "000": _("南通市总工会教育实践活动学习教育、听取意见环节实施办法（2014）"),
    "001": _("市委教育实践活动总体安排和环节把握工作讲课稿（2014）"),
    "002": _("绵阳市总工会教育实践活动实施方案（2014）"),
    "003": _("保定市总工会“干部作风建设年”活动实施意见（2009）"),
    "004": _("科技局群众路线实施办法（2014）"),
}


@lru_cache(maxsize=1)
def _converter():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=4096)
def to_simplified(text: str) -> str:
    return _converter().convert(text) if text else text


def source_title(source_name: str) -> str:
    """The seed's title for a file name such as 002_fd105cea634e5712.txt."""
    return str(SEED_TITLES.get(source_name[:3], source_name)) if source_name else ""
