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


def rows_to_xlsx(sheet_name, headers, rows, number_format=None, freeze=None):
    """Bytes of an XLSX workbook of one sheet: bold headers, then rows.

    Every cell is written as a value, never as a formula or a link. With
    `number_format` (e.g. "#,##0.00") floats take that format; `freeze` is the
    (row, column) of the first cell that scrolls."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    sheet = book.add_worksheet(sheet_name[:31])
    bold = book.add_format({"bold": True})
    number = book.add_format({"num_format": number_format}) if number_format else None
    sheet.write_row(0, 0, [safe_cell(header) for header in headers], bold)
    for index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            value = safe_cell(value)
            if number is not None and isinstance(value, float):
                sheet.write_number(index, column, value, number)
            else:
                sheet.write(index, column, value)
    sheet.set_column(0, max(len(headers) - 1, 0), 16)
    if freeze:
        sheet.freeze_panes(*freeze)
    book.close()
    return buffer.getvalue()
