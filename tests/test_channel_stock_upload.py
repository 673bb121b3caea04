"""A salesperson uploads a dealer's stock report file in the backend."""
import base64

from odoo.exceptions import AccessError, UserError

from .common import portal_user_of
from .test_channel_stock import ChannelWorld, days_ago


class TestStockReportUpload(ChannelWorld):

    def upload(self, content, user=None, dealer=None, filename="fax.csv"):
        wizard = self.env["crm.cn.channel.stock.upload"].sudo(user or self.salesperson).create({
            "dealer_id": (dealer or self.dealer).id, "date": days_ago(1), "filename": filename,
            "file": base64.b64encode(content)})
        return wizard.action_upload()

    def reports(self):
        return self.Report.search([("dealer_id", "=", self.dealer.id)])

    def test_salesperson_uploads_a_faxed_report(self):
        action = self.upload("产品编码,库存数量,销量\nA4-80,30,5\nPEN-BL,12,0\n".encode("gbk"))
        report = self.Report.browse(action["res_id"])
        self.assertEqual((report.dealer_id, report.date, report.state, report.user_id),
                         (self.dealer, days_ago(1), "submitted", self.salesperson))
        self.assertEqual(sorted((line.product_id.default_code, line.on_hand_qty, line.sold_qty)
                                for line in report.line_ids),
                         [("A4-80", 30.0, 5.0), ("PEN-BL", 12.0, 0.0)])

    def test_file_with_a_bad_row_saves_nothing_and_names_the_row(self):
        with self.assertRaises(UserError) as refusal:
            self.upload(b"code,stock,sold\nA4-80,30,5\nNOPE,2,1\nPEN-BL,x,0\n")
        self.assertIn("Row 3: unknown product code 'NOPE'", refusal.exception.name)
        self.assertIn("Row 4: 'x' is not a quantity", refusal.exception.name)
        self.assertFalse(self.reports())

    def test_unreadable_file_saves_nothing(self):
        with self.assertRaises(UserError):
            self.upload(b"\x00\x01\x02 not a sheet", filename="fax.xlsx")
        self.assertFalse(self.reports())

    def test_dealer_cannot_upload_for_another_dealer(self):
        with self.assertRaises(AccessError):
            self.upload(b"code,stock\nA4-80,3\n", user=portal_user_of(self.other_dealer))
        self.assertFalse(self.reports())

    def test_file_over_the_byte_limit_is_refused_before_it_is_read(self):
        self.env["ir.config_parameter"].set_param("crm_cn_lifecycle.upload_max_bytes", "30")
        with self.assertRaises(UserError) as refusal:
            self.upload(b"code,stock,sold\nA4-80,30,5\nPEN-BL,12,0\n")
        self.assertEqual(refusal.exception.name, "The file is larger than the 30 bytes an upload may have.")
        self.assertFalse(self.reports())

    def test_file_with_more_cells_than_the_limit_is_refused(self):
        self.env["ir.config_parameter"].set_param("crm_cn_lifecycle.upload_max_cells", "8")
        with self.assertRaises(UserError) as refusal:
            self.upload(b"code,stock,sold\nA4-80,30,5\nPEN-BL,12,0\n")  # 9 cells
        self.assertIn("more than the 8 cells", refusal.exception.name)
        self.assertFalse(self.reports())

    def test_salesperson_cannot_send_a_file_over_the_limit_over_rpc(self):
        """submit_file takes base64 text from XML-RPC: refused on its decoded size."""
        self.env["ir.config_parameter"].set_param("crm_cn_lifecycle.upload_max_bytes", "30")
        data = base64.b64encode(b"code,stock,sold\nA4-80,30,5\nPEN-BL,12,0\n").decode()
        with self.assertRaises(UserError):
            self.Report.sudo(self.salesperson).submit_file(self.dealer.id, days_ago(1), "fax.csv", data)
        self.assertFalse(self.reports())
