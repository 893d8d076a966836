"""The feedback app's report kinds, registered on import (core.reports.registry)."""

from . import opinions  # noqa: F401
