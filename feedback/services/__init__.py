"""The feedback app's services: taking opinions in, sorting them, grouping near-duplicates."""

from .groups import (
    group_confirm,
    group_create,
    group_dissolve,
    group_merge,
    group_split,
    groups_suggest,
)
from .intake import (
    NOTE_MAX,
    _check,
    _check_text,
    _log_taken,
    opinion_annotate,
    opinion_public_reply,
    opinion_public_submit,
    opinion_set_campaign,
    opinion_take,
    opinions_take_batch,
)
from .sorting import opinion_set_status, opinions_classify, opinions_turn_into_problem

__all__ = [
    "NOTE_MAX",
    "_check",
    "_check_text",
    "_log_taken",
    "group_confirm",
    "group_create",
    "group_dissolve",
    "group_merge",
    "group_split",
    "groups_suggest",
    "opinion_annotate",
    "opinion_public_reply",
    "opinion_public_submit",
    "opinion_set_campaign",
    "opinion_set_status",
    "opinion_take",
    "opinions_classify",
    "opinions_take_batch",
    "opinions_turn_into_problem",
]
