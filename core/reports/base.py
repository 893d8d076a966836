from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """A column of a table report: its Chinese heading and its width.

    `width` is in Excel character units; the PDF writer turns the widths into percentages.
    """

    title: str
    width: float = 12


class TableReport:
    """One class per table report (pretix's ListExporter): a header and rows streamed from
    the database.

    Subclasses are built with keyword arguments, always `user` (the reports only ever hold
    what that user may see, through units.scope) plus their own parameters, and define
    `title`, `filename` (an ASCII stem for the fallback download name, core.reports.names),
    `columns` (or `header()`), and `rows()`, a generator that reads with
    `values_list(...).iterator(chunk_size=...)` so memory stays flat however many rows
    there are.
    """

    title: str = ""
    filename: str = "report"
    columns: Sequence[Column] = ()
    orientation = "portrait"  # or "landscape", for the PDF
    # How many rows rows() fetches per round trip.
    chunk_size = 2000

    def __init__(self, *, user, **params):
        self.user = user
        self.params = params

    def header(self) -> list[str]:
        return [str(c.title) for c in self.columns]

    def widths(self) -> list[float]:
        return [c.width for c in self.columns]

    def rows(self) -> Iterator[Sequence]:
        raise NotImplementedError

    def subtitle(self) -> str:
        """A line under the title (unit, date, filters); empty by default."""
        return ""

    def count(self) -> int | None:
        """The number of rows when it is cheap to know (drives progress); None if not."""
        return None

    # What the background machinery needs (core.reports.registry): --------------------

    @classmethod
    def params_from_request(cls, request) -> dict:
        """The report's keyword parameters, JSON-serialisable, from the query string of the
        download button's form (the page's own filters); the view adds `unit`, the pk of the
        unit in the URL, already checked. Override to read the filters; raise
        django.core.exceptions.ValidationError for input that does not fit."""
        return {}

    def scope_unit(self):
        """The unit whose data the report covers: its name starts the file name. The stored
        file is the requester's alone, whoever else may see the unit."""
        return None


def numbered(rows: Iterable[Sequence], start: int = 1) -> Iterator[list]:
    """Prefix a 序号 column."""
    for n, row in enumerate(rows, start):
        yield [n, *row]


class DocumentReport:
    """A report that is a document rather than a table (简报, 小结): a print template and
    the context it needs. Built like TableReport, with `user` and its own parameters."""

    title: str = ""
    filename: str = "report"
    template_name: str = ""

    def __init__(self, *, user, **params):
        self.user = user
        self.params = params

    def context(self) -> dict:
        raise NotImplementedError

    def count(self) -> int | None:
        return None

    params_from_request = TableReport.params_from_request
    scope_unit = TableReport.scope_unit
