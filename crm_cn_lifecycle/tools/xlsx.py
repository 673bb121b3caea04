"""Spreadsheet export shared by the reports: an XLSX file from rows, with
cells that a spreadsheet would run as a formula neutralised."""
import io

import xlsxwriter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text starting with = + - @ would be a formula in Excel: prefix a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def rows_to_xlsx(sheet_name, headers, rows):
    """Bytes of an XLSX workbook of one sheet: bold headers, then rows."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    sheet = book.add_worksheet(sheet_name[:31])
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, [safe_cell(header) for header in headers], bold)
    for index, row in enumerate(rows, start=1):
        sheet.write_row(index, 0, [safe_cell(value) for value in row])
    sheet.set_column(0, max(len(headers) - 1, 0), 16)
    book.close()
    return buffer.getvalue()
