from .ledger import (
    BulkAssignForm,
    CompleteForm,
    ItemForm,
    LedgerFilterForm,
    ProblemForm,
    ReportForm,
    ReturnForm,
)
from .public import RatingForm
from .rules import AdoptForm, RegulationForm

__all__ = [
    "AdoptForm",
    "BulkAssignForm",
    "CompleteForm",
    "ItemForm",
    "LedgerFilterForm",
    "ProblemForm",
    "RatingForm",
    "RegulationForm",
    "ReportForm",
    "ReturnForm",
]
