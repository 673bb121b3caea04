import base64
import datetime

from odoo import api, fields, models

from ..tools.xlsx import rows_to_xlsx

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Exports older than this are deleted by the daily cron (their files with them).
KEEP_DAYS = 2


class CrmCnExport(models.Model):
    """A file a user exported from a report. Its attachment belongs to this record, so
    Odoo's attachment check applies the record rule: only the owner (and the system)
    may read it, not every employee who guesses its id."""

    _name = "crm.cn.export"
    _description = "Report Export"
    _order = "id desc"

    name = fields.Char(string="File Name", required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Exported By", required=True, readonly=True,
                              index=True, ondelete="cascade", default=lambda self: self.env.user)
    company_id = fields.Many2one("res.company", string="Company", readonly=True,
                                 default=lambda self: self.env.user.company_id)

    @api.model
    def _cn_store(self, filename, data, mimetype=XLSX_MIMETYPE):
        """Keep `data` (bytes) as the current user's export and return the action that
        downloads it. Written by the system for the user: users only read exports."""
        user = self.env.user
        export = self.sudo().create({"name": filename, "user_id": user.id,
                                     "company_id": user.company_id.id})
        attachment = self.env["ir.attachment"].sudo().create({
            "name": filename, "datas_fname": filename, "datas": base64.b64encode(data),
            "mimetype": mimetype, "res_model": self._name, "res_id": export.id})
        return {"type": "ir.actions.act_url", "target": "self",
                "url": "/web/content/%s?download=true" % attachment.id}

    @api.model
    def _cn_xlsx(self, records, field_names, title):
        """`records` as an XLSX (bytes) of `field_names`: labels as headers, related
        records and choices by their names, every cell a value (a name starting
        with "=" stays text)."""
        headers = [records._fields[name].get_description(self.env)["string"] for name in field_names]
        selections = {name: dict(records._fields[name]._description_selection(self.env))
                      for name in field_names if records._fields[name].type == "selection"}
        rows = []
        for record in records.read(field_names):
            row = []
            for name in field_names:
                value = record[name]
                if isinstance(value, tuple):
                    value = value[1]
                elif name in selections:
                    value = selections[name].get(value, "")
                row.append("" if value is False or value is None else value)
            rows.append(row)
        return rows_to_xlsx(title, headers, rows, number_format="#,##0.00", freeze=(1, 1))

    @api.model
    def _cn_export_records(self, records, field_names, title, filename):
        """Keep `records` as the user's XLSX export (see _cn_xlsx) and return
        the action that downloads it."""
        return self._cn_store(filename, self._cn_xlsx(records, field_names, title))

    @api.model
    def _cron_delete_old_exports(self, days=KEEP_DAYS):
        """Delete the exports (and their files) older than `days` days."""
        limit = datetime.datetime.now() - datetime.timedelta(days=days)
        self.sudo().search([("create_date", "<", fields.Datetime.to_string(limit))]).unlink()
        return True
