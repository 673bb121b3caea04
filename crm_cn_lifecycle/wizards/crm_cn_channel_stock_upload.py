import base64

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class CrmCnChannelStockUpload(models.TransientModel):
    """A salesperson enters a dealer's stock report received as a file (fax
    scan typed into a sheet, e-mail attachment): the same reading and checks
    as the dealer's own upload on the portal; a file with a bad row saves
    nothing and lists every problem."""

    _name = "crm.cn.channel.stock.upload"
    _description = "Upload a Dealer Stock Report"

    dealer_id = fields.Many2one("res.partner", string="Dealer", required=True,
                                domain=[("cn_is_dealer", "=", True), ("is_company", "=", True)])
    date = fields.Date(string="Report Date", required=True, default=fields.Date.context_today)
    file = fields.Binary(required=True,
                         help="CSV or XLSX with a product code, on hand and sold column "
                              "(English or Chinese headers; UTF-8 or GBK).")
    filename = fields.Char()

    @api.multi
    def action_upload(self):
        """Check and submit the file as the dealer's report, then open it."""
        self.ensure_one()
        if not self.file:
            raise UserError(_("Choose the report file to upload."))
        Report = self.env["crm.cn.channel.stock.report"]
        Report._check_upload_size(self.file, encoded=True)
        report_id = Report.submit_file(self.dealer_id.id, self.date, self.filename or "",
                                       base64.b64decode(self.file))
        return {"type": "ir.actions.act_window", "res_model": "crm.cn.channel.stock.report",
                "res_id": report_id, "view_mode": "form", "name": _("Dealer Stock Report")}
