"""Bar charts drawn on the server, as inline SVG geometry for the chart templates (`includes/chart_*.html`).

No script and no style attribute: the site's content security policy stays as
it is. Each bar has its label above it and its number at its end, so a chart
reads without colour; the series of a stacked bar are told apart by a pattern
as well as a colour, each colour at least 3:1 against the white background
(WCAG 2.1, 1.4.11). Right to left, the geometry is mirrored: bars grow from the
right edge and labels start there. The SVG's own `direction` stays left to right, so that a text's anchor
(start, end) means its left or right edge, whatever the script of the text.
"""

import unicodedata
from dataclasses import dataclass, field

from django.utils.formats import number_format

from hearings.queries import statistics

WIDTH = 320
LABEL_HEIGHT = 17
BAR_HEIGHT = 16
GAP = 9
INDENT = 14
VALUE_ROOM = 48
LEGEND_ROW = 20
# A label is as long as fits the width at the chart's type size with the widest text spacing a reader may set
# (WCAG 1.4.12: letters 0.12 em apart, words 0.16 em more); a longer one ends in "…" (the table under the chart
# and the chart's text alternative have it whole). Widths are estimated per character, in em.
FONT_SIZE = 13
LETTER_SPACING, WORD_SPACING = 0.12, 0.16
NARROW = set("iIl.,:;'|!jtf()[] ")

# Colours with at least 3:1 contrast against white, and a pattern each, for the series of stacked bars.
PALETTE = [
    ("#1f5fa8", "diagonal"),
    ("#b35900", "dots"),
    ("#2e7d32", "cross"),
    ("#8e24aa", "horizontal"),
    ("#c62828", "vertical"),
    ("#455a64", "solid"),
    ("#6d4c41", "diagonal-back"),
    ("#00695c", "checker"),
    ("#ad1457", "ring"),
    ("#5c6bc0", "dots"),
]
BAR_COLOUR = "#1f5fa8"


@dataclass
class Mark:
    """One drawn thing: a rectangle (`width` > 0) or a text (`text` set), in the SVG's own units."""

    x: float
    y: float
    width: float = 0
    height: float = 0
    text: str = ""
    anchor: str = "start"
    fill: str = ""
    indent: int = 0


@dataclass
class Chart:
    width: int
    height: int
    marks: list = field(default_factory=list)
    patterns: list = field(default_factory=list)
    font_size: int = FONT_SIZE


def _place(x, width, rtl):
    """A box from `x` to `x + width` measured from the reading start: mirrored right to left."""
    return WIDTH - x - width if rtl else x


def _text_x(x, rtl):
    return WIDTH - x if rtl else x


def _anchor(rtl):
    return "end" if rtl else "start"


def bar_chart(items, *, rtl=False):
    """Horizontal bars for (label, value, depth) items; depth indents a subgroup's label under its parent's."""
    chart = Chart(width=WIDTH, height=0)
    largest = max((value for _label, value, _depth in items), default=0) or 1
    top = 0
    for label, value, depth in items:
        chart.marks.append(
            Mark(
                x=_text_x(depth * INDENT, rtl),
                y=top + 13,
                text=_fit(label, depth * INDENT),
                anchor=_anchor(rtl),
                indent=depth,
            )
        )
        length = (WIDTH - VALUE_ROOM) * value / largest
        if value:
            length = max(length, 2)
            chart.marks.append(
                Mark(x=_place(0, length, rtl), y=top + LABEL_HEIGHT, width=length, height=BAR_HEIGHT, fill=BAR_COLOUR)
            )
        chart.marks.append(
            Mark(x=_text_x(length + 5, rtl), y=top + LABEL_HEIGHT + 13, text=_number(value), anchor=_anchor(rtl))
        )
        top += LABEL_HEIGHT + BAR_HEIGHT + GAP
    chart.height = max(top, 1)
    return chart


def stacked_chart(rows, series, *, rtl=False, prefix="chart"):
    """Horizontal stacked bars for (label, {series key: value}) rows, with a legend of the series above them.

    `series` is a list of (key, name); each series gets a colour and a pattern, the same in every chart.
    """
    chart = Chart(width=WIDTH, height=0)
    fills = {}
    for index, (key, name) in enumerate(series):
        colour, pattern = PALETTE[index % len(PALETTE)]
        pattern_id = f"{prefix}-{index}"
        chart.patterns.append({"id": pattern_id, "colour": colour, "kind": pattern})
        fills[key] = f"url(#{pattern_id})"
        y = index * LEGEND_ROW
        chart.marks.append(Mark(x=_place(0, 14, rtl), y=y + 2, width=14, height=14, fill=fills[key]))
        chart.marks.append(Mark(x=_text_x(20, rtl), y=y + 13, text=_fit(name, 20), anchor=_anchor(rtl)))
    top = len(series) * LEGEND_ROW + GAP
    largest = max((sum(values.values()) for _label, values in rows), default=0) or 1
    for label, values in rows:
        chart.marks.append(Mark(x=_text_x(0, rtl), y=top + 13, text=_fit(label), anchor=_anchor(rtl)))
        start = 0.0
        for key, _name in series:
            value = values.get(key, 0)
            if not value:
                continue
            length = max((WIDTH - VALUE_ROOM) * value / largest, 2)
            chart.marks.append(
                Mark(
                    x=_place(start, length, rtl), y=top + LABEL_HEIGHT, width=length, height=BAR_HEIGHT, fill=fills[key]
                )
            )
            start += length
        total = sum(values.values())
        chart.marks.append(
            Mark(x=_text_x(start + 5, rtl), y=top + LABEL_HEIGHT + 13, text=_number(total), anchor=_anchor(rtl))
        )
        top += LABEL_HEIGHT + BAR_HEIGHT + GAP
    chart.height = max(top, 1)
    return chart


def _em(character):
    """About how wide `character` is, in em, with the widest spacing a reader may set."""
    if unicodedata.east_asian_width(character) in "WF":
        width = 1.0
    elif character in NARROW:
        width = 0.3
    elif character.isupper():
        width = 0.72
    elif "\u0400" <= character <= "\u04ff":
        width = 0.6  # Cyrillic letters run wider than Latin ones
    else:
        width = 0.56
    return width + LETTER_SPACING + (WORD_SPACING if character.isspace() else 0)


def _fit(label, start=0):
    """`label`, or as much of it as fits from `start` to the chart's edge, ended by "…"."""
    room = (WIDTH - start) / FONT_SIZE - 0.5
    if sum(map(_em, label)) <= room:
        return label
    kept, used = [], _em("…")
    for character in label:
        used += _em(character)
        if used > room:
            break
        kept.append(character)
    return "".join(kept).rstrip() + "…"


def _number(value):
    return number_format(value, force_grouping=True)


def statistics_charts(numbers, *, rtl):
    """The charts of the statistics page, each with the text alternative its figure carries."""
    series = [(row["slug"], statistics.group_label(row["name"])) for row in numbers["series"]]

    def described(items):
        return "; ".join(f"{label}: {value}" for label, value in items)

    group_items = [(statistics.group_label(row["name"]), row["appearances"], row["depth"]) for row in numbers["groups"]]
    year_rows = [
        (str(row["year"]), {k: v["appearances"] for k, v in row["series"].items()}) for row in numbers["years"]
    ]
    role_rows = [
        (statistics.role_label(row["role"]), {k: v["appearances"] for k, v in row["series"].items()})
        for row in numbers["roles"]
    ]
    process_items = [(row["short_name"] or row["name"], row["hearings"], 0) for row in numbers["processes"]]
    return {
        "groups": {
            "chart": bar_chart(group_items, rtl=rtl),
            "description": described((label, value) for label, value, _depth in group_items),
        },
        "years": {
            "chart": stacked_chart(year_rows, series, rtl=rtl, prefix="years"),
            "description": described((label, sum(values.values())) for label, values in year_rows),
        },
        "roles": {
            "chart": stacked_chart(role_rows, series, rtl=rtl, prefix="roles"),
            "description": described((label, sum(values.values())) for label, values in role_rows),
        },
        "processes": {
            "chart": bar_chart(process_items, rtl=rtl),
            "description": described((label, value) for label, value, _depth in process_items),
        },
    }
