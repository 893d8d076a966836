"""Dashboard figures: aggregated in SQL, a fixed number of queries at any data size."""

from .figures import Figure, Row
from .pages import Dashboard, office_dashboard, supervised_units, supervisor_dashboard
from .unit import UnitDashboard, unit_dashboard

__all__ = [
    "Dashboard",
    "Figure",
    "Row",
    "UnitDashboard",
    "office_dashboard",
    "supervised_units",
    "supervisor_dashboard",
    "unit_dashboard",
]
