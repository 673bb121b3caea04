"""Uploads cannot exhaust the server's memory: byte, cell and unpacked-size
limits on CSV and XLSX files, and the Settings that change them."""
import base64
import io
import tracemalloc
import zipfile

import xlsxwriter

from odoo.exceptions import AccessError, UserError
from odoo.addons.crm_cn_lifecycle.tools.response_import import (
    MAX_CELLS, MAX_COLUMNS, Limits, read_rows, read_table)

from .common import LifecycleCase, create_campaign

WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
SHEET_START = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
               '.org/spreadsheetml/2006/main"><sheetData>')
SHEET_END = "</sheetData></worksheet>"
HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>Company</t></is></c></row>'


def xlsx_of(members):
    """An .xlsx archive of the workbook parts and `members` {name: list of
    byte blocks}, written block by block (the test never holds a big part)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/workbook.xml", WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", RELS)
        for name, blocks in members.items():
            with book.open(name, "w", force_zip64=True) as member:
                for block in blocks:
                    member.write(block)
    return buffer.getvalue()


def repeated(head, body, times, tail):
    yield head.encode()
    block = (body * 4096).encode()
    for _index in range(times // 4096):
        yield block
    yield tail.encode()


def problem_of(data, limits=None, filename="list.xlsx"):
    table, problem = read_rows(filename, data, limits)
    return (problem.code, problem.value) if problem else table


def peak_memory(function):
    """(result, peak bytes allocated by Python) of function()."""
    tracemalloc.start()
    try:
        result = function()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_xlsx_zip_bomb_is_refused_without_unpacking_it():
    """200 MB of sheet compress to a few hundred KB: refused on the part's
    declared size, with little memory."""
    cell = '<c r="A2" t="inlineStr"><is><t>boom</t></is></c>'
    data = xlsx_of({"xl/worksheets/sheet1.xml": repeated(
        SHEET_START + HEADER_ROW + '<row r="2">', cell, 200 * 1024 * 1024 // len(cell), "</row>" + SHEET_END)})
    assert len(data) < 1024 * 1024
    result, peak = peak_memory(lambda: problem_of(data))
    assert result == ("unzipped_too_large", 100 * 1024 * 1024)
    assert peak < 5 * 1024 * 1024


def test_xlsx_parts_unpacking_past_the_budget_together_are_refused():
    """Each part is under the unpacked cap (20 times a 100 KB upload limit),
    together they are not: the bytes actually unpacked are counted."""
    strings = repeated('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
                       "<si><t>x</t></si>", 90000, "</sst>")
    sheet = repeated(SHEET_START, '<row><c t="s"><v>0</v></c></row>', 50000, SHEET_END)
    data = xlsx_of({"xl/sharedStrings.xml": strings, "xl/worksheets/sheet1.xml": sheet})
    assert len(data) < 100 * 1024
    assert problem_of(data, Limits(100 * 1024, 10 ** 9)) == ("unzipped_too_large", 20 * 100 * 1024)


def sparse_xlsx(row, column, value, blank=False):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Company", "Contact"])
    sheet.write_row(1, 0, ["Acme", "Bob"])
    if blank:
        sheet.write_blank(row, column, None, book.add_format({"bold": True}))
    else:
        sheet.write(row, column, value)
    book.close()
    return buffer.getvalue()


def test_empty_styled_cell_at_the_last_column_adds_no_cells():
    data = sparse_xlsx(2, 16383, None, blank=True)
    table, peak = peak_memory(lambda: read_table("list.xlsx", data))
    assert table == [["Company", "Contact"], ["Acme", "Bob"], ["", ""]]
    assert peak < 1024 * 1024


def test_value_right_of_the_widest_sheet_read_is_refused():
    assert problem_of(sparse_xlsx(1, 16383, "far")) == ("too_wide", MAX_COLUMNS)
    assert problem_of(sparse_xlsx(1, MAX_COLUMNS - 1, "near"))[1][-1] == "near"


def test_cell_at_xfd1048576_is_refused_with_little_memory():
    for column in (0, 16383):
        data = sparse_xlsx(1048575, column, "far")
        result, peak = peak_memory(lambda: problem_of(data))
        assert result == ("too_many_cells", MAX_CELLS)
        assert peak < 5 * 1024 * 1024


def test_xlsx_with_more_cells_than_the_limit_is_refused():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = book.add_worksheet()
    for row in range(300):
        sheet.write_row(row, 0, ["Company %d" % row, "Contact", "13800138000", "广东"])
    book.close()
    assert problem_of(buffer.getvalue(), Limits(10 ** 7, 1000)) == ("too_many_cells", 1000)
    assert len(problem_of(buffer.getvalue(), Limits(10 ** 7, 1200))) == 300


def test_csv_with_more_cells_than_the_default_limit_is_refused():
    data = b"Company\n" + b"Acme\n" * MAX_CELLS
    assert len(data) < 10 * 1024 * 1024
    assert problem_of(data, filename="list.csv") == ("too_many_cells", MAX_CELLS)
    assert problem_of(b"Company,Contact\n" + b"a,b\n" * 499, Limits(10 ** 7, 1000), "l.csv")[-1] == ["a", "b"]
    assert problem_of(b"Company,Contact\n" + b"a,b\n" * 500, Limits(10 ** 7, 1000), "l.csv") == (
        "too_many_cells", 1000)


def test_file_over_the_byte_limit_is_refused_before_reading():
    assert problem_of(b"Company\nAcme\n", Limits(10, 1000), "list.csv") == ("too_large", 10)


class TestUploadLimitSettings(LifecycleCase):

    def settings(self, user, **values):
        return self.env["res.config.settings"].sudo(user).create(values)

    def import_rows(self, count):
        campaign = create_campaign(self.env)
        data = "公司名称,联系人\n" + "".join("公司%d,联系人%d\n" % (row, row) for row in range(count))
        wizard = self.env["crm.cn.response.import"].sudo(self.manager).create({
            "campaign_id": campaign.id, "file": base64.b64encode(data.encode("utf-8")),
            "filename": "expo.csv"})
        with self.assertRaises(UserError) as refusal:
            wizard.action_import()
        self.assertFalse(self.env["crm.lead"].search([("campaign_id", "=", campaign.id)]))
        return refusal.exception.name

    def test_settings_show_the_limits_and_a_lower_cell_limit_refuses_a_smaller_file(self):
        admin = self.env.ref("base.user_root")
        settings = self.settings(admin)
        self.assertEqual((settings.cn_upload_max_mb, settings.cn_upload_max_cells, settings.cn_upload_max_files),
                         (10, 200000, 5))
        settings.cn_upload_max_cells = 20
        settings.execute()
        self.assertEqual(self.env["crm.cn.file.check"]._upload_limits()["max_cells"], 20)
        self.assertIn("more than the 20 cells", self.import_rows(12))

    def test_lower_byte_limit_refuses_a_smaller_file(self):
        self.env["ir.config_parameter"].set_param("crm_cn_lifecycle.upload_max_bytes", "100")
        self.assertIn("larger than the 100 bytes", self.import_rows(12))

    def test_crm_manager_cannot_raise_the_limits(self):
        with self.assertRaises(AccessError):
            self.settings(self.manager, cn_upload_max_mb=500, cn_upload_max_cells=10 ** 8).execute()
        self.assertEqual(self.env["crm.cn.file.check"]._upload_limits()["max_cells"], 200000)
