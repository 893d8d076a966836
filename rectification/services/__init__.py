from .items import (
    item_bulk_assign,
    item_complete,
    item_create,
    item_return,
    item_start,
    item_update,
    item_verify,
)
from .problems import problem_create, problem_update
from .ratings import rating_cast
from .regulations import regulation_adopt, regulation_create, regulation_update
from .reports import progress_report_file

__all__ = [
    "item_bulk_assign",
    "item_complete",
    "item_create",
    "item_return",
    "item_start",
    "item_update",
    "item_verify",
    "problem_create",
    "problem_update",
    "progress_report_file",
    "rating_cast",
    "regulation_adopt",
    "regulation_create",
    "regulation_update",
]
