"""Charts drawn on the server as plain SVG: horizontal bars, one group per row, one bar per count column.

Only presentation attributes (fill, font-size …) are used, never ``style``: the SVG is served as an image under
the site's strict Content-Security-Policy. Every number is also written as text beside its bar, so the chart
carries the same numbers as its table; the table on the page is the text alternative.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string

WIDTH = 720
LABEL_WIDTH = 170
VALUE_WIDTH = 70
BAR_HEIGHT = 14
GAP = 8
TOP = 40
COLOURS = ("#2f6eb5", "#e08a1e", "#3a9a5b")


@dataclass
class Bar:
    x: int
    y: int
    width: int
    value: int
    colour: str
    column: str
    text_x: int
    text_y: int


def layout(table):
    columns = len(table.columns)
    largest = max([max(counts) for _key, _label, counts in table.rows if counts] or [0]) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    group = columns * BAR_HEIGHT + GAP
    rows = []
    for index, (_key, label, counts) in enumerate(table.rows):
        y = TOP + index * group
        bars = []
        for column, value in enumerate(counts):
            width = round(span * value / largest)
            bar_y = y + column * BAR_HEIGHT
            bars.append(
                Bar(
                    LABEL_WIDTH,
                    bar_y,
                    width,
                    value,
                    COLOURS[column % len(COLOURS)],
                    str(table.columns[column]),
                    LABEL_WIDTH + width + 4,
                    bar_y + BAR_HEIGHT - 3,
                )
            )
        rows.append({"label": label, "label_y": y + columns * BAR_HEIGHT / 2 + 4, "bars": bars})
    legend = [
        {
            "x": LABEL_WIDTH + i * 120,
            "text_x": LABEL_WIDTH + i * 120 + 16,
            "label": str(c),
            "colour": COLOURS[i],
        }
        for i, c in enumerate(table.columns)
    ]
    height = TOP + max(len(rows), 1) * group + 10
    return {
        "table": table,
        "rows": rows,
        "legend": legend,
        "width": WIDTH,
        "height": height,
        "label_x": LABEL_WIDTH - 6,
        "empty_y": TOP + 14,
    }


def render_svg(table, subtitle=""):
    return render_to_string("statistics/chart.svg", {**layout(table), "subtitle": subtitle})
