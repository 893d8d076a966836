"""A dashboard figure: a titled table of numbers, each row linking to the list behind it,
drawn as a chart by static/js/dashboards.js from the same numbers."""

from dataclasses import dataclass, field

# Colours that mean the same on every dashboard: done is green, late is red.
GREEN, RED, BLUE, ORANGE, GREY = "#2e8b57", "#b02a37", "#2f6fb0", "#e0812a", "#8a8f98"


@dataclass
class Row:
    label: str
    values: list
    url: str = ""


@dataclass
class Figure:
    key: str
    title: str
    label_header: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    chart: str = "bar"  # "bar", "hbar" (horizontal) or "doughnut"
    charted: tuple[int, ...] = (0,)  # the columns drawn; the table shows them all
    right_axis: tuple[int, ...] = ()  # charted columns measured on a second axis
    percent: tuple[int, ...] = ()  # columns that are percentages
    stacked: bool = False
    size: str = ""  # "wide" or "narrow" on a large screen; the page lays them out
    colors: tuple[str, ...] = ()  # per charted column (per slice for a doughnut); else a palette
    note: str = ""
    empty: str = ""

    @property
    def dom_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def total(self):
        return sum(r.values[0] or 0 for r in self.rows)

    def table_rows(self):
        """(row, [(value, is_percent)]) for the template."""
        return [
            (row, [(v, i in self.percent) for i, v in enumerate(row.values)]) for row in self.rows
        ]

    def chart_data(self) -> dict:
        """What dashboards.js needs: labels, one dataset per charted column, and the links."""
        return {
            "type": self.chart,
            "labels": [r.label for r in self.rows],
            "links": [r.url for r in self.rows],
            "stacked": self.stacked,
            "colors": list(self.colors),
            "datasets": [
                {
                    "label": self.columns[i],
                    "data": [r.values[i] for r in self.rows],
                    "axis": "y1" if i in self.right_axis else "y",
                    "percent": i in self.percent,
                }
                for i in self.charted
            ],
        }


def percent(part, whole) -> int:
    return round(100 * part / whole) if whole else 0
