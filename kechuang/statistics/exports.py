"""A table as CSV (UTF-8 with BOM, so Excel opens Chinese text correctly) or Excel (openpyxl, write-only)."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext as _
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    """Text that a spreadsheet would run as a formula is written as text (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def table_lines(table):
    yield [str(table.key_label), *(str(column) for column in table.columns)]
    for _key, label, counts in table.rows:
        yield [_cell(label), *counts]
    yield [_("合计"), *table.totals]


def _attachment(response, table, extension):
    name = f"{table.title}-{timezone.localdate():%Y%m%d}.{extension}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(name)}"
    return response


def as_csv(table):
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerows(table_lines(table))
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    return _attachment(response, table, "csv")


def as_xlsx(table):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(table.title)[:31])
    for line in table_lines(table):
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX), table, "xlsx")
