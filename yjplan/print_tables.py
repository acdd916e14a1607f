"""Column widths for print tables, worked out once from their text so WeasyPrint can lay them out fixed.

WeasyPrint's automatic table layout finds each cell's narrowest width by breaking its text into lines at
every opportunity, one line (one Pango layout of the rest of the text) at a time: about a sixth of the CPU
time of the 40-page benchmark plan, which has a table in each section. For the plan's print HTML
(``yjplan.plans.content.print_html``), ``fixed_columns`` adds a
``<colgroup>`` to each table, with widths from CSS 2.1's automatic-layout rule applied to estimates from
the text's lengths (narrowest: the longest word; widest: the whole text), and the ``cols-fixed`` class
that print.css lays out with ``table-layout: fixed``. Each column is kept wider than its longest word by
a margin; a table whose longest words alone would take most of the width is left to automatic layout, as
are tables that already have columns, nest tables or have no rows. The widths differ a little from
WeasyPrint's own (the short columns come out a little wider), so a row can move to the next page.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# Printable width of A4 less print.css's 18 mm margins, in points; table text is 9.5pt.
PAGE_WIDTH_PT = (210 - 36) / 25.4 * 72
FONT_PT = 9.5
CHAR_EM = 0.55  # about the average advance of DejaVu Sans text, in em (Liberation Sans's is less)
BOLD = 1.1
CELL_PADDING_PT = 2 / 25.4 * 72  # print.css's 2 mm right padding
MIN_SLACK = 1.3  # the narrowest width is only an estimate: keep a margin so the longest word fits
TIGHT = 0.9  # tables whose narrowest columns, so estimated, take more of the width are left to automatic layout
WORD = re.compile(r"\S+")


class _Table:
    def __init__(self, start: int, tag_end: int, attrs: list[tuple[str, str | None]]):
        self.start, self.tag_end, self.attrs = start, tag_end, attrs
        self.insert_at = tag_end  # where the colgroup goes: after the start tag, or after the caption
        self.rows: list[list[tuple[int, float, float]]] = []
        self.skip = False
        self.cell: list | None = None  # [colspan, text parts, bold]


class _Scanner(HTMLParser):
    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.stack: list[_Table] = []
        self.done: list[_Table] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        table = self.stack[-1] if self.stack else None
        if tag == "table":
            if table is not None:
                table.skip = True
            start = self._offset()
            self.stack.append(_Table(start, start + len(self.get_starttag_text()), attrs))
        elif table is None:
            return
        elif tag in ("col", "colgroup"):
            table.skip = True
        elif tag == "tr":
            table.rows.append([])
        elif tag in ("td", "th"):
            self._end_cell(table)
            if not table.rows:
                table.rows.append([])
            span = dict(attrs).get("colspan") or "1"
            table.cell = [int(span) if span.isdigit() and int(span) > 0 else 1, [], tag == "th"]
        elif tag in ("strong", "b") and table.cell is not None:
            table.cell[2] = True

    def handle_endtag(self, tag):
        if not self.stack:
            return
        table = self.stack[-1]
        if tag == "caption":
            table.insert_at = self._offset() + len("</caption>")
        elif tag in ("td", "th", "tr"):
            self._end_cell(table)
        elif tag == "table":
            self._end_cell(table)
            self.done.append(self.stack.pop())

    def handle_data(self, data):
        if self.stack and self.stack[-1].cell is not None:
            self.stack[-1].cell[1].append(data)

    @staticmethod
    def _end_cell(table: _Table) -> None:
        if table.cell is None:
            return
        span, parts, bold = table.cell
        words = WORD.findall(" ".join(parts))
        char = FONT_PT * CHAR_EM * (BOLD if bold else 1)
        narrowest = max((len(w) for w in words), default=0) * char + CELL_PADDING_PT
        widest = (sum(len(w) for w in words) + max(len(words) - 1, 0)) * char + CELL_PADDING_PT
        table.rows[-1].append((span, narrowest, max(widest, narrowest)))
        table.cell = None


def _widths(rows: list[list[tuple[int, float, float]]]) -> list[float] | None:
    """Each column's share of the table's width, by CSS 2.1's automatic table layout on the estimates."""
    count = max((sum(span for span, _, _ in row) for row in rows), default=0)
    if count == 0:
        return None
    low, high = [0.0] * count, [0.0] * count
    spanning = []
    for row in rows:
        column = 0
        for span, narrowest, widest in row:
            if span == 1:
                low[column], high[column] = max(low[column], narrowest), max(high[column], widest)
            else:
                spanning.append((column, span, narrowest, widest))
            column += span
    for column, span, narrowest, widest in spanning:
        columns = range(column, min(column + span, count))
        for bound, need in ((low, narrowest), (high, widest)):
            extra = need - sum(bound[c] for c in columns)
            if extra > 0:
                for c in columns:
                    bound[c] += extra / len(columns)
    high = [max(h, lo) for h, lo in zip(high, low, strict=True)]
    total = PAGE_WIDTH_PT
    floor = [lo * MIN_SLACK for lo in low]
    if sum(floor) > TIGHT * total:
        return None  # the estimates leave too little room to be sure every word fits: lay it out automatically
    if sum(high) <= total:
        widths = [h * total / sum(high) for h in high] if sum(high) else [total / count] * count
    else:
        room, give = total - sum(low), sum(h - lo for h, lo in zip(high, low, strict=True))
        widths = [lo + room * (h - lo) / give for h, lo in zip(high, low, strict=True)]
    # Raise any column below its longest word (with the margin), taking the width from the others' spare.
    short = sum(max(f - w, 0) for f, w in zip(floor, widths, strict=True))
    spare = sum(max(w - f, 0) for f, w in zip(floor, widths, strict=True))
    widths = [f if w <= f else w - short * (w - f) / spare for f, w in zip(floor, widths, strict=True)]
    return [w * 100 / total for w in widths]


def _start_tag(attrs: list[tuple[str, str | None]]) -> str:
    classes = " ".join(filter(None, [dict(attrs).get("class"), "cols-fixed"]))
    parts = [f'{name}="{html.escape(value, quote=True)}"' if value is not None else name for name, value in attrs]
    parts = [p for (name, _), p in zip(attrs, parts, strict=True) if name != "class"]
    return "<table " + " ".join([f'class="{html.escape(classes, quote=True)}"', *parts]) + ">"


def fixed_columns(source: str) -> str:
    """``source`` with a ``<colgroup>`` and the ``cols-fixed`` class added to each table it can size."""
    scanner = _Scanner(source)
    scanner.feed(source)
    scanner.close()
    edits = []
    for table in scanner.done:
        widths = None if table.skip else _widths(table.rows)
        if widths is None:
            continue
        cols = "".join(f'<col style="width: {w:.1f}%">' for w in widths)
        edits.append((table.start, table.tag_end, _start_tag(table.attrs)))
        edits.append((table.insert_at, table.insert_at, f"<colgroup>{cols}</colgroup>"))
    for start, end, text in sorted(edits, reverse=True):
        source = source[:start] + text + source[end:]
    return source
