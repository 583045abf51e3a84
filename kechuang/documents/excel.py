"""Excel writing for every export: openpyxl write-only (rows go straight to the file), formula injection
neutralised.

A cell whose text starts with = + - @ (or a tab / carriage return, which Excel skips before those) would be
read by a spreadsheet as a formula: ``=HYPERLINK(...)`` as a platform name would become a link. Such text is
written as an explicit string cell with Excel's quote prefix, so it stays text and stays text after editing.
Characters XML cannot carry (control characters) are dropped instead of failing the export.
"""

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Sheet:
    """One write-only worksheet: an optional ``caption`` line, ``header`` once, then ``row`` per record."""

    def __init__(self, title, header, widths=None, caption=None):
        self.book = Workbook(write_only=True)
        self.sheet = self.book.create_sheet(title=title[:31])
        for index, width in enumerate(widths or ()):
            letter = _column_letter(index)
            self.sheet.column_dimensions[letter].width = width
        bold = Font(bold=True)
        if caption:
            heading = WriteOnlyCell(self.sheet, value=caption)
            heading.font = Font(bold=True, size=14)
            self.sheet.append([heading])
        cells = []
        for label in header:
            cell = WriteOnlyCell(self.sheet, value=str(label))
            cell.font = bold
            cells.append(cell)
        self.sheet.append(cells)
        self.rows = 0

    def text_cell(self, value):
        cell = WriteOnlyCell(self.sheet, value=None)
        cell.value = value
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell

    def clean(self, value):
        if value is None:
            return ""
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if value.startswith(FORMULA_STARTS):
                return self.text_cell(value)
            return value
        return value

    def row(self, values):
        self.sheet.append([self.clean(v) for v in values])
        self.rows += 1

    def raw(self, values):
        """A row of trusted cells (the signature block's labels)."""
        self.sheet.append(values)

    def save(self, target):
        self.book.save(target)


def _column_letter(index):
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
