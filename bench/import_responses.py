"""Import of a 100,000-row respondent file (XLSX) into a campaign, against a
plain-SQL insert of the same rows as leads.

Goal: under 60 s on the 2-core machine. Database: cncl_bench_import (or
BENCH_DB, e.g. a database that already has the addon; nothing is kept)."""
import base64
import io
import random
import sys
import os

import xlsxwriter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import environment, report, say, timer  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", 100000))
DATABASE = os.environ.get("BENCH_DB", "cncl_bench_import")
PROVINCES = ["广东", "浙江", "上海", "北京", "湖北", "四川", "Jiangsu", "Fujian"]


def respondent_file(rows):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["公司名称", "联系人", "手机", "邮箱", "省份", "城市", "意向产品", "备注"])
    rnd = random.Random(7)
    for row in range(1, rows + 1):
        sheet.write_row(row, 0, [
            "客户公司%06d有限公司" % row, "联系人%d" % row, "13%09d" % row,
            "buyer%d@example%d.cn" % (row, row % 97), rnd.choice(PROVINCES), "城市%d" % (row % 50),
            "办公文具", "展位%d" % (row % 300)])
    book.close()
    return buffer.getvalue()


def main():
    timings = {}
    data = respondent_file(ROWS)
    say("respondent file: %d rows, %.1f MB" % (ROWS, len(data) / 1048576.0))
    with environment(DATABASE) as env:
        campaign = env["utm.campaign"].create({"name": "Bench Expo"})
        # 800,000 cells: over the default upload limit, which Settings raise.
        env["ir.config_parameter"].set_param("crm_cn_lifecycle.upload_max_cells", str(ROWS * 8 + 8))
        wizard = env["crm.cn.response.import"].create({
            "campaign_id": campaign.id, "file": base64.b64encode(data), "filename": "expo.xlsx"})
        with timer(timings, "ours"):
            wizard.action_import()
        assert wizard.created_count == ROWS, wizard.created_count
        say("created %d leads, %d responses" % (wizard.created_count, campaign.cn_response_count))
        env.cr.rollback()
        with timer(timings, "sql"):
            env.cr.execute("""
                INSERT INTO crm_lead (name, type, active, partner_name, contact_name, mobile,
                                      email_from, city, campaign_id, create_date, write_date)
                SELECT 'Bench Expo: ' || g, 'lead', true, '客户公司' || g, '联系人' || g,
                       '13' || lpad(g::text, 9, '0'), 'buyer' || g || '@example.cn',
                       '城市' || (g %% 50), NULL, now(), now()
                  FROM generate_series(1, %s) g""", (ROWS,))
    report("import of %d respondent rows (XLSX)" % ROWS, timings["ours"], timings["sql"])


if __name__ == "__main__":
    main()
