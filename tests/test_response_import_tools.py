"""Reading and checking respondent files, without a database."""
import io

import xlrd
import xlsxwriter

from odoo.addons.crm_cn_lifecycle.tools.regions import province_lookup
from odoo.addons.crm_cn_lifecycle.tools.response_import import (
    company_key, email_key, parse_responses, phone_digits)

PROVINCES = province_lookup([(1, "广东省", "粤"), (2, "上海市", "沪"), (3, "重庆市", "渝 ")])
GOOD_CSV = (
    "公司名称,联系人,手机,邮箱,省份,城市,意向产品,备注\n"
    "广州越秀文具有限公司,李明,138 0013 8000,LiMing@Yuexiu.cn,广东,广州,办公文具,展位A12\n"
    "Shanghai Pudong Software Park,Zhang Wei,+86 139-0000-1111,zw@pdsp.com,Shanghai,上海,,\n"
)


def codes(problems):
    return [(problem.row, problem.code) for problem in problems]


def test_utf8_csv_with_chinese_headers_is_read():
    responses, problems = parse_responses("expo.csv", GOOD_CSV.encode("utf-8"), PROVINCES)
    assert problems == []
    first, second = responses
    assert (first.company, first.contact, first.state_id, first.city) == (
        "广州越秀文具有限公司", "李明", 1, "广州")
    assert first.email_key == "liming@yuexiu.cn"
    assert first.interest == "办公文具" and first.notes == "展位A12"
    assert second.state_id == 2
    assert second.phone_keys == ("13900001111",)


def test_utf8_bom_and_gbk_files_read_the_same():
    plain, _ = parse_responses("a.csv", GOOD_CSV.encode("utf-8"), PROVINCES)
    bom, _ = parse_responses("a.csv", GOOD_CSV.encode("utf-8-sig"), PROVINCES)
    gbk, _ = parse_responses("a.csv", GOOD_CSV.encode("gbk"), PROVINCES)
    assert plain == bom == gbk


def test_english_headers_and_semicolons():
    data = "Company;Contact;E-mail;Province\nAcme Co., Ltd.;Bob;bob@acme.com;Guangdong\n"
    responses, problems = parse_responses("a.csv", data.encode(), PROVINCES)
    assert problems == [] and responses[0].state_id == 1 and responses[0].company_key == "acme"


def test_xlsx_file_is_read():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    for row, values in enumerate([["Company", "Contact", "Mobile", "Province"],
                                  ["Chongqing Office", "Wang", 13812345678, "重庆"]]):
        sheet.write_row(row, 0, values)
    book.close()
    responses, problems = parse_responses("list.xlsx", buffer.getvalue(), PROVINCES)
    assert problems == []
    assert responses[0].mobile == "13812345678" and responses[0].state_id == 3


def test_every_bad_row_is_reported_with_its_line():
    data = ("company,contact,email,phone,province\n"
            ",,a@b.com,,\n"                        # 2: no company, no contact
            "A,Li,not-an-email,,\n"                 # 3: e-mail
            "B,Wu,,12ab,\n"                         # 4: phone
            "C,Ma,,,Atlantis\n"                     # 5: province
            "D,Hu,d@d.com,,\n"                      # 6: fine
            "E,Xu,D@D.com,,\n")                     # 7: same e-mail as row 6
    responses, problems = parse_responses("a.csv", data.encode(), PROVINCES)
    assert codes(problems) == [(2, "missing_name"), (3, "email"), (4, "phone"),
                               (5, "province"), (7, "duplicate")]
    assert problems[-1].value == 6
    assert [response.row for response in responses] == [6]


def test_undecodable_file_and_unknown_format_are_refused():
    _, problems = parse_responses("a.csv", b"\xff\xfe\x00\x81\x30", PROVINCES)
    assert codes(problems) == [(0, "encoding")]
    _, problems = parse_responses("a.pdf", b"%PDF", PROVINCES)
    assert codes(problems) == [(0, "format")]
    _, problems = parse_responses("a.csv", b"foo,bar\n1,2\n", PROVINCES)
    assert codes(problems) == [(1, "no_columns")]


def test_normalisation_for_deduplication():
    assert company_key("广州越秀文具有限公司") == company_key("广州越秀文具") == "广州越秀文具"
    assert company_key("ACME Co., Ltd.") == company_key("Acme") == "acme"
    assert company_key("Lone Star Home Supply, Inc.") == "lonestarhomesupply"
    assert phone_digits("+86 138-0013-8000") == phone_digits("13800138000")
    assert phone_digits("0086 20 8888 1234") == "2088881234"
    assert email_key(" Li@Example.COM ") == "li@example.com"


def test_exported_cells_cannot_run_as_formulas():
    from odoo.addons.crm_cn_lifecycle.tools.xlsx import rows_to_xlsx, safe_cell
    assert safe_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert safe_cell("+86 138") == "'+86 138" and safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-5") == "'-5" and safe_cell(-5) == -5 and safe_cell("Expo") == "Expo"
    data = rows_to_xlsx("Sheet", ["Name"], [["=1+1"]])
    sheet = xlrd.open_workbook(file_contents=data).sheet_by_index(0)
    assert sheet.cell_value(1, 0) == "'=1+1"


def test_xlsx_reader_reads_what_excel_shows():
    """The streaming .xlsx reader gives the cells xlrd gives: shared and inline
    strings, numbers typed as numbers, formulas' values, gaps, escaped text."""
    from odoo.addons.crm_cn_lifecycle.tools.response_import import _read_excel
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet("Respondents")
    book.add_worksheet("Other").write(0, 0, "not read")
    sheet.write_row(0, 0, ["公司名称", "联系人", "手机", "Amount"])
    sheet.write_row(1, 0, [" Acme & Sons <HK> ", "Bob", 13800138000, 1.5])
    sheet.write(3, 1, "after an empty row")
    sheet.write(3, 5, True)
    sheet.write_formula(4, 0, '="a"&"b"', None, "ab")
    sheet.write_rich_string(5, 0, "rich ", book.add_format({"bold": True}), "text")
    book.close()
    data = buffer.getvalue()
    expected = xlrd.open_workbook(file_contents=data).sheet_by_index(0)
    assert _read_excel(data) == [
        ["公司名称", "联系人", "手机", "Amount", "", ""],
        ["Acme & Sons <HK>", "Bob", "13800138000", "1.5", "", ""],
        ["", "", "", "", "", ""],
        ["", "after an empty row", "", "", "", "1"],
        ["ab", "", "", "", "", ""],
        ["rich text", "", "", "", "", ""],
    ]
    assert len(_read_excel(data)) == expected.nrows


def test_big_xlsx_file_in_constant_memory_mode_is_read():
    """Excel writers in streaming mode store inline strings, not shared ones."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Company", "Contact", "Mobile", "Province"])
    for row in range(1, 301):
        sheet.write_row(row, 0, ["Company %d Co., Ltd." % row, "Contact %d" % row,
                                 "139%08d" % row, "广东"])
    book.close()
    responses, problems = parse_responses("list.xlsx", buffer.getvalue(), PROVINCES)
    assert problems == []
    assert len(responses) == 300
    assert (responses[-1].company, responses[-1].mobile, responses[-1].state_id) == (
        "Company 300 Co., Ltd.", "13900000300", 1)


def test_damaged_xlsx_is_a_format_problem():
    responses, problems = parse_responses("list.xlsx", b"PK\x03\x04 not really a zip", PROVINCES)
    assert (responses, codes(problems)) == ([], [(0, "format")])
